#pragma once
// Seeded randomness for the market simulation. Only std::mt19937_64 is used from the standard
// library (its output sequence is fixed by the standard); uniform and normal variates are built
// here from raw 64-bit draws, so a seed yields the same market on every standard library.

#include <cstdint>
#include <random>

namespace troupe::sim {

/// Derives an independent seed for sub-stream `stream` of `seed` (SplitMix64 finaliser).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

/// A deterministic random source.
class SimRandom {
 public:
  explicit SimRandom(std::uint64_t seed);

  /// Next raw 64-bit draw.
  std::uint64_t next_u64();
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();
  /// Standard normal (Box–Muller; the second variate of each pair is kept for the next call).
  double normal();
  /// True with probability `p`.
  bool bernoulli(double p);
  /// Poisson-distributed count with mean `lambda` (Knuth's product method; lambda < ~30).
  std::uint32_t poisson(double lambda);
  /// Uniform integer in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n);

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace troupe::sim
