// Backtest mode: the node's actors on CAF's deterministic scheduler with the simulated venue
// in-process. Same seed, same fills, byte for byte.

#include "tools/node/backtest.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace troupe
