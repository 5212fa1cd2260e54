#include "adapters/sim/random.hpp"

#include <cmath>

namespace troupe::sim {

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

SimRandom::SimRandom(std::uint64_t seed) : engine_(seed) {}

std::uint64_t SimRandom::next_u64() { return engine_(); }

double SimRandom::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double SimRandom::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // 1 - uniform() lies in (0, 1], so the logarithm is finite.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * M_PI * u2;
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

bool SimRandom::bernoulli(double p) { return uniform() < p; }

std::uint32_t SimRandom::poisson(double lambda) {
  const double limit = std::exp(-lambda);
  double product = uniform();
  std::uint32_t count = 0;
  while (product > limit && count < 1000) {
    ++count;
    product *= uniform();
  }
  return count;
}

std::uint64_t SimRandom::below(std::uint64_t n) { return n == 0 ? 0 : next_u64() % n; }

}  // namespace troupe::sim
