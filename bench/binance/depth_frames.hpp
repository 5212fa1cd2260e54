#pragma once
// Binance diff-depth frames for the decode benchmarks: the fixture book's near-touch changes
// (bench_fixtures.hpp) rendered as combined-stream depthUpdate frames, exactly as
// `<symbol>@depth@100ms` sends them (exchange-protocols.md §2.6): prices and sizes as strings
// with 8 decimals, bids then asks.

#include "messages/instrument.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace troupe::bench {

/// One frame's text, with capacity for simdjson's padding so a reference parser can read it
/// in place.
struct DepthFrame {
  std::string text;
  /// The frame as simdjson wants it: the padding bytes lie inside the string's capacity.
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(text.data(), text.size(), text.capacity());
  }
};

/// `count` frames of `levels_per_side` bid and ask changes each. Frame i covers update ids
/// first_update_id + 3i .. first_update_id + 3i + 2, so the frames chain without gaps.
std::vector<DepthFrame> depth_frames(const Instrument& instrument, std::size_t count,
                                     std::size_t levels_per_side, std::uint64_t first_update_id);

}  // namespace troupe::bench
