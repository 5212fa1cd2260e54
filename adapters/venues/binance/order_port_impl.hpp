#pragma once
// Internal to the Binance order port: the implementation class, shared by order_port.cpp
// (user data stream) and order_port_rest.cpp (REST order entry). Not part of the public API.

#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/binance/binance_codec.hpp"
#include "adapters/venues/binance/order_port.hpp"

#include <atomic>
#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace troupe::binance::detail {

class BinanceOrderPort;

/// Receives the events of one WS-API connection attempt (one generation).
class UserStreamHandler final : public net::WebSocketHandler {
 public:
  UserStreamHandler(BinanceOrderPort& port, std::uint64_t generation)
      : port_(port), generation_(generation) {}
  void on_open() override;
  void on_message(std::string_view payload) override;
  void on_close(std::string reason) override;
  /// on_close arrived: the transport will not call this handler again.
  bool closed() const { return closed_; }

 private:
  BinanceOrderPort& port_;
  std::uint64_t generation_;
  bool closed_ = false;
};

/// The most recent `capacity` keys, oldest evicted first: remembers what was already reported.
class RecentKeys {
 public:
  explicit RecentKeys(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}
  /// Adds `key`; false when it is already there.
  bool insert(std::string key) {
    if (!keys_.insert(key).second) return false;
    order_.push_back(std::move(key));
    if (order_.size() > capacity_) {
      keys_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }

 private:
  std::size_t capacity_;
  std::unordered_set<std::string> keys_;
  std::deque<std::string> order_;
};

/// An order sent through this port, as far as its REST answer is concerned.
struct SentOrder {
  ClientOrderId client_order_id;
  const Instrument* instrument = nullptr;
};

/// A submit whose outcome is unknown (5xx, -1007, transport error), being resolved by query.
struct UnknownOrder {
  SentOrder order;
  std::string cause;         ///< why the status is unknown
  bool seen_report = false;  ///< an executionReport for it arrived: the stream has the truth
  std::uint32_t queries = 0;
};

class BinanceOrderPort final : public OrderPort {
 public:
  explicit BinanceOrderPort(OrderPortOptions options);
  ~BinanceOrderPort() override { stop(); }

  void start(OrderListener& listener) override;
  void stop() override;
  void submit(const SubmitOrder& order) override;
  void cancel(const CancelOrder& cancel) override;

  void on_open(std::uint64_t generation);
  void on_message(std::uint64_t generation, std::string_view payload);
  void on_close(std::uint64_t generation, const std::string& reason);

 private:
  template <class Fn>
  void post(std::chrono::milliseconds delay, Fn fn) {
    transport_->post_after(delay, [this, fn = std::move(fn)]() mutable {
      if (!stopped_.load()) fn();
    });
  }
  /// Wraps a REST callback so it does nothing once the port stopped.
  template <class Fn>
  net::HttpCallback guarded(Fn fn) {
    return [this, fn = std::move(fn)](tl::expected<net::HttpResponse, std::string> r) mutable {
      if (!stopped_.load()) fn(std::move(r));
    };
  }

  // User data stream (order_port.cpp).
  void connect();
  void subscribe();
  void abandon(const std::string& detail);
  void on_response(const WsApiResponse& response);
  void on_report(const ExecutionReport& report);
  void report_rejection(OrderRejected event);
  void set_state(SessionState state, std::string detail);

  // REST order entry (order_port_rest.cpp).
  void do_submit(const SubmitOrder& order);
  void do_cancel(const CancelOrder& cancel);
  void on_submit_reply(const SentOrder& order, tl::expected<net::HttpResponse, std::string> reply);
  void on_cancel_reply(const ClientOrderId& id, tl::expected<net::HttpResponse, std::string> reply);
  void status_unknown(const SentOrder& order, const std::string& cause);
  void send_status_query(const std::string& client_order_id);
  void on_query_reply(const std::string& client_order_id,
                      tl::expected<net::HttpResponse, std::string> reply);
  void retry_status_query(const std::string& client_order_id, const std::string& why);
  void reject(const ClientOrderId& id, const InstrumentId& instrument, std::string reason);
  net::HttpRequest signed_request(std::string method, std::string_view path,
                                  const QueryParams& params) const;
  std::int64_t now_ms() const { return clock_.now_ns() / 1'000'000; }
  std::string venue() const { return options_.venue.value; }

  OrderPortOptions options_;
  const Clock& clock_;
  std::shared_ptr<net::ClientTransport> transport_;
  BinanceCodec codec_;
  InstrumentLookup lookup_;
  venues::Backoff reconnect_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  OrderListener* listener_ = nullptr;
  // Everything below is touched only on the transport's thread.
  std::uint64_t generation_ = 0;
  std::shared_ptr<net::WebSocket> socket_;
  std::vector<std::unique_ptr<UserStreamHandler>> handlers_;
  SessionState state_ = SessionState::Disconnected;
  std::uint64_t request_seq_ = 0;
  std::string pending_subscribe_id_;
  std::unordered_map<std::string, UnknownOrder> unknown_;
  RecentKeys reported_fills_;       ///< "orderId/tradeId" of fills already reported
  RecentKeys reported_rejections_;  ///< client order ids already reported rejected
};

}  // namespace troupe::binance::detail
