#pragma once
// Commands (imperative). Sent by strategies and the API to the risk guard, which forwards what
// it accepts to the order manager.

#include "messages/enums.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>
#include <string>

namespace troupe {

/// Asks for a new order. `client_order_id` may be empty: the order manager then assigns
/// `account-epoch-seq`. `price` is used by limit and stop-limit orders, `trigger_price` by stop
/// and stop-limit orders; otherwise they are zero.
struct SubmitOrder {
  AccountId account;
  StrategyId strategy;
  ClientOrderId client_order_id;
  InstrumentId instrument;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  TimeInForce time_in_force = TimeInForce::Gtc;
  Quantity quantity;
  Price price;
  Price trigger_price;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, SubmitOrder& x) {
    return f(x.account, x.strategy, x.client_order_id, x.instrument, x.side, x.type,
             x.time_in_force, x.quantity, x.price, x.trigger_price, x.ts_init);
  }
};

/// Asks to cancel a working order.
struct CancelOrder {
  AccountId account;
  StrategyId strategy;
  ClientOrderId client_order_id;
  InstrumentId instrument;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, CancelOrder& x) {
    return f(x.account, x.strategy, x.client_order_id, x.instrument, x.ts_init);
  }
};

}  // namespace troupe
