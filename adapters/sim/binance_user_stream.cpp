// The WebSocket API at /ws-api/v3 (exchange-protocols.md §2.10, §2.12): ping, time, and the
// user data stream (userDataStream.subscribe.signature / unsubscribe, session.subscriptions).

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/binance_state.hpp"
#include "adapters/sim/signing.hpp"

#include <simdjson.h>

namespace troupe::sim::detail {
namespace {

std::string ok_reply(const std::string& id, const std::string& result_json) {
  json::JsonWriter w;
  return w.begin_object()
      .key("id")
      .raw(id)
      .field("status", 200)
      .key("result")
      .raw(result_json)
      .end_object()
      .take();
}

std::string error_reply(const std::string& id, const ApiError& error) {
  json::JsonWriter w;
  return w.begin_object()
      .key("id")
      .raw(id)
      .field("status", error.http_status)
      .key("error")
      .begin_object()
      .field("code", error.code)
      .field("msg", error.message)
      .end_object()
      .end_object()
      .take();
}

// Signed params as name → text: strings as they are, other JSON values in minified form.
std::vector<std::pair<std::string, std::string>> param_texts(simdjson::dom::object params) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto field : params) {
    std::string_view text;
    if (field.value.get_string().get(text) == simdjson::SUCCESS) {
      out.emplace_back(std::string(field.key), std::string(text));
    } else {
      out.emplace_back(std::string(field.key), simdjson::minify(field.value));
    }
  }
  return out;
}

std::optional<std::string> find_param(const std::vector<std::pair<std::string, std::string>>& all,
                                      std::string_view name) {
  for (const auto& [key, value] : all)
    if (key == name) return value;
  return std::nullopt;
}

std::string subscribe(VenueState& state, ApiSession& session, simdjson::dom::object& request,
                      const std::string& id) {
  simdjson::dom::object params;
  if (request["params"].get_object().get(params) != simdjson::SUCCESS)
    return error_reply(id, mandatory("params"));
  auto all = param_texts(params);
  auto api_key = find_param(all, "apiKey");
  auto signature = find_param(all, "signature");
  if (!api_key || api_key->empty()) return error_reply(id, mandatory("apiKey"));
  if (!signature || signature->empty()) return error_reply(id, mandatory("signature"));
  const AccountKey* key = state.accounts.find_by_api_key(*api_key);
  if (key == nullptr)
    return error_reply(id, ApiError{401, -2015, "Invalid API-key, IP, or permissions for action."});
  std::vector<std::pair<std::string, std::string>> signed_params;
  for (const auto& p : all)
    if (p.first != "signature") signed_params.push_back(p);
  if (!signature_valid(key->secret, sorted_payload(signed_params), *signature))
    return error_reply(id, ApiError{400, -1022, "Signature for this request is not valid."});
  if (auto ok = check_timestamp(state, find_param(all, "timestamp"), find_param(all, "recvWindow"));
      !ok)
    return error_reply(id, ok.error());
  // One subscription per account and connection: subscribing again returns the existing one.
  std::uint64_t subscription = session.next_subscription;
  bool existing = false;
  for (const auto& [sub, account] : session.subscriptions) {
    if (account == key->account) {
      subscription = sub;
      existing = true;
    }
  }
  if (!existing) session.subscriptions[session.next_subscription++] = key->account;
  json::JsonWriter w;
  return ok_reply(id, w.begin_object().field("subscriptionId", subscription).end_object().take());
}

// Ends subscriptions; their eventStreamTerminated events go to `after` (sent after the reply).
std::string unsubscribe(VenueState& state, ApiSession& session, simdjson::dom::object& request,
                        const std::string& id, std::vector<std::string>& after) {
  std::int64_t only = -1;
  simdjson::dom::object params;
  if (request["params"].get_object().get(params) == simdjson::SUCCESS)
    if (params["subscriptionId"].get_int64().get(only) != simdjson::SUCCESS) only = -1;
  for (auto it = session.subscriptions.begin(); it != session.subscriptions.end();) {
    if (only >= 0 && it->first != static_cast<std::uint64_t>(only)) {
      ++it;
      continue;
    }
    json::JsonWriter w;
    w.begin_object().field("subscriptionId", it->first).key("event").begin_object();
    w.field("e", "eventStreamTerminated").field("E", to_ms(state.now())).end_object();
    after.push_back(w.end_object().take());
    it = session.subscriptions.erase(it);
  }
  return ok_reply(id, "{}");
}

std::string api_reply(VenueState& state, ApiSession& session, std::string_view payload,
                      std::vector<std::string>& after) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  simdjson::dom::object request;
  if (parser.parse(payload.data(), payload.size()).get(document) != simdjson::SUCCESS ||
      document.get_object().get(request) != simdjson::SUCCESS)
    return error_reply("null", ApiError{400, -1102, "Malformed request: not a JSON object."});
  std::string id = "null";
  simdjson::dom::element id_element;
  if (request["id"].get(id_element) == simdjson::SUCCESS) id = simdjson::minify(id_element);
  std::string_view method;
  if (request["method"].get_string().get(method) != simdjson::SUCCESS)
    return error_reply(id, mandatory("method"));
  if (method == "ping") return ok_reply(id, "{}");
  if (method == "time") {
    json::JsonWriter w;
    return ok_reply(id,
                    w.begin_object().field("serverTime", to_ms(state.now())).end_object().take());
  }
  if (method == "userDataStream.subscribe.signature") return subscribe(state, session, request, id);
  if (method == "userDataStream.unsubscribe")
    return unsubscribe(state, session, request, id, after);
  if (method == "session.subscriptions") {
    json::JsonWriter w;
    w.begin_array();
    for (const auto& [sub, account] : session.subscriptions)
      w.begin_object().field("subscriptionId", sub).end_object();
    return ok_reply(id, w.end_array().take());
  }
  return error_reply(id, ApiError{400, -1020, "Unsupported method '" + std::string(method) + "'."});
}

class ApiSessionHandler final : public net::ServerWebSocketHandler {
 public:
  ApiSessionHandler(VenueState& state, std::uint64_t id) : state_(&state), id_(id) {}

  void on_message(std::string_view payload) override {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      auto session = state_->api_sessions.find(id_);
      if (session == state_->api_sessions.end()) return;
      std::vector<std::string> after;
      std::string reply = api_reply(*state_, session->second, payload, after);
      state_->send(session->second.socket, std::move(reply));
      for (std::string& event : after) state_->send(session->second.socket, std::move(event));
    }
    state_->flush();
  }

  // Runs when the client is gone; must not flush (it may be called from inside a send).
  void on_close() override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->api_sessions.erase(id_);
  }

 private:
  VenueState* state_;
  std::uint64_t id_;
};

}  // namespace

std::shared_ptr<net::ServerWebSocketHandler> accept_api_session(
    VenueState& state, std::shared_ptr<net::ServerWebSocket> socket) {
  const std::uint64_t id = state.next_session_id++;
  state.api_sessions.emplace(id, ApiSession{std::move(socket), {}, 0});
  ++state.counters.api_connections;
  return std::make_shared<ApiSessionHandler>(state, id);
}

std::size_t publish_user_event(VenueState& state, const std::string& account,
                               const std::string& event_json) {
  std::size_t count = 0;
  for (auto& [id, session] : state.api_sessions) {
    for (const auto& [sub, owner] : session.subscriptions) {
      if (owner != account) continue;
      json::JsonWriter w;
      state.send(session.socket, w.begin_object()
                                     .field("subscriptionId", sub)
                                     .key("event")
                                     .raw(event_json)
                                     .end_object()
                                     .take());
      ++count;
    }
  }
  return count;
}

}  // namespace troupe::sim::detail
