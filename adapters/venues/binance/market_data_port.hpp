#pragma once
// Binance Spot market data as a troupe::MarketDataPort: one combined WebSocket stream
// (`/stream?streams=<sym>@depth@100ms/<sym>@trade/...`), REST depth snapshots, the §2.7 book
// procedure per symbol (BookSync), stale detection and reconnect with jittered backoff (§2.8).
//
// Threading: the port does all I/O through its net::ClientTransport and runs every handler,
// timer and listener call on the transport's thread (the Beast I/O thread in paper/live mode,
// the caller of InProcessTransport::run_pending() in backtests). start() only queues work
// there (post_after with zero delay), so it may be called from any thread; with an in-process
// transport nothing happens until the transport is drained. The port creates no threads and
// reads time only from the injected Clock.

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
};

/// Checks options before a port is built: transport and clock set, at least one instrument,
/// positive stale time, min <= max. The error names the option.
tl::expected<void, std::string> validate(const MarketDataPortOptions& options);

/// Creates a port. Options must pass validate(); otherwise this logs the reason and aborts
/// (a programming error: the config loader validates first).
std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options);

/// The combined-stream target for `options`: `/stream?streams=btcusdt@depth@100ms/btcusdt@trade`.
std::string combined_stream_target(const MarketDataPortOptions& options);

}  // namespace troupe::binance
