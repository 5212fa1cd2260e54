#pragma once
// The simulated venue behind the Alpaca stocks market-data v2 stream (exchange-protocols.md
// §1.11, §1.12, §1.14): `/v2/iex` and `/v2/sip` WebSockets in JSON mode with the connected /
// auth / subscribe handshake, one authenticated connection per key (406), the auth timeout
// (404), quotes (top of book after each step when it changed), trades as they happen and minute
// bars at each minute boundary of venue time. It owns its own MatchingEngine and Market (the
// same simulation as the Binance front end) and injects faults through VenueFrontEnd::inject.
//
// Thread safety: handle(), WebSocket messages, step(), book() and inject() may run concurrently;
// one mutex guards the venue state. Frames are queued under that mutex and sent afterwards in
// queue order, never while the mutex is held.
//
// Lifetime: the front end must outlive every server or transport that serves it.

#include "adapters/sim/front_end.hpp"
#include "adapters/sim/sim_config.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace troupe::sim {

namespace alpaca_detail {
struct State;
}

/// Running totals of what the Alpaca front end did.
struct AlpacaCounters {
  std::uint64_t steps = 0;                ///< market steps taken
  std::uint64_t connections = 0;          ///< WebSockets accepted (refused ones included)
  std::uint64_t connections_refused = 0;  ///< answered 406 (throttle or second connection)
  std::uint64_t auth_failures = 0;        ///< 402 answers
  std::uint64_t auth_timeouts = 0;        ///< 404 answers
  std::uint64_t quotes_generated = 0;     ///< top-of-book changes turned into quotes
  std::uint64_t quotes_withheld = 0;      ///< quotes a Drop fault swallowed
  std::uint64_t trades = 0;               ///< public trades published
  std::uint64_t bars = 0;                 ///< minute bars published
  std::uint64_t faults_injected = 0;      ///< inject() calls that were carried out
};

/// The simulated Alpaca stocks market-data venue.
class AlpacaFrontEnd final : public VenueFrontEnd {
 public:
  /// Seconds of venue time a connection has to authenticate before 404 "auth timeout".
  static constexpr std::int64_t kAuthTimeoutMs = 10'000;
  /// Distinct trades + quotes symbols one `/v2/iex` connection may subscribe (§1.12).
  static constexpr std::size_t kIexSymbolLimit = 30;

  /// Checks what the constructor relies on; the error names the config key and value.
  static tl::expected<void, std::string> validate(const SimConfig& config);

  /// Builds the venue from `config` (stock symbols such as "AAPL", typically price precision 2
  /// and size precision 0; agents seeded from config.seed); clients authenticate with
  /// config.api_key / api_secret. Aborts on a config validate() refuses. `clock` (venue time)
  /// must outlive the front end.
  AlpacaFrontEnd(const SimConfig& config, const Clock& clock);
  ~AlpacaFrontEnd() override;
  AlpacaFrontEnd(const AlpacaFrontEnd&) = delete;
  AlpacaFrontEnd& operator=(const AlpacaFrontEnd&) = delete;

  /// "alpaca".
  std::string_view venue() const override { return "alpaca"; }
  /// No REST is served: 404 JSON (429 while a Throttle fault is active).
  net::HttpResponse handle(const net::HttpRequest& request) override;
  /// Accepts `/v2/iex` and `/v2/sip` (nullptr otherwise) and sends `connected`; while a
  /// Throttle fault is active it sends 406 "connection limit exceeded" and closes instead.
  std::shared_ptr<net::ServerWebSocketHandler> accept_websocket(
      const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) override;

  /// Advances the market one step at `now`: minute bars of the minute that ended, trades of
  /// this step, one quote per symbol whose top of book changed; one frame per connection.
  /// Also closes connections that did not authenticate within kAuthTimeoutMs (404).
  void step(TimestampNs now) override;
  /// The venue's L1 of `symbol`: at most one bid and one ask level whatever `depth` is;
  /// `sequence` is 0 (the stream numbers nothing). Empty for an unknown symbol.
  BookSnapshot book(const std::string& symbol, std::size_t depth) const override;
  /// Drop / Duplicate / Reorder act on the next quote(s) of `symbol`; Malformed sends a broken
  /// frame now to the symbol's subscribers; Stall holds every frame for duration_ms; Disconnect
  /// closes every stream; Throttle refuses new connections with 406 for duration_ms.
  /// CorruptChecksum is not supported (no checksum in this protocol): done = false.
  FaultReport inject(const FaultSpec& fault) override;
  /// Every kind but CorruptChecksum.
  std::vector<FaultKind> supported_faults() const override;
  /// Injections and their effects, described, oldest first.
  std::vector<std::string> fault_log() const override;

  /// Totals so far.
  AlpacaCounters counters() const;

 private:
  std::unique_ptr<alpaca_detail::State> state_;
};

}  // namespace troupe::sim
