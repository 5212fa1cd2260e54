#pragma once
// A hand-written ClientTransport for the venue port tests (every venue): records HTTP requests and
// WebSockets, lets the test answer requests, push frames and close sockets, and runs timers on
// a SimulatedClock the test advances. Single-threaded and deterministic.

#include "adapters/net/transport.hpp"
#include "runtime/clock.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace troupe::venues::testing {

class FakeTransport final : public net::ClientTransport {
 public:
  /// A socket as the port sees it: records what the port sends, and when.
  struct Socket final : net::WebSocket {
    explicit Socket(const Clock& clock) : clock(clock) {}
    std::vector<std::string> sent;
    std::vector<TimestampNs> sent_at;  ///< clock time of each `sent` entry
    bool close_requested = false;
    const Clock& clock;
    void send(std::string text) override {
      sent.push_back(std::move(text));
      sent_at.push_back(clock.now_ns());
    }
    void close() override { close_requested = true; }
  };

  /// One websocket() call.
  struct Connection {
    std::string target;
    TimestampNs at = 0;  ///< clock time of the call
    net::WebSocketHandler* handler = nullptr;
    std::shared_ptr<Socket> socket;
  };

  /// One http() call; `callback` is empty once answered.
  struct Request {
    net::HttpRequest request;
    net::HttpCallback callback;
    TimestampNs at = 0;  ///< clock time of the call
  };

  explicit FakeTransport(SimulatedClock& clock) : clock_(clock) {}

  void http(net::HttpRequest request, net::HttpCallback callback) override {
    if (shut_down) return;
    requests.push_back(Request{std::move(request), std::move(callback), clock_.now_ns()});
  }

  std::shared_ptr<net::WebSocket> websocket(std::string target,
                                            net::WebSocketHandler& handler) override {
    auto socket = std::make_shared<Socket>(clock_);
    connections.push_back(Connection{std::move(target), clock_.now_ns(), &handler, socket});
    return socket;
  }

  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    if (shut_down) return;
    timers_.push_back(
        Timer{clock_.now_ns() + delay.count() * 1'000'000, next_seq_++, std::move(fn)});
  }

  void shutdown() override {
    shut_down = true;
    timers_.clear();
    for (Request& r : requests) r.callback = nullptr;
  }

  /// Runs every timer due now, including ones queued while running; returns how many ran.
  std::size_t run_due() {
    std::size_t ran = 0;
    while (auto fn = pop_due(clock_.now_ns())) {
      fn();
      ++ran;
    }
    return ran;
  }

  /// Moves the clock forward by `delta`, stopping at each timer's due time to run it.
  void advance(std::chrono::milliseconds delta) {
    const TimestampNs target = clock_.now_ns() + delta.count() * 1'000'000;
    for (;;) {
      run_due();
      auto next = std::min_element(timers_.begin(), timers_.end(), earlier);
      if (next == timers_.end() || next->due > target) break;
      clock_.set(next->due);
    }
    clock_.set(target);
    run_due();
  }

  /// Delay until the earliest timer, or -1 when none.
  std::int64_t next_timer_in_ms() const {
    auto next = std::min_element(timers_.begin(), timers_.end(), earlier);
    if (next == timers_.end()) return -1;
    return (next->due - clock_.now_ns()) / 1'000'000;
  }

  Connection& last_connection() { return connections.back(); }
  void open() { last_connection().handler->on_open(); }
  void push(std::string_view frame) { last_connection().handler->on_message(frame); }
  void close_socket(std::string reason) { last_connection().handler->on_close(std::move(reason)); }

  /// Indexes of unanswered requests whose target starts with `prefix`.
  std::vector<std::size_t> open_requests(std::string_view prefix = "") const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (requests[i].callback && requests[i].request.target.rfind(prefix, 0) == 0) {
        out.push_back(i);
      }
    }
    return out;
  }

  /// Answers request `index` with an HTTP response.
  void respond(std::size_t index, int status, std::string body, net::Headers headers = {}) {
    net::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    deliver(index, std::move(response));
  }

  /// Fails request `index` with a transport error text.
  void fail(std::size_t index, std::string error) {
    deliver(index, tl::make_unexpected(std::move(error)));
  }

  std::vector<Request> requests;
  std::vector<Connection> connections;
  bool shut_down = false;

 private:
  struct Timer {
    TimestampNs due;
    std::uint64_t seq;
    std::function<void()> fn;
  };

  static bool earlier(const Timer& a, const Timer& b) {
    return a.due != b.due ? a.due < b.due : a.seq < b.seq;
  }

  std::function<void()> pop_due(TimestampNs now) {
    auto next = std::min_element(timers_.begin(), timers_.end(), earlier);
    if (next == timers_.end() || next->due > now) return nullptr;
    auto fn = std::move(next->fn);
    timers_.erase(next);
    return fn;
  }

  void deliver(std::size_t index, tl::expected<net::HttpResponse, std::string> reply) {
    // Move the callback out first: it may issue new requests and grow the vector.
    auto callback = std::move(requests.at(index).callback);
    requests.at(index).callback = nullptr;
    if (callback) callback(std::move(reply));
  }

  SimulatedClock& clock_;
  std::vector<Timer> timers_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace troupe::venues::testing
