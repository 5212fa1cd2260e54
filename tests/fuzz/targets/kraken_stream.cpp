// KrakenCodec::decode on arbitrary WebSocket v2 frames (§4). Oracle: no crash, leak or UB, and
// every error names what was wrong.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "adapters/venues/kraken/kraken_codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  static const std::vector<Instrument> instruments = [] {
    auto eth = fuzz::btcusdt();
    eth.id = InstrumentId(VenueId("kraken"), "ETH/USD");
    eth.size_precision = 8;
    eth.lot_size = Quantity::from_raw(1, 8);
    return std::vector<Instrument>{eth};
  }();
  static kraken::KrakenCodec codec{kraken::make_instrument_lookup(instruments)};
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  auto decoded = codec.decode(frame, 1'718'000'000'500'000'000);
  if (!decoded) fuzz::check(!decoded.error().what.empty(), "decode error without text");
  return 0;
}
