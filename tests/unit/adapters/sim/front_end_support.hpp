#pragma once
// Test helpers for the Binance front end: a hand-written fake ServerWebSocket, signed request
// builders and a driver that steps market and clock together.

#include "adapters/net/transport.hpp"
#include "adapters/sim/binance_front_end.hpp"
#include "adapters/sim/signing.hpp"
#include "runtime/clock.hpp"

#include <simdjson.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/unit/adapters/sim/sim_test_support.hpp"

namespace troupe::sim::test {

/// Records what the venue sends; close() only marks it closed.
class FakeSocket final : public net::ServerWebSocket {
 public:
  void send(std::string text) override {
    std::lock_guard<std::mutex> lock(mutex_);
    frames_.push_back(std::move(text));
  }
  void close() override {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  /// Frames received so far; clears them.
  std::vector<std::string> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    out.swap(frames_);
    return out;
  }
  bool closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> frames_;
  bool closed_ = false;
};

/// A client connection: the fake socket and the venue's handler for it.
struct Connection {
  std::shared_ptr<FakeSocket> socket;
  std::shared_ptr<net::ServerWebSocketHandler> handler;
};

/// 2024-06-10T06:13:20Z, the instant of the composed signing vector.
inline constexpr TimestampNs kStartNs = 1'718'000'000'000'000'000;
inline constexpr TimestampNs kStepNs = 50'000'000;

/// A front end on a simulated clock, with helpers.
class Venue {
 public:
  explicit Venue(SimConfig config = btc_config())
      : config_(std::move(config)), clock_(kStartNs), front_end_(config_, clock_) {}

  BinanceFrontEnd& front_end() { return front_end_; }
  SimulatedClock& clock() { return clock_; }
  const SimConfig& config() const { return config_; }

  /// Advances the clock one step and steps the market, `n` times.
  void steps(int n) {
    for (int i = 0; i < n; ++i) {
      clock_.advance(std::chrono::nanoseconds(kStepNs));
      front_end_.step(clock_.now_ns());
    }
  }
  /// Venue time in ms.
  std::int64_t now_ms() const { return clock_.now_ns() / 1'000'000; }

  /// An unsigned request.
  net::HttpResponse get(const std::string& target) {
    net::HttpRequest request;
    request.method = "GET";
    request.target = target;
    return front_end_.handle(request);
  }

  /// A signed request with all parameters in the query (as the Python connector sends them);
  /// `params` must not contain timestamp, which is added at the current venue time.
  net::HttpResponse signed_request(const std::string& method, const std::string& path,
                                   const std::string& params) {
    const std::string query =
        (params.empty() ? "" : params + "&") + "timestamp=" + std::to_string(now_ms());
    return raw_signed(
        method, path + "?" + query + "&signature=" + hmac_sha256_hex(config_.api_secret, query));
  }

  /// Sends `target` as is with the API key header.
  net::HttpResponse raw_signed(const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::string& api_key = "sim-key") {
    net::HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!api_key.empty()) request.headers.emplace_back("X-MBX-APIKEY", api_key);
    return front_end_.handle(request);
  }

  /// Opens a WebSocket at `target`; handler is null when refused.
  Connection connect(const std::string& target) {
    net::HttpRequest request;
    request.target = target;
    auto socket = std::make_shared<FakeSocket>();
    auto handler = front_end_.accept_websocket(request, socket);
    return Connection{socket, handler};
  }

  /// A WebSocket-API connection subscribed to the user's data stream; its frames are cleared.
  Connection user_stream() {
    Connection c = connect("/ws-api/v3");
    const std::string ts = std::to_string(now_ms());
    const std::string sig =
        hmac_sha256_hex(config_.api_secret, "apiKey=" + config_.api_key + "&timestamp=" + ts);
    c.handler->on_message(
        R"({"id":"u1","method":"userDataStream.subscribe.signature","params":{"apiKey":")" +
        config_.api_key + R"(","timestamp":)" + ts + R"(,"signature":")" + sig + R"("}})");
    c.socket->take();
    return c;
  }

 private:
  SimConfig config_;
  SimulatedClock clock_;
  BinanceFrontEnd front_end_;
};

/// Parses JSON text; each Json owns its parser so several can live at once.
class Json {
 public:
  explicit Json(const std::string& text) : root_(parser_.parse(text)) {}
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;
  simdjson::dom::element root() const { return root_; }
  simdjson::dom::element operator[](const char* key) const { return root_[key]; }

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

/// True when `text` is valid JSON.
inline bool parses(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  return parser.parse(text).get(e) == simdjson::SUCCESS;
}

}  // namespace troupe::sim::test
