// BinanceCodec::decode_depth_snapshot on arbitrary GET /api/v3/depth bodies (§2.2). Oracle: no
// crash, leak or UB; a decoded snapshot carries the instrument and its precisions.

#include "adapters/venues/binance/binance_codec.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  static const std::vector<Instrument> instruments{fuzz::btcusdt()};
  static binance::BinanceCodec codec{binance::make_instrument_lookup(instruments)};
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto snapshot = codec.decode_depth_snapshot(body, instruments.front(), 1'718'000'000'500'000'000);
  if (!snapshot) {
    fuzz::check(!snapshot.error().what.empty(), "decode error without text");
    return 0;
  }
  fuzz::check(snapshot->instrument == instruments.front().id, "snapshot for another instrument");
  for (const auto* side : {&snapshot->bids, &snapshot->asks}) {
    for (const BookLevel& level : *side) {
      fuzz::check(level.price.precision() == 2 && level.size.precision() == 8,
                  "snapshot level not at the instrument's precision");
    }
  }
  return 0;
}
