#pragma once
// Fixtures for the simulated Alpaca venue tests: a three-stock configuration, a raw WebSocket
// client that records frames, and a venue driven through the in-process transport on a
// simulated clock.

#include "adapters/net/in_process.hpp"
#include "adapters/sim/alpaca/alpaca_front_end.hpp"
#include "runtime/clock.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace troupe::sim::alpaca_test {

/// A US equity at Alpaca's precisions: cents, whole shares.
inline SimInstrumentConfig stock(const std::string& symbol, const char* start_price) {
  SimInstrumentConfig c;
  c.instrument.id = InstrumentId(VenueId("alpaca"), symbol);
  c.instrument.base = symbol;
  c.instrument.quote = "USD";
  c.instrument.price_precision = 2;
  c.instrument.size_precision = 0;
  c.instrument.tick_size = Price::from_raw(1, 2);
  c.instrument.lot_size = Quantity::from_raw(1, 0);
  c.instrument.min_quantity = Quantity::from_raw(1, 0);
  c.start_price = *Price::parse(start_price, 2);
  c.maker_size = Quantity::from_raw(200, 0);
  c.taker_size = Quantity::from_raw(100, 0);
  c.maker_levels = 5;
  return c;
}

/// AAPL, MSFT and SPY; key "sim-key" / "sim-secret".
inline SimConfig stocks_config(std::uint64_t seed = 7) {
  SimConfig config;
  config.seed = seed;
  config.api_key = "sim-key";
  config.api_secret = "sim-secret";
  config.instruments = {stock("AAPL", "187.00"), stock("MSFT", "412.00"), stock("SPY", "528.00")};
  return config;
}

/// 2024-06-03T14:29:30Z: half a minute before a minute boundary.
inline constexpr TimestampNs kStartNs = 1'717'424'970'000'000'000;
inline constexpr std::chrono::milliseconds kStep{50};

/// A client socket that records what the venue sends.
class RawClient final : public net::WebSocketHandler {
 public:
  void on_open() override { opened = true; }
  void on_message(std::string_view payload) override { frames.emplace_back(payload); }
  void on_close(std::string why) override {
    closed = true;
    reason = std::move(why);
  }
  /// Frames received so far; clears them.
  std::vector<std::string> take() {
    std::vector<std::string> out;
    out.swap(frames);
    return out;
  }

  std::shared_ptr<net::WebSocket> socket;
  std::vector<std::string> frames;
  bool opened = false;
  bool closed = false;
  std::string reason;
};

/// The front end on a simulated clock behind the in-process transport.
class Venue {
 public:
  explicit Venue(SimConfig config = stocks_config())
      : config_(std::move(config)),
        clock_(kStartNs),
        front_end_(config_, clock_),
        transport_(net::make_in_process_transport(front_end_, clock_)) {}

  AlpacaFrontEnd& front_end() { return front_end_; }
  SimulatedClock& clock() { return clock_; }
  net::InProcessTransport& transport() { return *transport_; }

  /// Advances the clock one step, steps the market and delivers everything, `n` times.
  void steps(int n) {
    for (int i = 0; i < n; ++i) {
      clock_.advance(kStep);
      front_end_.step(clock_.now_ns());
      transport_->run_pending();
    }
  }
  void drain() { transport_->run_pending(); }

  /// Opens a raw client at `target` and delivers the handshake.
  std::unique_ptr<RawClient> connect(const std::string& target = "/v2/iex") {
    auto client = std::make_unique<RawClient>();
    client->socket = transport_->websocket(target, *client);
    drain();
    return client;
  }
  /// Sends `text` from `client` and delivers the answer.
  void send(RawClient& client, const std::string& text) {
    client.socket->send(text);
    drain();
  }
  /// connected + auth + subscribe trades and quotes (and bars) of every symbol; frames cleared.
  std::unique_ptr<RawClient> subscribed(const std::string& target = "/v2/iex") {
    auto client = connect(target);
    send(*client, R"({"action":"auth","key":"sim-key","secret":"sim-secret"})");
    send(
        *client,
        R"({"action":"subscribe","trades":["AAPL","MSFT","SPY"],"quotes":["AAPL","MSFT","SPY"],"bars":["*"]})");
    client->take();
    return client;
  }

 private:
  SimConfig config_;
  SimulatedClock clock_;
  AlpacaFrontEnd front_end_;
  std::unique_ptr<net::InProcessTransport> transport_;
};

/// One item of a frame: its string fields and its number fields (as double: test use only).
struct Item {
  std::string type;                         ///< `T`
  std::string symbol;                       ///< `S`
  std::map<std::string, std::string> text;  ///< string fields
  std::map<std::string, double> number;     ///< number fields
};

/// Every item of every frame, in order; each frame must be a JSON array.
inline std::vector<Item> items_of(const std::vector<std::string>& frames) {
  std::vector<Item> out;
  simdjson::dom::parser parser;
  for (const std::string& frame : frames) {
    simdjson::dom::array array;
    EXPECT_EQ(parser.parse(frame).get_array().get(array), simdjson::SUCCESS) << frame;
    for (simdjson::dom::element element : array) {
      Item item;
      simdjson::dom::object object;
      if (element.get_object().get(object) != simdjson::SUCCESS) continue;
      for (auto [key, value] : object) {
        std::string_view text;
        double number = 0;
        if (value.get_string().get(text) == simdjson::SUCCESS) {
          item.text[std::string(key)] = std::string(text);
        } else if (value.get_double().get(number) == simdjson::SUCCESS) {
          item.number[std::string(key)] = number;
        }
      }
      item.type = item.text["T"];
      item.symbol = item.text["S"];
      out.push_back(std::move(item));
    }
  }
  return out;
}

/// Items of type `type` (and symbol `symbol` when given).
inline std::vector<Item> select(const std::vector<Item>& items, const std::string& type,
                                const std::string& symbol = "") {
  std::vector<Item> out;
  for (const Item& item : items) {
    if (item.type == type && (symbol.empty() || item.symbol == symbol)) out.push_back(item);
  }
  return out;
}

/// True when `text` parses as JSON.
inline bool parses(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  return parser.parse(text).get(element) == simdjson::SUCCESS;
}

}  // namespace troupe::sim::alpaca_test
