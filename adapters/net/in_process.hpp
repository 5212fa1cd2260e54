#pragma once
// ClientTransport wired straight to an HttpService in the same process: no sockets, no threads.
// Deterministic: every request, response, WebSocket message and timer goes through one FIFO
// queue that only run_pending() drains, in order, on the caller's thread. Used by backtests
// (simulated venue in-process) and by tests.

#include "adapters/net/transport.hpp"
#include "runtime/clock.hpp"

#include <memory>

namespace troupe::net {

class InProcessTransport : public ClientTransport {
 public:
  /// Delivers work until the queue is empty and no timer is due at clock.now_ns(); returns the
  /// number of items delivered. Work queued while draining is delivered in the same call.
  virtual std::size_t run_pending() = 0;
  /// Items queued now (not counting timers that are not yet due).
  virtual std::size_t pending() const = 0;
};

/// `service` and `clock` must outlive the transport. Timers (post_after) fire in run_pending()
/// once clock.now_ns() reaches their due time.
std::unique_ptr<InProcessTransport> make_in_process_transport(HttpService& service,
                                                              const Clock& clock);

}  // namespace troupe::net
