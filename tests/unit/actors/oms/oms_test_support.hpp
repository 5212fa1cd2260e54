#pragma once
// Builders for order manager tests: venue reports for one account and a full text form of an
// OrderRecord for comparing whole states.

#include "actors/oms/oms_engine.hpp"

#include <string>

#include "tests/unit/actors/engine_test_support.hpp"

namespace troupe::test {

inline OmsConfig oms_config() { return OmsConfig{AccountId{"paper"}, VenueId{"sim"}}; }

inline SubmitOrder buy_limit(std::string_view quantity, std::string_view price) {
  SubmitOrder o;
  o.account = AccountId{"paper"};
  o.strategy = StrategyId{"obi"};
  o.instrument = btc_usdt().id;
  o.side = Side::Buy;
  o.type = OrderType::Limit;
  o.quantity = qty(quantity);
  o.price = px(price);
  return o;
}

inline OrderAccepted accepted(const std::string& id, std::string venue_id = "V1") {
  OrderAccepted a;
  a.client_order_id = ClientOrderId{id};
  a.venue_order_id = VenueOrderId{std::move(venue_id)};
  a.ts_event = 10;
  return a;
}

inline OrderFilled filled(const std::string& id, std::string trade, Quantity quantity,
                          Price price) {
  OrderFilled f;
  f.client_order_id = ClientOrderId{id};
  f.trade_id = TradeId{std::move(trade)};
  f.last_quantity = quantity;
  f.last_price = price;
  f.commission = Money::from_raw(0, 8);
  f.ts_event = 20;
  return f;
}

inline OrderCanceled canceled(const std::string& id, std::string reason = "user") {
  OrderCanceled c;
  c.client_order_id = ClientOrderId{id};
  c.reason = std::move(reason);
  c.ts_event = 30;
  return c;
}

inline OrderRejected rejected(const std::string& id, std::string reason = "-2010 no funds") {
  OrderRejected r;
  r.client_order_id = ClientOrderId{id};
  r.reason = std::move(reason);
  r.ts_event = 40;
  return r;
}

inline CancelOrder cancel_request(const std::string& id) {
  CancelOrder c;
  c.client_order_id = ClientOrderId{id};
  c.ts_init = 50;
  return c;
}

/// Every field of a record, for whole-state comparisons.
inline std::string describe(const OrderRecord& r) {
  return r.order.client_order_id.value + " " + r.order.account.value + " " +
         r.order.strategy.value + " " + to_string(r.order.instrument) + " " +
         to_string(r.order.side) + " " + r.order.quantity.to_string() + "@" +
         r.order.price.to_string() + " venue=" + r.venue_order_id.value + " " +
         to_string(r.status) + " filled=" + r.filled_quantity.to_string() +
         " avg=" + r.average_fill_price.to_string() + " reason=" + r.reason +
         " ts=" + std::to_string(r.ts_created) + "/" + std::to_string(r.ts_updated);
}

inline std::string describe(const OrderManagerEngine& engine) {
  std::string out = "seq=" + std::to_string(engine.next_seq()) +
                    " fills=" + std::to_string(engine.fill_count()) + "\n";
  for (const auto& r : engine.orders()) out += describe(r) + "\n";
  return out;
}

}  // namespace troupe::test
