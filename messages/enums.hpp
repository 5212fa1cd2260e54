#pragma once
// Trading enums with exact text forms. `parse_*` accepts the lower-case names that to_string
// produces (the API and config use them) and returns nullopt for anything else.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace troupe {

/// Order or book side.
enum class Side : std::uint8_t { Buy, Sell };

/// Order type. Stop orders trigger at `trigger_price`; stop-limit then rests at `price`.
enum class OrderType : std::uint8_t { Market, Limit, Stop, StopLimit };

/// Time in force. Day orders expire at the venue's session end.
enum class TimeInForce : std::uint8_t { Day, Gtc, Ioc, Fok };

/// Order status as kept by the order manager (OMS) state machine.
enum class OrderStatus : std::uint8_t {
  Initialized,      ///< created, not yet sent
  Denied,           ///< refused by our risk guard (terminal)
  Submitted,        ///< sent to the venue, no answer yet
  Accepted,         ///< working at the venue
  Rejected,         ///< refused by the venue (terminal)
  PendingCancel,    ///< cancel sent, not yet confirmed
  PartiallyFilled,  ///< some quantity filled, rest working
  Filled,           ///< fully filled (terminal)
  Canceled,         ///< canceled, possibly after partial fills (terminal)
  Expired,          ///< expired by time in force (terminal)
};

/// Whether a fill added liquidity (maker) or took it (taker).
enum class LiquiditySide : std::uint8_t { None, Maker, Taker };

/// Why our risk guard refused an order (OrderDenied).
enum class DenyReason : std::uint8_t {
  MaxOrderNotional,
  MaxOrderQuantity,
  MaxPosition,
  MaxOrderRate,
  TradingHalted,
  InvalidOrder,
  UnknownInstrument,
  DuplicateClientOrderId,
  NoMarketPrice,
};

/// Trading state of an account's risk guard.
enum class TradingState : std::uint8_t { Active, Reducing, Halted };

/// Why a market-data session discarded its book and started over.
enum class ResyncReason : std::uint8_t {
  Startup,         ///< first sync after connect
  Gap,             ///< missing update ids / sequence numbers
  OutOfSequence,   ///< an update older than the book, or overlapping wrongly
  MalformedFrame,  ///< a frame could not be decoded
  Disconnected,    ///< the socket closed or failed
  Stale,           ///< no data for too long while the socket looked open
  Crossed,         ///< the book became crossed or locked
  Checksum,        ///< venue checksum mismatch
  Requested,       ///< an operator or test asked for it
};

/// Connection state of a venue session.
enum class SessionState : std::uint8_t { Connecting, Syncing, Live, Disconnected };

std::string to_string(Side x);
std::string to_string(OrderType x);
std::string to_string(TimeInForce x);
std::string to_string(OrderStatus x);
std::string to_string(LiquiditySide x);
std::string to_string(DenyReason x);
std::string to_string(TradingState x);
std::string to_string(ResyncReason x);
std::string to_string(SessionState x);

std::optional<Side> parse_side(std::string_view text);
std::optional<OrderType> parse_order_type(std::string_view text);
std::optional<TimeInForce> parse_time_in_force(std::string_view text);
std::optional<OrderStatus> parse_order_status(std::string_view text);
std::optional<TradingState> parse_trading_state(std::string_view text);

/// True once an order can no longer change (denied, rejected, filled, canceled, expired).
bool is_terminal(OrderStatus status);
/// The other side.
inline Side opposite(Side s) { return s == Side::Buy ? Side::Sell : Side::Buy; }

}  // namespace troupe
