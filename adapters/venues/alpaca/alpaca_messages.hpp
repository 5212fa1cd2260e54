#pragma once
// Decoded messages of the Alpaca stocks market-data v2 stream (exchange-protocols.md §1.11).
// Produced by AlpacaCodec, consumed by the market-data port. Every type owns its data.

#include "messages/data.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace troupe::alpaca {

/// `{"T":"success","msg":"connected"|"authenticated"}`.
struct Success {
  std::string message;  ///< the `msg` text
};

/// `{"T":"error","code":N,"msg":"..."}` (§1.11: 400 invalid syntax, 401 not authenticated,
/// 402 auth failed, 403 already authenticated, 404 auth timeout, 405 symbol limit exceeded,
/// 406 connection limit exceeded, 407 slow client, 408 v2 not enabled, 409 insufficient
/// subscription, 500 internal error).
struct ErrorMessage {
  int code = 0;
  std::string message;  ///< the `msg` text
};

/// `{"T":"subscription",...}`: the full current subscription set after every (un)subscribe.
struct Subscription {
  std::vector<std::string> trades;
  std::vector<std::string> quotes;
  std::vector<std::string> bars;
};

/// One `{"T":"q"}` item: best bid and offer. A side with zero price or size is absent.
struct Quote {
  InstrumentId instrument;
  Price bid_price;           ///< `bp`, at the instrument's price precision
  Quantity bid_size;         ///< `bs`, at the instrument's size precision
  Price ask_price;           ///< `ap`
  Quantity ask_size;         ///< `as`
  TimestampNs ts_event = 0;  ///< `t`, ns since the epoch
};

/// One `{"T":"t"}` item. Alpaca sends no aggressor side; the port infers it.
struct Trade {
  InstrumentId instrument;
  Price price;               ///< `p`
  Quantity size;             ///< `s`
  std::string trade_id;      ///< `i` as decimal text
  TimestampNs ts_event = 0;  ///< `t`
};

/// A message type the port knows but does not use (`d`, `u`, `s`, `l`, `x`, `c`): corrections
/// and cancel errors arrive with every trade subscription (§1.11).
struct Ignored {
  std::string type;  ///< the `T` value
};

/// A well-formed item of a `T` this codec does not know.
struct UnknownType {
  std::string type;  ///< the `T` value, cut to a bounded length
};

/// One item of a frame.
using Message =
    std::variant<Success, ErrorMessage, Subscription, Quote, Trade, Bar, Ignored, UnknownType>;

/// One decoded frame: its usable items in order, and a text for each item that was not usable
/// (missing field, bad number, unknown symbol). One bad item does not spoil the rest.
struct Frame {
  std::vector<Message> messages;
  std::vector<std::string> item_errors;
};

/// Why a whole frame could not be used (oversized, invalid JSON, not an array).
struct DecodeError {
  /// Names venue, stream and what was wrong: `alpaca stream: invalid JSON: ...`.
  std::string what;
};

}  // namespace troupe::alpaca
