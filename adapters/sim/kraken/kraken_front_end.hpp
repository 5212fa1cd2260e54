#pragma once
// The simulated venue behind the Kraken Spot WebSocket v2 public protocol
// (exchange-protocols.md §4.1-§4.3, §4.5): one WebSocket endpoint (`/v2`) serving `status`,
// `heartbeat`, ping/pong, and the `book` (depth 10/25/100/500/1000, CRC32 checksum) and `trade`
// channels over its own matching engine and agent-based market (adapters/sim/market.hpp, the
// same simulation as the Binance front end). Market data only: no private endpoint, no orders,
// no REST API. Faults through VenueFrontEnd::inject (README.md).
//
// Thread safety: handle(), accept_websocket(), WebSocket messages, step(), book() and inject()
// may run concurrently; one mutex guards the venue state. Frames are queued under it and sent
// after it is released, in queue order.
//
// Lifetime: the front end must outlive every server or transport that serves it.

#include "adapters/sim/front_end.hpp"
#include "adapters/sim/sim_config.hpp"

#include <tl/expected.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

namespace kraken_detail {
struct KrakenState;
}

/// Running totals of what the Kraken front end did.
struct KrakenCounters {
  std::uint64_t steps = 0;            ///< market steps taken
  std::uint64_t connections = 0;      ///< WebSockets accepted at /v2
  std::uint64_t book_snapshots = 0;   ///< book snapshot frames sent
  std::uint64_t book_updates = 0;     ///< book update frames sent (duplicates included)
  std::uint64_t trade_frames = 0;     ///< trade frames sent (snapshots included)
  std::uint64_t heartbeats = 0;       ///< heartbeat frames sent
  std::uint64_t stalled_frames = 0;   ///< market-data frames a Stall fault dropped
  std::uint64_t faults_injected = 0;  ///< fault injections carried out
};

/// The simulated Kraken Spot venue (public market data).
class KrakenFrontEnd final : public VenueFrontEnd {
 public:
  /// The book depths Kraken offers (§4.2).
  static constexpr std::array<std::uint32_t, 5> kDepths{10, 25, 100, 500, 1000};

  /// Checks what the constructor relies on: step_ms > 0; per instrument a `BASE/QUOTE` symbol
  /// (unique), precisions at most 8, tick and lot positive at those precisions, sane market
  /// parameters. The error names the config key and value. api_key, api_secret and balances
  /// are not used.
  static tl::expected<void, std::string> validate(const SimConfig& config);

  /// Builds the venue: one book per instrument (price_precision / size_precision act as
  /// Kraken's price_precision / qty_precision) and its agents, seeded from config.seed. Aborts
  /// on a config that validate() refuses. `clock` (must outlive the front end) stamps frames
  /// and times heartbeats, stalls and throttles.
  KrakenFrontEnd(const SimConfig& config, const Clock& clock);
  ~KrakenFrontEnd() override;
  KrakenFrontEnd(const KrakenFrontEnd&) = delete;
  KrakenFrontEnd& operator=(const KrakenFrontEnd&) = delete;

  /// No REST API is simulated: 404 with Kraken's error envelope (`EGeneral:Unknown method`),
  /// or `EAPI:Rate limit exceeded` (HTTP 429) while a Throttle fault is in force.
  net::HttpResponse handle(const net::HttpRequest& request) override;
  /// Accepts the public WebSocket at path `/v2` (and sends `status`); nullptr otherwise.
  std::shared_ptr<net::ServerWebSocketHandler> accept_websocket(
      const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) override;

  /// "kraken".
  std::string_view venue() const override { return "kraken"; }
  /// Advances the market one step at `now` (ns since epoch) and pushes, per symbol, one trade
  /// frame with the step's trades and one book update per subscribed depth with the levels
  /// that changed within that depth; then heartbeats to subscribed sockets that were sent
  /// nothing for 1 s of venue time.
  void step(TimestampNs now) override;
  /// The venue's own book of `symbol` (prices and sizes at the instrument's precisions),
  /// `depth` levels per side (0 = all); `sequence` is 0 (Kraken has none). Empty for an unknown
  /// symbol.
  BookSnapshot book(const std::string& symbol, std::size_t depth) const override;
  /// Every FaultKind; see README.md for the Kraken semantics of each.
  FaultReport inject(const FaultSpec& fault) override;
  /// All eight kinds.
  std::vector<FaultKind> supported_faults() const override;
  /// Every fault carried out so far, described, oldest first.
  std::vector<std::string> fault_log() const override;

  /// Totals so far.
  KrakenCounters counters() const;

 private:
  std::unique_ptr<kraken_detail::KrakenState> state_;
};

}  // namespace troupe::sim
