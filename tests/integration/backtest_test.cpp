// Backtest mode: the node's actors on CAF's deterministic scheduler with the simulated venue
// in-process. Same seed, same fills, byte for byte.

#include "tools/node/backtest.hpp"

#include <gtest/gtest.h>

#include "adapters/sim/binance_front_end.hpp"
#include "tests/integration/integration_support.hpp"

namespace troupe {
namespace {

NodeConfig backtest_config(const std::string& dir, std::uint64_t seed) {
  auto config = testing::paper_config(
      dir, {"mode=backtest", "backtest.duration_s=120", "sim.seed=" + std::to_string(seed)});
  return config;
}

TEST(Backtest, TwoRunsWithTheSameSeedProduceIdenticalFills) {
  testing::TempDir dir;
  auto first = run_backtest(backtest_config(dir.path(), 7));
  auto second = run_backtest(backtest_config(dir.path(), 7));
  ASSERT_TRUE(first.has_value()) << first.error();
  ASSERT_TRUE(second.has_value()) << second.error();
  ASSERT_GT(first->fills.size(), 0u) << summarize(*first);
  EXPECT_EQ(first->fills, second->fills);
  EXPECT_EQ(first->portfolio.realized_pnl, second->portfolio.realized_pnl);
  EXPECT_EQ(first->portfolio.fill_count, first->fills.size());
}

TEST(Backtest, ADifferentSeedProducesDifferentFills) {
  testing::TempDir dir;
  auto a = run_backtest(backtest_config(dir.path(), 7));
  auto b = run_backtest(backtest_config(dir.path(), 8));
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_GT(a->fills.size(), 0u);
  EXPECT_NE(a->fills, b->fills);
}

// Every 5 simulated seconds: compare our book with the venue's own book (all actors idle, so
// they must be equal whenever ours is in sync), then inject the next fault.
TEST(Backtest, BookEqualsTheVenuesBookAfterEveryResyncUnderInjectedFaults) {
  testing::TempDir dir;
  auto config = testing::paper_config(
      dir.path(), {"mode=backtest", "backtest.duration_s=210", "sim.seed=11"});
  const InstrumentId btc(VenueId("binance"), "BTCUSDT");
  int faults = 0, compared = 0, mismatches = 0;
  auto hook = [&](BacktestControl& control) {
    if (control.step() == 0 || control.step() % 100 != 0) return;
    auto [in_sync, ours] = control.book(btc, 20);
    if (in_sync) {
      ++compared;
      auto venue = control.venue().book("BTCUSDT", 20);
      EXPECT_EQ(ours.bids.size(), 20u);  // a real comparison, not two empty books
      EXPECT_EQ(ours.asks.size(), 20u);
      if (ours.bids != venue.bids || ours.asks != venue.asks) ++mismatches;
    }
    if (faults == 40) return;  // the last 10 s stay quiet
    switch (faults++ % 4) {
      case 0: control.venue().inject_gap("BTCUSDT"); break;
      case 1: control.venue().inject_malformed_frame("BTCUSDT"); break;
      case 2: control.venue().inject_out_of_sequence("BTCUSDT"); break;
      case 3: control.venue().disconnect_streams(); break;
    }
  };
  auto result = run_backtest(config, hook);
  ASSERT_TRUE(result.has_value()) << result.error();
  EXPECT_EQ(faults, 40);
  EXPECT_EQ(mismatches, 0);
  EXPECT_GE(compared, 38);  // the book had resynced before (nearly) every check
  EXPECT_EQ(result->crossed_books, 0u);
  EXPECT_GE(testing::metric(result->metrics, "troupe_venue_resyncs_total"), 40);
  for (const char* reason : {"gap", "malformed_frame", "out_of_sequence", "disconnected"})
    EXPECT_GE(testing::metric(result->metrics, "troupe_venue_resyncs_total",
                              {std::string("reason=\"") + reason + "\""}),
              10)
        << reason << "\n"
        << result->metrics;
}

}  // namespace
}  // namespace troupe
