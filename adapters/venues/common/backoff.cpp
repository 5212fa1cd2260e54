#include "adapters/venues/common/backoff.hpp"

#include <algorithm>

namespace troupe::venues {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed)
    : min_ms_(std::max<std::int64_t>(0, min.count())),
      max_ms_(std::max<std::int64_t>(min_ms_, max.count())),
      rng_(seed) {}

std::chrono::milliseconds Backoff::next() {
  std::int64_t upper = std::max<std::int64_t>(1, min_ms_);
  for (std::uint32_t i = 0; i <= attempts_ && upper < max_ms_; ++i) upper *= 2;
  upper = std::clamp(upper, min_ms_, max_ms_);
  if (attempts_ < 64) ++attempts_;
  const auto span = static_cast<std::uint64_t>(upper - min_ms_) + 1;
  // Modulo rather than std::uniform_int_distribution: its algorithm is implementation-defined,
  // and the jitter must replay identically everywhere.
  return std::chrono::milliseconds(min_ms_ + static_cast<std::int64_t>(rng_() % span));
}

}  // namespace troupe::venues
