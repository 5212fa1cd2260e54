#pragma once
// Private to the Coinbase front end: the venue state behind CoinbaseFrontEnd and the functions
// of its parts (sessions, publishing, faults). Every function here expects the caller to hold
// CoinbaseState::mutex unless it says otherwise.

#include "adapters/net/transport.hpp"
#include "adapters/sim/coinbase/coinbase_front_end.hpp"
#include "adapters/sim/market.hpp"
#include "adapters/sim/matching_engine.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim::coinbase_detail {

/// A frame (or a close) waiting to be sent after the venue lock is released.
struct Outgoing {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::string text;
  bool close = false;
};

/// One public trade as market_trades reports it.
struct TradeRecord {
  std::string product;
  std::uint64_t trade_id = 0;
  Price price;
  Quantity size;
  Side maker_side = Side::Buy;  ///< §3.6: `side` is the maker's side
  TimestampNs time = 0;
};

/// One market-data WebSocket.
struct Connection {
  std::shared_ptr<net::ServerWebSocket> socket;
  TimestampNs connected_ns = 0;
  bool subscribed_once = false;     ///< any subscribe seen (the §3.2 deadline)
  std::uint64_t next_sequence = 0;  ///< §3.5: one counter per connection, from 0
  std::set<std::string> level2;     ///< products subscribed on level2
  std::set<std::string> market_trades;
  bool heartbeats = false;
  std::deque<std::string> stalled;               ///< frames held back by a Stall
  std::map<std::string, std::string> reordered;  ///< product → l2_data update held (Reorder)
};

/// Per product: level changes of the current step and armed faults.
struct ProductState {
  std::map<std::int64_t, Quantity> bids;  ///< price mantissa → new size (last change wins)
  std::map<std::int64_t, Quantity> asks;
  std::deque<FaultKind> armed;     ///< Drop / Duplicate / Reorder, oldest first
  bool reorder_holding = false;    ///< an update is held; the next one releases it
  std::deque<TradeRecord> recent;  ///< newest kRecentTrades, for snapshots
};

/// Trades kept per product for the market_trades snapshot.
inline constexpr std::size_t kRecentTrades = 50;
/// §3.6: market_trades updates batch the last 250 ms of trades.
inline constexpr TimestampNs kTradeBatchNs = 250'000'000;
/// §3.3: one heartbeat per second.
inline constexpr TimestampNs kHeartbeatNs = 1'000'000'000;
/// A connection with more frames held by a Stall is closed (a slow consumer).
inline constexpr std::size_t kMaxStalledFrames = 100'000;

/// Everything the front end owns.
struct CoinbaseState {
  CoinbaseState(const SimConfig& config, const Clock& clock, CoinbaseLimits limits);

  SimConfig config;
  const Clock* clock;
  CoinbaseLimits limits;
  mutable std::mutex mutex;
  MatchingEngine engine;
  Market market;
  std::map<std::string, ProductState, std::less<>> products;
  std::map<std::uint64_t, Connection> connections;
  std::uint64_t next_connection_id = 1;
  std::vector<TradeRecord> pending_trades;  ///< trades of the current 250 ms batch
  TimestampNs trade_batch_start_ns = 0;
  TimestampNs started_ns = 0;  ///< venue clock at construction (heartbeat m=+)
  TimestampNs next_heartbeat_ns = 0;
  std::uint64_t heartbeat_counter = 0;
  TimestampNs stall_until_ns = 0;
  TimestampNs throttle_until_ns = 0;
  TimestampNs message_window_ns = 0;  ///< start of the current 1 s rate-limit window
  std::int64_t messages_in_window = 0;
  TimestampNs connection_window_ns = 0;
  std::int64_t connections_in_window = 0;
  CoinbaseCounters counters;
  std::vector<std::string> fault_log;
  std::vector<Outgoing> outbox;
  std::atomic<bool> flushing{false};

  /// Venue time (ns since epoch).
  TimestampNs now() const { return clock->now_ns(); }
  /// Queues a frame for `socket` (no stall check: see deliver()).
  void send(const std::shared_ptr<net::ServerWebSocket>& socket, std::string text);
  /// Queues a close of `socket`.
  void close(const std::shared_ptr<net::ServerWebSocket>& socket);
  /// Sends queued frames in order. Call WITHOUT holding the mutex.
  void flush();
  /// Appends to the fault log.
  void log(std::string text) { fault_log.push_back(std::move(text)); }
};

// --- sessions (coinbase_sessions.cpp) ---
/// Accepts a market-data connection, or nullptr when refused.
std::shared_ptr<net::ServerWebSocketHandler> accept_connection(
    CoinbaseState& state, std::shared_ptr<net::ServerWebSocket> socket);
/// Sends `frame` on `connection` now, or holds it while a Stall lasts.
void deliver(CoinbaseState& state, Connection& connection, std::string frame);
/// Sends the frames a finished Stall held back.
void release_stalls(CoinbaseState& state);
/// Closes connections that did not subscribe within the deadline.
void enforce_subscribe_deadline(CoinbaseState& state);

// --- publishing (coinbase_publish.cpp) ---
/// Collects the engine's level changes and trades after a market step.
void collect_events(CoinbaseState& state, TimestampNs now);
/// Sends the step's l2_data updates (faults applied), trades when due, heartbeats when due.
void publish(CoinbaseState& state, TimestampNs now);
/// Sends an l2_data snapshot of `product` on `connection`.
void send_snapshot(CoinbaseState& state, Connection& connection, const std::string& product);
/// Sends a market_trades snapshot of the recent trades of `products` on `connection`.
void send_trade_snapshot(CoinbaseState& state, Connection& connection,
                         const std::set<std::string>& products);

// --- faults (coinbase_faults.cpp) ---
FaultReport inject_fault(CoinbaseState& state, const FaultSpec& fault);

}  // namespace troupe::sim::coinbase_detail
