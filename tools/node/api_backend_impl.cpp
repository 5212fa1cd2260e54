#include "tools/node/api_backend_impl.hpp"

#include "actors/book/book_actor.hpp"
#include "actors/consolidated/consolidated_actor.hpp"
#include "actors/oms/oms_actor.hpp"
#include "actors/portfolio/portfolio_actor.hpp"
#include "actors/risk/risk_actor.hpp"
#include "actors/venue/market_data_actor.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/metrics.hpp"
#include "tools/node/actor_names.hpp"
#include "tools/node/market_data_ports.hpp"
#include "tools/node/node_assembly.hpp"

#include <caf/actor_cast.hpp>
#include <caf/scoped_actor.hpp>

namespace troupe {
namespace {

constexpr std::chrono::seconds kRequestTimeout{5};

std::string mode_name(NodeMode mode) {
  switch (mode) {
    case NodeMode::Paper:
      return "paper";
    case NodeMode::Live:
      return "live";
    case NodeMode::Backtest:
      return "backtest";
  }
  return "unknown";
}

// Blocking request to the actor under `name`; nullopt when it is absent or does not answer.
template <class Result, class Handle, class... Ts>
std::optional<Result> ask(const NodeContext& context, const std::string& name, Ts&&... xs) {
  auto target = caf::actor_cast<Handle>(context.directory.get(name));
  if (!target) return std::nullopt;
  caf::scoped_actor self{context.system};
  std::optional<Result> result;
  self->request(target, kRequestTimeout, std::forward<Ts>(xs)...)
      .receive([&](Result& value) { result = std::move(value); }, [](caf::error&) {});
  return result;
}

}  // namespace

ActorApiBackend::ActorApiBackend(const NodeContext& context, const NodeConfig& config)
    : context_(context), config_(config), started_(std::chrono::steady_clock::now()) {}

HealthReport ActorApiBackend::health() {
  HealthReport report;
  report.node_name = config_.node_name;
  report.mode = mode_name(config_.mode);
  report.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started_)
                         .count();
  auto venue_state = ask<std::string, MarketDataActor>(
      context_, names::market_data(config_.venue.venue), status_atom_v);
  report.venue_state = venue_state.value_or("down");
  auto trading =
      ask<TradingState, RiskActor>(context_, names::risk(config_.venue.account), status_atom_v);
  report.trading_state = trading.value_or(TradingState::Halted);
  report.healthy = venue_state == std::string{"live"} && trading.has_value();
  return report;
}

PortfolioSnapshot ActorApiBackend::portfolio() {
  auto snapshot = ask<PortfolioSnapshot, PortfolioActor>(
      context_, names::portfolio(config_.venue.account), portfolio_atom_v);
  if (snapshot) return *snapshot;
  PortfolioSnapshot empty;
  empty.account = config_.venue.account;
  return empty;
}

std::vector<OrderRecord> ActorApiBackend::orders() {
  return ask<std::vector<OrderRecord>, OmsActor>(context_, names::oms(config_.venue.account),
                                                 orders_atom_v)
      .value_or(std::vector<OrderRecord>{});
}

const Instrument* ActorApiBackend::find_instrument(const std::string& symbol) {
  return troupe::find_instrument(config_, symbol);
}

SubmitOutcome ActorApiBackend::submit(SubmitOrder order) {
  order.account = config_.venue.account;
  if (order.strategy.empty()) order.strategy = StrategyId{"api"};
  order.ts_init = context_.clock.now_ns();
  auto risk = caf::actor_cast<RiskActor>(context_.directory.get(names::risk(order.account)));
  if (!risk) return std::string{"risk guard unavailable"};
  caf::scoped_actor self{context_.system};
  SubmitOutcome outcome = std::string{"no answer from the risk guard"};
  self->request(risk, kRequestTimeout, std::move(order))
      .receive(
          [&](SubmitOrderResponse& response) {
            if (response.accepted)
              outcome = std::move(response.record);
            else
              outcome = std::move(response.denial);
          },
          [&](caf::error& err) { outcome = caf::to_string(err); });
  return outcome;
}

BookView ActorApiBackend::book(const std::string& venue, const std::string& symbol,
                               std::size_t depth) {
  BookView view;
  const Instrument* instrument =
      troupe::find_instrument(config_, InstrumentId{VenueId{venue}, symbol});
  if (instrument == nullptr) return view;
  auto book = caf::actor_cast<BookActor>(context_.directory.get(names::book(instrument->id)));
  if (!book) return view;
  view.found = true;
  caf::scoped_actor self{context_.system};
  self->request(book, kRequestTimeout, snapshot_atom_v, static_cast<std::uint32_t>(depth))
      .receive(
          [&](bool in_sync, BookSnapshot& snapshot) {
            view.in_sync = in_sync;
            view.snapshot = std::move(snapshot);
          },
          [](caf::error&) {});
  return view;
}

std::optional<ConsolidatedBook> ActorApiBackend::consolidated(const std::string& asset) {
  auto actor =
      caf::actor_cast<ConsolidatedActor>(context_.directory.get(names::consolidated(asset)));
  if (!actor) return std::nullopt;
  std::optional<ConsolidatedBook> view;
  caf::scoped_actor self{context_.system};
  self->request(actor, kRequestTimeout, snapshot_atom_v)
      .receive([&](ConsolidatedBook& book) { view = std::move(book); }, [](caf::error&) {});
  return view;
}

std::vector<std::string> ActorApiBackend::consolidated_assets() {
  std::vector<Instrument> streamed;
  for (const auto& feed : market_data_feeds(config_))
    streamed.insert(streamed.end(), feed.instruments.begin(), feed.instruments.end());
  std::vector<std::string> assets;
  for (const auto& asset : troupe::consolidated_assets(streamed)) assets.push_back(asset.asset);
  return assets;
}

std::string ActorApiBackend::metrics_text() { return context_.metrics.exposition(); }

}  // namespace troupe
