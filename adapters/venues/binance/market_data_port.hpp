#pragma once
// Binance Spot market data as a troupe::MarketDataPort: one combined WebSocket stream
// (`/stream?streams=<sym>@depth@100ms/<sym>@trade/...`), REST depth snapshots, the §2.7 book
// procedure per symbol (BookSync), stale detection and reconnect with jittered backoff (§2.8).
//
// Limits (§2.8): snapshot requests are paced by a REQUEST_WEIGHT budget (each costs the weight
// of its `limit`, §2.2) and stop for the Retry-After of a 429 / 418; connection attempts are
// paced by a connect budget; the stream names go in the URL (no SUBSCRIBE messages, so nothing
// counts against the 5 incoming messages/s), and validate() refuses more streams than one
// connection carries (1024).
//
// Threading: the port does all I/O through its net::ClientTransport and runs every handler,
// timer and listener call on the transport's thread (the Beast I/O thread in paper/live mode,
// the caller of InProcessTransport::run_pending() in backtests). start() only queues work
// there (post_after with zero delay), so it may be called from any thread; with an in-process
// transport nothing happens until the transport is drained. The port creates no threads and
// reads time only from the injected Clock.

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

namespace troupe::binance {

/// Streams one WebSocket connection may carry (§2.8); the port opens 2 per instrument
/// (`@depth`, `@trade`), so one port takes at most 512 instruments.
inline constexpr std::size_t kMaxStreamsPerConnection = 1024;

/// REQUEST_WEIGHT of `GET /api/v3/depth` with `limit` (§2.2): 1-100 → 5, 101-500 → 25,
/// 501-1000 → 50, 1001-5000 → 250.
std::int64_t depth_request_weight(std::uint32_t limit);

/// Everything a Binance market-data port needs.
struct MarketDataPortOptions {
  /// Venue name used in error texts ("binance"); instrument ids come from `instruments`.
  VenueId venue{"binance"};
  /// Symbols to stream; `id.symbol` is the upper-case Binance symbol ("BTCUSDT").
  std::vector<Instrument> instruments;
  /// The port's own transport (REST and WebSocket on one endpoint). Exclusive to this port:
  /// stop() shuts it down. Keep another shared_ptr to an InProcessTransport to drain it.
  std::shared_ptr<net::ClientTransport> transport;
  /// Time source for ts_init, staleness and request timestamps; must outlive the port.
  const Clock* clock = nullptr;
  /// `limit` of `GET /api/v3/depth` (5..5000).
  std::uint32_t snapshot_depth = 1000;
  /// Diff-depth update speed suffix: "100ms" streams `@depth@100ms`, "" streams `@depth`.
  std::string depth_speed = "100ms";
  /// No message on the open stream for this long → resync everything and reconnect (ms).
  std::int64_t stale_after_ms = 5000;
  /// Shortest reconnect / snapshot-retry delay (ms).
  std::int64_t reconnect_min_ms = 100;
  /// Longest reconnect / snapshot-retry delay (ms).
  std::int64_t reconnect_max_ms = 5000;
  /// Depth events buffered per symbol while waiting for a snapshot.
  std::size_t max_buffered_events = 10'000;
  /// Seed of the backoff jitter (deterministic runs).
  std::uint64_t seed = 1;
  /// REQUEST_WEIGHT budget for depth snapshots: §2.8 allows 6000 per minute per IP; each
  /// request costs depth_request_weight(snapshot_depth). Requests over budget wait in order.
  /// Lower `count` when other clients (the order port) share the IP. burst must cover one
  /// request's weight.
  venues::RateBudget snapshot_weight_budget{.count = 6000, .window_ms = 60'000, .burst = 1000};
  /// Connection attempts: §2.8 allows 300 per 5 minutes per IP.
  venues::RateBudget connect_budget{.count = 300, .window_ms = 300'000, .burst = 10};
  /// How long snapshot requests stop after a 429 that carries no Retry-After (ms); a 418 (IP
  /// ban, §2.4) without one stops them for at least 2 minutes.
  std::int64_t rate_limited_pause_ms = 60'000;
};

/// Checks options before a port is built: transport and clock set, 1..512 instruments (at most
/// kMaxStreamsPerConnection streams), positive stale time, min <= max, sound budgets. The error
/// names the option.
tl::expected<void, std::string> validate(const MarketDataPortOptions& options);

/// Creates a port. Options must pass validate(); otherwise this logs the reason and aborts
/// (a programming error: the config loader validates first).
std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options);

/// The combined-stream target for `options`: `/stream?streams=btcusdt@depth@100ms/btcusdt@trade`.
std::string combined_stream_target(const MarketDataPortOptions& options);

}  // namespace troupe::binance
