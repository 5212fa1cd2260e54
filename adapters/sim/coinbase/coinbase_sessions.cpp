// Market-data WebSocket sessions: accepting connections (throttle, connection rate limit),
// subscribe / unsubscribe requests (§3.2), subscriptions acknowledgements, error messages, and
// the delivery path every frame takes (Stall holds frames back).

#include "adapters/sim/coinbase/coinbase_json.hpp"
#include "adapters/sim/coinbase/coinbase_state.hpp"

#include <simdjson.h>

#include <optional>

namespace troupe::sim::coinbase_detail {
namespace {

constexpr TimestampNs kWindowNs = 1'000'000'000;

/// A subscribe / unsubscribe request, validated.
struct Request {
  bool subscribe = true;
  std::string channel;                ///< level2, market_trades or heartbeats
  std::vector<std::string> products;  ///< known product ids (none for heartbeats)
};

// Counts one event in a 1 s window that starts at its first event; false when over `limit`.
bool within_rate(TimestampNs now, TimestampNs& window, std::int64_t& count, std::int64_t limit) {
  if (limit <= 0) return true;
  if (now - window >= kWindowNs || now < window) {
    window = now;
    count = 0;
  }
  return ++count <= limit;
}

std::optional<std::string> read_products(const CoinbaseState& state, simdjson::dom::object& request,
                                         std::vector<std::string>& out) {
  simdjson::dom::array ids;
  if (request["product_ids"].get_array().get(ids) != simdjson::SUCCESS)
    return std::string("field product_ids: missing or not an array");
  for (simdjson::dom::element id : ids) {
    std::string_view text;
    if (id.get_string().get(text) != simdjson::SUCCESS)
      return std::string("field product_ids: every item must be a string");
    if (state.products.count(text) == 0)
      return "unknown product id \"" + std::string(text.substr(0, 64)) + "\"";
    out.emplace_back(text);
  }
  if (out.empty()) return std::string("field product_ids: must not be empty");
  return std::nullopt;
}

// Parses and checks one client message; the error is the text of the error message to send.
tl::expected<Request, std::string> parse_request(const CoinbaseState& state,
                                                 std::string_view payload) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (auto error = parser.parse(payload.data(), payload.size()).get(document))
    return tl::make_unexpected(std::string("malformed JSON: ") + simdjson::error_message(error));
  simdjson::dom::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS)
    return tl::make_unexpected(std::string("message must be a JSON object"));
  std::string_view type;
  if (object["type"].get_string().get(type) != simdjson::SUCCESS)
    return tl::make_unexpected(std::string("field type: missing or not a string"));
  if (type != "subscribe" && type != "unsubscribe")
    return tl::make_unexpected("field type: \"" + std::string(type.substr(0, 64)) +
                               "\" is not subscribe or unsubscribe");
  std::string_view channel;
  if (object["channel"].get_string().get(channel) != simdjson::SUCCESS)
    return tl::make_unexpected(std::string("field channel: missing or not a string"));
  Request request{type == "subscribe", std::string(channel), {}};
  if (channel == "heartbeats") return request;
  if (channel != "level2" && channel != "market_trades")
    return tl::make_unexpected("channel \"" + std::string(channel.substr(0, 64)) +
                               "\" is not simulated (level2, market_trades, heartbeats)");
  if (auto error = read_products(state, object, request.products))
    return tl::make_unexpected(*error);
  return request;
}

void send_error(CoinbaseState& state, Connection& connection, std::string_view message) {
  ++state.counters.errors;
  deliver(state, connection, error_message(message));
}

void send_ack(CoinbaseState& state, Connection& connection) {
  std::vector<std::pair<std::string, std::vector<std::string>>> channels;
  if (!connection.level2.empty())
    channels.emplace_back(
        "level2", std::vector<std::string>(connection.level2.begin(), connection.level2.end()));
  if (!connection.market_trades.empty())
    channels.emplace_back(
        "market_trades",
        std::vector<std::string>(connection.market_trades.begin(), connection.market_trades.end()));
  if (connection.heartbeats)
    channels.emplace_back("heartbeats", std::vector<std::string>{"heartbeats"});
  deliver(state, connection,
          envelope("subscriptions", state.now(), connection.next_sequence++,
                   subscription_events(channels)));
}

void apply(CoinbaseState& state, Connection& connection, const Request& request) {
  std::set<std::string>* set = request.channel == "level2"          ? &connection.level2
                               : request.channel == "market_trades" ? &connection.market_trades
                                                                    : nullptr;
  if (request.subscribe) connection.subscribed_once = true;
  if (set == nullptr) {
    connection.heartbeats = request.subscribe;
  } else {
    for (const std::string& product : request.products) {
      if (request.subscribe) {
        set->insert(product);
      } else {
        set->erase(product);
      }
    }
  }
  send_ack(state, connection);
  if (!request.subscribe) return;
  // The first message after subscribing is a snapshot (§3.4, §3.6); every subscribe, repeated
  // or not, yields a fresh one, which is how clients resync a book (§3.5).
  if (request.channel == "level2") {
    for (const std::string& product : request.products) send_snapshot(state, connection, product);
  } else if (request.channel == "market_trades") {
    send_trade_snapshot(state, connection,
                        std::set<std::string>(request.products.begin(), request.products.end()));
  }
}

void on_request(CoinbaseState& state, Connection& connection, std::string_view payload) {
  const TimestampNs now = state.now();
  // §3.8 counts every message; a Throttle fault answers them all with the rate-limit error.
  const bool within = within_rate(now, state.message_window_ns, state.messages_in_window,
                                  state.limits.messages_per_second);
  if (now < state.throttle_until_ns || !within) {
    send_error(state, connection, CoinbaseFrontEnd::kRateLimitMessage);
    return;
  }
  auto request = parse_request(state, payload);
  if (!request) {
    send_error(state, connection, request.error());
    return;
  }
  apply(state, connection, *request);
}

class ConnectionHandler final : public net::ServerWebSocketHandler {
 public:
  ConnectionHandler(CoinbaseState& state, std::uint64_t id) : state_(&state), id_(id) {}

  void on_message(std::string_view payload) override {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      auto found = state_->connections.find(id_);
      if (found == state_->connections.end()) return;
      on_request(*state_, found->second, payload);
    }
    state_->flush();
  }

  // Runs when the client is gone; must not flush (it may be called from inside a send).
  void on_close() override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->connections.erase(id_);
  }

 private:
  CoinbaseState* state_;
  std::uint64_t id_;
};

}  // namespace

std::shared_ptr<net::ServerWebSocketHandler> accept_connection(
    CoinbaseState& state, std::shared_ptr<net::ServerWebSocket> socket) {
  const TimestampNs now = state.now();
  if (now < state.throttle_until_ns ||
      !within_rate(now, state.connection_window_ns, state.connections_in_window,
                   state.limits.connections_per_second)) {
    ++state.counters.refused_connections;
    return nullptr;
  }
  const std::uint64_t id = state.next_connection_id++;
  Connection connection;
  connection.socket = std::move(socket);
  connection.connected_ns = now;
  state.connections.emplace(id, std::move(connection));
  ++state.counters.connections;
  return std::make_shared<ConnectionHandler>(state, id);
}

void deliver(CoinbaseState& state, Connection& connection, std::string frame) {
  if (state.now() < state.stall_until_ns) {
    connection.stalled.push_back(std::move(frame));
    if (connection.stalled.size() > kMaxStalledFrames) {
      // A real venue drops a consumer this far behind; keep memory bounded the same way.
      connection.stalled.clear();
      state.close(connection.socket);
    }
    return;
  }
  for (std::string& held : connection.stalled) state.send(connection.socket, std::move(held));
  connection.stalled.clear();
  state.send(connection.socket, std::move(frame));
}

void release_stalls(CoinbaseState& state) {
  if (state.now() < state.stall_until_ns) return;
  for (auto& [id, connection] : state.connections) {
    for (std::string& held : connection.stalled) state.send(connection.socket, std::move(held));
    connection.stalled.clear();
  }
}

void enforce_subscribe_deadline(CoinbaseState& state) {
  if (state.limits.subscribe_deadline_ms <= 0) return;
  const TimestampNs deadline_ns = state.limits.subscribe_deadline_ms * 1'000'000;
  const TimestampNs now = state.now();
  for (auto it = state.connections.begin(); it != state.connections.end();) {
    if (!it->second.subscribed_once && now - it->second.connected_ns >= deadline_ns) {
      state.close(it->second.socket);
      it = state.connections.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace troupe::sim::coinbase_detail
