#pragma once
// A ClientTransport decorator that can hold new WebSocket connections back until a given time.
// The shared StreamSession reconnects after its own (short) jittered backoff; Alpaca wants
// longer pauses after some refusals: 406 "connection limit exceeded" and 401/402/404 auth
// failures (§1.12: one connection per account; a client that hammers the venue with a wrong key
// helps nobody). The port sets a hold-off here and the session's next connect waits for it.
//
// Threading: as the wrapped transport; hold_until() and websocket() run on its thread.

#include "adapters/net/transport.hpp"
#include "runtime/clock.hpp"

#include <memory>
#include <string>

namespace troupe::alpaca {

/// Forwards everything to `inner`; websocket() opens the socket only once the hold-off is over.
class GatedTransport final : public net::ClientTransport {
 public:
  GatedTransport(std::shared_ptr<net::ClientTransport> inner, const Clock& clock);

  /// New connections wait until `until_ns` (ns since epoch). A later call replaces the time.
  void hold_until(TimestampNs until_ns) { hold_until_ns_ = until_ns; }
  /// The current hold-off end (0 = none yet).
  TimestampNs held_until() const { return hold_until_ns_; }

  void http(net::HttpRequest request, net::HttpCallback callback) override;
  /// Connects now, or returns a socket that connects when the hold-off ends; closing it before
  /// then cancels the attempt and reports on_close("canceled before connecting") to `handler`.
  std::shared_ptr<net::WebSocket> websocket(std::string target,
                                            net::WebSocketHandler& handler) override;
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) override;
  void shutdown() override;

 private:
  std::shared_ptr<net::ClientTransport> inner_;
  const Clock& clock_;
  TimestampNs hold_until_ns_ = 0;
};

}  // namespace troupe::alpaca
