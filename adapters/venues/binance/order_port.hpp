#pragma once
// Binance Spot order entry as a troupe::OrderPort: signed REST orders and cancels (§2.3, §2.5)
// and the user data stream over the WebSocket API (`/ws-api/v3`,
// `userDataStream.subscribe.signature`, §2.10), whose executionReports become order events.
//
// Threading: as the market-data port — every handler, timer and listener call runs on the
// transport's thread; start(), submit() and cancel() only queue work there (post_after with
// zero delay) and may be called from any thread. No threads, no wall-clock reads.
//
// Outcomes (see README.md): REST 4xx with a venue error → on_rejected("<code> <msg>"); REST 5xx,
// -1007 or a transport error → status unknown: never resent, reported via on_frame_error, then
// resolved with `GET /api/v3/order` (-2013 → on_rejected; order found → on_accepted unless the
// stream already reported it). A failed cancel is reported via on_frame_error only: the order
// itself is still working, so it must not be marked rejected.

#include "actors/venue/venue_ports.hpp"
#include "adapters/net/transport.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace troupe::binance {

/// Everything a Binance order port needs.
struct OrderPortOptions {
  /// Venue name used in error texts ("binance").
  VenueId venue{"binance"};
  /// The account every event is reported for.
  AccountId account;
  /// API key (`X-MBX-APIKEY`, WS-API `apiKey`). Never logged.
  std::string api_key;
  /// HMAC-SHA256 secret that signs requests (§2.5). Never logged.
  std::string api_secret;
  /// Tradable instruments; `id.symbol` is the upper-case Binance symbol.
  std::vector<Instrument> instruments;
  /// The port's own transport; stop() shuts it down.
  std::shared_ptr<net::ClientTransport> transport;
  /// Time source for `timestamp` parameters and ts_init; must outlive the port.
  const Clock* clock = nullptr;
  /// `recvWindow` sent with signed requests (ms, at most 60000).
  std::int64_t recv_window_ms = 5000;
  /// Shortest reconnect delay of the user data stream (ms).
  std::int64_t reconnect_min_ms = 100;
  /// Longest reconnect delay of the user data stream (ms).
  std::int64_t reconnect_max_ms = 5000;
  /// Wait before asking `GET /api/v3/order` about an order whose submit outcome is unknown;
  /// attempt n waits n times this (ms).
  std::int64_t status_query_delay_ms = 1000;
  /// Queries before giving up on an unknown status (reported via on_frame_error).
  std::uint32_t status_query_attempts = 5;
  /// (orderId, tradeId) pairs, and rejected client order ids, remembered to drop repeats.
  std::size_t remembered_fills = 100'000;
  /// Seed of the backoff jitter (deterministic runs).
  std::uint64_t seed = 1;
};

/// Checks options before a port is built; the error names the option.
tl::expected<void, std::string> validate(const OrderPortOptions& options);

/// Creates a port. Options must pass validate(); otherwise this logs the reason and aborts.
std::unique_ptr<OrderPort> make_order_port(OrderPortOptions options);

}  // namespace troupe::binance
