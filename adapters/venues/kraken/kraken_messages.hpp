#pragma once
// Decoded Kraken Spot WebSocket v2 public messages (exchange-protocols.md §4.1-§4.3). Produced by
// KrakenCodec, consumed by BookSync and the market-data port. Every type owns its data.

#include "messages/data.hpp"
#include "runtime/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace troupe::kraken {

/// Frames larger than this are rejected unparsed (1 MiB; a depth-1000 snapshot is ~60 KiB).
inline constexpr std::size_t kMaxFrameBytes = std::size_t{1} << 20;

/// Why a frame could not be used.
struct DecodeError {
  /// Names venue, channel and what was wrong, e.g.
  /// `kraken book ETH/USD: field "bids"[0].price: "3000.255" is not a decimal at precision 2`.
  std::string what;
  /// The Kraken symbol ("ETH/USD") the frame was about, when known ("" otherwise).
  std::string symbol;
  /// True when the frame was, or may have been, a book message: the book of `symbol` (of every
  /// symbol when `symbol` is empty) can no longer be trusted.
  bool may_affect_book = false;
};

/// One `book` item (§4.2): a full snapshot or the level changes of one update. Levels keep the
/// venue's order; an update level with size 0 removes that price.
struct BookMessage {
  InstrumentId instrument;
  bool snapshot = false;         ///< `type:"snapshot"` (replaces the book) or `"update"`
  std::vector<BookLevel> bids;   ///< at the instrument's price / size precision
  std::vector<BookLevel> asks;   ///< at the instrument's price / size precision
  std::uint32_t checksum = 0;    ///< CRC32 of the top 10 levels after applying this message
  TimestampNs ts_event = 0;      ///< `timestamp`, ns since the epoch
};

/// One `book` frame; Kraken sends one item per frame but the schema allows several.
struct BookFrame {
  std::vector<BookMessage> books;
};

/// One `trade` frame (§4.3); `snapshot` frames carry recent trades, not new ones.
struct TradeFrame {
  bool snapshot = false;
  std::vector<TradeTick> trades;
};

/// `{"channel":"heartbeat"}`: sent about once a second when nothing else is (§4.1).
struct Heartbeat {};

/// The `status` channel (§4.1): sent on connect and when the venue's state changes.
struct SystemStatus {
  std::string system;       ///< "online", "cancel_only", "maintenance", "post_only"
  std::string api_version;  ///< "v2"
  std::uint64_t connection_id = 0;
};

/// A response to a request: `subscribe`, `unsubscribe` or `pong` (§4.1 envelope).
struct MethodResponse {
  std::string method;                 ///< "subscribe", "unsubscribe", "pong", ...
  bool success = true;                ///< false when the venue refused (see `error`)
  std::string error;                  ///< venue text when !success
  std::string channel;                ///< `result.channel` ("book", "trade"), "" when absent
  std::string symbol;                 ///< `result.symbol` or top-level `symbol`, "" when absent
  std::optional<std::int64_t> req_id; ///< echoed request id
};

/// A well-formed frame of a channel or method this codec does not handle (tolerated, §0.1).
struct UnknownMessage {
  std::string description;  ///< `channel "ohlc"` or `method "foo"`
};

/// Everything decode() can produce.
using KrakenMessage =
    std::variant<BookFrame, TradeFrame, Heartbeat, SystemStatus, MethodResponse, UnknownMessage>;

}  // namespace troupe::kraken
