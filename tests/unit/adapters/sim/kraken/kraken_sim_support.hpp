#pragma once
// Helpers for the simulated Kraken front end tests: a two-pair venue config (plus an idle pair
// with no agents), a recording client WebSocket over the in-process transport, a venue fixture
// that steps market and clock together, and a client-side book model that follows §4.2.

#include "adapters/net/in_process.hpp"
#include "adapters/sim/kraken/kraken_front_end.hpp"
#include "adapters/venues/kraken/checksum.hpp"
#include "runtime/clock.hpp"

#include <simdjson.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace troupe::sim::kraken_test {

/// 2024-06-10T06:13:20Z.
inline constexpr TimestampNs kStartNs = 1'718'000'000'000'000'000;
inline constexpr TimestampNs kStepNs = 50'000'000;

inline Instrument pair(const std::string& symbol, std::uint8_t price_precision,
                       std::uint8_t size_precision) {
  Instrument i;
  i.id = InstrumentId(VenueId("kraken"), symbol);
  i.base = symbol.substr(0, symbol.find('/'));
  i.quote = symbol.substr(symbol.find('/') + 1);
  i.price_precision = price_precision;
  i.size_precision = size_precision;
  i.tick_size = Price::from_raw(1, price_precision);
  i.lot_size = Quantity::from_raw(1, size_precision);
  return i;
}

inline SimInstrumentConfig market(Instrument instrument, const char* start, const char* maker,
                                  const char* taker) {
  SimInstrumentConfig c;
  c.start_price = *Price::parse(start, instrument.price_precision);
  c.maker_size = *Quantity::parse(maker, instrument.size_precision);
  c.taker_size = *Quantity::parse(taker, instrument.size_precision);
  c.instrument = std::move(instrument);
  return c;
}

/// BTC/USD (price precision 1, qty 8, as §4.2's example) around 60000 and ETH/USD (2, 8)
/// around 3000; with `idle`, also IDLE/USD whose book never changes (no agents).
inline SimConfig kraken_config(std::uint64_t seed = 7, bool idle = false) {
  SimConfig config;
  config.seed = seed;
  config.instruments.push_back(market(pair("BTC/USD", 1, 8), "60000.0", "0.05", "0.02"));
  config.instruments.push_back(market(pair("ETH/USD", 2, 8), "3000.00", "1.5", "0.4"));
  if (idle) config.instruments.push_back(market(pair("IDLE/USD", 2, 8), "0", "1", "1"));
  return config;
}

/// A client WebSocket that records what it receives.
class Client final : public net::WebSocketHandler {
 public:
  void on_open() override { opened = true; }
  void on_message(std::string_view payload) override { frames.emplace_back(payload); }
  void on_close(std::string why) override {
    closed = true;
    reason = std::move(why);
  }
  /// Frames so far; clears them.
  std::vector<std::string> take() {
    std::vector<std::string> out;
    out.swap(frames);
    return out;
  }

  bool opened = false;
  bool closed = false;
  std::string reason;
  std::vector<std::string> frames;
  std::shared_ptr<net::WebSocket> socket;
};

/// A Kraken front end on a simulated clock, reached through the in-process transport.
class Venue {
 public:
  explicit Venue(SimConfig config = kraken_config())
      : config_(std::move(config)),
        clock_(kStartNs),
        front_end_(config_, clock_),
        transport_(net::make_in_process_transport(front_end_, clock_)) {}

  KrakenFrontEnd& front_end() { return front_end_; }
  SimulatedClock& clock() { return clock_; }
  net::InProcessTransport& transport() { return *transport_; }
  const SimConfig& config() const { return config_; }
  const Instrument& instrument(std::size_t n) const { return config_.instruments[n].instrument; }

  /// Advances the clock one step, steps the market and delivers everything, `n` times.
  void steps(int n = 1) {
    for (int i = 0; i < n; ++i) {
      clock_.advance(std::chrono::nanoseconds(kStepNs));
      front_end_.step(clock_.now_ns());
      transport_->run_pending();
    }
  }
  /// Opens a client WebSocket at `target` and delivers the handshake.
  std::unique_ptr<Client> connect(const std::string& target = "/v2") {
    auto client = std::make_unique<Client>();
    client->socket = transport_->websocket(target, *client);
    transport_->run_pending();
    return client;
  }
  /// Sends `text` from `client` and delivers the answers.
  void send(Client& client, const std::string& text) {
    client.socket->send(text);
    transport_->run_pending();
  }

 private:
  SimConfig config_;
  SimulatedClock clock_;
  KrakenFrontEnd front_end_;
  std::unique_ptr<net::InProcessTransport> transport_;
};

/// Parses JSON text; each Json owns its parser so several can live at once.
class Json {
 public:
  explicit Json(const std::string& text) : text_(text) {
    ok_ = parser_.parse(text_).get(root_) == simdjson::SUCCESS;
  }
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;
  bool ok() const { return ok_; }
  simdjson::dom::element root() const { return root_; }
  simdjson::dom::element operator[](const char* key) const { return root_[key]; }
  /// The string field `key`, "" when absent or not a string.
  std::string str(const char* key) const {
    std::string_view out;
    return root_[key].get_string().get(out) == simdjson::SUCCESS ? std::string(out) : "";
  }
  /// True when the frame is `{"channel": channel, ...}`.
  bool is_channel(const char* channel) const { return ok_ && str("channel") == channel; }

 private:
  std::string text_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  bool ok_ = false;
};

/// One book item of a book frame, levels parsed exactly from the raw number tokens.
struct BookItem {
  std::string symbol;
  bool snapshot = false;
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
  std::uint32_t checksum = 0;
};

/// Parses a §4.2 book frame (one item) at the instrument's precisions.
BookItem parse_book(const std::string& frame, const Instrument& instrument);

/// A client book kept exactly as §4.2 tells clients to: apply every level of a message, qty 0
/// removes, then truncate each side to the subscribed depth, then compare the checksum.
class ClientBook {
 public:
  ClientBook(const Instrument& instrument, std::size_t depth)
      : instrument_(instrument), depth_(depth) {}

  /// Applies one message; returns true when its checksum matches the book afterwards.
  /// `truncated` counts levels removed by truncation (levels Kraken sent no delete for).
  bool apply(const BookItem& item);
  std::vector<BookLevel> bids() const;
  std::vector<BookLevel> asks() const;
  std::size_t truncated = 0;

 private:
  const Instrument& instrument_;
  std::size_t depth_;
  std::map<std::int64_t, Quantity, std::greater<>> bids_;
  std::map<std::int64_t, Quantity> asks_;
};

}  // namespace troupe::sim::kraken_test
