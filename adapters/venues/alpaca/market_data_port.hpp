#pragma once
// Alpaca stocks market data (data API v2, JSON mode) as a troupe::MarketDataPort: one
// WebSocket connection to `/v2/{feed}`; waits for `connected`, authenticates, subscribes trades
// and quotes (and minute bars when asked) for every instrument in chunks, and turns each quote
// into a one-level BookSnapshot (an L1 book), each trade into a TradeTick and each bar into a
// Bar (exchange-protocols.md §1.11, §1.12). Reconnects through the shared StreamSession (stale
// detection, jittered backoff), with longer pauses after 406 (connection limit) and auth errors.
//
// Threading: as the other venue ports. All I/O goes through the port's net::ClientTransport and
// every handler, timer and listener call runs on the transport's thread; start() only queues
// work there. The port creates no threads and reads time only from the injected Clock.

#include "actors/venue/venue_ports.hpp"
#include "adapters/net/transport.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace troupe::alpaca {

/// Everything an Alpaca market-data port needs.
struct MarketDataPortOptions {
  /// Venue name used in error texts and instrument ids ("alpaca").
  VenueId venue{"alpaca"};
  /// Symbols to stream; `id.symbol` is the Alpaca symbol ("AAPL"). Prices are parsed exactly at
  /// price_precision (2 for US equities), sizes at size_precision (0 for whole shares).
  std::vector<Instrument> instruments;
  /// The port's own transport. Exclusive to this port: stop() shuts it down.
  std::shared_ptr<net::ClientTransport> transport;
  /// Time source for ts_init, staleness and retry pauses; must outlive the port.
  const Clock* clock = nullptr;
  /// Data feed: "iex" (free plan), "sip" (paid), "delayed_sip" or "test"; the WebSocket target
  /// is "/v2/" + feed (§1.1).
  std::string feed = "iex";
  /// API key id and secret sent in the `auth` message (§1.11).
  std::string key_id;
  std::string secret_key;
  /// Also subscribe minute bars and report them through MarketDataListener::on_bar.
  bool bars = false;
  /// Most symbols the plan allows for trades + quotes (§1.12: 30 on the IEX plan); validate()
  /// refuses more instruments. 0 = no limit (SIP).
  std::size_t max_symbols = 30;
  /// Symbols per subscribe message; more instruments are subscribed in several messages.
  std::size_t symbols_per_subscribe = 100;
  /// No message at all (subscription traffic included) for this long → reconnect (ms). Alpaca
  /// sends no heartbeats in JSON mode and quotes can pause outside market hours: keep it long.
  std::int64_t stale_after_ms = 30000;
  /// Shortest reconnect delay (ms).
  std::int64_t reconnect_min_ms = 100;
  /// Longest reconnect delay (ms).
  std::int64_t reconnect_max_ms = 5000;
  /// Pause before connecting again after 406 "connection limit exceeded" (ms); grows with each
  /// refusal up to the max and resets once a subscription is confirmed.
  std::int64_t connection_limit_retry_min_ms = 1000;
  std::int64_t connection_limit_retry_max_ms = 30000;
  /// Pause before connecting again after 401/402/404 (not authenticated, auth failed, auth
  /// timeout) (ms); grows up to the max, resets once a subscription is confirmed.
  std::int64_t auth_retry_min_ms = 10000;
  std::int64_t auth_retry_max_ms = 120000;
  /// Frames longer than this are refused as frame errors (bytes).
  std::size_t max_frame_bytes = std::size_t{4} << 20;
  /// Seed of the backoff jitter (deterministic runs).
  std::uint64_t seed = 1;
};

/// Checks options before a port is built: transport and clock set, instruments present, unique
/// and within max_symbols, a known feed, credentials set, positive times, min <= max. The error
/// names the option.
tl::expected<void, std::string> validate(const MarketDataPortOptions& options);

/// Creates a port. Options must pass validate(); otherwise this logs the reason and aborts
/// (a programming error: the config loader validates first).
std::unique_ptr<MarketDataPort> make_market_data_port(MarketDataPortOptions options);

}  // namespace troupe::alpaca
