#pragma once
// Pure translations for the Binance order port: our commands to signed-request parameters
// (§2.3) and executionReports to our order events (§2.10). No I/O, no clock reads.

#include "adapters/venues/binance/binance_messages.hpp"
#include "adapters/venues/binance/binance_signing.hpp"
#include "messages/commands.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace troupe::binance {

/// Binance order `type`: Market→MARKET, Limit→LIMIT, Stop→STOP_LOSS, StopLimit→STOP_LOSS_LIMIT.
std::string_view order_type_text(OrderType type);

/// Binance `timeInForce`. Binance spot has no day orders, so Day is sent as GTC (documented in
/// the README): the order rests until canceled rather than expiring at a session end.
std::string_view time_in_force_text(TimeInForce time_in_force);

/// Parameters of `POST /api/v3/order`, in send order: symbol, side, type, timeInForce (limit
/// types only), quantity, price (limit types), stopPrice (stop types), newClientOrderId,
/// newOrderRespType=ACK, recvWindow, timestamp. Decimals are written at the instrument's
/// precision when that is exact, else as given.
QueryParams new_order_params(const SubmitOrder& order, const Instrument& instrument,
                             std::int64_t recv_window_ms, std::int64_t timestamp_ms);

/// Parameters of `DELETE /api/v3/order` by origClientOrderId.
QueryParams cancel_order_params(const CancelOrder& cancel, std::int64_t recv_window_ms,
                                std::int64_t timestamp_ms);

/// Parameters of `GET /api/v3/order` by origClientOrderId.
QueryParams query_order_params(std::string_view symbol, std::string_view client_order_id,
                               std::int64_t recv_window_ms, std::int64_t timestamp_ms);

/// What an executionReport means for the order manager; monostate when nothing is reported
/// (REPLACED, a self-trade-prevention notice that did not end the order).
using OrderEvent =
    std::variant<std::monostate, OrderAccepted, OrderFilled, OrderCanceled, OrderRejected>;

/// Maps one executionReport (§2.10): NEW → OrderAccepted; TRADE → OrderFilled;
/// CANCELED / EXPIRED / STP expiry → OrderCanceled under the original client id (`C` on a
/// cancel, since `c` is then the cancel request's own id); REJECTED → OrderRejected(`r`).
/// Fails for an execution type it does not know. `now` becomes ts_init.
tl::expected<OrderEvent, std::string> map_execution_report(const ExecutionReport& report,
                                                           const AccountId& account,
                                                           TimestampNs now);

}  // namespace troupe::binance
