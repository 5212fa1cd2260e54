#pragma once
// Shared fixtures for the Kraken tests: instruments, the reference's example frames
// (exchange-protocols.md §4.2, §4.3) and a listener that records every call in order.

#include "actors/venue/venue_ports.hpp"
#include "messages/instrument.hpp"
#include "tests/unit/adapters/venues/common/recording_listener.hpp"

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace troupe::kraken::testing {

inline Instrument make_instrument(std::string symbol, std::uint8_t price_precision,
                                  std::uint8_t size_precision) {
  Instrument instrument;
  instrument.id = InstrumentId{VenueId{"kraken"}, std::move(symbol)};
  instrument.price_precision = price_precision;
  instrument.size_precision = size_precision;
  instrument.tick_size = Price::from_raw(1, price_precision);
  instrument.lot_size = Quantity::from_raw(1, size_precision);
  return instrument;
}

/// ETH/USD as §4.6 publishes it: price precision 2, qty precision 8.
inline Instrument ethusd() { return make_instrument("ETH/USD", 2, 8); }
/// BTC/USD as the checksum guide uses it: price precision 1, qty precision 8.
inline Instrument btcusd() { return make_instrument("BTC/USD", 1, 8); }

/// The §4.2 ETH/USD snapshot (checksum 2927590739).
inline const std::string kEthSnapshot =
    R"({"channel":"book","type":"snapshot","data":[{"symbol":"ETH/USD",)"
    R"("bids":[{"price":3000.25,"qty":0.75000000},{"price":3000.00,"qty":3.10000000},)"
    R"({"price":2999.50,"qty":0.00012000}],)"
    R"("asks":[{"price":3000.50,"qty":1.25000000},{"price":3000.75,"qty":0.50000000},)"
    R"({"price":3001.00,"qty":2.00000000}],)"
    R"("checksum":2927590739,"timestamp":"2024-06-03T14:30:00.100000Z"}]})";

/// The §4.2 ETH/USD update that follows kEthSnapshot (checksum 2170461505).
inline const std::string kEthUpdate =
    R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD",)"
    R"("bids":[{"price":3000.30,"qty":0.20000000}],)"
    R"("asks":[{"price":3000.75,"qty":0}],)"
    R"("checksum":2170461505,"timestamp":"2024-06-03T14:30:00.200000Z"}]})";

/// The §4.3 trade example.
inline const std::string kEthTrade =
    R"({"channel":"trade","type":"update","data":[)"
    R"({"symbol":"ETH/USD","side":"buy","price":3000.50,"qty":0.25000000,"ord_type":"market",)"
    R"("trade_id":4665846,"timestamp":"2024-06-03T14:30:00.300123Z"}]})";

using venues::testing::FrameError;
using venues::testing::RecordingMarketDataListener;
using venues::testing::StateChange;

}  // namespace troupe::kraken::testing
