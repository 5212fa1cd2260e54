// BinanceCodec::decode_stream on arbitrary market-data frames, raw and combined (§2.6). Oracle:
// no crash, leak or UB, and a decoded depth update keeps U <= u.

#include "adapters/venues/binance/binance_codec.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  static const std::vector<Instrument> instruments{fuzz::btcusdt()};
  static binance::BinanceCodec codec{binance::make_instrument_lookup(instruments)};
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode_stream(frame, 1'718'000'000'500'000'000);
  if (decoded) {
    if (const auto* update = std::get_if<binance::DepthUpdate>(&*decoded)) {
      fuzz::check(update->first_update_id <= update->final_update_id, "depth update with U > u");
    }
  } else {
    fuzz::check(!decoded.error().what.empty(), "decode error without text");
  }
  return 0;
}
