#pragma once
// The simulated Coinbase Advanced Trade market-data WebSocket (exchange-protocols.md §3.1-§3.6,
// §3.8): one WebSocket at `/` with subscribe / unsubscribe of `level2` (messages on channel
// `l2_data`: a snapshot of the whole book, then updates with absolute `new_quantity`),
// `market_trades` and `heartbeats`, `subscriptions` acknowledgements, one `sequence_num` counter
// per connection shared by every channel, and `{"type":"error"}` answers. It owns its own
// matching engine and agent-based market (adapters/sim/market.hpp) and injects the faults of
// sim::FaultKind (CorruptChecksum excepted: Coinbase level2 carries no checksum).
//
// Thread safety: handle(), accept_websocket(), WebSocket messages, step(), book() and inject()
// may run concurrently; one mutex guards the venue state. Frames are queued under that mutex
// and sent afterwards in queue order, never while it is held.
//
// Lifetime: the front end must outlive every server or transport that serves it.

#include "adapters/net/transport.hpp"
#include "adapters/sim/front_end.hpp"
#include "adapters/sim/sim_config.hpp"
#include "messages/data.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

namespace coinbase_detail {
struct CoinbaseState;
}

/// Venue limits the simulator enforces (§3.2, §3.8). All counted in venue-clock time; the
/// simulator sees every client as one IP address (loopback). 0 turns a limit off.
struct CoinbaseLimits {
  /// Subscribe / unsubscribe messages per second across all connections (§3.8: 8 / s / IP
  /// unauthenticated); more get the rate-limit error.
  std::int64_t messages_per_second = 8;
  /// New WebSocket connections per second (§3.8: 8 / s / IP); more are refused.
  std::int64_t connections_per_second = 8;
  /// A connection that has not subscribed this long after connecting is closed (§3.2: 5 s), ms.
  std::int64_t subscribe_deadline_ms = 5000;
};

/// Running totals of what the front end did.
struct CoinbaseCounters {
  std::uint64_t steps = 0;                ///< market steps taken
  std::uint64_t connections = 0;          ///< WebSockets accepted
  std::uint64_t refused_connections = 0;  ///< WebSockets refused (throttle, rate limit, target)
  std::uint64_t snapshots = 0;            ///< l2_data snapshot messages sent
  std::uint64_t l2_updates = 0;           ///< l2_data update messages sent (duplicates included)
  std::uint64_t trade_messages = 0;       ///< market_trades messages sent (snapshots included)
  std::uint64_t heartbeats = 0;           ///< heartbeats messages sent
  std::uint64_t errors = 0;               ///< {"type":"error"} messages sent
  std::uint64_t faults = 0;               ///< faults carried out (see fault_log())
};

/// The simulated Coinbase Advanced Trade market-data venue.
class CoinbaseFrontEnd final : public VenueFrontEnd {
 public:
  /// The WebSocket target served (the market-data host serves `/`, §3.1; the connector's
  /// MarketDataPortOptions::websocket_target defaults to it).
  static constexpr std::string_view kWebSocketTarget = "/";
  /// Text of the error message sent to subscribe / unsubscribe requests over the rate limit
  /// or during a Throttle fault. The venue's exact wording is not documented (§3.2 [obs]).
  static constexpr std::string_view kRateLimitMessage = "rate limit exceeded";

  /// Checks what the constructor relies on: step_ms > 0 and every instrument's symbol a
  /// Coinbase product id ("BTC-USD": upper-case letters and digits, one '-'), unique, with a
  /// usable tick, lot and market model. The error names the config key and value.
  static tl::expected<void, std::string> validate(const SimConfig& config);

  /// Builds the venue: one book and one agent market per instrument (seeded from config.seed).
  /// Aborts on a config that validate() refuses. `clock` must outlive the front end; it stamps
  /// every message and times heartbeats, stalls, throttles and rate limits.
  CoinbaseFrontEnd(const SimConfig& config, const Clock& clock, CoinbaseLimits limits = {});
  ~CoinbaseFrontEnd() override;
  CoinbaseFrontEnd(const CoinbaseFrontEnd&) = delete;
  CoinbaseFrontEnd& operator=(const CoinbaseFrontEnd&) = delete;

  /// "coinbase".
  std::string_view venue() const override { return "coinbase"; }

  /// No REST is simulated on the market-data host: every request gets 404 with a JSON body.
  net::HttpResponse handle(const net::HttpRequest& request) override;
  /// Accepts the market-data WebSocket at kWebSocketTarget; nullptr (refused) for any other
  /// target, during a Throttle fault or over the connection rate limit.
  std::shared_ptr<net::ServerWebSocketHandler> accept_websocket(
      const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) override;

  /// Advances the market one step at `now` (ns since epoch) and pushes, per connection: one
  /// l2_data update per product whose book changed (every level changed in the step once, with
  /// its final size), market_trades updates once 250 ms of trades have gathered, a heartbeat
  /// once per second of venue time; closes connections past the subscribe deadline.
  void step(TimestampNs now) override;

  /// The venue's book of `symbol`, `depth` levels per side (0 = all). `sequence` is 0:
  /// Coinbase has no per-product update counter. Empty for an unknown symbol.
  BookSnapshot book(const std::string& symbol, std::size_t depth) const override;

  /// Drop / Duplicate / Reorder arm for the next l2_data update(s) of fault.symbol; Malformed
  /// sends now; Stall and Throttle start now for fault.duration_ms; Disconnect closes every
  /// socket now. CorruptChecksum: done = false (no checksum in Coinbase level2).
  FaultReport inject(const FaultSpec& fault) override;
  /// Every kind but CorruptChecksum.
  std::vector<FaultKind> supported_faults() const override;
  /// Faults armed and carried out, described, oldest first.
  std::vector<std::string> fault_log() const override;

  /// Totals so far.
  CoinbaseCounters counters() const;
  /// Connections open now.
  std::size_t connection_count() const;

 private:
  std::unique_ptr<coinbase_detail::CoinbaseState> state_;
};

}  // namespace troupe::sim
