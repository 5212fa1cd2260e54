#pragma once
// Private to the Binance front end: the venue state behind BinanceFrontEnd and the functions
// of its parts (REST, orders, events, streams, WebSocket API). Every function here expects the
// caller to hold VenueState::mutex unless it says otherwise.

#include "adapters/net/transport.hpp"
#include "adapters/sim/accounts.hpp"
#include "adapters/sim/binance_front_end.hpp"
#include "adapters/sim/http_params.hpp"
#include "adapters/sim/market.hpp"
#include "adapters/sim/matching_engine.hpp"
#include "adapters/sim/order_store.hpp"

#include <tl/expected.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim::detail {

/// A Binance error answer: HTTP status plus `{"code":…,"msg":…}`.
struct ApiError {
  int http_status = 400;
  int code = 0;
  std::string message;
};

/// A frame (or a close) waiting to be sent after the venue lock is released.
struct Outgoing {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::string text;
  bool close = false;
};

/// Level changes collected for one depth event: absolute quantities by price (raw mantissa at
/// the instrument's price precision); the last change of a level wins.
struct DepthBatch {
  std::uint64_t first_update_id = 0;  ///< U (0 = empty batch)
  std::uint64_t last_update_id = 0;   ///< u
  std::map<std::int64_t, Quantity> bids;
  std::map<std::int64_t, Quantity> asks;
  TimestampNs started_ns = 0;  ///< when the batch window opened
};

/// Which diff-depth stream: `@depth@100ms` (one event per market step) or `@depth` (1000 ms).
enum class DepthSpeed : std::uint8_t { Fast, Slow };

/// A depth event as it was sent (kept for the out-of-sequence fault).
struct SentDepth {
  std::string json;
  std::uint64_t first_update_id = 0;
  std::uint64_t last_update_id = 0;
};

/// Per-symbol stream state: pending batches, recently sent events, armed faults.
struct SymbolStreams {
  DepthBatch fast;
  DepthBatch slow;
  bool gap_fast = false;               ///< withhold the next fast event
  bool gap_slow = false;               ///< withhold the next slow event
  std::deque<SentDepth> recent_fast;   ///< last two fast events sent
  std::deque<SentDepth> recent_slow;   ///< last two slow events sent
  bool duplicate_fast = false;         ///< send the next fast event twice
  bool reorder_fast = false;           ///< hold the next fast event, send it after the one after
  std::optional<SentDepth> held_fast;  ///< the fast event held back by reorder_fast
};

/// One market-data WebSocket.
struct MarketSession {
  std::shared_ptr<net::ServerWebSocket> socket;
  bool combined = false;          ///< wrap payloads as {"stream":…,"data":…}
  std::set<std::string> streams;  ///< lower-case stream names
};

/// One WebSocket-API connection and its user data subscriptions (subscription id → account).
struct ApiSession {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::map<std::uint64_t, std::string> subscriptions;
  std::uint64_t next_subscription = 0;
};

/// Order requests kept in the received log (older ones are dropped: paper runs are long).
inline constexpr std::size_t kMaxReceivedLog = 100'000;

/// Everything the front end owns.
struct VenueState {
  VenueState(const SimConfig& config, const Clock& clock);

  SimConfig config;
  const Clock* clock;
  mutable std::mutex mutex;
  MatchingEngine engine;
  Market market;
  Accounts accounts;
  OrderStore orders;
  std::map<std::string, SymbolStreams, std::less<>> symbols;
  std::map<std::uint64_t, MarketSession> market_sessions;
  std::map<std::uint64_t, ApiSession> api_sessions;
  std::uint64_t next_session_id = 1;
  std::uint64_t next_execution_id = 1;
  std::uint64_t next_generated_id = 1;
  std::deque<ReceivedOrderRequest> received;  ///< newest kMaxReceivedLog requests
  FrontEndCounters counters;
  std::vector<std::string> fault_log;
  TimestampNs stalled_until_ns = 0;    ///< market-data frames are dropped before this time
  std::uint64_t stalled_frames = 0;    ///< frames dropped by stalls so far
  TimestampNs throttled_until_ns = 0;  ///< REST answers 429 and streams are refused before this
  std::map<std::string, std::set<std::string>> touched_assets;  ///< account → assets changed
  std::vector<Outgoing> outbox;
  std::atomic<bool> flushing{false};

  /// Venue time (ns since epoch).
  TimestampNs now() const { return clock->now_ns(); }
  /// Queues a frame for `socket`.
  void send(const std::shared_ptr<net::ServerWebSocket>& socket, std::string text);
  /// Queues a close of `socket`.
  void close(const std::shared_ptr<net::ServerWebSocket>& socket);
  /// Sends queued frames in order. Call WITHOUT holding the mutex.
  void flush();
  /// A fresh id for client order ids the venue generates ("sim-7").
  std::string generated_id();
};

/// Milliseconds since the epoch from ns.
inline std::int64_t to_ms(TimestampNs ns) { return ns / 1'000'000; }

// --- responses (binance_rest.cpp) ---
net::HttpResponse json_response(std::string body, int status = 200);
net::HttpResponse error_response(const ApiError& error);
/// Routes one REST request.
net::HttpResponse route(VenueState& state, const net::HttpRequest& request);

// --- authentication and parameters (binance_auth.cpp) ---
/// Verifies X-MBX-APIKEY, signature and timestamp of a signed REST request (§2.5).
tl::expected<const AccountKey*, ApiError> authenticate(VenueState& state,
                                                       const net::HttpRequest& request,
                                                       const Params& params);
/// Checks `timestamp` (ms) against the venue clock and `recvWindow` (ms, default 5000).
tl::expected<void, ApiError> check_timestamp(const VenueState& state,
                                             const std::optional<std::string>& timestamp,
                                             const std::optional<std::string>& recv_window);
/// A required parameter (-1102 naming it when absent or empty).
tl::expected<std::string, ApiError> required(const Params& params, std::string_view name);
/// An integer parameter (-1102 naming it when malformed).
tl::expected<std::int64_t, ApiError> integer(std::string_view name, const std::string& text);
/// -1102 "Mandatory parameter '<name>' was not sent, was empty/null, or malformed."
ApiError mandatory(std::string_view name);

// --- order entry (binance_orders.cpp) and account queries (binance_account.cpp) ---
/// A handler's answer: the JSON body of a 200 response, or the error.
using Reply = tl::expected<std::string, ApiError>;
Reply place_order(VenueState& state, const AccountKey& key, const Params& params);
Reply cancel_order(VenueState& state, const AccountKey& key, const Params& params);
Reply query_order(VenueState& state, const AccountKey& key, const Params& params);
Reply open_orders(VenueState& state, const AccountKey& key, const Params& params);
Reply account_info(VenueState& state, const AccountKey& key, const Params& params);
Reply my_trades(VenueState& state, const AccountKey& key, const Params& params);

// --- engine events (binance_events.cpp) ---
/// Applies the engine's queued events: user orders, balances, execution reports, trade frames
/// and depth batches.
void process_events(VenueState& state, TimestampNs now);
/// Sends an executionReport x=REJECTED for an order the venue refused (`r` = reason).
void report_rejection(VenueState& state, const OrderRequest& request, const std::string& type,
                      const std::string& reject_reason, TimestampNs now);

// --- market-data streams (binance_streams.cpp) ---
std::shared_ptr<net::ServerWebSocketHandler> accept_market_stream(
    VenueState& state, std::string_view path, std::string_view query,
    std::shared_ptr<net::ServerWebSocket> socket);
/// Adds one level change to the symbol's pending depth batches.
void record_level_change(VenueState& state, const LevelChange& change, TimestampNs now);
/// Sends one trade frame to the symbol's @trade subscribers.
void publish_trade(VenueState& state, const PublicTrade& trade, TimestampNs now);
/// Sends pending depth batches that are due at `now`.
void flush_depth(VenueState& state, TimestampNs now);
FaultReport gap(VenueState& state, const std::string& symbol);
FaultReport malformed_frame(VenueState& state, const std::string& symbol);
FaultReport out_of_sequence(VenueState& state, const std::string& symbol);
FaultReport disconnect(VenueState& state);
FaultReport duplicate(VenueState& state, const std::string& symbol);
FaultReport reorder(VenueState& state, const std::string& symbol);
/// Drops every market-data frame (depth, trade, malformed) for `duration_ms` of venue time.
FaultReport stall(VenueState& state, std::int64_t duration_ms);
/// REST 429 / -1003 and refused market-data WebSockets for `duration_ms` of venue time.
FaultReport throttle(VenueState& state, std::int64_t duration_ms);
/// Dispatches one generic fault (front_end.hpp) to the functions above.
FaultReport inject_fault(VenueState& state, const FaultSpec& fault);
/// True while a Stall fault is in force.
inline bool stalled(const VenueState& state) { return state.now() < state.stalled_until_ns; }
/// True while a Throttle fault is in force.
inline bool throttled(const VenueState& state) { return state.now() < state.throttled_until_ns; }

// --- WebSocket API (binance_user_stream.cpp) ---
std::shared_ptr<net::ServerWebSocketHandler> accept_api_session(
    VenueState& state, std::shared_ptr<net::ServerWebSocket> socket);
/// Sends `event_json` wrapped as {"subscriptionId":…,"event":…} to every subscription of
/// `account`; returns how many subscriptions got it.
std::size_t publish_user_event(VenueState& state, const std::string& account,
                               const std::string& event_json);

}  // namespace troupe::sim::detail
