// BinanceCodec::decode_order_response and decode_api_error on the same arbitrary REST body
// (§2.3, §2.4): a connector tries both on an unexpected status. Oracle: no crash, leak or UB.

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
  auto order = codec.decode_order_response(body);
  if (!order) fuzz::check(!order.error().what.empty(), "decode error without text");
  auto error = codec.decode_api_error(body, "POST /api/v3/order");
  if (!error) fuzz::check(!error.error().what.empty(), "decode error without text");
  return 0;
}
