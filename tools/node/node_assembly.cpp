#include "tools/node/node_assembly.hpp"

#include "actors/book/book_actor.hpp"
#include "actors/consolidated/consolidated_actor.hpp"
#include "actors/oms/oms_actor.hpp"
#include "actors/portfolio/portfolio_actor.hpp"
#include "actors/risk/risk_actor.hpp"
#include "actors/strategy/strategy_actor.hpp"
#include "actors/venue/market_data_actor.hpp"
#include "actors/venue/order_session_actor.hpp"
#include "adapters/venues/binance/order_port.hpp"
#include "runtime/supervisor.hpp"
#include "tools/node/actor_names.hpp"
#include "tools/node/market_data_ports.hpp"

#include <caf/actor_cast.hpp>

namespace troupe {
namespace {

template <class Handle>
caf::actor erase_type(Handle handle) {
  return caf::actor_cast<caf::actor>(std::move(handle));
}

SupervisorSpec supervisor(const NodeContext& context, std::string name, RestartStrategy strategy) {
  SupervisorSpec spec;
  spec.name = std::move(name);
  spec.strategy = strategy;
  spec.directory = &context.directory;
  spec.metrics = &context.metrics;
  return spec;
}

ChildSpec market_data_tree(const NodeContext& context, const NodeConfig& config,
                           const TransportFactory& make_transport) {
  std::vector<ChildSpec> children;
  std::uint64_t seed = config.sim.seed;
  std::vector<Instrument> streamed;
  for (const auto& feed : market_data_feeds(config)) {
    streamed.insert(streamed.end(), feed.instruments.begin(), feed.instruments.end());
    for (const auto& instrument : feed.instruments) {
      BookConfig book{instrument, 10};
      children.push_back({names::book(instrument.id), [&context, book](caf::actor_system&) {
                            return erase_type(spawn_book_actor(context, book));
                          }});
    }
    auto make_port = make_market_data_port_factory(context, feed, make_transport, seed++);
    children.push_back(
        {names::market_data(feed.venue), [&context, venue = feed.venue, make_port](auto&) {
           return erase_type(spawn_market_data_actor(context, venue, make_port));
         }});
  }
  for (auto& asset : consolidated_assets(streamed)) {
    const auto name = names::consolidated(asset.asset);
    children.push_back({name, [&context, asset = std::move(asset)](auto&) {
                          return erase_type(spawn_consolidated_actor(context, asset));
                        }});
  }
  return supervisor_child(supervisor(context, "market-data", RestartStrategy::OneForOne),
                          std::move(children));
}

ChildSpec account_tree(const NodeContext& context, const NodeConfig& config,
                       const persistence::journal_actor& journal,
                       const TransportFactory& make_transport) {
  const auto account = config.venue.account;
  OrderPortFactory make_port = [&context, &config, make_transport] {
    binance::OrderPortOptions options;
    options.venue = config.venue.venue;
    options.account = config.venue.account;
    options.api_key = config.venue.api_key;
    options.api_secret = config.venue.api_secret;
    options.instruments = config.venue.instruments;
    options.transport = make_transport(config.venue.venue.value + "-orders");
    options.clock = &context.clock;
    options.reconnect_min_ms = config.venue.reconnect_min_ms;
    options.reconnect_max_ms = config.venue.reconnect_max_ms;
    options.seed = config.sim.seed + 1;
    return binance::make_order_port(std::move(options));
  };
  std::vector<ChildSpec> children;
  // Order matters (rest_for_one): a failed OMS restarts the venue order session and the actors
  // that follow the OMS's events; a failed order session restarts risk and portfolio only.
  children.push_back(
      {names::oms(account), [&context, &config, journal](auto&) {
         OmsDependencies deps{config.oms, journal, names::order_session(config.venue.account)};
         return erase_type(spawn_oms_actor(context, std::move(deps)));
       }});
  children.push_back({names::order_session(account), [&context, &config, make_port](auto&) {
                        return erase_type(
                            spawn_order_session_actor(context, config.venue.venue,
                                                      names::oms(config.venue.account), make_port));
                      }});
  children.push_back({names::risk(account), [&context, &config, journal](auto&) {
                        RiskDependencies deps{config.risk, config.venue.instruments, journal,
                                              names::oms(config.venue.account)};
                        return erase_type(spawn_risk_actor(context, std::move(deps)));
                      }});
  children.push_back(
      {names::portfolio(account), [&context, &config, journal](auto&) {
         PortfolioDependencies deps{config.portfolio, config.venue.instruments, journal};
         return erase_type(spawn_portfolio_actor(context, std::move(deps)));
       }});
  return supervisor_child(
      supervisor(context, "account." + account.value, RestartStrategy::RestForOne),
      std::move(children));
}

std::vector<ChildSpec> strategy_children(const NodeContext& context, const NodeConfig& config,
                                         const persistence::journal_actor& journal) {
  std::vector<ChildSpec> children;
  for (const auto& strategy : config.strategies) {
    children.push_back(
        {names::strategy(strategy.id), [&context, strategy, journal](auto&) {
           StrategyDependencies deps{strategy, journal, names::risk(strategy.account)};
           return erase_type(spawn_strategy_actor(context, std::move(deps)));
         }});
  }
  return children;
}

}  // namespace

NodeTree spawn_node_tree(const NodeContext& context, const NodeConfig& config,
                         const persistence::journal_actor& journal,
                         const TransportFactory& make_transport) {
  NodeTree tree;
  // Strategies get their own top-level supervisor so that shutdown can stop them first.
  tree.strategies = spawn_supervisor(context.system,
                                     supervisor(context, "strategies", RestartStrategy::OneForOne),
                                     strategy_children(context, config, journal));
  std::vector<ChildSpec> children;
  children.push_back(market_data_tree(context, config, make_transport));
  children.push_back(account_tree(context, config, journal, make_transport));
  tree.root = spawn_supervisor(
      context.system, supervisor(context, "root", RestartStrategy::OneForOne), std::move(children));
  return tree;
}

const Instrument* find_instrument(const NodeConfig& config, const std::string& symbol) {
  for (const auto& instrument : config.venue.instruments)
    if (instrument.id.symbol == symbol) return &instrument;
  return nullptr;
}

const Instrument* find_instrument(const NodeConfig& config, const InstrumentId& id) {
  if (id.venue == config.venue.venue) return find_instrument(config, id.symbol);
  for (const auto& feed : config.market_data)
    if (feed.venue == id.venue)
      for (const auto& instrument : feed.instruments)
        if (instrument.id == id) return &instrument;
  return nullptr;
}

}  // namespace troupe
