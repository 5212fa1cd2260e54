#include "adapters/venues/common/stream_session.hpp"

#include <algorithm>

namespace troupe::venues {

using std::chrono::milliseconds;

/// Receives the events of one WebSocket connection attempt (one generation).
class StreamHandler final : public net::WebSocketHandler {
 public:
  StreamHandler(StreamSession& session, std::uint64_t generation)
      : session_(session), generation_(generation) {}
  void on_open() override { session_.on_open(generation_); }
  void on_message(std::string_view payload) override { session_.on_message(generation_, payload); }
  void on_close(std::string reason) override {
    closed_ = true;
    session_.on_close(generation_, reason);
  }
  /// on_close arrived: the transport will not call this handler again.
  bool closed() const { return closed_; }

 private:
  StreamSession& session_;
  std::uint64_t generation_;
  bool closed_ = false;
};

StreamSession::StreamSession(StreamSessionOptions options, Hooks& hooks)
    : options_(std::move(options)),
      hooks_(hooks),
      clock_(*options_.clock),
      reconnect_(milliseconds(options_.reconnect_min_ms), milliseconds(options_.reconnect_max_ms),
                 options_.seed),
      sends_(RateLimiter::for_budget(options_.send_budget, clock_),
             [this](milliseconds delay, std::function<void()> fn) { post(delay, std::move(fn)); }),
      connects_(RateLimiter::for_budget(options_.connect_budget, clock_)) {}

StreamSession::~StreamSession() { stop(); }

void StreamSession::start(MarketDataListener& listener) {
  if (started_.exchange(true)) return;
  listener_ = &listener;
  post(milliseconds(0), [this] { connect(); });
}

void StreamSession::stop() {
  if (stopped_.exchange(true)) return;
  options_.transport->shutdown();
}

void StreamSession::connect() {
  if (!connects_.try_acquire()) {
    // §2.8 / §3.8: venues count connection attempts per IP; a reconnect storm must not trip
    // (or prolong) a ban. Wait for the budget; a stop or newer attempt makes this one stale.
    const milliseconds wait = std::max(milliseconds(1), connects_.wait_for());
    const RateBudget& budget = options_.connect_budget;
    set_state(SessionState::Connecting, "connection budget spent (" + std::to_string(budget.count) +
                                            " per " + std::to_string(budget.window_ms) +
                                            " ms); connecting to " + options_.target + " in " +
                                            std::to_string(wait.count()) + " ms");
    post(wait, [this, generation = generation_] {
      if (generation == generation_) connect();
    });
    return;
  }
  open_socket();
}

void StreamSession::open_socket() {
  ++generation_;
  sends_.clear();
  // Handlers must outlive their sockets until on_close; closed ones can go now.
  std::erase_if(handlers_, [](const auto& handler) { return handler->closed(); });
  handlers_.push_back(std::make_unique<StreamHandler>(*this, generation_));
  set_state(SessionState::Connecting, "connecting to " + options_.target);
  socket_ = options_.transport->websocket(options_.target, *handlers_.back());
}

void StreamSession::on_open(std::uint64_t generation) {
  if (stopped_.load() || generation != generation_) return;
  const TimestampNs now = clock_.now_ns();
  last_message_ns_ = now;
  set_state(SessionState::Syncing, "connected to " + options_.target + "; syncing " +
                                       std::to_string(options_.book_count) + " book(s)");
  arm_stale_timer(generation);
  hooks_.on_stream_open(now);
}

void StreamSession::on_message(std::uint64_t generation, std::string_view payload) {
  if (stopped_.load() || generation != generation_) return;
  const TimestampNs now = clock_.now_ns();
  last_message_ns_ = now;
  hooks_.on_stream_message(payload, now);
}

void StreamSession::on_close(std::uint64_t generation, const std::string& reason) {
  if (stopped_.load() || generation != generation_) return;
  abandon(options_.venue + " stream closed: " + reason, ResyncReason::Disconnected);
}

void StreamSession::abandon(const std::string& detail, ResyncReason reason) {
  const TimestampNs now = clock_.now_ns();
  ++generation_;   // callbacks of the old socket, its timers and requests go stale
  sends_.clear();  // they were meant for the old socket; the venue resubscribes on open
  if (socket_) {
    socket_->close();
    socket_.reset();
  }
  set_state(SessionState::Disconnected, detail);
  hooks_.on_stream_abandoned(reason, detail, now);
  post(reconnect_.next(), [this, generation = generation_] {
    if (generation == generation_) connect();
  });
}

void StreamSession::send(std::string text) {
  send_with(
      [text = std::move(text)](net::WebSocket& socket) mutable { socket.send(std::move(text)); });
}

void StreamSession::send_with(std::function<void(net::WebSocket&)> fn) {
  sends_.submit([this, fn = std::move(fn)] {
    if (socket_) fn(*socket_);
  });
}

void StreamSession::arm_stale_timer(std::uint64_t generation) {
  const milliseconds period(std::max<std::int64_t>(10, options_.stale_after_ms / 2));
  post(period, [this, generation] {
    if (generation != generation_) return;
    const std::int64_t silent_ms = (clock_.now_ns() - last_message_ns_) / 1'000'000;
    if (silent_ms >= options_.stale_after_ms) {
      abandon(options_.venue + " stream stale: no message for " + std::to_string(silent_ms) + " ms",
              ResyncReason::Stale);
      return;
    }
    arm_stale_timer(generation);
  });
}

void StreamSession::set_state(SessionState state, std::string detail) {
  if (state == state_) return;
  state_ = state;
  listener_->on_state(state, std::move(detail));
}

void StreamSession::report_sync(const std::string& unsynced) {
  if (unsynced.empty() && state_ != SessionState::Live) {
    reconnect_.reset();
    set_state(SessionState::Live,
              "all " + std::to_string(options_.book_count) + " book(s) in sync");
  } else if (!unsynced.empty() && state_ == SessionState::Live) {
    set_state(SessionState::Syncing, "resyncing " + unsynced);
  }
}

}  // namespace troupe::venues
