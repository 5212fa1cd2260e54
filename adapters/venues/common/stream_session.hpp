#pragma once
// The connection mechanics every venue market-data port shares: one WebSocket at a time on the
// port's own transport, a generation counter that makes callbacks of older sockets and timers
// go stale, stale-stream detection from the injected clock, deduplicated state reports and
// reconnect after a jittered backoff, and client-side pacing of what the venue counts: outgoing
// control messages (send(), send_budget) and connection attempts (connect_budget). The venue
// supplies what happens on open, per message and
// to its books when a connection is abandoned (StreamSession::Hooks).
//
// Threading: start() and stop() may be called from any thread; everything else runs on the
// transport's thread, as do the hooks.

#include "actors/venue/venue_ports.hpp"
#include "adapters/net/transport.hpp"
#include "adapters/venues/common/backoff.hpp"
#include "adapters/venues/common/rate_limiter.hpp"
#include "runtime/clock.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace troupe::venues {

/// Everything a StreamSession needs; the venue's port fills it from its own options.
struct StreamSessionOptions {
  /// Venue name that starts error texts ("binance").
  std::string venue;
  /// WebSocket target on the transport's endpoint.
  std::string target;
  /// The port's own transport; stop() shuts it down.
  std::shared_ptr<net::ClientTransport> transport;
  /// Time source for staleness; must outlive the session.
  const Clock* clock = nullptr;
  /// Books the port keeps, for the "syncing N book(s)" / "all N book(s) in sync" texts.
  std::size_t book_count = 0;
  /// No message on the open socket for this long → abandon it and reconnect (ms).
  std::int64_t stale_after_ms = 5000;
  /// Shortest reconnect delay (ms).
  std::int64_t reconnect_min_ms = 100;
  /// Longest reconnect delay (ms).
  std::int64_t reconnect_max_ms = 5000;
  /// Seed of the reconnect backoff jitter (deterministic runs).
  std::uint64_t seed = 1;
  /// Outgoing messages sent through send() / send_with(): over budget they wait, in order, and
  /// a reconnect drops them. Unlimited by default.
  RateBudget send_budget;
  /// Connection attempts: over budget the next connect waits. Unlimited by default.
  RateBudget connect_budget;
};

/// StreamSessionOptions from a venue port's options, which name these fields alike
/// (venue, instruments, transport, clock, stale_after_ms, reconnect_*_ms, seed).
template <class PortOptions>
StreamSessionOptions stream_session_options(const PortOptions& options, std::string target) {
  return {.venue = options.venue.value,
          .target = std::move(target),
          .transport = options.transport,
          .clock = options.clock,
          .book_count = options.instruments.size(),
          .stale_after_ms = options.stale_after_ms,
          .reconnect_min_ms = options.reconnect_min_ms,
          .reconnect_max_ms = options.reconnect_max_ms,
          .seed = options.seed};
}

class StreamHandler;

/// One venue stream connection with reconnect; owned by a market-data port.
class StreamSession {
 public:
  /// What the venue does at each step; all calls come on the transport's thread.
  class Hooks {
   public:
    virtual ~Hooks() = default;
    /// The socket opened; state is already Syncing and the stale timer armed. Subscribe here.
    virtual void on_stream_open(TimestampNs now) = 0;
    /// One frame of the current socket; it already counts against staleness.
    virtual void on_stream_message(std::string_view payload, TimestampNs now) = 0;
    /// The socket was dropped (state now Disconnected): invalidate every book, report resyncs.
    virtual void on_stream_abandoned(ResyncReason reason, const std::string& detail,
                                     TimestampNs now) = 0;
  };

  StreamSession(StreamSessionOptions options, Hooks& hooks);
  ~StreamSession();
  StreamSession(const StreamSession&) = delete;
  StreamSession& operator=(const StreamSession&) = delete;

  /// Remembers `listener` and queues the first connect; later calls do nothing.
  void start(MarketDataListener& listener);
  /// Shuts the transport down: no handler or timer runs afterwards. Idempotent.
  void stop();

  /// Runs `fn` on the transport's thread after `delay` unless the session stopped meanwhile.
  template <class Fn>
  void post(std::chrono::milliseconds delay, Fn fn) {
    options_.transport->post_after(delay, [this, fn = std::move(fn)]() mutable {
      if (!stopped_.load()) fn();
    });
  }

  /// Sends `text` on the current socket, paced by send_budget: at once when the budget allows
  /// and nothing waits ahead of it, otherwise from a timer later. Dropped when the connection
  /// is abandoned first.
  void send(std::string text);
  /// Like send(), but runs `fn` with the socket when the budget allows; `fn` must send exactly
  /// one message (build it there when it must be fresh, e.g. a JWT that expires).
  void send_with(std::function<void(net::WebSocket&)> fn);
  /// The pacer behind send(): its limiter can be held after a venue's rate error.
  Pacer& sends() { return sends_; }

  /// Closes the socket, drops queued sends, reports Disconnected with `detail`, lets the venue
  /// invalidate its books and reconnects after the backoff delay (and the connect budget).
  void abandon(const std::string& detail, ResyncReason reason);
  /// Reports `state` unless it is the current one.
  void set_state(SessionState state, std::string detail);
  /// While Syncing or Live: Live once `list_unsynced()` (comma-separated symbols) is empty,
  /// Syncing again when it is not. Reaching Live resets the reconnect backoff.
  template <class ListUnsynced>
  void refresh_state(ListUnsynced&& list_unsynced) {
    if (state_ != SessionState::Syncing && state_ != SessionState::Live) return;
    report_sync(list_unsynced());
  }

  /// The listener given to start().
  MarketDataListener& listener() const { return *listener_; }
  /// Bumps on every (dis)connect; a callback holding an older value must do nothing.
  std::uint64_t generation() const { return generation_; }
  /// The current socket, or null between connections.
  net::WebSocket* socket() const { return socket_.get(); }
  /// stop() was called (from any thread).
  bool stopped() const { return stopped_.load(); }
  /// Venue name for error texts.
  const std::string& venue() const { return options_.venue; }

  void on_open(std::uint64_t generation);
  void on_message(std::uint64_t generation, std::string_view payload);
  void on_close(std::uint64_t generation, const std::string& reason);

 private:
  void connect();
  void open_socket();
  void arm_stale_timer(std::uint64_t generation);
  void report_sync(const std::string& unsynced);

  StreamSessionOptions options_;
  Hooks& hooks_;
  const Clock& clock_;
  Backoff reconnect_;
  Pacer sends_;
  RateLimiter connects_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  MarketDataListener* listener_ = nullptr;
  // Everything below is touched only on the transport's thread.
  std::uint64_t generation_ = 0;
  std::shared_ptr<net::WebSocket> socket_;
  std::vector<std::unique_ptr<StreamHandler>> handlers_;
  SessionState state_ = SessionState::Disconnected;
  TimestampNs last_message_ns_ = 0;
};

}  // namespace troupe::venues
