// REST routing, the public endpoints (ping, time, exchangeInfo, depth), the fault-injection
// control route, and the venue state's frame queue.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/binance_json.hpp"
#include "adapters/sim/binance_state.hpp"

#include <algorithm>

namespace troupe::sim::detail {
namespace {

constexpr std::int64_t kDefaultDepthLimit = 100;
constexpr std::int64_t kMaxDepthLimit = 5000;

ApiError invalid_symbol() { return ApiError{400, -1121, "Invalid symbol."}; }

// `symbols=["BTCUSDT","ETHUSDT"]` (already URL-decoded) → the names.
std::vector<std::string> symbol_list(std::string text) {
  std::vector<std::string> out;
  text.erase(std::remove_if(text.begin(), text.end(),
                            [](char c) { return c == '[' || c == ']' || c == '"' || c == ' '; }),
             text.end());
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Reply exchange_info_reply(VenueState& state, const Params& params) {
  std::vector<std::string> wanted;
  if (auto one = params.get("symbol")) wanted.push_back(*one);
  if (auto many = params.get("symbols")) wanted = symbol_list(*many);
  if (wanted.empty()) wanted = state.engine.symbols();
  std::vector<const Instrument*> instruments;
  for (const std::string& symbol : wanted) {
    const Instrument* instrument = state.engine.instrument(symbol);
    if (instrument == nullptr) return tl::make_unexpected(invalid_symbol());
    instruments.push_back(instrument);
  }
  return exchange_info(instruments, state.now());
}

Reply depth_reply(VenueState& state, const Params& params) {
  auto symbol = required(params, "symbol");
  if (!symbol) return tl::make_unexpected(symbol.error());
  if (state.engine.instrument(*symbol) == nullptr) return tl::make_unexpected(invalid_symbol());
  std::int64_t limit = kDefaultDepthLimit;
  if (auto text = params.get("limit")) {
    auto parsed = integer("limit", *text);
    if (!parsed || *parsed <= 0) return tl::make_unexpected(mandatory("limit"));
    limit = std::min(*parsed, kMaxDepthLimit);
  }
  return depth_snapshot(state.engine.snapshot(*symbol, static_cast<std::size_t>(limit)));
}

tl::expected<FaultReport, ApiError> control(VenueState& state, std::string_view action,
                                            const Params& params) {
  if (action == "disconnect_streams") return disconnect(state);
  if (action == "inject") {
    // POST /sim/control/inject?kind=<fault kind>[&symbol=][&duration_ms=]
    auto kind_text = required(params, "kind");
    if (!kind_text) return tl::make_unexpected(kind_text.error());
    auto kind = parse_fault_kind(*kind_text);
    if (!kind) return tl::make_unexpected(mandatory("kind"));
    FaultSpec fault{*kind, params.get("symbol").value_or(""), 0};
    if (auto text = params.get("duration_ms")) {
      auto parsed = integer("duration_ms", *text);
      if (!parsed) return tl::make_unexpected(parsed.error());
      fault.duration_ms = *parsed;
    }
    return inject_fault(state, fault);
  }
  auto symbol = required(params, "symbol");
  if (!symbol) return tl::make_unexpected(symbol.error());
  if (action == "inject_gap") return gap(state, *symbol);
  if (action == "inject_malformed_frame") return malformed_frame(state, *symbol);
  if (action == "inject_out_of_sequence") return out_of_sequence(state, *symbol);
  return tl::make_unexpected(
      ApiError{404, -1000, "Unknown control action '" + std::string(action) + "'."});
}

// §2.4/§2.8: 429 with -1003 and Retry-After (whole seconds, rounded up) while throttled.
net::HttpResponse throttled_response(const VenueState& state) {
  const std::int64_t left_ns = state.throttled_until_ns - state.now();
  const std::int64_t retry_after_s = (left_ns + 999'999'999) / 1'000'000'000;
  net::HttpResponse response = error_response(
      ApiError{429, -1003,
               "Too much request weight used; current limit is 6000 request weight per 1 "
               "MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."});
  response.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return response;
}

net::HttpResponse reply(const Reply& r) {
  return r ? json_response(*r) : error_response(r.error());
}

// Signed endpoints; order entry is logged whatever the outcome.
net::HttpResponse signed_route(VenueState& state, const net::HttpRequest& request,
                               std::string_view path, const Params& params) {
  const bool entry = path == "/api/v3/order" && request.method != "GET";
  if (entry) {
    const bool post = request.method == "POST";
    ReceivedOrderRequest log{
        state.now(),
        request.method,
        request.target,
        request.body,
        params.get("symbol").value_or(""),
        params.get(post ? "newClientOrderId" : "origClientOrderId").value_or(""),
        0};
    state.received.push_back(std::move(log));
    if (state.received.size() > kMaxReceivedLog) state.received.pop_front();
    ++(post ? state.counters.order_requests : state.counters.cancel_requests);
  }
  auto key = authenticate(state, request, params);
  Reply r = key ? Reply{} : tl::make_unexpected(key.error());
  if (key && request.method == "POST") r = place_order(state, **key, params);
  if (key && request.method == "DELETE") r = cancel_order(state, **key, params);
  if (key && request.method == "GET" && path == "/api/v3/order")
    r = query_order(state, **key, params);
  if (key && path == "/api/v3/openOrders") r = open_orders(state, **key, params);
  if (key && path == "/api/v3/account") r = account_info(state, **key, params);
  if (key && path == "/api/v3/myTrades") r = my_trades(state, **key, params);
  if (entry) {
    state.received.back().error_code = r ? 0 : r.error().code;
    if (request.method == "POST")
      ++(r ? state.counters.orders_accepted : state.counters.orders_rejected);
  }
  return reply(r);
}

bool is_signed(std::string_view method, std::string_view path) {
  if (path == "/api/v3/order") return method == "POST" || method == "DELETE" || method == "GET";
  return method == "GET" &&
         (path == "/api/v3/openOrders" || path == "/api/v3/account" || path == "/api/v3/myTrades");
}

}  // namespace

net::HttpResponse json_response(std::string body, int status) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

net::HttpResponse error_response(const ApiError& error) {
  return json_response(error_json(error.code, error.message), error.http_status);
}

net::HttpResponse route(VenueState& state, const net::HttpRequest& request) {
  ++state.counters.http_requests;
  const auto [path, query] = split_target(request.target);
  auto params = Params::parse(query, request.body);
  if (!params) return error_response(ApiError{400, -1100, "Illegal characters: " + params.error()});
  const std::string& method = request.method;
  constexpr std::string_view kControl = "/sim/control/";
  const bool control_route = path.substr(0, kControl.size()) == kControl;
  if (!control_route && throttled(state)) return throttled_response(state);
  if (method == "GET" && path == "/api/v3/ping") return json_response("{}");
  if (method == "GET" && path == "/api/v3/time") {
    json::JsonWriter w;
    return json_response(
        w.begin_object().field("serverTime", to_ms(state.now())).end_object().take());
  }
  if (method == "GET" && path == "/api/v3/exchangeInfo")
    return reply(exchange_info_reply(state, *params));
  if (method == "GET" && path == "/api/v3/depth") return reply(depth_reply(state, *params));
  if (is_signed(method, path)) return signed_route(state, request, path, *params);
  if (method == "POST" && control_route) {
    auto report = control(state, path.substr(kControl.size()), *params);
    if (!report) return error_response(report.error());
    json::JsonWriter w;
    return json_response(w.begin_object()
                             .field("done", report->done)
                             .field("description", report->description)
                             .end_object()
                             .take());
  }
  return error_response(
      ApiError{404, -1000, "Unknown endpoint: " + method + " " + std::string(path)});
}

VenueState::VenueState(const SimConfig& config_in, const Clock& clock_in)
    : config(config_in), clock(&clock_in), market(config, engine) {
  for (const std::string& symbol : engine.symbols()) symbols[symbol];
}

void VenueState::send(const std::shared_ptr<net::ServerWebSocket>& socket, std::string text) {
  outbox.push_back(Outgoing{socket, std::move(text), false});
}

void VenueState::close(const std::shared_ptr<net::ServerWebSocket>& socket) {
  outbox.push_back(Outgoing{socket, {}, true});
}

// One thread at a time drains the queue in order; a thread that finds another draining leaves
// its frames to it. The re-check after releasing the flag catches frames queued just before.
void VenueState::flush() {
  for (;;) {
    bool expected = false;
    if (!flushing.compare_exchange_strong(expected, true)) return;
    for (;;) {
      std::vector<Outgoing> batch;
      {
        std::lock_guard<std::mutex> lock(mutex);
        batch.swap(outbox);
      }
      if (batch.empty()) break;
      for (Outgoing& out : batch) {
        if (out.close) {
          out.socket->close();
        } else {
          out.socket->send(std::move(out.text));
        }
      }
    }
    flushing.store(false);
    std::lock_guard<std::mutex> lock(mutex);
    if (outbox.empty()) return;
  }
}

std::string VenueState::generated_id() { return "sim-" + std::to_string(next_generated_id++); }

}  // namespace troupe::sim::detail
