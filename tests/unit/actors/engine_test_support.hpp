#pragma once
// Small builders shared by the engine tests: a BTCUSDT instrument and exact decimal literals.

#include "messages/fixed_point.hpp"
#include "messages/instrument.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace troupe::test {

/// Price from decimal text at `precision` (aborts on a typo in the test itself).
inline Price px(std::string_view text, std::uint8_t precision = 2) {
  auto value = Price::parse(text, precision);
  if (!value) std::abort();
  return *value;
}

/// Quantity from decimal text at `precision`.
inline Quantity qty(std::string_view text, std::uint8_t precision = 8) {
  auto value = Quantity::parse(text, precision);
  if (!value) std::abort();
  return *value;
}

/// Money from decimal text at `precision`.
inline Money usd(std::string_view text, std::uint8_t precision = 8) {
  auto value = Money::parse(text, precision);
  if (!value) std::abort();
  return *value;
}

/// BTCUSDT at the simulated venue: prices 0.01, lots 0.0001, min notional 5 USDT.
inline Instrument btc_usdt() {
  Instrument in;
  in.id = InstrumentId{VenueId{"sim"}, "BTCUSDT"};
  in.base = "BTC";
  in.quote = "USDT";
  in.price_precision = 2;
  in.size_precision = 8;
  in.tick_size = px("0.01");
  in.lot_size = qty("0.0001");
  in.min_quantity = qty("0.0001");
  in.min_notional = usd("5", 2);
  return in;
}

/// ETHUSDT at the simulated venue: prices 0.01, lots 0.001.
inline Instrument eth_usdt() {
  Instrument in = btc_usdt();
  in.id = InstrumentId{VenueId{"sim"}, "ETHUSDT"};
  in.base = "ETH";
  in.lot_size = qty("0.001");
  in.min_quantity = qty("0.001");
  return in;
}

}  // namespace troupe::test
