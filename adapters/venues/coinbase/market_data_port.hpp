#pragma once
// Coinbase Advanced Trade market data as a troupe::MarketDataPort: one WebSocket connection,
// one subscribe message per channel (level2, market_trades, heartbeats; §3.2), a BookEngine
// per product, connection-wide sequence_num gap detection (§3.5), stale detection and
// reconnect with jittered backoff (§3.8).
//
// Limits (§3.8): subscribe / unsubscribe messages go through a budget (8 unauthenticated
// messages per second per IP) and wait in order when it is spent; connection attempts go through
// another (8 per second per IP).
//
// Threading: like the Binance port, all I/O goes through the ClientTransport and every
// handler, timer and listener call runs on the transport's thread; start() only queues work
// (post_after with zero delay). The port creates no threads and reads time only from the
// injected Clock.

#include "actors/venue/venue_ports.hpp"
#include "adapters/net/transport.hpp"
#include "adapters/venues/common/rate_limiter.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace troupe::coinbase {

/// Returns a fresh JWT for one subscribe message (§3.1: JWTs live 2 minutes, so one per
/// message). Public channels work without one.
using JwtSigner = std::function<std::string()>;

/// Everything a Coinbase market-data port needs.
struct MarketDataPortOptions {
  /// Venue name used in error texts ("coinbase").
  VenueId venue{"coinbase"};
  /// Products to stream; `id.symbol` is the Coinbase product id ("BTC-USD").
  std::vector<Instrument> instruments;
  /// The port's own transport. Exclusive to this port: stop() shuts it down.
  std::shared_ptr<net::ClientTransport> transport;
  /// Time source for ts_init and staleness; must outlive the port.
  const Clock* clock = nullptr;
  /// WebSocket target on the transport's endpoint (the market-data host serves `/`, §3.1).
  std::string websocket_target = "/";
  /// Optional: adds a `jwt` to every subscribe message. Empty = unauthenticated (public data).
  JwtSigner jwt_signer;
  /// No message at all (heartbeats included) for this long → reconnect and resync (ms).
  std::int64_t stale_after_ms = 5000;
  /// A resync (gap, bad frame) whose snapshots have not all arrived after this long →
  /// reconnect (ms).
  std::int64_t snapshot_timeout_ms = 10000;
  /// Shortest reconnect delay (ms).
  std::int64_t reconnect_min_ms = 100;
  /// Longest reconnect delay (ms).
  std::int64_t reconnect_max_ms = 5000;
  /// Forward the `market_trades` snapshot (recent trades sent on every subscribe, §3.6) as
  /// TradeTicks. Off by default: after a reconnect they would repeat trades already reported.
  bool forward_trade_snapshots = false;
  /// Frames longer than this are refused (bytes).
  std::size_t max_frame_bytes = 32u << 20;
  /// Seed of the backoff jitter (deterministic runs).
  std::uint64_t seed = 1;
  /// Subscribe / unsubscribe messages: §3.8 allows 8 unauthenticated messages per second per
  /// IP. burst 6 sends the 3 subscriptions of a new connection at once even right after a
  /// resubscription (unsubscribe + subscribe); after that 2 per second, so no second ever sees
  /// more than 8.
  venues::RateBudget subscribe_budget{.count = 8, .window_ms = 1000, .burst = 6};
  /// Connection attempts: §3.8 allows 8 per second per IP.
  venues::RateBudget connect_budget{.count = 8, .window_ms = 1000, .burst = 4};
};

/// Checks options before a port is built: transport and clock set, at least one instrument,
/// positive times, min <= max, sound budgets. The error names the option.
tl::expected<void, std::string> validate(const MarketDataPortOptions& options);

/// Creates a port. Options must pass validate(); otherwise this logs the reason and aborts
/// (a programming error: the config loader validates first).
std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options);

}  // namespace troupe::coinbase
