#pragma once
// Shared fixtures for the Binance tests: instruments, frame builders and listeners that record
// every call in order.

#include "actors/venue/venue_ports.hpp"
#include "messages/instrument.hpp"

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

/// A state change as reported to a listener.
struct StateChange {
  SessionState state;
  std::string detail;
};

/// A frame error as reported to a listener.
struct FrameError {
  std::string reason;
};

/// Records every MarketDataListener call in order.
class RecordingMarketDataListener final : public MarketDataListener {
 public:
  using Event =
      std::variant<BookSnapshot, BookDeltas, TradeTick, BookResyncStarted, StateChange, FrameError>;

  void on_snapshot(BookSnapshot s) override { events.emplace_back(std::move(s)); }
  void on_deltas(BookDeltas d) override { events.emplace_back(std::move(d)); }
  void on_trade(TradeTick t) override { events.emplace_back(std::move(t)); }
  void on_resync(BookResyncStarted r) override { events.emplace_back(std::move(r)); }
  void on_state(SessionState s, std::string d) override {
    events.emplace_back(StateChange{s, std::move(d)});
  }
  void on_frame_error(std::string r) override { events.emplace_back(FrameError{std::move(r)}); }

  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const Event& e : events) {
      if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
  }

  std::vector<SessionState> states() const {
    std::vector<SessionState> out;
    for (const StateChange& s : all<StateChange>()) out.push_back(s.state);
    return out;
  }

  std::vector<Event> events;
};

/// Records every OrderListener call in order.
class RecordingOrderListener final : public OrderListener {
 public:
  using Event = std::variant<OrderAccepted, OrderRejected, OrderFilled, OrderCanceled, StateChange,
                             FrameError>;

  void on_accepted(OrderAccepted e) override { events.emplace_back(std::move(e)); }
  void on_rejected(OrderRejected e) override { events.emplace_back(std::move(e)); }
  void on_filled(OrderFilled e) override { events.emplace_back(std::move(e)); }
  void on_canceled(OrderCanceled e) override { events.emplace_back(std::move(e)); }
  void on_state(SessionState s, std::string d) override {
    events.emplace_back(StateChange{s, std::move(d)});
  }
  void on_frame_error(std::string r) override { events.emplace_back(FrameError{std::move(r)}); }

  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const Event& e : events) {
      if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
  }

  std::vector<SessionState> states() const {
    std::vector<SessionState> out;
    for (const StateChange& s : all<StateChange>()) out.push_back(s.state);
    return out;
  }

  std::vector<Event> events;
};

}  // namespace troupe::binance::testing
