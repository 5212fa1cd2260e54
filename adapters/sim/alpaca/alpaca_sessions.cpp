// Data v2 WebSocket sessions (exchange-protocols.md §1.11, §1.12): `connected` on upgrade,
// `auth` (402 on a bad key, 403 when repeated, 406 for a second connection of one key),
// subscribe / unsubscribe deltas answered with the full subscription set, 400 / 401 / 405
// errors, and the 404 auth timeout.

#include "adapters/sim/alpaca/alpaca_state.hpp"

#include <simdjson.h>

namespace troupe::sim::alpaca_detail {
namespace {

/// Reads the optional string arrays of a subscribe / unsubscribe message; false when one is
/// not an array of strings.
bool read_lists(simdjson::dom::object& request, std::vector<std::string> (&lists)[3]) {
  const char* keys[] = {"trades", "quotes", "bars"};
  for (int i = 0; i < 3; ++i) {
    simdjson::dom::element value;
    if (request[keys[i]].get(value) != simdjson::SUCCESS) continue;  // absent
    simdjson::dom::array items;
    if (value.get_array().get(items) != simdjson::SUCCESS) return false;
    for (simdjson::dom::element item : items) {
      std::string_view text;
      if (item.get_string().get(text) != simdjson::SUCCESS) return false;
      lists[i].emplace_back(text);
    }
  }
  return true;
}

void authenticate(State& state, std::uint64_t id, Session& session,
                  simdjson::dom::object& request) {
  if (session.authenticated) return state.send(session, error_frame(403, "already authenticated"));
  std::string_view key;
  std::string_view secret;
  if (request["key"].get_string().get(key) != simdjson::SUCCESS ||
      request["secret"].get_string().get(secret) != simdjson::SUCCESS ||
      key != state.config.api_key || secret != state.config.api_secret) {
    ++state.counters.auth_failures;
    return state.send(session, error_frame(402, "auth failed"));
  }
  // §1.12: one concurrent authenticated connection per account (the simulator has one key).
  for (auto& [other_id, other] : state.sessions) {
    if (other_id != id && other.authenticated) {
      ++state.counters.connections_refused;
      state.send(session, error_frame(406, "connection limit exceeded"));
      state.close(session);
      state.sessions.erase(id);
      return;
    }
  }
  session.authenticated = true;
  state.send(session, success_frame("authenticated"));
}

void change_subscription(State& state, Session& session, simdjson::dom::object& request,
                         bool subscribe) {
  if (!session.authenticated) return state.send(session, error_frame(401, "not authenticated"));
  std::vector<std::string> lists[3];
  if (!read_lists(request, lists)) return state.send(session, error_frame(400, "invalid syntax"));
  std::set<std::string> next[3] = {session.trades, session.quotes, session.bars};
  for (int i = 0; i < 3; ++i) {
    for (const std::string& symbol : lists[i]) {
      if (subscribe) {
        next[i].insert(symbol);
      } else {
        next[i].erase(symbol);
      }
    }
  }
  if (session.feed == "iex") {
    // §1.12: 30 symbols for trades + quotes on the IEX plan; bars are unlimited.
    std::set<std::string> counted = next[0];
    counted.insert(next[1].begin(), next[1].end());
    if (counted.count("*") || counted.size() > AlpacaFrontEnd::kIexSymbolLimit) {
      return state.send(session, error_frame(405, "symbol limit exceeded"));
    }
  }
  session.trades = std::move(next[0]);
  session.quotes = std::move(next[1]);
  session.bars = std::move(next[2]);
  state.send(session, subscription_frame(session));
}

void on_control(State& state, std::uint64_t id, std::string_view payload) {
  auto it = state.sessions.find(id);
  if (it == state.sessions.end()) return;
  Session& session = it->second;
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  simdjson::dom::object request;
  std::string_view action;
  if (parser.parse(payload.data(), payload.size()).get(document) != simdjson::SUCCESS ||
      document.get_object().get(request) != simdjson::SUCCESS ||
      request["action"].get_string().get(action) != simdjson::SUCCESS) {
    return state.send(session, error_frame(400, "invalid syntax"));
  }
  // The JS SDK sends auth on open, maybe before reading `connected` (§1.11): accepted any time.
  if (action == "auth") return authenticate(state, id, session, request);
  if (action == "subscribe") return change_subscription(state, session, request, true);
  if (action == "unsubscribe") return change_subscription(state, session, request, false);
  state.send(session, error_frame(400, "invalid syntax"));
}

class SessionHandler final : public net::ServerWebSocketHandler {
 public:
  SessionHandler(State& state, std::uint64_t id) : state_(&state), id_(id) {}

  void on_message(std::string_view payload) override {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      on_control(*state_, id_, payload);
    }
    state_->flush();
  }

  // Runs when the client is gone; must not flush (it may be called from inside a send).
  void on_close() override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->sessions.erase(id_);
  }

 private:
  State* state_;
  std::uint64_t id_;
};

/// The handler of a connection refused at the door: it only waits for the close.
class RefusedHandler final : public net::ServerWebSocketHandler {
 public:
  void on_message(std::string_view) override {}
  void on_close() override {}
};

}  // namespace

std::shared_ptr<net::ServerWebSocketHandler> accept_session(
    State& state, std::string feed, std::shared_ptr<net::ServerWebSocket> socket) {
  ++state.counters.connections;
  Session session;
  session.socket = std::move(socket);
  session.feed = std::move(feed);
  session.connected_ns = state.now();
  if (state.now() < state.throttle_until_ns) {
    ++state.counters.connections_refused;
    state.send(session, error_frame(406, "connection limit exceeded"));
    state.close(session);
    state.log("throttle refused a new connection with 406");
    return std::make_shared<RefusedHandler>();
  }
  const std::uint64_t id = state.next_session_id++;
  Session& stored = state.sessions.emplace(id, std::move(session)).first->second;
  state.send(stored, success_frame("connected"));
  return std::make_shared<SessionHandler>(state, id);
}

void expire_unauthenticated(State& state, TimestampNs now) {
  const TimestampNs limit = AlpacaFrontEnd::kAuthTimeoutMs * 1'000'000;
  for (auto it = state.sessions.begin(); it != state.sessions.end();) {
    Session& session = it->second;
    if (!session.authenticated && now - session.connected_ns >= limit) {
      ++state.counters.auth_timeouts;
      state.send(session, error_frame(404, "auth timeout"));
      state.close(session);
      it = state.sessions.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace troupe::sim::alpaca_detail
