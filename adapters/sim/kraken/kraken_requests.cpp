// Client requests on /v2 (exchange-protocols.md §4.1-§4.3, §4.5): ping, subscribe and
// unsubscribe for the `book` and `trade` channels, and the error answers Kraken gives.
//
// Error texts: "Currency pair not supported <symbol>" and "Subscription depth not supported" are
// the venue's (observed on the live API); "Already subscribed" and "Exceeded msg rate" are those
// §4.5 and the connector name; "Subscription Not Found", "Malformed request", "Method not found"
// and "Unsupported channel <name>" are ours where the reference gives no text.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/kraken/kraken_state.hpp"

#include <simdjson.h>

#include <algorithm>

namespace troupe::sim::kraken_detail {
namespace {

namespace dom = simdjson::dom;

/// The parts of a subscribe / unsubscribe request that apply to every symbol in it.
struct ChannelParams {
  bool subscribe = true;
  std::string channel;
  std::vector<std::string> symbols;
  std::optional<std::uint32_t> depth;  ///< book only
  bool snapshot = true;
  std::optional<std::int64_t> req_id;
};

constexpr std::string_view kMalformed = "Malformed request";

/// Reads `params`; an error text when the request cannot be served at all.
std::optional<std::string> read_params(dom::object& request, ChannelParams& out) {
  dom::object params;
  if (request["params"].get_object().get(params) != simdjson::SUCCESS)
    return std::string(kMalformed);
  std::string_view channel;
  if (params["channel"].get_string().get(channel) != simdjson::SUCCESS)
    return std::string(kMalformed);
  out.channel = std::string(channel);
  if (out.channel != "book" && out.channel != "trade") return "Unsupported channel " + out.channel;
  dom::array symbols;
  if (params["symbol"].get_array().get(symbols) != simdjson::SUCCESS)
    return std::string(kMalformed);
  for (dom::element item : symbols) {
    std::string_view symbol;
    if (item.get_string().get(symbol) != simdjson::SUCCESS) return std::string(kMalformed);
    out.symbols.emplace_back(symbol);
  }
  if (out.symbols.empty()) return std::string(kMalformed);
  dom::element depth;
  if (params["depth"].get(depth) == simdjson::SUCCESS) {
    std::uint64_t value = 0;
    const auto& depths = KrakenFrontEnd::kDepths;
    if (out.channel != "book" || depth.get_uint64().get(value) != simdjson::SUCCESS ||
        std::find(depths.begin(), depths.end(), value) == depths.end())
      return std::string("Subscription depth not supported");
    out.depth = static_cast<std::uint32_t>(value);
  }
  dom::element snapshot;
  if (params["snapshot"].get(snapshot) == simdjson::SUCCESS &&
      snapshot.get_bool().get(out.snapshot) != simdjson::SUCCESS)
    return std::string(kMalformed);
  return std::nullopt;
}

std::string result_json(const ChannelParams& p, const std::string& symbol, std::uint32_t depth) {
  json::JsonWriter w;
  w.begin_object().field("channel", p.channel);
  if (p.channel == "book") w.field("depth", depth);
  if (p.subscribe) w.field("snapshot", p.snapshot);
  return w.field("symbol", symbol).end_object().take();
}

class ChannelRequest {
 public:
  ChannelRequest(KrakenState& state, Session& session, const ChannelParams& params,
                 TimestampNs time_in)
      : state_(state), session_(session), p_(params), time_in_(time_in) {}

  void run(const std::string& symbol) {
    auto feed = state_.feeds.find(symbol);
    if (feed == state_.feeds.end()) return refuse("Currency pair not supported " + symbol, symbol);
    if (p_.subscribe && state_.throttled()) return refuse("Exceeded msg rate", symbol);
    if (p_.channel == "book") {
      p_.subscribe ? subscribe_book(feed->second, symbol) : unsubscribe_book(symbol);
    } else {
      p_.subscribe ? subscribe_trade(feed->second, symbol) : unsubscribe_trade(symbol);
    }
  }

 private:
  void refuse(const std::string& error, const std::string& symbol) {
    state_.send(session_.socket, error_response(method(), error, p_.req_id, symbol, time_in_));
  }
  void ack(const std::string& symbol, std::uint32_t depth) {
    state_.send(session_.socket,
                success_response(method(), result_json(p_, symbol, depth), p_.req_id, time_in_));
  }
  std::string_view method() const { return p_.subscribe ? "subscribe" : "unsubscribe"; }

  void subscribe_book(SymbolFeed& feed, const std::string& symbol) {
    if (session_.books.count(symbol) != 0) return refuse("Already subscribed", symbol);
    const std::uint32_t depth = p_.depth.value_or(10);
    session_.books[symbol] = depth;
    ack(symbol, depth);
    std::string snapshot = book_snapshot(state_, feed, depth);
    if (p_.snapshot && state_.send_market(session_, std::move(snapshot)))
      ++state_.counters.book_snapshots;
  }
  void unsubscribe_book(const std::string& symbol) {
    auto found = session_.books.find(symbol);
    if (found == session_.books.end() || (p_.depth && *p_.depth != found->second))
      return refuse("Subscription Not Found", symbol);
    const std::uint32_t depth = found->second;
    session_.books.erase(found);
    prune_groups(state_, symbol);
    ack(symbol, depth);
  }
  void subscribe_trade(const SymbolFeed& feed, const std::string& symbol) {
    if (!session_.trades.insert(symbol).second) return refuse("Already subscribed", symbol);
    ack(symbol, 0);
    if (p_.snapshot && state_.send_market(session_, trade_snapshot(state_, feed)))
      ++state_.counters.trade_frames;
  }
  void unsubscribe_trade(const std::string& symbol) {
    if (session_.trades.erase(symbol) == 0) return refuse("Subscription Not Found", symbol);
    ack(symbol, 0);
  }

  KrakenState& state_;
  Session& session_;
  const ChannelParams& p_;
  TimestampNs time_in_;
};

std::string pong(std::optional<std::int64_t> req_id, TimestampNs time_in) {
  json::JsonWriter w;
  w.begin_object().field("method", "pong");
  if (req_id) w.field("req_id", *req_id);
  return w.field("time_in", rfc3339(time_in))
      .field("time_out", rfc3339(time_in))
      .end_object()
      .take();
}

}  // namespace

void on_client_message(KrakenState& state, std::uint64_t id, std::string_view payload) {
  auto found = state.sessions.find(id);
  if (found == state.sessions.end()) return;
  Session& session = found->second;
  const TimestampNs time_in = state.now();
  auto malformed = [&](std::string_view method, std::optional<std::int64_t> req_id) {
    state.send(session.socket,
               error_response(method, std::string(kMalformed), req_id, "", time_in));
  };
  dom::parser parser;
  dom::element document;
  dom::object request;
  if (parser.parse(payload.data(), payload.size()).get(document) != simdjson::SUCCESS ||
      document.get_object().get(request) != simdjson::SUCCESS)
    return malformed("error", std::nullopt);
  std::optional<std::int64_t> req_id;
  dom::element id_element;
  if (request["req_id"].get(id_element) == simdjson::SUCCESS) {
    std::int64_t value = 0;
    if (id_element.get_int64().get(value) != simdjson::SUCCESS)
      return malformed("error", std::nullopt);
    req_id = value;
  }
  std::string_view method;
  if (request["method"].get_string().get(method) != simdjson::SUCCESS)
    return malformed("error", req_id);
  if (method == "ping") return state.send(session.socket, pong(req_id, time_in));
  if (method != "subscribe" && method != "unsubscribe") {
    return state.send(session.socket,
                      error_response(method, "Method not found", req_id, "", time_in));
  }
  ChannelParams params;
  params.subscribe = method == "subscribe";
  params.req_id = req_id;
  if (auto error = read_params(request, params)) {
    return state.send(session.socket, error_response(method, *error, req_id, "", time_in));
  }
  ChannelRequest handler(state, session, params, time_in);
  for (const std::string& symbol : params.symbols) handler.run(symbol);
}

}  // namespace troupe::sim::kraken_detail
