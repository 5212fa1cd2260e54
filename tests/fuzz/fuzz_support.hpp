#pragma once
// Shared pieces of the fuzz targets (docs/fuzzing.md): the one instrument every target knows and
// the invariant check that turns a broken oracle into a crash libFuzzer records.

#include "messages/instrument.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace troupe::fuzz {

/// BTCUSDT on Binance: prices at 2 decimals (tick 0.01), sizes at 8 (lot 0.00000001), as in the
/// unit tests and the §2 reference frames.
inline Instrument btcusdt() {
  Instrument instrument;
  instrument.id = InstrumentId{VenueId{"binance"}, "BTCUSDT"};
  instrument.base = "BTC";
  instrument.quote = "USDT";
  instrument.price_precision = 2;
  instrument.size_precision = 8;
  instrument.tick_size = Price::from_raw(1, 2);
  instrument.lot_size = Quantity::from_raw(1, 8);
  return instrument;
}

/// Aborts with `what` when `condition` is false: libFuzzer keeps the input as a crash.
inline void check(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace troupe::fuzz
