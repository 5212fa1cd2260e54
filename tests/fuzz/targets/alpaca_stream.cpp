// AlpacaCodec::decode on arbitrary stocks data v2 frames (§1.11). Oracle: no crash, leak or UB;
// every error, of the frame or of one item in it, names what was wrong.

#include "adapters/venues/alpaca/alpaca_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  static const std::vector<Instrument> instruments = [] {
    auto aapl = fuzz::btcusdt();
    aapl.id = InstrumentId(VenueId("alpaca"), "AAPL");
    aapl.base = "AAPL";
    aapl.quote = "USD";
    aapl.size_precision = 0;
    aapl.lot_size = Quantity::from_raw(1, 0);
    return std::vector<Instrument>{aapl};
  }();
  static alpaca::AlpacaCodec codec{alpaca::make_instrument_lookup(instruments)};
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode(frame, 1'718'000'000'500'000'000);
  if (!decoded) {
    fuzz::check(!decoded.error().what.empty(), "decode error without text");
    return 0;
  }
  for (const auto& error : decoded->item_errors)
    fuzz::check(!error.empty(), "item error without text");
  return 0;
}
