#pragma once
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace troupe {

/// Configuration of one account's portfolio.
struct PortfolioConfig {
  AccountId account{"paper"};
  std::uint8_t money_precision = 8;  ///< precision of P&L, fees and cash
  /// Starting cash per currency ("USDT" -> 100000).
  std::vector<std::pair<std::string, Money>> starting_cash;
};

}  // namespace troupe
