#pragma once
// Shared fixtures for the Coinbase tests: instruments, the reference's example frames (§3.2–
// §3.6) and a listener that records every call in order.

#include "actors/venue/venue_ports.hpp"
#include "messages/instrument.hpp"
#include "tests/unit/adapters/venues/common/recording_listener.hpp"

#include <string>
#include <variant>
#include <vector>

namespace troupe::coinbase::testing {

inline Instrument make_instrument(std::string product, std::uint8_t price_precision = 2,
                                  std::uint8_t size_precision = 8) {
  Instrument instrument;
  instrument.id = InstrumentId{VenueId{"coinbase"}, std::move(product)};
  instrument.price_precision = price_precision;
  instrument.size_precision = size_precision;
  instrument.tick_size = Price::from_raw(1, price_precision);
  instrument.lot_size = Quantity::from_raw(1, size_precision);
  return instrument;
}

inline Instrument btcusd() { return make_instrument("BTC-USD"); }
inline Instrument ethusd() { return make_instrument("ETH-USD", 2, 4); }

/// §3.4 snapshot example with `seq` and `product`.
inline std::string l2_snapshot(std::uint64_t seq, std::string product = "BTC-USD") {
  return R"({"channel":"l2_data","client_id":"","timestamp":"2024-06-03T14:30:00.500000000Z","sequence_num":)" +
         std::to_string(seq) + R"(,"events":[{"type":"snapshot","product_id":")" + product +
         R"(","updates":[)"
         R"({"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"60000.10","new_quantity":"0.5"},)"
         R"({"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"60000.00","new_quantity":"1.2"},)"
         R"({"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"60000.20","new_quantity":"0.3"}]}]})";
}

/// §3.4 update example with `seq` and `product`.
inline std::string l2_update(std::uint64_t seq, std::string product = "BTC-USD") {
  return R"({"channel":"l2_data","client_id":"","timestamp":"2024-06-03T14:30:00.612000000Z","sequence_num":)" +
         std::to_string(seq) + R"(,"events":[{"type":"update","product_id":")" + product +
         R"(","updates":[)"
         R"({"side":"bid","event_time":"2024-06-03T14:30:00.611000Z","price_level":"60000.10","new_quantity":"0"},)"
         R"({"side":"offer","event_time":"2024-06-03T14:30:00.611000Z","price_level":"60000.15","new_quantity":"0.05"}]}]})";
}

/// §3.3 heartbeat example with `seq`.
inline std::string heartbeat(std::uint64_t seq) {
  return R"({"channel":"heartbeats","client_id":"","timestamp":"2024-06-03T14:30:01.000123456Z","sequence_num":)" +
         std::to_string(seq) +
         R"(,"events":[{"current_time":"2024-06-03 14:30:01.000101 +0000 UTC m=+3600.000000001","heartbeat_counter":"3600"}]})";
}

/// §3.6 market_trades example with `seq`.
inline std::string trades(std::uint64_t seq, std::string type = "update") {
  return R"({"channel":"market_trades","client_id":"","timestamp":"2024-06-03T14:30:02.750000000Z","sequence_num":)" +
         std::to_string(seq) + R"(,"events":[{"type":")" + type + R"(","trades":[)"
         R"({"trade_id":"660012345","product_id":"BTC-USD","price":"60000.20","size":"0.004","side":"SELL","time":"2024-06-03T14:30:02.701Z"}]}]})";
}

using venues::testing::FrameError;
using venues::testing::RecordingMarketDataListener;
using venues::testing::StateChange;

}  // namespace troupe::coinbase::testing
