// End to end: our real Kraken market-data port (adapters/venues/kraken) over the in-process
// transport against the simulated Kraken front end, through hundreds of injected faults. After
// each fault has played out and the port is back in sync, the books it reported must equal the
// venue's own books, and no crossed book may ever have been reported.

#include "adapters/venues/kraken/market_data_port.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "tests/unit/adapters/sim/kraken/kraken_sim_support.hpp"

namespace troupe::sim {
namespace {

using kraken_test::kStepNs;

/// Keeps the books the port reports, the way a downstream book actor would.
class BookKeeper final : public MarketDataListener {
 public:
  struct Book {
    std::map<std::int64_t, Quantity, std::greater<>> bids;
    std::map<std::int64_t, Quantity> asks;
    std::uint8_t price_precision = 0;
    std::uint64_t sequence = 0;
    bool synced = false;
  };

  void on_snapshot(BookSnapshot s) override {
    Book& book = books[s.instrument.symbol];
    book.bids.clear();
    book.asks.clear();
    for (const BookLevel& l : s.bids) book.bids[l.price.raw()] = l.size;
    for (const BookLevel& l : s.asks) book.asks[l.price.raw()] = l.size;
    if (!s.bids.empty()) book.price_precision = s.bids[0].price.precision();
    book.sequence = s.sequence;
    book.synced = true;
    ++snapshots;
    check(book);
  }
  void on_deltas(BookDeltas d) override {
    Book& book = books[d.instrument.symbol];
    if (d.first_sequence != book.sequence + 1) ++sequence_breaks;
    book.sequence = d.last_sequence;
    for (const BookDelta& delta : d.deltas) {
      const std::int64_t price = delta.price.raw();
      if (delta.side == Side::Buy) {
        delta.size.is_zero() ? void(book.bids.erase(price)) : void(book.bids[price] = delta.size);
      } else {
        delta.size.is_zero() ? void(book.asks.erase(price)) : void(book.asks[price] = delta.size);
      }
    }
    ++deltas;
    check(book);
  }
  void on_trade(TradeTick) override { ++trades; }
  void on_resync(BookResyncStarted r) override {
    books[r.instrument.symbol].synced = false;
    ++resyncs[r.reason];
  }
  void on_state(SessionState s, std::string) override { state = s; }
  void on_frame_error(std::string) override { ++frame_errors; }

  std::vector<BookLevel> bids(const std::string& symbol) {
    return levels(books[symbol].bids, symbol);
  }
  std::vector<BookLevel> asks(const std::string& symbol) {
    return levels(books[symbol].asks, symbol);
  }
  std::size_t resync_count() const {
    std::size_t n = 0;
    for (const auto& [reason, count] : resyncs) n += count;
    return n;
  }

  std::map<std::string, Book> books;
  std::map<ResyncReason, std::size_t> resyncs;
  SessionState state = SessionState::Disconnected;
  std::size_t snapshots = 0, deltas = 0, trades = 0, frame_errors = 0, crossed = 0,
              sequence_breaks = 0;
  std::map<std::string, std::uint8_t> precisions;

 private:
  template <class Map>
  std::vector<BookLevel> levels(const Map& side, const std::string& symbol) {
    std::vector<BookLevel> out;
    for (const auto& [price, qty] : side)
      out.push_back(BookLevel{Price::from_raw(price, precisions[symbol]), qty});
    return out;
  }
  void check(const Book& book) {
    if (!book.bids.empty() && !book.asks.empty() &&
        book.bids.begin()->first >= book.asks.begin()->first)
      ++crossed;
  }
};

/// The venue, the port on the in-process transport, and the listener, stepped together.
class Harness {
 public:
  explicit Harness(std::uint32_t depth, std::uint64_t seed)
      : config_(kraken_test::kraken_config(seed)),
        clock_(kraken_test::kStartNs),
        front_end_(config_, clock_),
        depth_(depth) {
    auto transport = std::shared_ptr<net::InProcessTransport>(
        net::make_in_process_transport(front_end_, clock_));
    transport_ = transport.get();
    kraken::MarketDataPortOptions options;
    for (const SimInstrumentConfig& c : config_.instruments) {
      options.instruments.push_back(c.instrument);
      listener.precisions[c.instrument.id.symbol] = c.instrument.price_precision;
    }
    options.transport = transport;
    options.clock = &clock_;
    options.depth = depth;
    options.stale_after_ms = 2000;
    options.reconnect_min_ms = 20;
    options.reconnect_max_ms = 400;
    options.seed = seed;
    port_ = kraken::make_market_data_port(std::move(options));
    port_->start(listener);
    transport_->run_pending();
  }
  ~Harness() { port_->stop(); }

  void step(int n = 1) {
    for (int i = 0; i < n; ++i) {
      clock_.advance(std::chrono::nanoseconds(kStepNs));
      front_end_.step(clock_.now_ns());
      transport_->run_pending();
    }
  }
  bool in_sync() {
    if (listener.state != SessionState::Live) return false;
    for (const SimInstrumentConfig& c : config_.instruments)
      if (!listener.books[c.instrument.id.symbol].synced) return false;
    return true;
  }
  /// Steps until the port is Live with every book synced; the steps taken, or -1.
  int settle(int max_steps) {
    for (int n = 0; n <= max_steps; ++n) {
      if (in_sync()) return n;
      step();
    }
    return -1;
  }
  /// Steps until the fault log gained a line containing `text`; false after `max_steps`.
  bool step_until_logged(std::size_t from, const std::string& text, int max_steps) {
    for (int n = 0; n <= max_steps; ++n) {
      const auto log = front_end_.fault_log();
      for (std::size_t i = from; i < log.size(); ++i)
        if (log[i].find(text) != std::string::npos) return true;
      step();
    }
    return false;
  }
  /// True when every book the port reported equals the venue's at the subscribed depth.
  ::testing::AssertionResult books_equal() {
    for (const SimInstrumentConfig& c : config_.instruments) {
      const std::string& symbol = c.instrument.id.symbol;
      const BookSnapshot venue = front_end_.book(symbol, depth_);
      if (listener.bids(symbol) != venue.bids || listener.asks(symbol) != venue.asks) {
        return ::testing::AssertionFailure()
               << symbol << ": port book (" << listener.bids(symbol).size() << " bids, "
               << listener.asks(symbol).size() << " asks) differs from the venue's ("
               << venue.bids.size() << ", " << venue.asks.size() << ")";
      }
    }
    return ::testing::AssertionSuccess();
  }

  KrakenFrontEnd& front_end() { return front_end_; }
  BookKeeper listener;

 private:
  SimConfig config_;
  SimulatedClock clock_;
  KrakenFrontEnd front_end_;
  std::uint32_t depth_;
  net::InProcessTransport* transport_ = nullptr;
  std::unique_ptr<MarketDataPort> port_;
};

/// What marks a deferred fault as carried out in the fault log ("" = at once).
std::string carried_out(FaultKind kind) {
  switch (kind) {
    case FaultKind::Drop:
      return "withheld book update";
    case FaultKind::Duplicate:
      return "twice";
    case FaultKind::Reorder:
      return "sent the held";
    case FaultKind::CorruptChecksum:
      return "with checksum";
    default:
      return "";
  }
}

struct RunResult {
  std::size_t injected = 0;
  std::map<FaultKind, std::size_t> by_kind;
  int max_settle_steps = 0;
};

/// Injects `rounds` faults cycling through `kinds`; after each, lets it play out, waits for the
/// port to be in sync and compares every book with the venue's.
RunResult run_faults(Harness& h, const std::vector<FaultKind>& kinds, int rounds) {
  RunResult result;
  EXPECT_GE(h.settle(200), 0) << "the port never synced";
  const std::string symbols[] = {"BTC/USD", "ETH/USD"};
  for (int round = 0; round < rounds; ++round) {
    const FaultKind kind = kinds[round % kinds.size()];
    FaultSpec fault{kind, symbols[(round / kinds.size()) % 2], 0};
    if (kind == FaultKind::Stall) fault.duration_ms = 100 + 100 * (round % 15);  // < stale
    if (kind == FaultKind::Throttle) fault.duration_ms = 300 + 100 * (round % 6);
    SCOPED_TRACE("round " + std::to_string(round) + ": " + std::string(to_string(kind)) + " " +
                 fault.symbol);
    const std::size_t log_from = h.front_end().fault_log().size();
    const std::size_t resyncs_before = h.listener.resync_count();
    const FaultReport report = h.front_end().inject(fault);
    EXPECT_TRUE(report.done) << report.description;
    if (report.done) {
      ++result.injected;
      ++result.by_kind[kind];
    }
    if (kind == FaultKind::Throttle) {
      // Make the port resubscribe while throttled: its refused subscribes must not wedge it.
      const FaultReport storm = h.front_end().inject({FaultKind::Malformed, fault.symbol, 0});
      EXPECT_TRUE(storm.done) << storm.description;
      if (storm.done) {
        ++result.injected;
        ++result.by_kind[FaultKind::Malformed];
      }
    }
    h.step();
    if (!carried_out(kind).empty()) {
      EXPECT_TRUE(h.step_until_logged(log_from, carried_out(kind), 100));
    }
    if (fault.duration_ms > 0) h.step(static_cast<int>(fault.duration_ms * 1'000'000 / kStepNs));
    h.step(3);  // the next updates show what was lost
    if (kind == FaultKind::CorruptChecksum || kind == FaultKind::Malformed ||
        kind == FaultKind::Disconnect) {
      EXPECT_GT(h.listener.resync_count(), resyncs_before) << "the fault went unnoticed";
    }
    const int settled = h.settle(400);
    EXPECT_GE(settled, 0) << "the port did not get back in sync";
    result.max_settle_steps = std::max(result.max_settle_steps, settled);
    const auto equal = h.books_equal();
    EXPECT_TRUE(equal);
    if (!equal || settled < 0) break;  // one failure is enough to read
  }
  EXPECT_EQ(h.listener.crossed, 0u);
  EXPECT_EQ(h.listener.sequence_breaks, 0u);
  return result;
}

TEST(KrakenSimEndToEnd, PortBooksEqualTheVenueAfterEveryKindOfFaultAtDepthTen) {
  Harness h(10, 11);
  const std::vector<FaultKind> kinds = {
      FaultKind::Drop,      FaultKind::Duplicate, FaultKind::Reorder,    FaultKind::CorruptChecksum,
      FaultKind::Malformed, FaultKind::Stall,     FaultKind::Disconnect, FaultKind::Throttle};
  RunResult result = run_faults(h, kinds, 240);
  EXPECT_GE(result.injected, 200u);
  for (FaultKind kind : kinds) EXPECT_GE(result.by_kind[kind], 25u) << to_string(kind);
  const BookKeeper& l = h.listener;
  EXPECT_GT(l.resyncs.at(ResyncReason::Checksum), 60u);  // drop, reorder, corrupt, stall
  EXPECT_GT(l.resyncs.at(ResyncReason::MalformedFrame), 25u);
  EXPECT_GT(l.frame_errors, 0u);
  EXPECT_GT(l.trades, 0u);
  const KrakenCounters c = h.front_end().counters();
  std::cout << "[ faults ] " << result.injected << " injected; " << c.steps << " steps, "
            << l.snapshots << " snapshots, " << l.deltas << " deltas, " << l.resync_count()
            << " resyncs (" << l.resyncs.at(ResyncReason::Checksum) << " checksum), "
            << c.connections << " connections, " << c.stalled_frames
            << " stalled frames; longest resync " << result.max_settle_steps << " steps\n";
}

// Beyond depth 10 the checksum covers only the top 10 levels, so a lost or reordered update that
// touches only levels 11..N cannot be detected by any client (§4.2): this run uses the faults
// that a client notices or that do no harm.
TEST(KrakenSimEndToEnd, PortBooksEqualTheVenueAfterDetectableFaultsAtDepthTwentyFive) {
  Harness h(25, 12);
  const std::vector<FaultKind> kinds = {FaultKind::Duplicate, FaultKind::CorruptChecksum,
                                        FaultKind::Malformed, FaultKind::Disconnect,
                                        FaultKind::Throttle};
  const RunResult result = run_faults(h, kinds, 60);
  EXPECT_GE(result.injected, 60u);
}

}  // namespace
}  // namespace troupe::sim
