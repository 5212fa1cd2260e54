#pragma once
// The simulated venue behind the Binance Spot wire protocol (exchange-protocols.md §2): REST
// (public, signed order entry and account endpoints), market-data WebSocket streams (diff depth,
// trades; raw and combined; SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS) and the WebSocket API
// user data stream. It owns the matching engine, the agent-based market and the accounts, and
// serves them through net::HttpService, so it is reachable over BeastServer (paper mode) or
// in-process (backtests, tests).
//
// Thread safety: handle(), WebSocket messages and step() may run concurrently; one mutex guards
// the venue state. Frames are queued under that mutex and sent afterwards in queue order, never
// while the mutex is held.
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
#include <vector>

namespace troupe::sim {

namespace detail {
struct VenueState;
}

/// One order request as the venue received it (POST or DELETE /api/v3/order), whatever its
/// outcome. Lets tests prove that an order did, or did not, reach the venue.
struct ReceivedOrderRequest {
  TimestampNs received_ns = 0;  ///< venue clock at receipt
  std::string method;           ///< "POST" or "DELETE"
  std::string target;           ///< path and query as sent
  std::string body;             ///< form body as sent
  std::string symbol;           ///< decoded `symbol` parameter ("" when absent)
  std::string client_order_id;  ///< newClientOrderId (POST) or origClientOrderId (DELETE)
  int error_code = 0;           ///< 0 when accepted, else the Binance error code returned
};

/// Running totals of what the front end did.
struct FrontEndCounters {
  std::uint64_t steps = 0;               ///< market steps taken
  std::uint64_t http_requests = 0;       ///< requests handled (all paths)
  std::uint64_t order_requests = 0;      ///< POST /api/v3/order received
  std::uint64_t orders_accepted = 0;     ///< of those, accepted by the engine
  std::uint64_t orders_rejected = 0;     ///< of those, answered with an error
  std::uint64_t cancel_requests = 0;     ///< DELETE /api/v3/order received
  std::uint64_t depth_events = 0;        ///< depthUpdate frames sent (all sockets)
  std::uint64_t trade_events = 0;        ///< trade frames sent (all sockets)
  std::uint64_t execution_reports = 0;   ///< executionReport events sent
  std::uint64_t stream_connections = 0;  ///< market-data WebSockets accepted
  std::uint64_t api_connections = 0;     ///< WebSocket-API connections accepted
  std::uint64_t faults_injected = 0;     ///< fault injections carried out
};

/// The simulated Binance Spot venue.
class BinanceFrontEnd final : public VenueFrontEnd {
 public:
  /// Checks what the constructor relies on; the error names the config key and value.
  static tl::expected<void, std::string> validate(const SimConfig& config);

  /// Builds the venue: instruments, agents (seeded from config.seed), and one user account
  /// (id "user") reached with config.api_key / api_secret holding config.balances. Aborts on a
  /// config that validate() refuses. `clock` must outlive the front end; it stamps events and
  /// judges recvWindow.
  BinanceFrontEnd(const SimConfig& config, const Clock& clock);
  ~BinanceFrontEnd() override;
  BinanceFrontEnd(const BinanceFrontEnd&) = delete;
  BinanceFrontEnd& operator=(const BinanceFrontEnd&) = delete;

  /// Serves one REST request (see README.md for the routes).
  net::HttpResponse handle(const net::HttpRequest& request) override;
  /// Accepts /ws/<stream>, /ws, /stream?streams=a/b and /ws-api/v3; nullptr otherwise.
  std::shared_ptr<net::ServerWebSocketHandler> accept_websocket(
      const net::HttpRequest& request, std::shared_ptr<net::ServerWebSocket> socket) override;

  /// Advances the market one step at `now` (ns since epoch) and pushes the resulting frames:
  /// one depth event per symbol with changes on @depth@100ms streams (all level changes since
  /// the previous step, including those caused by user orders), @depth events once 1000 ms
  /// have passed, trades and user-data events as they happen.
  void step(TimestampNs now) override;

  /// The venue's own book of `symbol`, `depth` levels per side (0 = all); `sequence` is the
  /// book update id (Binance lastUpdateId). Empty for an unknown symbol.
  BookSnapshot book(const std::string& symbol, std::size_t depth) const override;

  /// Order requests received so far, oldest first (the newest 100,000).
  std::vector<ReceivedOrderRequest> received_order_requests() const;
  /// Totals so far.
  FrontEndCounters counters() const;

  /// Withholds the next depth event of `symbol` on every depth stream, so that the following
  /// event's U is more than the previous u + 1 (a gap of the withheld event's U..u).
  FaultReport inject_gap(const std::string& symbol);
  /// Sends one frame of invalid JSON now on every depth stream of `symbol`.
  FaultReport inject_malformed_frame(const std::string& symbol);
  /// Re-sends, now, an older depth event of `symbol` (the one before the latest when there
  /// is one, else the latest) on the depth streams that carried it.
  FaultReport inject_out_of_sequence(const std::string& symbol);
  /// Closes every market-data WebSocket (the WebSocket API stays open).
  FaultReport disconnect_streams();
  /// "binance".
  std::string_view venue() const override { return "binance"; }
  /// Injects one fault (front_end.hpp) with Binance semantics: Drop = inject_gap; Duplicate =
  /// the next @depth@100ms event of the symbol is sent twice; Reorder = the next two
  /// @depth@100ms events of the symbol are sent in swapped order; Malformed =
  /// inject_malformed_frame; Stall = every market-data frame (depth, trade) is dropped for
  /// duration_ms of venue time while the sockets stay open; Disconnect = disconnect_streams;
  /// Throttle = for duration_ms, REST requests (other than /sim/control) answer HTTP 429 with
  /// -1003 and Retry-After, and new market-data WebSockets are refused. CorruptChecksum is not
  /// supported (done = false): Binance depth streams carry no checksum.
  FaultReport inject(const FaultSpec& fault) override;
  /// Every kind but CorruptChecksum.
  std::vector<FaultKind> supported_faults() const override;
  /// Every fault carried out so far, described, oldest first.
  std::vector<std::string> fault_log() const override;

  /// Account id of the configured user ("user").
  static constexpr const char* kUserAccount = "user";

 private:
  std::unique_ptr<detail::VenueState> state_;
};

}  // namespace troupe::sim
