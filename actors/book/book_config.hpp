#pragma once
#include "messages/instrument.hpp"

#include <cstddef>

namespace troupe {

/// Configuration of one symbol book actor.
struct BookConfig {
  Instrument instrument;
  /// Levels per side included in published top-of-book updates and API snapshots by default.
  std::size_t publish_depth = 10;
};

}  // namespace troupe
