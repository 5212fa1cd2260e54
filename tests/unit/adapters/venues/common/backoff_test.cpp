#include "adapters/venues/common/backoff.hpp"

#include <gtest/gtest.h>

namespace troupe::venues {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, StaysWithinBoundsAndWidensWithEachAttempt) {
  Backoff backoff(milliseconds(100), milliseconds(5000), 7);
  std::int64_t upper = 200;
  for (int attempt = 0; attempt < 12; ++attempt) {
    const auto delay = backoff.next().count();
    EXPECT_GE(delay, 100);
    EXPECT_LE(delay, std::min<std::int64_t>(upper, 5000)) << "attempt " << attempt;
    upper *= 2;
  }
  EXPECT_EQ(backoff.attempts(), 12u);
}

TEST(Backoff, ReplaysTheSameDelaysForTheSameSeed) {
  Backoff a(milliseconds(100), milliseconds(5000), 42);
  Backoff b(milliseconds(100), milliseconds(5000), 42);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(Backoff, ResetMakesTheNextDelayShortAgain) {
  Backoff backoff(milliseconds(100), milliseconds(5000), 1);
  for (int i = 0; i < 10; ++i) backoff.next();
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 200);
}

}  // namespace
}  // namespace troupe::venues
