#pragma once
// Private to the Kraken front end: the venue state behind KrakenFrontEnd and the functions of
// its parts (wire formats, client requests, the per-step feed, faults). Every function here
// expects the caller to hold KrakenState::mutex unless it says otherwise.

#include "adapters/net/transport.hpp"
#include "adapters/sim/kraken/kraken_front_end.hpp"
#include "adapters/sim/market.hpp"
#include "adapters/sim/matching_engine.hpp"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace troupe::sim::kraken_detail {

/// A frame (or a close) waiting to be sent after the venue lock is released.
struct Outgoing {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::string text;
  bool close = false;
};

/// One side of a book by price mantissa (at the instrument's price precision).
using BidLevels = std::map<std::int64_t, Quantity, std::greater<>>;
using AskLevels = std::map<std::int64_t, Quantity>;

/// A book update held back by a Reorder fault, with the sockets it was meant for.
struct HeldUpdate {
  std::string text;
  std::set<std::uint64_t> sessions;
};

/// What the subscribers of one symbol at one depth were last sent: the venue's top `depth`
/// levels as of the last step (the client's book when nothing was lost).
struct DepthGroup {
  BidLevels bids;
  AskLevels asks;
  std::optional<HeldUpdate> held;  ///< Reorder: sent after the group's next update
};

/// Per-symbol feed state: depth groups with subscribers, recent trades, armed faults.
struct SymbolFeed {
  const Instrument* instrument = nullptr;
  std::map<std::uint32_t, DepthGroup> groups;  ///< depth -> group (only depths in use)
  std::deque<std::string> recent_trades;       ///< trade items (JSON objects), newest last
  bool drop = false;                           ///< withhold the next book update
  bool duplicate = false;                      ///< send the next book update twice
  bool reorder = false;                        ///< hold the next book update (per depth group)
  bool corrupt = false;                        ///< wrong checksum on the next book update
};

/// One client WebSocket at /v2 and its subscriptions.
struct Session {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::uint64_t connection_id = 0;
  std::map<std::string, std::uint32_t> books;  ///< symbol -> subscribed depth
  std::set<std::string> trades;                ///< symbols with a trade subscription
  TimestampNs last_sent_ns = 0;                ///< last channel frame (heartbeat timing)
  bool subscribed() const { return !books.empty() || !trades.empty(); }
};

/// Trades kept per symbol for the trade channel's snapshot (§4.3 "recent trades").
inline constexpr std::size_t kRecentTrades = 50;
/// A heartbeat goes to a subscribed socket that was sent nothing for this long (§4.1).
inline constexpr TimestampNs kHeartbeatIntervalNs = 1'000'000'000;

/// Everything the front end owns.
struct KrakenState {
  KrakenState(const SimConfig& config, const Clock& clock);

  SimConfig config;
  const Clock* clock;
  mutable std::mutex mutex;
  MatchingEngine engine;
  Market market;
  std::map<std::string, SymbolFeed, std::less<>> feeds;
  std::map<std::uint64_t, Session> sessions;
  std::uint64_t next_session_id = 1;
  KrakenCounters counters;
  std::vector<std::string> fault_log;
  TimestampNs stalled_until_ns = 0;    ///< market-data frames are dropped before this time
  TimestampNs throttled_until_ns = 0;  ///< subscribe requests are refused before this time
  std::vector<Outgoing> outbox;
  std::atomic<bool> flushing{false};

  /// Venue time (ns since epoch).
  TimestampNs now() const { return clock->now_ns(); }
  bool stalled() const { return now() < stalled_until_ns; }
  bool throttled() const { return now() < throttled_until_ns; }
  /// Queues a frame for `socket`.
  void send(const std::shared_ptr<net::ServerWebSocket>& socket, std::string text);
  /// Queues a channel frame (book, trade, heartbeat) for a session; false when a Stall fault
  /// dropped it instead.
  bool send_market(Session& session, std::string text);
  /// Queues a close of `socket`.
  void close(const std::shared_ptr<net::ServerWebSocket>& socket);
  /// Sends queued frames in order. Call WITHOUT holding the mutex.
  void flush();
  /// Appends to the fault log and counts the fault.
  FaultReport done(std::string text);
};

// --- wire formats (kraken_wire.cpp) ---
/// RFC 3339 UTC with microseconds ("2024-06-03T14:30:00.100000Z").
std::string rfc3339(TimestampNs ns);
/// The §4.2 checksum: CRC32 over the top 10 asks (ascending) then the top 10 bids
/// (descending), each price then qty at the pair's precisions, point removed, leading zeros
/// stripped. Independent of the connector's implementation (the tests compare them).
std::uint32_t book_checksum(const BidLevels& bids, const AskLevels& asks,
                            const Instrument& instrument);
/// CRC32 (IEEE 802.3, as zlib) of `bytes`.
std::uint32_t crc32(std::string_view bytes);
/// One book frame: `levels` as written by append_level, in the order given.
std::string book_frame(bool snapshot, const std::string& symbol, const std::string& bids_json,
                       const std::string& asks_json, std::uint32_t checksum, TimestampNs ts);
/// Appends `{"price":…,"qty":…}` (JSON numbers at the instrument's precisions; a removed level
/// has qty 0) to a JSON array body being built in `out` (no brackets).
void append_level(std::string& out, std::int64_t price_raw, const Quantity& qty,
                  const Instrument& instrument);
/// A success response: {"method","result",success:true,"req_id"?,"time_in","time_out"}.
std::string success_response(std::string_view method, const std::string& result_json,
                             std::optional<std::int64_t> req_id, TimestampNs time_in);
/// An error response: {"error","method","req_id"?,"success":false,"symbol"?,"time_in","time_out"}.
std::string error_response(std::string_view method, const std::string& error,
                           std::optional<std::int64_t> req_id, const std::string& symbol,
                           TimestampNs time_in);

// --- client requests (kraken_requests.cpp) ---
/// Handles one client message of session `id`.
void on_client_message(KrakenState& state, std::uint64_t id, std::string_view payload);

// --- feed (kraken_feed.cpp) ---
/// The top `depth` levels of `symbol` as the venue holds them now.
void current_top(const KrakenState& state, const std::string& symbol, std::uint32_t depth,
                 BidLevels& bids, AskLevels& asks);
/// A book snapshot frame of `symbol` at `depth` (and makes sure its depth group exists).
std::string book_snapshot(KrakenState& state, SymbolFeed& feed, std::uint32_t depth);
/// A trade snapshot frame (the recent trades of `feed`).
std::string trade_snapshot(const KrakenState& state, const SymbolFeed& feed);
/// Drops depth groups of `symbol` that no session subscribes any more.
void prune_groups(KrakenState& state, const std::string& symbol);
/// Runs the engine's events of one step into frames, then heartbeats.
void publish_step(KrakenState& state, TimestampNs now);
/// Carries out or arms one fault.
FaultReport inject_fault(KrakenState& state, const FaultSpec& fault);

}  // namespace troupe::sim::kraken_detail
