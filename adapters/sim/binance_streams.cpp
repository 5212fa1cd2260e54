// Market-data WebSocket sessions (exchange-protocols.md §2.6): raw /ws/<stream> and /ws,
// combined /stream?streams=a/b, and the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS /
// SET_PROPERTY / GET_PROPERTY control messages.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/binance_state.hpp"

#include <simdjson.h>

#include <cctype>

namespace troupe::sim::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True for "<symbol>@depth@100ms", "<symbol>@depth" and "<symbol>@trade" of a known symbol.
bool valid_stream(const VenueState& state, const std::string& name) {
  const std::size_t at = name.find('@');
  if (at == std::string::npos) return false;
  const std::string kind = name.substr(at);
  if (kind != "@depth@100ms" && kind != "@depth" && kind != "@trade") return false;
  const std::string symbol = name.substr(0, at);
  for (const std::string& known : state.engine.symbols())
    if (lower(known) == symbol) return true;
  return false;
}

std::string error_reply(int code, const std::string& message, const std::string& id_json) {
  json::JsonWriter w;
  w.begin_object().field("code", code).field("msg", message);
  if (!id_json.empty()) w.key("id").raw(id_json);
  return w.end_object().take();
}

std::string result_reply(const std::string& result_json, const std::string& id_json) {
  json::JsonWriter w;
  return w.begin_object().key("result").raw(result_json).key("id").raw(id_json).end_object().take();
}

// Reads params as an array of strings; false when it is not one.
bool string_params(simdjson::dom::object& request, std::vector<std::string>& out) {
  simdjson::dom::array params;
  if (request["params"].get_array().get(params) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element item : params) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) return false;
    out.emplace_back(text);
  }
  return true;
}

std::string subscription_change(VenueState& state, MarketSession& session, std::string_view method,
                                simdjson::dom::object& request, const std::string& id) {
  std::vector<std::string> names;
  if (!string_params(request, names))
    return error_reply(2, "Invalid request: 'params' must be an array of stream names", id);
  for (const std::string& name : names) {
    if (method == "SUBSCRIBE" && !valid_stream(state, name))
      return error_reply(2, "Invalid request: unknown stream '" + name + "'", id);
  }
  for (const std::string& name : names) {
    if (method == "SUBSCRIBE") {
      session.streams.insert(name);
    } else {
      session.streams.erase(name);
    }
  }
  return result_reply("null", id);
}

std::string property(MarketSession& session, std::string_view method,
                     simdjson::dom::object& request, const std::string& id) {
  simdjson::dom::array params;
  std::string_view name;
  if (request["params"].get_array().get(params) != simdjson::SUCCESS ||
      params.at(0).get_string().get(name) != simdjson::SUCCESS || name != "combined")
    return error_reply(2, "Invalid request: the only property is 'combined'", id);
  if (method == "GET_PROPERTY") return result_reply(session.combined ? "true" : "false", id);
  bool value = false;
  if (params.at(1).get_bool().get(value) != simdjson::SUCCESS)
    return error_reply(2, "Invalid request: 'combined' takes a boolean", id);
  session.combined = value;
  return result_reply("null", id);
}

std::string control_reply(VenueState& state, MarketSession& session, std::string_view payload) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (auto error = parser.parse(payload.data(), payload.size()).get(document))
    return error_reply(3, std::string("Invalid JSON: ") + simdjson::error_message(error), "");
  simdjson::dom::object request;
  if (document.get_object().get(request) != simdjson::SUCCESS)
    return error_reply(2, "Invalid request: expected a JSON object", "null");
  std::string id = "null";
  simdjson::dom::element id_element;
  if (request["id"].get(id_element) == simdjson::SUCCESS) id = simdjson::minify(id_element);
  std::string_view method;
  if (request["method"].get_string().get(method) != simdjson::SUCCESS)
    return error_reply(2, "Invalid request: 'method' is missing or not a string", id);
  if (method == "SUBSCRIBE" || method == "UNSUBSCRIBE")
    return subscription_change(state, session, method, request, id);
  if (method == "LIST_SUBSCRIPTIONS") {
    json::JsonWriter list;
    list.begin_array();
    for (const std::string& name : session.streams) list.value(name);
    return result_reply(list.end_array().take(), id);
  }
  if (method == "SET_PROPERTY" || method == "GET_PROPERTY")
    return property(session, method, request, id);
  return error_reply(2, "Invalid request: unknown method '" + std::string(method) + "'", id);
}

class MarketStreamHandler final : public net::ServerWebSocketHandler {
 public:
  MarketStreamHandler(VenueState& state, std::uint64_t id) : state_(&state), id_(id) {}

  void on_message(std::string_view payload) override {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      auto session = state_->market_sessions.find(id_);
      if (session == state_->market_sessions.end()) return;
      state_->send(session->second.socket, control_reply(*state_, session->second, payload));
    }
    state_->flush();
  }

  // Runs when the client is gone; must not flush (it may be called from inside a send).
  void on_close() override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->market_sessions.erase(id_);
  }

 private:
  VenueState* state_;
  std::uint64_t id_;
};

}  // namespace

std::shared_ptr<net::ServerWebSocketHandler> accept_market_stream(
    VenueState& state, std::string_view path, std::string_view query,
    std::shared_ptr<net::ServerWebSocket> socket) {
  if (throttled(state)) return nullptr;  // a Throttle fault refuses new market-data sockets
  MarketSession session;
  session.socket = std::move(socket);
  if (path.substr(0, 4) == "/ws/") {
    const std::string name(path.substr(4));
    if (!valid_stream(state, name)) return nullptr;
    session.streams.insert(name);
  } else if (path == "/stream") {
    auto params = Params::parse(query, {});
    if (!params) return nullptr;
    const std::string list = params->get("streams").value_or("");
    std::size_t start = 0;
    while (start < list.size()) {
      std::size_t end = list.find('/', start);
      if (end == std::string::npos) end = list.size();
      const std::string name = list.substr(start, end - start);
      if (!valid_stream(state, name)) return nullptr;
      session.streams.insert(name);
      start = end + 1;
    }
    session.combined = true;
  } else if (path != "/ws") {
    return nullptr;
  }
  const std::uint64_t id = state.next_session_id++;
  state.market_sessions.emplace(id, std::move(session));
  ++state.counters.stream_connections;
  return std::make_shared<MarketStreamHandler>(state, id);
}

}  // namespace troupe::sim::detail
