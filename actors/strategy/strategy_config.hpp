#pragma once
#include "messages/ids.hpp"
#include "messages/instrument.hpp"

#include <cstdint>
#include <string>

namespace troupe {

/// Configuration of the sample order-book-imbalance strategy (config key `strategies[]`).
/// It reads the top `depth_levels` of the book; imbalance = (bid_vol - ask_vol) /
/// (bid_vol + ask_vol). Above +threshold it buys, below -threshold it sells, joining the best
/// price on its side (or crossing by `aggression_ticks` ticks), within +/- max_position.
struct StrategyConfig {
  StrategyId id{"obi"};
  AccountId account{"paper"};
  Instrument instrument;
  std::uint32_t depth_levels = 5;
  double imbalance_threshold = 0.3;
  Quantity order_quantity;            ///< size of each order
  Quantity max_position;              ///< |position| the strategy never exceeds
  std::int64_t cooldown_ms = 500;     ///< at least this long between new orders
  std::int64_t order_ttl_ms = 3000;   ///< cancel a resting order after this long
  std::int32_t aggression_ticks = 1;  ///< ticks through the touch (0 = join, 1 = cross by 1)
};

}  // namespace troupe
