// BinanceCodec::decode_user on arbitrary WebSocket API frames: responses and user data events,
// wrapped or raw (§2.10). Oracle: no crash, leak or UB.

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
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode_user(frame);
  if (!decoded) fuzz::check(!decoded.error().what.empty(), "decode error without text");
  return 0;
}
