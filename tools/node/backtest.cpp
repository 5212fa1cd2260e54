#include "tools/node/backtest.hpp"

#include "actors/book/book_actor.hpp"
#include "actors/oms/oms_actor.hpp"
#include "actors/portfolio/portfolio_actor.hpp"
#include "adapters/net/in_process.hpp"
#include "adapters/sim/binance_front_end.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/clock.hpp"
#include "runtime/metrics.hpp"
#include "runtime/persistence/journal_actor.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"
#include "tools/node/actor_names.hpp"
#include "tools/node/market_data_ports.hpp"
#include "tools/node/node_assembly.hpp"
#include "tools/node/node_system_config.hpp"
#include "tools/node/sim_venues.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

namespace troupe {
namespace {

// 2024-01-01T00:00:00Z: a fixed start so that timestamps (and so the fill log) repeat.
constexpr TimestampNs kBacktestStart = 1'704'067'200'000'000'000;

std::string fill_line(const OrderFilled& f) {
  return fmt::format("{} {} {} {} {} @ {} trade={} {} fee={} {}", f.ts_event,
                     f.client_order_id.value, f.instrument.symbol, to_string(f.side),
                     f.last_quantity.to_string(), f.last_price.to_string(), f.trade_id.value,
                     to_string(f.liquidity), f.commission.to_string(), f.commission_asset);
}

class TempDir {
 public:
  explicit TempDir(const std::string& parent) {
    std::filesystem::create_directories(parent);
    std::string pattern = (std::filesystem::path(parent) / "backtest-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Drives the in-process transports and the deterministic scheduler until nothing moves.
class Driver {
 public:
  explicit Driver(caf::scheduler::test_coordinator& sched) : sched_(sched) {}

  std::shared_ptr<net::ClientTransport> add(std::unique_ptr<net::InProcessTransport> t) {
    std::shared_ptr<net::InProcessTransport> shared = std::move(t);
    transports_.push_back(shared);
    return shared;
  }
  void settle() {
    for (int round = 0; round < 100000; ++round) {
      std::size_t moved = sched_.run();
      for (auto& weak : transports_)
        if (auto t = weak.lock()) moved += t->run_pending();
      if (moved == 0) return;
    }
  }
  void advance(std::chrono::milliseconds step) {
    sched_.advance_time(step);
    settle();
  }

 private:
  caf::scheduler::test_coordinator& sched_;
  std::vector<std::weak_ptr<net::InProcessTransport>> transports_;
};

// The hook's view of a running backtest; book() asks the book actor and settles.
class Control final : public BacktestControl {
 public:
  Control(caf::actor_system& system, Driver& driver, ActorDirectory& directory,
          sim::BinanceFrontEnd& venue,
          const std::map<std::string, std::unique_ptr<sim::VenueFrontEnd>>& front_ends)
      : system_(system),
        driver_(driver),
        directory_(directory),
        venue_(venue),
        front_ends_(front_ends) {}
  sim::BinanceFrontEnd& venue() override { return venue_; }
  sim::VenueFrontEnd* front_end(const std::string& venue) override {
    auto it = front_ends_.find(venue);
    return it == front_ends_.end() ? nullptr : it->second.get();
  }
  std::uint64_t step() const override { return step_; }
  std::pair<bool, BookSnapshot> book(const InstrumentId& instrument, std::size_t depth) override {
    std::pair<bool, BookSnapshot> out{false, {}};
    auto book = caf::actor_cast<BookActor>(directory_.get(names::book(instrument)));
    if (!book) return out;
    auto probe = system_.spawn([&](caf::event_based_actor* self) {
      self->request(book, std::chrono::seconds(5), snapshot_atom_v,
                    static_cast<std::uint32_t>(depth))
          .then([&](bool in_sync, BookSnapshot& snapshot) {
            out = {in_sync, std::move(snapshot)};
          });
    });
    driver_.settle();
    return out;
  }
  std::uint64_t step_ = 0;

 private:
  caf::actor_system& system_;
  Driver& driver_;
  ActorDirectory& directory_;
  sim::BinanceFrontEnd& venue_;
  const std::map<std::string, std::unique_ptr<sim::VenueFrontEnd>>& front_ends_;
};

bool crossed(const BookSnapshot& top) {
  return !top.bids.empty() && !top.asks.empty() && top.bids.front().price >= top.asks.front().price;
}

}  // namespace

tl::expected<BacktestResult, std::string> run_backtest(const NodeConfig& input,
                                                       const BacktestHook& hook) {
  NodeConfig config = input;
  TempDir dir(config.data_dir);
  if (dir.path().empty())
    return tl::make_unexpected("cannot create a directory in " + config.data_dir);
  auto journal_store = persistence::Journal::open(dir.path() + "/journal");
  if (!journal_store) return tl::make_unexpected("journal: " + journal_store.error().message);

  SimulatedClock clock(kBacktestStart);
  // One in-process front end per venue the node connects to; stepped in this order.
  std::map<std::string, std::unique_ptr<sim::VenueFrontEnd>> front_ends;
  std::vector<sim::VenueFrontEnd*> step_order;
  for (const auto& id : simulated_venues(config)) {
    auto made = make_sim_front_end(id, sim_config_for(config, id), clock);
    if (!made) return tl::make_unexpected(made.error());
    step_order.push_back(made->get());
    front_ends.emplace(id.value, std::move(*made));
  }
  auto* trading =
      dynamic_cast<sim::BinanceFrontEnd*>(front_ends.at(config.venue.venue.value).get());
  if (trading == nullptr) return tl::make_unexpected("backtest: the trading venue must be binance");
  sim::BinanceFrontEnd& venue = *trading;
  MetricsRegistry metrics;
  TopicBus bus;
  ActorDirectory directory;
  BacktestResult result;
  {
    NodeSystemConfig caf_config(true);
    caf::actor_system system(caf_config);
    auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(system.scheduler());
    Driver driver(sched);
    NodeContext context{system, bus, metrics, directory, clock};
    auto journal = persistence::spawn_journal(system, std::move(*journal_store), false);
    // Transports are named "<venue>-md" / "<venue>-orders".
    auto tree = spawn_node_tree(context, config, journal, [&](const std::string& name) {
      auto& front_end = *front_ends.at(name.substr(0, name.rfind('-')));
      return driver.add(net::make_in_process_transport(front_end, clock));
    });
    auto recorder = system.spawn([&result](caf::event_based_actor* self) -> caf::behavior {
      self->set_default_handler(caf::drop);
      return {
          [&result](const OrderFilled& fill) { result.fills.push_back(fill_line(fill)); },
          [&result](const BookSnapshot& top) { result.crossed_books += crossed(top) ? 1 : 0; },
      };
    });
    bus.subscribe(topics::order_events(config.venue.account), recorder);
    for (const auto& feed : market_data_feeds(config))
      for (const auto& instrument : feed.instruments)
        bus.subscribe(topics::book(instrument.id), recorder);
    Control control(system, driver, directory, venue, front_ends);
    driver.settle();

    const auto step = std::chrono::milliseconds(config.sim.step_ms);
    const auto steps = static_cast<std::uint64_t>(config.backtest.duration_s * 1000 /
                                                  std::max<std::int64_t>(1, config.sim.step_ms));
    for (std::uint64_t i = 0; i < steps; ++i) {
      control.step_ = i;
      if (hook) hook(control);
      clock.advance(step);
      for (auto* front_end : step_order) front_end->step(clock.now_ns());
      driver.advance(step);
    }
    result.steps = steps;
    result.metrics = metrics.exposition();

    // Read the final state through the actors themselves.
    auto probe = system.spawn([&](caf::event_based_actor* self) {
      auto portfolio =
          caf::actor_cast<PortfolioActor>(directory.get(names::portfolio(config.venue.account)));
      auto oms = caf::actor_cast<OmsActor>(directory.get(names::oms(config.venue.account)));
      if (portfolio)
        self->request(portfolio, std::chrono::seconds(5), portfolio_atom_v)
            .then([&](PortfolioSnapshot& s) { result.portfolio = std::move(s); });
      if (oms)
        self->request(oms, std::chrono::seconds(5), orders_atom_v)
            .then([&](std::vector<OrderRecord>& orders) { result.orders = orders.size(); });
    });
    driver.settle();
    for (const auto& actor :
         {tree.strategies, tree.root, caf::actor_cast<caf::actor>(journal),
          caf::actor_cast<caf::actor>(recorder), caf::actor_cast<caf::actor>(probe)})
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    driver.settle();
    driver.advance(std::chrono::seconds(10));  // supervisors' shutdown timers, if any
  }
  return result;
}

std::string summarize(const BacktestResult& result) {
  const auto& p = result.portfolio;
  std::ostringstream out;
  out << "steps " << result.steps << ", orders " << result.orders << ", fills "
      << result.fills.size() << "\n";
  out << "realized P&L " << p.realized_pnl.to_string() << ", unrealized P&L "
      << p.unrealized_pnl.to_string() << ", fees " << p.fees.to_string() << "\n";
  for (const auto& position : p.positions)
    out << "position " << position.instrument.symbol << " " << position.quantity.to_string()
        << " @ " << position.average_price.to_string() << "\n";
  return out.str();
}

}  // namespace troupe
