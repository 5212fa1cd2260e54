#pragma once
// Decoded Binance Spot wire messages (market-data streams, WebSocket API user data stream, REST
// order and error bodies), as produced by BinanceCodec. Decimal fields are already fixed-point
// at the instrument's precision; times are ns since the Unix epoch (Binance sends ms).
// Reference: shared/reference/exchange-protocols.md §2.

#include "messages/data.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace troupe::binance {

/// Frames and bodies larger than this are rejected before parsing (1 MiB).
inline constexpr std::size_t kMaxFrameBytes = std::size_t{1} << 20;

/// Precision of commissions (`n`) and other asset amounts: Binance sends 8 decimals.
inline constexpr std::uint8_t kAssetPrecision = 8;

/// Why a frame or body could not be decoded.
struct DecodeError {
  /// Names venue, stream or endpoint and what was wrong, e.g.
  /// `binance depthUpdate BTCUSDT: field "b"[3][0]: "12.3x" is not a decimal`.
  std::string what;
  /// Upper-case symbol the frame was about, when known ("" otherwise).
  std::string symbol;
  /// True when the frame was, or may have been, a depth update: the book of `symbol` (or of
  /// every symbol when `symbol` is empty) can no longer be trusted.
  bool may_affect_book = false;
};

/// One diff-depth event (`<symbol>@depth[@100ms]`, §2.6).
struct DepthUpdate {
  InstrumentId instrument;            ///< from `s`
  std::uint64_t first_update_id = 0;  ///< `U`
  std::uint64_t final_update_id = 0;  ///< `u`
  std::int64_t ts_event = 0;          ///< `E`, ns since epoch
  std::vector<BookDelta> deltas;      ///< `b` as Side::Buy, then `a` as Side::Sell, wire order
};

/// The answer to a SUBSCRIBE / UNSUBSCRIBE control message: `{"result":null,"id":1}`.
struct SubscribeResult {
  std::string id;  ///< the request id as text ("1")
};

/// An error answer to a control message: `{"code":2,"msg":"Invalid request: ...","id":1}`.
struct ControlError {
  std::int64_t code = 0;  ///< `code` (2 invalid request, 3 invalid JSON)
  std::string message;    ///< `msg`
  std::string id;         ///< the request id as text, "" when absent
};

/// `serverShutdown`: the server is about to close the connection; reconnect now (§2.6, §2.10).
struct ServerShutdown {
  std::int64_t ts_event = 0;  ///< `E`, ns since epoch
};

/// A well-formed event of a type this connector does not know.
struct UnknownEvent {
  std::string event_type;  ///< `e`, or "" when the frame had none
};

/// Anything a market-data stream frame (raw or combined) can decode to.
using StreamMessage = std::variant<DepthUpdate, TradeTick, QuoteTick, SubscribeResult, ControlError,
                                   ServerShutdown, UnknownEvent>;

/// A venue error body `{"code":-2010,"msg":"..."}` (§2.4).
struct ApiError {
  std::int64_t code = 0;  ///< negative Binance error code (`-2010`)
  std::string message;    ///< `msg`
};

/// A WebSocket API response `{"id":..,"status":200,"result":{..}}` or with `"error":{..}`.
struct WsApiResponse {
  std::string id;                               ///< request id as text
  int status = 0;                               ///< HTTP-like status
  std::optional<ApiError> error;                ///< present when the request failed
  std::optional<std::int64_t> subscription_id;  ///< `result.subscriptionId` when present
};

/// `executionReport` (§2.10): one order state change or one fill.
struct ExecutionReport {
  InstrumentId instrument;               ///< from `s`
  std::string client_order_id;           ///< `c`; on a cancel this is the cancel's own id
  std::string original_client_order_id;  ///< `C`; the canceled order's id, "" otherwise
  Side side = Side::Buy;                 ///< `S`
  std::string order_type;                ///< `o` ("LIMIT")
  std::string time_in_force;             ///< `f` ("GTC")
  std::string execution_type;            ///< `x` ("NEW", "TRADE", "CANCELED", ...)
  std::string order_status;              ///< `X` ("PARTIALLY_FILLED", ...)
  std::string reject_reason;             ///< `r` ("NONE", "INSUFFICIENT_BALANCES", ...)
  std::string expiry_reason;             ///< `eR` when present, "" otherwise
  std::int64_t order_id = 0;             ///< `i`
  std::int64_t trade_id = -1;            ///< `t`, -1 when not a trade
  Quantity order_quantity;               ///< `q`
  Quantity last_quantity;                ///< `l`
  Quantity cum_quantity;                 ///< `z`
  Price last_price;                      ///< `L`
  Money commission;                      ///< `n` at kAssetPrecision
  std::string commission_asset;          ///< `N`, "" when null
  bool maker = false;                    ///< `m`
  std::int64_t ts_event = 0;             ///< `E`, ns since epoch
  std::int64_t ts_transaction = 0;       ///< `T`, ns since epoch
};

/// `outboundAccountPosition`: recognised; balances are not used yet.
struct AccountPosition {
  std::int64_t ts_event = 0;  ///< `E`, ns since epoch
};

/// `eventStreamTerminated`: the user data subscription ended; subscribe again.
struct EventStreamTerminated {
  std::int64_t ts_event = 0;  ///< `E`, ns since epoch
};

/// A known user-stream event this connector does not use (`balanceUpdate`, `listStatus`,
/// `externalLockUpdate`).
struct IgnoredEvent {
  std::string event_type;  ///< `e`
};

/// Anything a WebSocket API frame can decode to.
using UserMessage = std::variant<WsApiResponse, ExecutionReport, AccountPosition, ServerShutdown,
                                 EventStreamTerminated, IgnoredEvent, UnknownEvent>;

/// One fill of a FULL order response.
struct OrderResponseFill {
  Price price;                   ///< `price`
  Quantity quantity;             ///< `qty`
  Money commission;              ///< `commission` at kAssetPrecision
  std::string commission_asset;  ///< `commissionAsset`
  std::int64_t trade_id = 0;     ///< `tradeId`
};

/// A REST order body: `POST /api/v3/order` (ACK, RESULT or FULL), `DELETE` or `GET` order.
struct OrderResponse {
  InstrumentId instrument;                    ///< from `symbol`
  std::int64_t order_id = 0;                  ///< `orderId`
  std::string client_order_id;                ///< `clientOrderId` (on DELETE: the cancel's id)
  std::string original_client_order_id;       ///< `origClientOrderId` (DELETE only), "" otherwise
  std::int64_t ts_transaction = 0;            ///< `transactTime` (or `updateTime`), ns; 0 if absent
  std::string status;                         ///< `status`, "" for ACK
  std::optional<Quantity> executed_quantity;  ///< `executedQty` (RESULT, FULL, GET)
  std::vector<OrderResponseFill> fills;       ///< FULL only
};

}  // namespace troupe::binance
