#pragma once
// Test helpers for the simulated Coinbase front end: products, a venue on a simulated clock
// reached through the in-process transport, and a raw WebSocket client that records frames.

#include "adapters/net/in_process.hpp"
#include "adapters/sim/coinbase/coinbase_front_end.hpp"
#include "runtime/clock.hpp"

#include <simdjson.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace troupe::sim::coinbase_test {

/// 2024-06-10T06:13:20Z.
inline constexpr TimestampNs kStartNs = 1'718'000'000'000'000'000;

inline Instrument product(const std::string& id, std::uint8_t price_precision,
                          std::int64_t tick_raw, std::uint8_t size_precision,
                          std::int64_t lot_raw) {
  Instrument i;
  i.id = InstrumentId(VenueId("coinbase"), id);
  i.base = id.substr(0, id.find('-'));
  i.quote = id.substr(id.find('-') + 1);
  i.price_precision = price_precision;
  i.size_precision = size_precision;
  i.tick_size = Price::from_raw(tick_raw, price_precision);
  i.lot_size = Quantity::from_raw(lot_raw, size_precision);
  return i;
}

inline SimInstrumentConfig market(Instrument instrument, const char* start, const char* maker,
                                  const char* taker) {
  SimInstrumentConfig c;
  c.start_price = *Price::parse(start, instrument.price_precision);
  c.maker_size = *Quantity::parse(maker, instrument.size_precision);
  c.taker_size = *Quantity::parse(taker, instrument.size_precision);
  c.maker_levels = 8;
  c.instrument = std::move(instrument);
  return c;
}

/// BTC-USD (0.01 / 0.00000001), ETH-USD (0.01 / 0.0001), SOL-USD (0.001 / 0.001); the first
/// `count` of them.
inline SimConfig config(std::size_t count = 3, std::int64_t step_ms = 100, std::uint64_t seed = 7) {
  SimConfig c;
  c.seed = seed;
  c.step_ms = step_ms;
  c.instruments.push_back(market(product("BTC-USD", 2, 1, 8, 1000), "60000.00", "0.05", "0.02"));
  c.instruments.push_back(market(product("ETH-USD", 2, 1, 4, 1), "3000.00", "0.8", "0.3"));
  c.instruments.push_back(market(product("SOL-USD", 3, 1, 3, 1), "150.000", "20", "8"));
  c.instruments.resize(count);
  return c;
}

/// Records what one client WebSocket receives.
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

/// A front end on a simulated clock with an in-process transport.
class Venue {
 public:
  explicit Venue(SimConfig cfg = config(), CoinbaseLimits limits = {})
      : config_(std::move(cfg)),
        clock_(kStartNs),
        front_end_(config_, clock_, limits),
        transport_(net::make_in_process_transport(front_end_, clock_)) {}

  CoinbaseFrontEnd& front_end() { return front_end_; }
  SimulatedClock& clock() { return clock_; }
  net::InProcessTransport& transport() { return *transport_; }

  /// Opens a raw client at `target` and delivers the handshake.
  std::unique_ptr<RawClient> connect(const std::string& target = "/") {
    auto client = std::make_unique<RawClient>();
    client->socket = transport_->websocket(target, *client);
    drain();
    return client;
  }
  /// Sends `text` from `client` and delivers everything that follows.
  void send(RawClient& client, const std::string& text) {
    client.socket->send(text);
    drain();
  }
  /// Advances the clock one step, steps the market and delivers, `n` times.
  void steps(int n) {
    for (int i = 0; i < n; ++i) {
      clock_.advance(std::chrono::milliseconds(config_.step_ms));
      front_end_.step(clock_.now_ns());
      drain();
    }
  }
  void drain() { transport_->run_pending(); }

 private:
  SimConfig config_;
  SimulatedClock clock_;
  CoinbaseFrontEnd front_end_;
  std::unique_ptr<net::InProcessTransport> transport_;
};

/// Parses JSON text; each Json owns its parser so several can live at once.
class Json {
 public:
  explicit Json(const std::string& text) {
    ok_ = parser_.parse(text).get(root_) == simdjson::SUCCESS;
  }
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;
  bool ok() const { return ok_; }
  simdjson::dom::element root() const { return root_; }
  simdjson::dom::element operator[](const char* key) const { return root_[key]; }
  /// A string field ("" when absent).
  std::string text(const char* key) const {
    std::string_view out;
    if (root_[key].get_string().get(out) != simdjson::SUCCESS) return {};
    return std::string(out);
  }
  /// sequence_num, or -1 when absent.
  std::int64_t sequence() const {
    std::int64_t out = -1;
    if (root_["sequence_num"].get_int64().get(out) != simdjson::SUCCESS) return -1;
    return out;
  }

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  bool ok_ = false;
};

inline std::string subscribe(const std::string& channel, const std::string& products,
                             const std::string& type = "subscribe") {
  std::string out = R"({"type":")" + type + "\"";
  if (!products.empty()) out += R"(,"product_ids":[)" + products + "]";
  return out + R"(,"channel":")" + channel + "\"}";
}

}  // namespace troupe::sim::coinbase_test
