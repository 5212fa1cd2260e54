#pragma once
// Private to the Alpaca front end: the venue state behind AlpacaFrontEnd and the functions of
// its parts (sessions and control messages, the data feed, faults, wire encoding). Every
// function here expects the caller to hold State::mutex unless it says otherwise.

#include "adapters/net/transport.hpp"
#include "adapters/sim/alpaca/alpaca_front_end.hpp"
#include "adapters/sim/market.hpp"
#include "adapters/sim/matching_engine.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim::alpaca_detail {

/// A frame (or a close) waiting to be sent after the venue lock is released.
struct Outgoing {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::string text;
  bool close = false;
};

/// One data v2 WebSocket.
struct Session {
  std::shared_ptr<net::ServerWebSocket> socket;
  std::string feed;              ///< "iex" or "sip"
  TimestampNs connected_ns = 0;  ///< venue time of the upgrade (auth timeout)
  bool authenticated = false;
  std::set<std::string> trades;  ///< subscribed symbols ("*" = all)
  std::set<std::string> quotes;
  std::set<std::string> bars;
};

/// The top of one book as last turned into a quote.
struct Top {
  std::optional<BookLevel> bid;
  std::optional<BookLevel> ask;
  friend bool operator==(const Top&, const Top&) = default;
};

/// The minute bar being built for one symbol.
struct BarBuilder {
  TimestampNs minute_start = 0;
  Price open, high, low, close;
  Quantity volume;
  std::uint64_t trade_count = 0;
  __int128 notional_raw = 0;  ///< sum of price.raw × size.raw, for the VWAP
};

/// Per-symbol feed state and armed faults.
struct SymbolFeed {
  const Instrument* instrument = nullptr;
  Top published;           ///< top of the last quote generated (sent or withheld)
  bool drop_next = false;  ///< withhold the next quote
  bool duplicate_next = false;
  bool reorder_next = false;        ///< hold the next quote until the one after it
  std::optional<std::string> held;  ///< the quote a Reorder holds back
  BarBuilder bar;
};

/// Which channel an item belongs to (selects the subscribers).
enum class Channel : std::uint8_t { Trades, Quotes, Bars };

/// One data item of a step, JSON object text.
struct Item {
  Channel channel;
  std::string symbol;
  std::string json;
};

/// Everything the front end owns.
struct State {
  State(const SimConfig& config, const Clock& clock);

  SimConfig config;
  const Clock* clock;
  mutable std::mutex mutex;
  MatchingEngine engine;
  Market market;
  std::map<std::string, SymbolFeed, std::less<>> symbols;
  std::map<std::uint64_t, Session> sessions;
  std::uint64_t next_session_id = 1;
  TimestampNs stall_until_ns = 0;     ///< Stall: frames are held until then
  TimestampNs throttle_until_ns = 0;  ///< Throttle: new connections refused until then
  AlpacaCounters counters;
  std::vector<std::string> fault_log;
  std::vector<Outgoing> held;  ///< frames and closes a Stall holds back, in order
  std::vector<Outgoing> outbox;
  std::atomic<bool> flushing{false};

  /// Venue time (ns since epoch).
  TimestampNs now() const { return clock->now_ns(); }
  /// Queues `text` for `session` (held back while a Stall lasts).
  void send(const Session& session, std::string text);
  /// Queues a close of `session`'s socket after what was queued for it (held while stalled).
  void close(const Session& session);
  /// Queues a close of `session`'s socket now, even during a Stall (Disconnect fault).
  void close_now(const Session& session);
  /// Sends queued frames in order. Call WITHOUT holding the mutex.
  void flush();
  /// Appends "alpaca: <text>" to the fault log.
  void log(const std::string& text);
};

// --- sessions and control messages (alpaca_sessions.cpp) ---
/// Registers a session for `socket` on `feed` and sends `connected` (or 406 while throttled).
std::shared_ptr<net::ServerWebSocketHandler> accept_session(
    State& state, std::string feed, std::shared_ptr<net::ServerWebSocket> socket);
/// Closes connections older than the auth timeout that never authenticated (404).
void expire_unauthenticated(State& state, TimestampNs now);

// --- data feed and faults (alpaca_feed.cpp) ---
/// Publishes bars, trades and quotes of one step.
void publish_step(State& state, TimestampNs now);
/// Sends frames held by a Stall that has ended.
void release_stalled(State& state, TimestampNs now);
/// Carries out one fault injection.
FaultReport inject_fault(State& state, const FaultSpec& fault);

// --- wire encoding (alpaca_wire.cpp) ---
/// RFC 3339 UTC with nine fraction digits ("2024-06-03T14:30:02.456789123Z"), or none when
/// `fraction` is false ("2024-06-03T14:30:00Z").
std::string rfc3339(TimestampNs ns, bool fraction = true);
/// `[{"T":"success","msg":...}]`.
std::string success_frame(std::string_view msg);
/// `[{"T":"error","code":...,"msg":...}]`.
std::string error_frame(int code, std::string_view msg);
/// `[{"T":"subscription",...}]` with the full current set of `session`.
std::string subscription_frame(const Session& session);
/// One quote object (`bp`/`bs` 0 for an empty side).
std::string quote_json(const std::string& symbol, const Top& top, TimestampNs now);
/// One trade object.
std::string trade_json(const PublicTrade& trade, TimestampNs now);
/// One minute-bar object.
std::string bar_json(const std::string& symbol, const BarBuilder& bar,
                     std::uint8_t price_precision);

}  // namespace troupe::sim::alpaca_detail
