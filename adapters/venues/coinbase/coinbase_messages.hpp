#pragma once
// Decoded Coinbase Advanced Trade WebSocket messages (exchange-protocols.md §3.2–§3.6): what
// the codec hands to the market-data port. Prices and sizes are already exact fixed point at
// the instrument's precisions; times are ns since the Unix epoch.

#include "messages/data.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace troupe::coinbase {

/// A decode failure. Never fatal: the port reports `what` and resyncs where needed.
struct DecodeError {
  /// Names venue, channel and what was wrong, e.g.
  /// `coinbase l2_data BTC-USD: field "updates"[2] "price_level": "6x" is not a decimal`.
  std::string what;
  /// `sequence_num` of the frame when it could be read before the failure: the connection's
  /// counter still advanced (§3.5), so gap detection must see it.
  std::optional<std::uint64_t> sequence_num;
  /// Product the frame was about, when known ("" otherwise).
  std::string product;
  /// True when the frame was, or may have been, level2 data: the book of `product` (of every
  /// product when `product` is empty) can no longer be trusted.
  bool may_affect_book = false;
};

/// One `l2_data` event for one product (§3.4).
struct L2Event {
  InstrumentId instrument;
  /// True for `"type":"snapshot"` (replaces the book), false for `"update"`.
  bool snapshot = false;
  /// Levels in frame order; `size` is the new absolute quantity (zero removes the level).
  std::vector<BookDelta> levels;
  /// Latest `event_time` of the updates (ns); the envelope timestamp when none is usable
  /// (snapshots carry 1970-01-01).
  TimestampNs ts_event = 0;
};

/// An `l2_data` message.
struct L2Data {
  std::vector<L2Event> events;
  /// product_ids of events for products this session does not stream (skipped).
  std::vector<std::string> unknown_products;
};

/// A `market_trades` message (§3.6).
struct MarketTrades {
  /// True when every event was the initial `snapshot` of recent trades.
  bool snapshot = false;
  std::vector<TradeTick> trades;  ///< aggressor already derived from the maker side
  std::vector<std::string> unknown_products;
};

/// A `heartbeats` message (§3.3).
struct Heartbeat {
  std::uint64_t counter = 0;  ///< `heartbeat_counter` (string or number on the wire)
};

/// A `subscriptions` acknowledgement: channel → product ids (§3.2).
struct Subscriptions {
  std::vector<std::pair<std::string, std::vector<std::string>>> channels;
};

/// `{"type":"error","message":...}` (§3.2, shape [obs]); fatal for the subscription.
struct VenueError {
  std::string message;
};

/// A message of a channel this codec does not decode (ticker, candles, status, ...).
struct OtherChannel {
  std::string channel;
};

/// Everything a market-data frame can hold.
using Payload =
    std::variant<L2Data, MarketTrades, Heartbeat, Subscriptions, VenueError, OtherChannel>;

/// One decoded frame: the envelope fields plus the channel payload.
struct Message {
  /// `sequence_num` (§3.5); nullopt only for error messages, which may lack the envelope.
  std::optional<std::uint64_t> sequence_num;
  /// Envelope `timestamp`, ns since the epoch (0 when absent).
  TimestampNs timestamp = 0;
  Payload payload;
};

}  // namespace troupe::coinbase
