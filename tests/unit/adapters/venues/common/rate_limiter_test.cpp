// RateLimiter and Pacer on a manual clock: bucket arithmetic, holds, the "at most N in any
// window" guarantee of a RateBudget, FIFO pacing through timers and dropping on clear().

#include "adapters/venues/common/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/adapters/venues/common/fake_transport.hpp"

namespace troupe::venues {
namespace {

using std::chrono::milliseconds;

constexpr TimestampNs kStart = 1'700'000'000'000'000'000;
constexpr std::int64_t kMs = 1'000'000;

/// Most tokens spent within any closed window of `window_ms`, given the time
/// and cost of every grant.
std::int64_t busiest_window(const std::vector<std::pair<TimestampNs, std::int64_t>>& grants,
                            std::int64_t window_ms) {
  std::int64_t most = 0;
  for (const auto& [start, cost] : grants) {
    std::int64_t sum = 0;
    for (const auto& [at, c] : grants) {
      if (at >= start && at - start <= window_ms * kMs) sum += c;
    }
    most = std::max(most, sum);
  }
  return most;
}

TEST(RateLimiter, DefaultIsUnlimited) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.unlimited());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.try_acquire(100));
  EXPECT_EQ(limiter.wait_for(1'000'000), milliseconds(0));
}

TEST(RateLimiter, StartsFullAndRefillsContinuouslyFromTheClock) {
  SimulatedClock clock(kStart);
  RateLimiter limiter(3, 2, milliseconds(1000), clock);  // 3 at once, then 2 per second
  EXPECT_TRUE(limiter.try_acquire());
  EXPECT_TRUE(limiter.try_acquire(2));
  EXPECT_FALSE(limiter.try_acquire());
  EXPECT_EQ(limiter.wait_for(), milliseconds(500));
  EXPECT_EQ(limiter.wait_for(3), milliseconds(1500));
  clock.advance(milliseconds(499));
  EXPECT_FALSE(limiter.try_acquire());
  clock.advance(milliseconds(1));
  EXPECT_TRUE(limiter.try_acquire());
  EXPECT_FALSE(limiter.try_acquire());
  clock.advance(milliseconds(60'000));  // long quiet spell: capped at the capacity
  EXPECT_EQ(limiter.available(), 3);
}

TEST(RateLimiter, HoldBlocksUntilItsEndEvenWithTokens) {
  SimulatedClock clock(kStart);
  RateLimiter limiter(10, 10, milliseconds(1000), clock);
  limiter.hold_until(kStart + 2500 * kMs);
  limiter.hold_until(kStart + 1000 * kMs);  // earlier: ignored
  EXPECT_EQ(limiter.held_until(), kStart + 2500 * kMs);
  EXPECT_FALSE(limiter.try_acquire());
  EXPECT_EQ(limiter.wait_for(), milliseconds(2500));
  clock.advance(milliseconds(2499));
  EXPECT_FALSE(limiter.try_acquire());
  clock.advance(milliseconds(1));
  EXPECT_TRUE(limiter.try_acquire());
}

TEST(RateLimiter, OversizedCostWaitsForAFullBucketAndLeavesDebt) {
  SimulatedClock clock(kStart);
  RateLimiter limiter(4, 4, milliseconds(1000), clock);
  ASSERT_TRUE(limiter.try_acquire(1));
  EXPECT_FALSE(limiter.try_acquire(10));
  EXPECT_EQ(limiter.wait_for(10), milliseconds(250));  // back to full: 4 tokens
  clock.advance(milliseconds(250));
  EXPECT_TRUE(limiter.try_acquire(10));
  EXPECT_EQ(limiter.available(), -6);
  EXPECT_EQ(limiter.wait_for(1), milliseconds(1750));
}

TEST(RateLimiter, BudgetNeverLetsMoreThanCountThroughInAnyWindow) {
  // A naive bucket (capacity 8, 8 per second) would let 15 through in the first second.
  SimulatedClock clock(kStart);
  RateLimiter limiter = RateLimiter::for_budget({.count = 8, .window_ms = 1000, .burst = 4}, clock);
  std::vector<std::pair<TimestampNs, std::int64_t>> grants;
  for (int step = 0; step < 10'000; ++step) {  // 10 s in 1 ms steps, asking greedily
    while (limiter.try_acquire()) grants.emplace_back(clock.now_ns(), 1);
    clock.advance(milliseconds(1));
  }
  EXPECT_EQ(busiest_window(grants, 1000), 8);
  // Sustained rate: count - burst per window, after the first burst.
  EXPECT_GE(grants.size(), 4u + 4u * 9u);
}

TEST(RateLimiter, WeightBudgetHoldsPerMinuteWithMixedCosts) {
  SimulatedClock clock(kStart);
  RateLimiter limiter =
      RateLimiter::for_budget({.count = 6000, .window_ms = 60'000, .burst = 1000}, clock);
  std::vector<std::pair<TimestampNs, std::int64_t>> grants;
  const std::int64_t costs[] = {250, 50, 5, 25};
  for (int step = 0; step < 3000; ++step) {  // 5 min in 100 ms steps
    const std::int64_t cost = costs[step % 4];
    if (limiter.try_acquire(cost)) grants.emplace_back(clock.now_ns(), cost);
    clock.advance(milliseconds(100));
  }
  EXPECT_LE(busiest_window(grants, 60'000), 6000);
  EXPECT_GT(busiest_window(grants, 60'000), 5000);  // and the budget is actually used
}

TEST(RateBudget, CheckNamesTheOption) {
  EXPECT_TRUE(check_budget({}, "x"));
  EXPECT_TRUE(check_budget({.count = 8, .window_ms = 1000, .burst = 5}, "x"));
  auto bad = check_budget({.count = 8, .window_ms = 1000, .burst = 8}, "coinbase subscribe_budget");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(),
            "coinbase subscribe_budget.burst must be within 1..7 and count at least 2 (got count "
            "8, burst 8)");
  EXPECT_FALSE(check_budget({.count = 8, .window_ms = 0, .burst = 1}, "x"));
}

class PacerTest : public ::testing::Test {
 protected:
  SimulatedClock clock{kStart};
  testing::FakeTransport transport{clock};
  Pacer pacer{RateLimiter(2, 2, milliseconds(1000), clock),
              [this](milliseconds delay, std::function<void()> fn) {
                transport.post_after(delay, std::move(fn));
              }};
  std::vector<std::pair<int, TimestampNs>> ran;

  void submit(int id, std::int64_t cost = 1) {
    pacer.submit([this, id] { ran.emplace_back(id, clock.now_ns()); }, cost);
  }
};

TEST_F(PacerTest, RunsWithinBudgetAtOnceAndTheRestInOrderAsTokensReturn) {
  for (int id = 0; id < 5; ++id) submit(id);
  ASSERT_EQ(ran.size(), 2u);  // the burst
  EXPECT_EQ(pacer.queued(), 3u);
  transport.advance(milliseconds(499));
  EXPECT_EQ(ran.size(), 2u);
  transport.advance(milliseconds(1));
  ASSERT_EQ(ran.size(), 3u);
  transport.advance(milliseconds(1000));
  ASSERT_EQ(ran.size(), 5u);
  for (int id = 0; id < 5; ++id) EXPECT_EQ(ran[static_cast<std::size_t>(id)].first, id);
  EXPECT_EQ(ran[2].second, kStart + 500 * kMs);
  EXPECT_EQ(ran[3].second, kStart + 1000 * kMs);
  EXPECT_EQ(ran[4].second, kStart + 1500 * kMs);
}

TEST_F(PacerTest, ALaterCheapActionDoesNotOvertakeAWaitingOne) {
  submit(0);
  submit(1, 2);  // needs 2, only 1 left: waits
  submit(2);     // 1 would fit, but FIFO keeps it behind
  EXPECT_EQ(ran.size(), 1u);
  transport.advance(milliseconds(500));
  ASSERT_EQ(ran.size(), 2u);
  EXPECT_EQ(ran[1].first, 1);
  transport.advance(milliseconds(500));
  ASSERT_EQ(ran.size(), 3u);
  EXPECT_EQ(ran[2].first, 2);
}

TEST_F(PacerTest, ClearDropsTheQueueAndItsTimer) {
  for (int id = 0; id < 4; ++id) submit(id);
  pacer.clear();
  EXPECT_EQ(pacer.queued(), 0u);
  transport.advance(milliseconds(5000));
  EXPECT_EQ(ran.size(), 2u);
  submit(9);  // tokens came back meanwhile
  ASSERT_EQ(ran.size(), 3u);
  EXPECT_EQ(ran.back().first, 9);
}

TEST_F(PacerTest, HoldDelaysQueuedActionsUntilItEnds) {
  pacer.limiter().hold_until(kStart + 3000 * kMs);
  submit(0);
  submit(1);
  transport.advance(milliseconds(2999));
  EXPECT_TRUE(ran.empty());
  transport.advance(milliseconds(1));
  ASSERT_EQ(ran.size(), 2u);
  EXPECT_EQ(ran[0].second, kStart + 3000 * kMs);
}

TEST_F(PacerTest, AnActionMaySubmitMoreWhichQueueBehind) {
  submit(0);
  submit(1);
  pacer.submit([this] {
    ran.emplace_back(2, clock.now_ns());
    submit(3);
  });
  submit(4);
  transport.advance(milliseconds(5000));
  ASSERT_EQ(ran.size(), 5u);
  EXPECT_EQ(ran[2].first, 2);
  EXPECT_EQ(ran[3].first, 4);
  EXPECT_EQ(ran[4].first, 3);
}

}  // namespace
}  // namespace troupe::venues
