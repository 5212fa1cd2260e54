#pragma once
// Private to the Binance front end: the JSON shapes of exchange-protocols.md §2 (orders,
// execution reports, balances, depth, trades, exchange info). Decimals are strings at the
// instrument's precision (prices, quantities) or 8 decimals (quote amounts, balances, fees);
// times are epoch milliseconds.

#include "adapters/sim/accounts.hpp"
#include "adapters/sim/binance_state.hpp"
#include "adapters/sim/order_store.hpp"
#include "messages/instrument.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace troupe::sim::detail {

/// The execution-specific part of one executionReport.
struct Execution {
  std::string type;                    ///< x: NEW, TRADE, CANCELED, EXPIRED, REJECTED
  std::string reject_reason = "NONE";  ///< r
  std::string expiry_reason;           ///< eR (EXPIRED only; omitted when empty)
  Quantity last_quantity;              ///< l
  Price last_price;                    ///< L
  Money last_quote;                    ///< Y
  Money commission;                    ///< n
  std::string commission_asset;        ///< N (null when empty)
  std::int64_t trade_id = -1;          ///< t
  bool maker = false;                  ///< m
  std::uint64_t execution_id = 0;      ///< I
  TimestampNs transaction_ns = 0;      ///< T
};

/// newOrderRespType.
enum class ResponseType : std::uint8_t { Ack, Result, Full };

/// `{"e":"executionReport",…}` for `order` after `execution`. An order id of 0 is written as -1
/// (rejected before it got an id).
std::string execution_report(const OrderRecord& order, const Execution& execution,
                             const Instrument& instrument, TimestampNs event_ns);
/// `{"e":"outboundAccountPosition",…}` listing `balances`.
std::string account_position(const std::vector<AssetBalance>& balances, TimestampNs event_ns,
                             TimestampNs update_ns);
/// POST /api/v3/order response.
std::string order_response(const OrderRecord& order, ResponseType type,
                           const std::vector<TradeRecord>& fills, TimestampNs transact_ns);
/// GET /api/v3/order and openOrders element.
std::string order_object(const OrderRecord& order, const Instrument& instrument);
/// DELETE /api/v3/order response.
std::string cancel_response(const OrderRecord& order, TimestampNs transact_ns);
/// `{"e":"depthUpdate",…}` for a batch.
std::string depth_event(const std::string& symbol, const DepthBatch& batch,
                        const Instrument& instrument, TimestampNs event_ns);
/// `{"e":"trade",…}`.
std::string trade_event(const PublicTrade& trade, TimestampNs event_ns);
/// GET /api/v3/depth response.
std::string depth_snapshot(const DepthSnapshot& snapshot);
/// GET /api/v3/exchangeInfo response.
std::string exchange_info(const std::vector<const Instrument*>& instruments, TimestampNs now);
/// GET /api/v3/account response.
std::string account_json(const std::vector<AssetBalance>& balances, bool omit_zero,
                         TimestampNs update_ns);
/// GET /api/v3/myTrades response.
std::string trades_json(const std::vector<TradeRecord>& trades);
/// `{"code":…,"msg":…}`.
std::string error_json(int code, const std::string& message);

}  // namespace troupe::sim::detail
