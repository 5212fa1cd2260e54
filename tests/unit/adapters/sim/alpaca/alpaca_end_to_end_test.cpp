// The real Alpaca market-data port over the in-process transport against AlpacaFrontEnd: three
// stocks, thousands of market steps and more than 200 injected faults of every supported kind.
// After each fault the run steps until the fault's effect is over, drains the transport and
// checks that the port's latest L1 book of every symbol equals the venue's book(symbol, 1).
//
// Comparison point: Alpaca quotes carry no sequence number, so a withheld (Drop) or reordered
// quote cannot be detected; the L1 heals with the next quote of that symbol. The check waits for
// 1 quote of the symbol after a Drop or Duplicate, 3 after a Reorder (the swapped pair plus the
// one that heals), the end of a Stall, and a Live session with a quote for every symbol after a
// Disconnect, Throttle or a stale reconnect.

#include "adapters/venues/alpaca/market_data_port.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "tests/unit/adapters/sim/alpaca/alpaca_sim_support.hpp"

namespace troupe::sim {
namespace {

/// Keeps the latest L1 book per symbol as the port reported it, and counts what happened.
class L1Listener final : public MarketDataListener {
 public:
  void on_snapshot(BookSnapshot s) override {
    if (!s.bids.empty() && !s.asks.empty() && s.bids[0].price >= s.asks[0].price) ++crossed;
    ++snapshots[s.instrument.symbol];
    latest[s.instrument.symbol] = std::move(s);
  }
  void on_deltas(BookDeltas) override { ++deltas; }
  void on_trade(TradeTick) override { ++trades; }
  void on_bar(Bar) override { ++bars; }
  void on_resync(BookResyncStarted r) override {
    ++resyncs[r.reason];
    latest[r.instrument.symbol].reset();  // invalid until the next snapshot
  }
  void on_state(SessionState s, std::string detail) override {
    state = s;
    if (detail.find("error 406") != std::string::npos) ++connection_limit_states;
  }
  void on_frame_error(std::string) override { ++frame_errors; }

  std::map<std::string, std::optional<BookSnapshot>> latest;
  std::map<std::string, std::uint64_t> snapshots;
  std::map<ResyncReason, std::uint64_t> resyncs;
  SessionState state = SessionState::Disconnected;
  std::uint64_t crossed = 0, deltas = 0, trades = 0, bars = 0, frame_errors = 0;
  std::uint64_t connection_limit_states = 0;
};

class AlpacaEndToEnd : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  void SetUp() override {
    alpaca::MarketDataPortOptions options;
    for (const auto& c : config.instruments) options.instruments.push_back(c.instrument);
    options.transport = transport;
    options.clock = &clock;
    options.key_id = config.api_key;
    options.secret_key = config.api_secret;
    options.bars = true;
    options.stale_after_ms = 2000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 1000;
    options.connection_limit_retry_min_ms = 200;
    options.connection_limit_retry_max_ms = 2000;
    options.seed = 3;
    port = alpaca::make_market_data_port(std::move(options));
    port->start(listener);
  }
  void TearDown() override { port->stop(); }

  void step() {
    clock.advance(alpaca_test::kStep);
    front_end.step(clock.now_ns());
    transport->run_pending();
  }

  bool settled(TimestampNs not_before, const std::map<std::string, std::uint64_t>& need) {
    if (clock.now_ns() < not_before || listener.state != SessionState::Live) return false;
    for (const std::string& symbol : symbols) {
      if (!listener.latest[symbol]) return false;
      auto it = need.find(symbol);
      if (it != need.end() && listener.snapshots[symbol] < it->second) return false;
    }
    return true;
  }

  /// Steps until settled; false after 4000 steps (200 s of venue time).
  bool step_until_settled(TimestampNs not_before,
                          const std::map<std::string, std::uint64_t>& need) {
    for (int i = 0; i < 4000; ++i) {
      if (settled(not_before, need)) return true;
      step();
    }
    return settled(not_before, need);
  }

  /// Port L1 == venue L1 for every symbol; describes the first difference.
  ::testing::AssertionResult books_match() {
    for (const std::string& symbol : symbols) {
      const BookSnapshot venue_book = front_end.book(symbol, 1);
      const auto& ours = listener.latest[symbol];
      if (!ours) return ::testing::AssertionFailure() << symbol << ": port has no book";
      if (ours->bids != venue_book.bids || ours->asks != venue_book.asks) {
        auto level = [](const std::vector<BookLevel>& side) {
          return side.empty() ? std::string("-")
                              : side[0].size.to_string() + "@" + side[0].price.to_string();
        };
        return ::testing::AssertionFailure()
               << symbol << ": port " << level(ours->bids) << " / " << level(ours->asks)
               << ", venue " << level(venue_book.bids) << " / " << level(venue_book.asks);
      }
    }
    return ::testing::AssertionSuccess();
  }

  SimConfig config = alpaca_test::stocks_config(GetParam());
  SimulatedClock clock{alpaca_test::kStartNs};
  AlpacaFrontEnd front_end{config, clock};
  std::shared_ptr<net::InProcessTransport> transport =
      net::make_in_process_transport(front_end, clock);
  L1Listener listener;
  std::unique_ptr<MarketDataPort> port;
  std::vector<std::string> symbols{"AAPL", "MSFT", "SPY"};
};

TEST_P(AlpacaEndToEnd, PortL1EqualsVenueL1AfterEachOf200PlusFaults) {
  ASSERT_TRUE(step_until_settled(0, {}));
  ASSERT_TRUE(books_match());
  const std::vector<FaultKind> kinds = front_end.supported_faults();
  std::mt19937_64 rng(GetParam() * 7919);
  std::map<FaultKind, int> injected;
  int faults = 0;
  int long_stalls = 0;
  for (int round = 0; faults < 210 || injected.size() < kinds.size(); ++round) {
    ASSERT_LT(round, 1000);
    const FaultKind kind = kinds[rng() % kinds.size()];
    const std::string symbol = symbols[rng() % symbols.size()];
    FaultSpec spec{kind, symbol, 0};
    if (kind == FaultKind::Stall) spec.duration_ms = 100 + static_cast<std::int64_t>(rng() % 3400);
    if (kind == FaultKind::Throttle)
      spec.duration_ms = 200 + static_cast<std::int64_t>(rng() % 1800);
    std::map<std::string, std::uint64_t> need;
    const std::uint64_t extra = kind == FaultKind::Reorder                                ? 3
                                : kind == FaultKind::Drop || kind == FaultKind::Duplicate ? 1
                                                                                          : 0;
    if (extra > 0) need[symbol] = listener.snapshots[symbol] + extra;
    const FaultReport report = front_end.inject(spec);
    ASSERT_TRUE(report.done) << report.description;
    ++faults;
    ++injected[kind];
    TimestampNs not_before = 0;
    if (kind == FaultKind::Stall) {
      not_before = clock.now_ns() + spec.duration_ms * 1'000'000;
      if (spec.duration_ms > 2000) ++long_stalls;
    }
    if (kind == FaultKind::Throttle) {
      // Throttle only refuses new connections: force one so the port meets the 406.
      ASSERT_TRUE(front_end.inject({FaultKind::Disconnect, "", 0}).done);
      ++faults;
      ++injected[FaultKind::Disconnect];
    }
    for (int i = 0; i < 3; ++i) step();
    ASSERT_TRUE(step_until_settled(not_before, need))
        << "round " << round << " after " << to_string(kind) << " " << symbol << ": port state "
        << to_string(listener.state);
    transport->run_pending();
    ASSERT_TRUE(books_match()) << "round " << round << " after " << to_string(kind) << " "
                               << symbol;
  }
  for (FaultKind kind : kinds) EXPECT_GT(injected[kind], 0) << to_string(kind);
  EXPECT_GE(faults, 200);
  EXPECT_EQ(listener.crossed, 0u);
  EXPECT_EQ(listener.resyncs[ResyncReason::Crossed], 0u);
  EXPECT_EQ(listener.deltas, 0u);
  // The faults reached the port: malformed frames, disconnects, 406 refusals, stale streams.
  EXPECT_GE(listener.frame_errors, static_cast<std::uint64_t>(injected[FaultKind::Malformed]));
  EXPECT_GT(listener.resyncs[ResyncReason::Disconnected], 0u);
  EXPECT_GT(listener.connection_limit_states, 0u);
  if (long_stalls > 0) {
    EXPECT_GT(listener.resyncs[ResyncReason::Stale], 0u);
  }
  EXPECT_GT(listener.trades, 0u);
  // Bars of minutes that ended while the port was disconnected are lost (no replay, §1.12):
  // a quiet minute at the end must deliver at least one.
  const std::uint64_t bars_before = listener.bars;
  for (int i = 0; i < 1300; ++i) step();
  EXPECT_GT(listener.bars, bars_before);
  EXPECT_TRUE(books_match());
  const AlpacaCounters counters = front_end.counters();
  EXPECT_GT(counters.quotes_withheld, 0u);
  EXPECT_GT(counters.connections_refused, 0u);
  std::printf(
      "alpaca end-to-end: %d faults over %llu steps; %llu quotes, %llu trades, %llu bars, "
      "%llu connections (%llu refused), %llu frame errors, %llu stale reconnects\n",
      faults, static_cast<unsigned long long>(counters.steps),
      static_cast<unsigned long long>(counters.quotes_generated),
      static_cast<unsigned long long>(listener.trades),
      static_cast<unsigned long long>(listener.bars),
      static_cast<unsigned long long>(counters.connections),
      static_cast<unsigned long long>(counters.connections_refused),
      static_cast<unsigned long long>(listener.frame_errors),
      static_cast<unsigned long long>(listener.resyncs[ResyncReason::Stale]));
}

// Market seeds (the fault sequence is derived from the same seed).
INSTANTIATE_TEST_SUITE_P(Seeds, AlpacaEndToEnd, ::testing::Values(11u, 2024u, 77u));

}  // namespace
}  // namespace troupe::sim
