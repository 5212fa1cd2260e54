// End to end: our real Coinbase market-data port (adapters/venues/coinbase) over the in-process
// transport against the simulated venue, with every supported fault injected again and again.
// After each fault the port must recover on its own, and its books must equal the venue's.

#include "adapters/venues/coinbase/market_data_port.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>

#include "tests/unit/adapters/sim/coinbase/coinbase_sim_support.hpp"

namespace troupe::sim::coinbase_test {
namespace {

/// Applies what the port reports to its own books and watches for crossed books.
class BookListener final : public MarketDataListener {
 public:
  struct Book {
    std::map<std::int64_t, std::int64_t, std::greater<>> bids;  ///< price → size mantissas
    std::map<std::int64_t, std::int64_t> asks;
    bool synced = false;
  };

  void on_snapshot(BookSnapshot snapshot) override {
    Book& book = books[snapshot.instrument.symbol];
    book = Book{};
    for (const BookLevel& level : snapshot.bids) book.bids[level.price.raw()] = level.size.raw();
    for (const BookLevel& level : snapshot.asks) book.asks[level.price.raw()] = level.size.raw();
    book.synced = true;
    ++snapshots;
    check(snapshot.instrument.symbol, book);
  }
  void on_deltas(BookDeltas deltas) override {
    Book& book = books[deltas.instrument.symbol];
    if (!book.synced) ++deltas_while_unsynced;
    for (const BookDelta& delta : deltas.deltas) {
      if (delta.side == Side::Buy) {
        set(book.bids, delta);
      } else {
        set(book.asks, delta);
      }
    }
    ++delta_batches;
    check(deltas.instrument.symbol, book);
  }
  void on_trade(TradeTick) override { ++trades; }
  void on_resync(BookResyncStarted event) override {
    books[event.instrument.symbol].synced = false;
    ++resyncs[event.reason];
  }
  void on_state(SessionState s, std::string) override { state = s; }
  void on_frame_error(std::string) override { ++frame_errors; }

  bool all_synced(std::size_t count) const {
    if (state != SessionState::Live || books.size() < count) return false;
    return std::all_of(books.begin(), books.end(), [](const auto& b) { return b.second.synced; });
  }

  std::map<std::string, Book> books;
  SessionState state = SessionState::Disconnected;
  std::map<ResyncReason, int> resyncs;
  int snapshots = 0;
  int delta_batches = 0;
  int deltas_while_unsynced = 0;
  int trades = 0;
  int frame_errors = 0;
  int crossed = 0;
  std::string crossed_detail;

 private:
  template <class Side>
  static void set(Side& side, const BookDelta& delta) {
    if (delta.size.is_zero()) {
      side.erase(delta.price.raw());
    } else {
      side[delta.price.raw()] = delta.size.raw();
    }
  }
  void check(const std::string& symbol, const Book& book) {
    if (book.bids.empty() || book.asks.empty()) return;
    if (book.bids.begin()->first >= book.asks.begin()->first) {
      ++crossed;
      crossed_detail = symbol + " bid " + std::to_string(book.bids.begin()->first) + " >= ask " +
                       std::to_string(book.asks.begin()->first);
    }
  }
};

/// The venue, the port and a driver that steps both on one simulated clock.
class PortRig {
 public:
  explicit PortRig(SimConfig cfg)
      : config_(std::move(cfg)),
        clock_(kStartNs),
        front_end_(config_, clock_),
        transport_(net::make_in_process_transport(front_end_, clock_)) {
    coinbase::MarketDataPortOptions options;
    for (const auto& c : config_.instruments) options.instruments.push_back(c.instrument);
    options.transport = transport_;
    options.clock = &clock_;
    options.stale_after_ms = 2000;
    options.snapshot_timeout_ms = 3000;
    options.reconnect_min_ms = 50;
    options.reconnect_max_ms = 800;
    options.seed = 3;
    port_ = coinbase::make_market_data_port(std::move(options));
    port_->start(listener_);
    transport_->run_pending();
  }
  ~PortRig() { port_->stop(); }

  void step() {
    clock_.advance(std::chrono::milliseconds(config_.step_ms));
    front_end_.step(clock_.now_ns());
    transport_->run_pending();
  }
  /// Steps until every book is synced and the session Live; false after `limit` steps.
  bool step_until_synced(int limit) {
    for (int i = 0; i < limit; ++i) {
      if (listener_.all_synced(config_.instruments.size())) return true;
      step();
    }
    return listener_.all_synced(config_.instruments.size());
  }
  /// "" when the port's book of every product equals the venue's, else what differs.
  std::string compare_books() {
    std::string out;
    for (const auto& c : config_.instruments) {
      const std::string& symbol = c.instrument.id.symbol;
      const BookSnapshot venue = front_end_.book(symbol, 0);
      const BookListener::Book& mine = listener_.books[symbol];
      std::vector<BookLevel> bids;
      std::vector<BookLevel> asks;
      for (const auto& [price, size] : mine.bids)
        bids.push_back({Price::from_raw(price, c.instrument.price_precision),
                        Quantity::from_raw(size, c.instrument.size_precision)});
      for (const auto& [price, size] : mine.asks)
        asks.push_back({Price::from_raw(price, c.instrument.price_precision),
                        Quantity::from_raw(size, c.instrument.size_precision)});
      if (venue.bids.empty() || venue.asks.empty()) out += symbol + ": venue book empty; ";
      if (bids != venue.bids)
        out += symbol + ": bids differ (" + std::to_string(bids.size()) + " vs " +
               std::to_string(venue.bids.size()) + " levels); ";
      if (asks != venue.asks)
        out += symbol + ": asks differ (" + std::to_string(asks.size()) + " vs " +
               std::to_string(venue.asks.size()) + " levels); ";
    }
    return out;
  }

  CoinbaseFrontEnd& front_end() { return front_end_; }
  BookListener& listener() { return listener_; }
  net::InProcessTransport& transport() { return *transport_; }

 private:
  SimConfig config_;
  SimulatedClock clock_;
  CoinbaseFrontEnd front_end_;
  std::shared_ptr<net::InProcessTransport> transport_;
  BookListener listener_;
  std::unique_ptr<MarketDataPort> port_;
};

TEST(CoinbasePortEndToEnd, PortSyncsAndFollowsTheVenueBooksWithoutFaults) {
  PortRig rig(config(3));
  ASSERT_TRUE(rig.step_until_synced(20));
  for (int i = 0; i < 300; ++i) {
    rig.step();
    if (i % 50 == 49) {
      ASSERT_EQ(rig.compare_books(), "") << "after step " << i;
    }
  }
  EXPECT_EQ(rig.listener().snapshots, 3);
  EXPECT_GT(rig.listener().delta_batches, 500);
  EXPECT_GT(rig.listener().trades, 0);
  EXPECT_EQ(rig.listener().frame_errors, 0);
  EXPECT_EQ(rig.listener().crossed, 0);
  EXPECT_EQ(rig.listener().resyncs.count(ResyncReason::Gap), 0u);
}

TEST(CoinbasePortEndToEnd, PortRecoversFromEveryFaultAndItsBooksEqualTheVenueBooks) {
  const SimConfig cfg = config(3);
  PortRig rig(cfg);
  ASSERT_TRUE(rig.step_until_synced(20));
  std::mt19937_64 random(11);
  std::vector<FaultKind> kinds = rig.front_end().supported_faults();
  ASSERT_EQ(kinds.size(), 7u);
  std::map<FaultKind, int> done;
  int total = 0;
  for (int round = 0; round < 32; ++round) {
    std::shuffle(kinds.begin(), kinds.end(), random);
    for (FaultKind kind : kinds) {
      FaultSpec fault;
      fault.kind = kind;
      fault.symbol = cfg.instruments[random() % cfg.instruments.size()].instrument.id.symbol;
      // Stalls of up to 3 s outlast the port's 2 s stale timer about a third of the time.
      if (kind == FaultKind::Stall) fault.duration_ms = 300 + static_cast<int>(random() % 2700);
      if (kind == FaultKind::Throttle) fault.duration_ms = 200 + static_cast<int>(random() % 1300);
      const FaultReport report = rig.front_end().inject(fault);
      ASSERT_TRUE(report.done) << report.description;
      ++done[kind];
      ++total;
      if (kind == FaultKind::Throttle) {
        // A throttle alone leaves a healthy port alone. Drop the sockets (the port meets refused
        // connections) or a book update (the port's resubscribe meets the rate-limit error).
        const FaultKind companion = round % 2 == 0 ? FaultKind::Disconnect : FaultKind::Drop;
        ASSERT_TRUE(rig.front_end().inject({companion, fault.symbol, 0}).done);
        ++total;
      }
      rig.transport().run_pending();
      // A few steps: the armed fault is carried out and at least one heartbeat follows it; a
      // stall or throttle has ended (a stalled port has every reason to believe its books).
      const int steps = 25 + static_cast<int>(fault.duration_ms / cfg.step_ms);
      for (int i = 0; i < steps; ++i) rig.step();
      ASSERT_TRUE(rig.step_until_synced(400))
          << "round " << round << " " << to_string(kind) << ": port did not resync";
      ASSERT_EQ(rig.compare_books(), "")
          << "round " << round << " after " << to_string(kind) << " on " << fault.symbol;
      ASSERT_EQ(rig.listener().crossed, 0) << rig.listener().crossed_detail;
    }
  }
  EXPECT_GE(total, 200);
  for (FaultKind kind : kinds) EXPECT_GE(done[kind], 30) << to_string(kind);
  // The faults were seen for what they are.
  const auto& resyncs = rig.listener().resyncs;
  EXPECT_GT(resyncs.count(ResyncReason::Gap) ? resyncs.at(ResyncReason::Gap) : 0, 0);
  EXPECT_GT(
      resyncs.count(ResyncReason::MalformedFrame) ? resyncs.at(ResyncReason::MalformedFrame) : 0,
      0);
  EXPECT_GT(resyncs.count(ResyncReason::Disconnected) ? resyncs.at(ResyncReason::Disconnected) : 0,
            0);
  EXPECT_GT(resyncs.count(ResyncReason::Stale) ? resyncs.at(ResyncReason::Stale) : 0, 0);
  EXPECT_GT(rig.front_end().counters().refused_connections, 0u);
  EXPECT_GT(rig.front_end().counters().errors, 0u) << "rate-limit errors during throttles";
  EXPECT_EQ(rig.listener().deltas_while_unsynced, 0);
  EXPECT_GE(rig.front_end().counters().faults, static_cast<std::uint64_t>(total));
}

}  // namespace
}  // namespace troupe::sim::coinbase_test
