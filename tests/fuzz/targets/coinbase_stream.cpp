// CoinbaseCodec::decode on arbitrary Advanced Trade WebSocket messages (§3). Oracle: no crash,
// leak or UB, and every error names what was wrong.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "adapters/venues/coinbase/coinbase_codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  static const std::vector<Instrument> instruments = [] {
    auto btc = fuzz::btcusdt();
    btc.id = InstrumentId(VenueId("coinbase"), "BTC-USD");
    btc.size_precision = 8;
    btc.lot_size = Quantity::from_raw(1, 8);
    return std::vector<Instrument>{btc};
  }();
  static coinbase::CoinbaseCodec codec{coinbase::make_instrument_lookup(instruments)};
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode(frame, 1'718'000'000'500'000'000);
  if (!decoded) fuzz::check(!decoded.error().what.empty(), "decode error without text");
  return 0;
}
