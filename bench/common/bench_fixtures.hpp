#pragma once
// Market fixtures shared by the benchmark programs: one BTCUSDT instrument, a deep book around
// 60000.00 / 60000.01 and reproducible level changes near the touch (bench_core applies them
// as BookDeltas, bench_binance_decode renders them as depthUpdate frames).

#include "messages/data.hpp"
#include "messages/instrument.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace troupe::bench {

/// Best bid of the fixture book in price ticks (60000.00 at price precision 2).
inline constexpr std::int64_t kBestBidTicks = 6'000'000;
/// Best ask of the fixture book in price ticks (60000.01).
inline constexpr std::int64_t kBestAskTicks = 6'000'001;

/// BTCUSDT at "binance": price precision 2 (tick 0.01), size precision 8 (lot 0.00001),
/// min quantity 0.00001, min notional 5.00 USDT.
Instrument btcusdt();

/// A valid book of `levels_per_side` levels on each side, one tick apart, outward from
/// kBestBidTicks / kBestAskTicks, at venue sequence `sequence`.
BookSnapshot deep_book(const Instrument& instrument, std::size_t levels_per_side,
                       std::uint64_t sequence);

/// How the level changes of one batch are spread over the sides.
enum class SideOrder : std::uint8_t {
  Random,        ///< each change on a random side
  BidsThenAsks,  ///< first half bids, second half asks (Binance's wire order)
};

/// `batches` BookDeltas of `changes` level changes each, all within `window` ticks of the
/// fixture book's touch and never crossing it: a quarter remove a level (size 0), the rest set
/// a size (inserting the level when absent). Prices are unique per side within a batch, so
/// the changes on one side must not exceed `window`.
/// Deterministic for a given `seed`. Sequences are left 0: the caller numbers them.
std::vector<BookDeltas> near_touch_deltas(const Instrument& instrument, std::size_t batches,
                                          std::size_t changes, SideOrder order, std::size_t window,
                                          std::uint64_t seed);

}  // namespace troupe::bench
