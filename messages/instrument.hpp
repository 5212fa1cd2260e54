#pragma once
// Instrument metadata: the trading rules of one symbol at one venue (see
// shared/reference/exchange-protocols.md §5.1 for how each venue's fields map here).

#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>
#include <string>

namespace troupe {

/// Trading rules of one instrument. Prices are at `price_precision`, sizes at `size_precision`;
/// a zero bound means "no limit".
struct Instrument {
  InstrumentId id;
  std::string base;                  ///< base asset, "BTC"
  std::string quote;                 ///< quote asset, "USDT"
  std::uint8_t price_precision = 2;  ///< digits after the point in prices
  std::uint8_t size_precision = 8;   ///< digits after the point in quantities
  Price tick_size;                   ///< prices must be multiples of this
  Quantity lot_size;                 ///< quantities must be multiples of this
  Quantity min_quantity;             ///< smallest order quantity (0 = none)
  Money min_notional;                ///< smallest price × quantity (0 = none)
  bool tradable = true;              ///< false while the venue halts the symbol

  /// Parses a price at this instrument's precision.
  tl::expected<Price, FixedPointError> price(std::string_view text) const {
    return Price::parse(text, price_precision);
  }
  /// Parses a quantity at this instrument's precision.
  tl::expected<Quantity, FixedPointError> quantity(std::string_view text) const {
    return Quantity::parse(text, size_precision);
  }
  /// True when `p` is a positive multiple of the tick size.
  bool on_tick(Price p) const {
    auto r = p.rescaled(price_precision);
    return r && (tick_size.raw() == 0 || r->raw() % tick_size.raw() == 0);
  }
  /// True when `q` is a multiple of the lot size.
  bool on_lot(Quantity q) const {
    auto r = q.rescaled(size_precision);
    return r && (lot_size.raw() == 0 || r->raw() % lot_size.raw() == 0);
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, Instrument& x) {
    return f(x.id, x.base, x.quote, x.price_precision, x.size_precision, x.tick_size, x.lot_size,
             x.min_quantity, x.min_notional, x.tradable);
  }
};

}  // namespace troupe
