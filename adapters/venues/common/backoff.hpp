#pragma once
// Jittered exponential backoff for reconnects and retries. Deterministic: jitter comes from a
// seeded generator, never from std::random_device or the wall clock, so backtests replay
// exactly.

#include <chrono>
#include <cstdint>
#include <random>

namespace troupe::venues {

/// Delays for successive attempts: attempt n waits a uniformly drawn time in
/// [min, min(max, min * 2^(n+1))], so delays stay within [min, max] and grow until a success
/// calls reset().
class Backoff {
 public:
  /// `min` and `max` in ms (max below min is raised to min); `seed` fixes the jitter sequence.
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed);

  /// The delay before the next attempt; counts the attempt.
  std::chrono::milliseconds next();
  /// Forgets earlier failures: the next delay is short again.
  void reset() { attempts_ = 0; }
  /// Failed attempts since the last reset().
  std::uint32_t attempts() const { return attempts_; }

 private:
  std::int64_t min_ms_;
  std::int64_t max_ms_;
  std::uint32_t attempts_ = 0;
  std::mt19937_64 rng_;  // output sequence fixed by the standard for a given seed
};

}  // namespace troupe::venues
