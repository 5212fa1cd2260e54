#pragma once
// Shared fixtures for the Binance tests: instruments, frame builders and listeners that record
// every call in order.

#include "actors/venue/venue_ports.hpp"
#include "messages/instrument.hpp"
#include "tests/unit/adapters/venues/common/recording_listener.hpp"

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace troupe::binance::testing {

inline Instrument make_instrument(std::string symbol, std::uint8_t price_precision = 2,
                                  std::uint8_t size_precision = 8) {
  Instrument instrument;
  instrument.id = InstrumentId{VenueId{"binance"}, std::move(symbol)};
  instrument.price_precision = price_precision;
  instrument.size_precision = size_precision;
  instrument.tick_size = Price::from_raw(1, price_precision);
  instrument.lot_size = Quantity::from_raw(1, size_precision);
  return instrument;
}

inline Instrument btcusdt() {
  Instrument i = make_instrument("BTCUSDT");
  i.base = "BTC";
  i.quote = "USDT";
  return i;
}

inline Instrument ethusdt() { return make_instrument("ETHUSDT", 2, 4); }

/// A combined-stream depth frame for BTCUSDT with one bid level.
inline std::string depth_frame(std::uint64_t first, std::uint64_t last,
                               std::string bid_price = "60000.00",
                               std::string bid_size = "1.00000000",
                               std::string symbol = "BTCUSDT") {
  std::string lower = symbol;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "{\"stream\":\"" + lower + "@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":" +
         std::to_string(1718000000000 + last) + ",\"s\":\"" + symbol +
         "\",\"U\":" + std::to_string(first) + ",\"u\":" + std::to_string(last) + ",\"b\":[[\"" +
         bid_price + "\",\"" + bid_size + "\"]],\"a\":[]}}";
}

/// The §2.2 snapshot body with `last_update_id`.
inline std::string snapshot_body(std::uint64_t last_update_id) {
  return "{\"lastUpdateId\":" + std::to_string(last_update_id) +
         ",\"bids\":[[\"60000.10\",\"0.50000000\"],[\"60000.00\",\"1.20000000\"]],"
         "\"asks\":[[\"60000.20\",\"0.30000000\"],[\"60000.50\",\"2.00000000\"]]}";
}

using venues::testing::FrameError;
using venues::testing::RecordingMarketDataListener;
using venues::testing::StateChange;

/// Records every OrderListener call in order.
class RecordingOrderListener final
    : public OrderListener,
      public venues::testing::RecordedEvents<OrderAccepted, OrderRejected, OrderFilled,
                                             OrderCanceled, StateChange, FrameError> {
 public:
  void on_accepted(OrderAccepted e) override { events.emplace_back(std::move(e)); }
  void on_rejected(OrderRejected e) override { events.emplace_back(std::move(e)); }
  void on_filled(OrderFilled e) override { events.emplace_back(std::move(e)); }
  void on_canceled(OrderCanceled e) override { events.emplace_back(std::move(e)); }
  void on_state(SessionState s, std::string d) override {
    events.emplace_back(StateChange{s, std::move(d)});
  }
  void on_frame_error(std::string r) override { events.emplace_back(FrameError{std::move(r)}); }
};

}  // namespace troupe::binance::testing
