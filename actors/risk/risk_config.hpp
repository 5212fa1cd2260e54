#pragma once
#include "messages/enums.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>

namespace troupe {

/// Pre-trade limits of one account's risk guard (config key `risk`). Zero disables a limit.
struct RiskConfig {
  AccountId account{"paper"};
  Money max_order_notional;     ///< price × quantity per order, quote currency
  Quantity max_order_quantity;  ///< per order
  Quantity max_position;        ///< |position| per instrument after the order fills
  std::uint32_t max_orders_per_second = 0;
  TradingState initial_state = TradingState::Active;
};

}  // namespace troupe
