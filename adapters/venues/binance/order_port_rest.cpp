// Binance order port: REST order entry (§2.3), signed per §2.5, and the resolution of orders
// whose submit outcome is unknown (§2.4: 5xx / -1007 "may have executed"; §2.11 step 3).

#include "adapters/venues/binance/binance_signing.hpp"
#include "adapters/venues/binance/http_errors.hpp"
#include "adapters/venues/binance/order_mapping.hpp"
#include "adapters/venues/binance/order_port_impl.hpp"

namespace troupe::binance::detail {
namespace {

constexpr std::string_view kOrderPath = "/api/v3/order";
constexpr std::int64_t kTimeoutCode = -1007;      // TIMEOUT: status unknown
constexpr std::int64_t kNoSuchOrderCode = -2013;  // NO_SUCH_ORDER

bool is_success(int status) { return status >= 200 && status < 300; }

}  // namespace

net::HttpRequest BinanceOrderPort::signed_request(std::string method, std::string_view path,
                                                  const QueryParams& params) const {
  // Like the official connector, every parameter goes in the query string, signed in the
  // order sent; the body stays empty.
  net::HttpRequest request;
  request.method = std::move(method);
  request.target = std::string(path) + "?" + signed_query(params, options_.api_secret);
  request.headers.emplace_back("X-MBX-APIKEY", options_.api_key);
  return request;
}

void BinanceOrderPort::reject(const ClientOrderId& id, const InstrumentId& instrument,
                              std::string reason) {
  const TimestampNs now = clock_.now_ns();
  report_rejection(OrderRejected{options_.account, id, instrument, std::move(reason), now, now});
}

void BinanceOrderPort::do_submit(const SubmitOrder& order) {
  const Instrument* instrument = lookup_(order.instrument.symbol);
  if (instrument == nullptr) {
    reject(order.client_order_id, order.instrument,
           venue() + ": symbol " + order.instrument.symbol + " is not configured for account " +
               options_.account.value);
    return;
  }
  const SentOrder sent{order.client_order_id, instrument};
  auto params = new_order_params(order, *instrument, options_.recv_window_ms, now_ms());
  transport_->http(signed_request("POST", kOrderPath, params),
                   guarded([this, sent](auto reply) { on_submit_reply(sent, std::move(reply)); }));
}

void BinanceOrderPort::on_submit_reply(const SentOrder& order,
                                       tl::expected<net::HttpResponse, std::string> reply) {
  if (!reply) {
    status_unknown(order, "transport error: " + reply.error());
    return;
  }
  if (is_success(reply->status)) {
    // Accepted for processing; NEW / TRADE / ... arrive on the user data stream.
    if (auto body = codec_.decode_order_response(reply->body); !body) {
      listener_->on_frame_error(body.error().what);
    }
    return;
  }
  const std::string endpoint = "POST " + std::string(kOrderPath);
  const auto error = api_error_of(codec_, *reply, endpoint);
  if (reply->status >= 500 || (error && error->code == kTimeoutCode)) {
    status_unknown(order, http_failure_text(codec_, *reply, endpoint));
    return;
  }
  reject(order.client_order_id, order.instrument->id,
         error ? std::to_string(error->code) + " " + error->message
               : http_failure_text(codec_, *reply, endpoint));
}

void BinanceOrderPort::status_unknown(const SentOrder& order, const std::string& cause) {
  const std::string& id = order.client_order_id.value;
  listener_->on_frame_error(venue() + " POST " + std::string(kOrderPath) + " " + id +
                            ": status unknown (" + cause +
                            "); not resent, asking GET /api/v3/order");
  unknown_[id] = UnknownOrder{order, cause, false, 0};
  post(std::chrono::milliseconds(options_.status_query_delay_ms),
       [this, id] { send_status_query(id); });
}

void BinanceOrderPort::send_status_query(const std::string& client_order_id) {
  auto it = unknown_.find(client_order_id);
  if (it == unknown_.end()) return;
  if (it->second.seen_report) {
    unknown_.erase(it);  // the user data stream already told the order manager
    return;
  }
  ++it->second.queries;
  auto params = query_order_params(it->second.order.instrument->id.symbol, client_order_id,
                                   options_.recv_window_ms, now_ms());
  transport_->http(signed_request("GET", kOrderPath, params),
                   guarded([this, client_order_id](auto reply) {
                     on_query_reply(client_order_id, std::move(reply));
                   }));
}

void BinanceOrderPort::on_query_reply(const std::string& client_order_id,
                                      tl::expected<net::HttpResponse, std::string> reply) {
  auto it = unknown_.find(client_order_id);
  if (it == unknown_.end()) return;
  const UnknownOrder unknown = it->second;
  if (unknown.seen_report) {
    unknown_.erase(it);
    return;
  }
  if (!reply) {
    retry_status_query(client_order_id, "transport error: " + reply.error());
    return;
  }
  const std::string endpoint = "GET " + std::string(kOrderPath);
  if (!is_success(reply->status)) {
    const auto error = api_error_of(codec_, *reply, endpoint);
    if (error && error->code == kNoSuchOrderCode) {
      unknown_.erase(it);
      reject(unknown.order.client_order_id, unknown.order.instrument->id,
             std::to_string(error->code) + " " + error->message +
                 " (submit status was unknown: " + unknown.cause + ")");
      return;
    }
    retry_status_query(client_order_id, http_failure_text(codec_, *reply, endpoint));
    return;
  }
  auto body = codec_.decode_order_response(reply->body);
  if (!body) {
    retry_status_query(client_order_id, body.error().what);
    return;
  }
  unknown_.erase(it);
  if (body->status == "REJECTED") {
    reject(unknown.order.client_order_id, unknown.order.instrument->id,
           "REJECTED (found by GET /api/v3/order after: " + unknown.cause + ")");
    return;
  }
  // The order exists. Only its acceptance is reported here; fills and later states come from
  // the stream or, if the stream was down, from the order manager's reconciliation (§2.11).
  const TimestampNs now = clock_.now_ns();
  listener_->on_accepted(OrderAccepted{
      options_.account, unknown.order.client_order_id, VenueOrderId{std::to_string(body->order_id)},
      unknown.order.instrument->id, body->ts_transaction != 0 ? body->ts_transaction : now, now});
}

void BinanceOrderPort::retry_status_query(const std::string& client_order_id,
                                          const std::string& why) {
  auto it = unknown_.find(client_order_id);
  if (it == unknown_.end()) return;
  const std::uint32_t queries = it->second.queries;
  if (queries >= options_.status_query_attempts) {
    listener_->on_frame_error(venue() + " order " + client_order_id +
                              ": status still unknown after " + std::to_string(queries) +
                              " GET /api/v3/order (" + why + "); reconcile");
    unknown_.erase(it);
    return;
  }
  post(std::chrono::milliseconds(options_.status_query_delay_ms * (queries + 1)),
       [this, client_order_id] { send_status_query(client_order_id); });
}

void BinanceOrderPort::do_cancel(const CancelOrder& cancel) {
  const Instrument* instrument = lookup_(cancel.instrument.symbol);
  if (instrument == nullptr) {
    listener_->on_frame_error(venue() + " cancel " + cancel.client_order_id.value + ": symbol " +
                              cancel.instrument.symbol + " is not configured");
    return;
  }
  auto params = cancel_order_params(cancel, options_.recv_window_ms, now_ms());
  transport_->http(signed_request("DELETE", kOrderPath, params),
                   guarded([this, id = cancel.client_order_id](auto reply) {
                     on_cancel_reply(id, std::move(reply));
                   }));
}

void BinanceOrderPort::on_cancel_reply(const ClientOrderId& id,
                                       tl::expected<net::HttpResponse, std::string> reply) {
  // A refused cancel leaves the order as it was (working, or already done): report the text,
  // never an OrderRejected, which would end the order in the order manager.
  const std::string prefix = venue() + " cancel " + id.value + ": ";
  if (!reply) {
    listener_->on_frame_error(prefix + "status unknown (transport error: " + reply.error() +
                              "); the user data stream reports the outcome");
    return;
  }
  if (is_success(reply->status)) {
    if (auto body = codec_.decode_order_response(reply->body); !body) {
      listener_->on_frame_error(body.error().what);
    }
    return;
  }
  listener_->on_frame_error(
      prefix + "refused: " + http_failure_text(codec_, *reply, "DELETE /api/v3/order"));
}

}  // namespace troupe::binance::detail
