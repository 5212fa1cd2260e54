// Binance order port: lifecycle and the WebSocket API user data stream (§2.10).

#include "adapters/venues/binance/binance_signing.hpp"
#include "adapters/venues/binance/order_mapping.hpp"
#include "adapters/venues/binance/order_port_impl.hpp"
#include "adapters/venues/common/overloaded.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace troupe::binance {
namespace detail {
namespace {

using std::chrono::milliseconds;

constexpr const char* kWsApiTarget = "/ws-api/v3";
constexpr const char* kSubscribeMethod = "userDataStream.subscribe.signature";

/// JSON string literal for `text` (keys and ids are ASCII, but never trust that).
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out.append(escaped);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

void UserStreamHandler::on_open() { port_.on_open(generation_); }
void UserStreamHandler::on_message(std::string_view payload) {
  port_.on_message(generation_, payload);
}
void UserStreamHandler::on_close(std::string reason) {
  closed_ = true;
  port_.on_close(generation_, reason);
}

BinanceOrderPort::BinanceOrderPort(OrderPortOptions options)
    : options_(std::move(options)),
      clock_(*options_.clock),
      transport_(options_.transport),
      codec_(make_instrument_lookup(options_.instruments), options_.venue.value),
      lookup_(make_instrument_lookup(options_.instruments)),
      reconnect_(milliseconds(options_.reconnect_min_ms), milliseconds(options_.reconnect_max_ms),
                 options_.seed),
      reported_fills_(options_.remembered_fills),
      reported_rejections_(options_.remembered_fills) {}

void BinanceOrderPort::start(OrderListener& listener) {
  if (started_.exchange(true)) return;
  listener_ = &listener;
  post(milliseconds(0), [this] { connect(); });
}

void BinanceOrderPort::stop() {
  if (stopped_.exchange(true)) return;
  transport_->shutdown();
}

void BinanceOrderPort::submit(const SubmitOrder& order) {
  post(milliseconds(0), [this, order] { do_submit(order); });
}

void BinanceOrderPort::cancel(const CancelOrder& cancel) {
  post(milliseconds(0), [this, cancel] { do_cancel(cancel); });
}

void BinanceOrderPort::connect() {
  ++generation_;
  std::erase_if(handlers_, [](const auto& handler) { return handler->closed(); });
  handlers_.push_back(std::make_unique<UserStreamHandler>(*this, generation_));
  set_state(SessionState::Connecting, std::string("connecting to ") + kWsApiTarget);
  socket_ = transport_->websocket(kWsApiTarget, *handlers_.back());
}

void BinanceOrderPort::on_open(std::uint64_t generation) {
  if (stopped_.load() || generation != generation_) return;
  set_state(SessionState::Syncing,
            std::string("connected to ") + kWsApiTarget + "; subscribing to the user data stream");
  subscribe();
}

void BinanceOrderPort::subscribe() {
  if (!socket_) return;
  pending_subscribe_id_ = "subscribe-" + std::to_string(++request_seq_);
  const std::string timestamp = std::to_string(now_ms());
  // §2.10: WS-API signatures cover the parameters sorted by name; apiKey is one of them.
  const QueryParams params{{"apiKey", options_.api_key}, {"timestamp", timestamp}};
  const std::string signature = ws_api_signature(params, options_.api_secret);
  socket_->send("{\"id\":" + json_string(pending_subscribe_id_) + ",\"method\":\"" +
                kSubscribeMethod + "\",\"params\":{\"apiKey\":" + json_string(options_.api_key) +
                ",\"timestamp\":" + timestamp + ",\"signature\":" + json_string(signature) + "}}");
}

void BinanceOrderPort::on_message(std::uint64_t generation, std::string_view payload) {
  if (stopped_.load() || generation != generation_) return;
  auto decoded = codec_.decode_user(payload);
  if (!decoded) {
    listener_->on_frame_error(decoded.error().what);
    return;
  }
  std::visit(
      venues::Overloaded{
          [&](const WsApiResponse& response) { on_response(response); },
          [&](const ExecutionReport& report) { on_report(report); },
          [&](const AccountPosition&) {},  // balances are the portfolio's reconciliation job
          [&](const IgnoredEvent&) {},
          [&](const ServerShutdown&) { abandon(venue() + " ws-api: server shutdown announced"); },
          [&](const EventStreamTerminated&) {
            set_state(SessionState::Syncing, venue() +
                                                 " user data stream terminated; "
                                                 "subscribing again");
            subscribe();
          },
          [&](const UnknownEvent& event) {
            listener_->on_frame_error(venue() + " user stream: unknown event type \"" +
                                      event.event_type + "\"");
          }},
      *decoded);
}

void BinanceOrderPort::on_close(std::uint64_t generation, const std::string& reason) {
  if (stopped_.load() || generation != generation_) return;
  abandon(venue() + " ws-api closed: " + reason);
}

void BinanceOrderPort::on_response(const WsApiResponse& response) {
  if (response.id != pending_subscribe_id_ || pending_subscribe_id_.empty()) {
    if (response.error) {
      listener_->on_frame_error(venue() + " ws-api request " + response.id + ": " +
                                std::to_string(response.error->code) + " " +
                                response.error->message);
    }
    return;
  }
  pending_subscribe_id_.clear();
  if (response.status == 200 && !response.error) {
    reconnect_.reset();
    set_state(SessionState::Live, "user data stream subscribed (subscriptionId " +
                                      std::to_string(response.subscription_id.value_or(-1)) + ")");
    return;
  }
  std::string why =
      venue() + " " + kSubscribeMethod + " failed: status " + std::to_string(response.status);
  if (response.error) {
    why += ": " + std::to_string(response.error->code) + " " + response.error->message;
  }
  listener_->on_frame_error(why);
  abandon(why);
}

void BinanceOrderPort::on_report(const ExecutionReport& report) {
  for (const std::string* id : {&report.client_order_id, &report.original_client_order_id}) {
    if (auto it = unknown_.find(*id); it != unknown_.end()) it->second.seen_report = true;
  }
  // §2.10: the stream may repeat a fill (and a FULL response may carry it too): report each
  // (orderId, tradeId) once.
  if (report.execution_type == "TRADE" &&
      !reported_fills_.insert(std::to_string(report.order_id) + "/" +
                              std::to_string(report.trade_id))) {
    return;
  }
  auto mapped = map_execution_report(report, options_.account, clock_.now_ns());
  if (!mapped) {
    listener_->on_frame_error(venue() + " executionReport " + report.client_order_id + ": " +
                              mapped.error());
    return;
  }
  std::visit(venues::Overloaded{[](std::monostate) {},
                        [&](OrderAccepted& e) { listener_->on_accepted(std::move(e)); },
                        [&](OrderFilled& e) { listener_->on_filled(std::move(e)); },
                        [&](OrderCanceled& e) { listener_->on_canceled(std::move(e)); },
                        [&](OrderRejected& e) { report_rejection(std::move(e)); }},
             *mapped);
}

void BinanceOrderPort::report_rejection(OrderRejected event) {
  // A refused order can be reported twice: by the REST answer and by a REJECTED executionReport
  // (the simulated venue sends both). The order manager hears it once.
  if (!reported_rejections_.insert(event.client_order_id.value)) return;
  listener_->on_rejected(std::move(event));
}

void BinanceOrderPort::abandon(const std::string& detail) {
  ++generation_;
  if (socket_) {
    socket_->close();
    socket_.reset();
  }
  pending_subscribe_id_.clear();
  set_state(SessionState::Disconnected, detail);
  post(reconnect_.next(), [this, generation = generation_] {
    if (generation == generation_) connect();
  });
}

void BinanceOrderPort::set_state(SessionState state, std::string detail) {
  if (state == state_) return;
  state_ = state;
  listener_->on_state(state, std::move(detail));
}

}  // namespace detail

tl::expected<void, std::string> validate(const OrderPortOptions& options) {
  auto fail = [](std::string what) { return tl::make_unexpected("binance orders: " + what); };
  if (!options.transport) return fail("transport is not set");
  if (options.clock == nullptr) return fail("clock is not set");
  if (options.account.empty()) return fail("account is empty");
  if (options.api_key.empty() || options.api_secret.empty()) {
    return fail("api_key and api_secret must be set");
  }
  if (options.recv_window_ms <= 0 || options.recv_window_ms > 60000) {
    return fail("recv_window_ms must be within 1..60000");
  }
  if (options.reconnect_min_ms <= 0 || options.reconnect_max_ms < options.reconnect_min_ms) {
    return fail("reconnect_min_ms must be positive and at most reconnect_max_ms");
  }
  if (options.status_query_delay_ms <= 0) return fail("status_query_delay_ms must be positive");
  return {};
}

std::unique_ptr<OrderPort> make_order_port(OrderPortOptions options) {
  if (auto valid = validate(options); !valid) {
    std::fprintf(stderr, "%s\n", valid.error().c_str());
    std::abort();
  }
  return std::make_unique<detail::BinanceOrderPort>(std::move(options));
}

}  // namespace troupe::binance
