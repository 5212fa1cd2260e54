#pragma once
// Kraken Spot market data as a troupe::MarketDataPort: one public WebSocket v2 connection
// (`/v2`), `book` (with depth) and `trade` subscriptions for all configured symbols, a checksum-
// verified book per symbol (BookSync), stale detection and reconnect with jittered backoff
// (exchange-protocols.md §4.1-§4.5).
//
// Limits (§4.5): Kraken's per-connection message rate is dynamic and unpublished, so subscribe /
// unsubscribe messages go through a conservative budget (subscribe_budget) and wait in order
// when it is spent; an "Exceeded msg rate" refusal pauses every request (jittered, doubling) and
// sends the refused one again. A book that got no snapshot within snapshot_timeout_ms of its
// subscription is resubscribed, and the port reconnects if that one times out too: a swallowed
// snapshot would otherwise leave the book syncing for good, since heartbeats and other books'
// updates keep the connection from looking stale.
//
// Threading: as the Binance port. All I/O goes through the port's net::ClientTransport and every
// handler, timer and listener call runs on the transport's thread; start() only queues work
// there, so it may be called from any thread. The port creates no threads and reads time only
// from the injected Clock.

#include "actors/venue/venue_ports.hpp"
#include "adapters/net/transport.hpp"
#include "adapters/venues/common/rate_limiter.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace troupe::kraken {

/// Everything a Kraken market-data port needs.
struct MarketDataPortOptions {
  /// Venue name used in error texts ("kraken"); instrument ids come from `instruments`.
  VenueId venue{"kraken"};
  /// Symbols to stream; `id.symbol` is the WS v2 symbol ("BTC/USD", not "XBT/USD").
  /// price_precision / size_precision must be Kraken's price_precision / qty_precision (§4.6).
  std::vector<Instrument> instruments;
  /// The port's own transport. Exclusive to this port: stop() shuts it down.
  std::shared_ptr<net::ClientTransport> transport;
  /// Time source for ts_init and staleness; must outlive the port.
  const Clock* clock = nullptr;
  /// WebSocket target on the transport's endpoint.
  std::string target = "/v2";
  /// Book subscription depth: 10, 25, 100, 500 or 1000 (§4.2).
  std::uint32_t depth = 10;
  /// No message (heartbeats included) on the open socket for this long → reconnect (ms).
  std::int64_t stale_after_ms = 5000;
  /// Shortest reconnect / resubscribe delay (ms).
  std::int64_t reconnect_min_ms = 100;
  /// Longest reconnect / resubscribe delay (ms).
  std::int64_t reconnect_max_ms = 5000;
  /// Seed of the backoff jitter (deterministic runs).
  std::uint64_t seed = 1;
  /// Subscribe / unsubscribe messages per connection: at most 10 in any second, 5 at once
  /// (§4.5 publishes no number; see the README for why this is conservative).
  venues::RateBudget subscribe_budget{.count = 10, .window_ms = 1000, .burst = 5};
  /// Connection attempts; unlimited by default (§4.5 documents no connection limit).
  venues::RateBudget connect_budget;
  /// A book still without a snapshot this long after its subscription went out is resubscribed;
  /// when the resubscription times out too, the port reconnects (ms).
  std::int64_t snapshot_timeout_ms = 10000;
  /// First pause of all requests after an "Exceeded msg rate" refusal (ms); later refusals
  /// double it (jittered) up to 30 s. A success resets it.
  std::int64_t rate_limited_pause_ms = 1000;
};

/// Checks options before a port is built: transport and clock set, at least one instrument,
/// a depth Kraken offers, positive stale and snapshot times, min <= max, sound budgets. The
/// error names the option.
tl::expected<void, std::string> validate(const MarketDataPortOptions& options);

/// Creates a port. Options must pass validate(); otherwise this logs the reason and aborts
/// (a programming error: the config loader validates first).
std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options);

}  // namespace troupe::kraken
