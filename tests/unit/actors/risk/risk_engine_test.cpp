#include "actors/risk/risk_engine.hpp"

#include <gtest/gtest.h>

#include "tests/unit/actors/engine_test_support.hpp"

namespace troupe::risk_test {
namespace {

using Engine = troupe::RiskEngine;
using test::px;
using test::qty;
using test::usd;

constexpr TimestampNs kStart = 1'700'000'000'000'000'000;

RiskConfig limits() {
  RiskConfig c;
  c.account = AccountId{"paper"};
  c.max_order_notional = usd("5000.00", 2);
  c.max_order_quantity = qty("1");
  c.max_position = qty("2");
  c.max_orders_per_second = 5;
  return c;
}

SubmitOrder limit(Side side, std::string_view quantity, std::string_view price) {
  SubmitOrder o;
  o.account = AccountId{"paper"};
  o.strategy = StrategyId{"obi"};
  o.instrument = test::btc_usdt().id;
  o.side = side;
  o.type = OrderType::Limit;
  o.quantity = qty(quantity);
  o.price = px(price);
  return o;
}

SubmitOrder market(Side side, std::string_view quantity) {
  SubmitOrder o = limit(side, quantity, "0");
  o.type = OrderType::Market;
  return o;
}

// Named like the engine so that tests read RiskEngine.<behaviour>.
struct RiskEngine : ::testing::Test {
  SimulatedClock clock{kStart};
  Engine engine{limits(), {test::btc_usdt(), test::eth_usdt()}, clock};

  // Denial of `order`, failing the test when it was approved.
  OrderDenied denied(const SubmitOrder& order) {
    auto decision = engine.check(order);
    EXPECT_FALSE(decision.has_value()) << "approved: " << order.quantity.to_string();
    return decision ? OrderDenied{} : decision.error();
  }
  void approve(const SubmitOrder& order) {
    auto decision = engine.check(order);
    ASSERT_TRUE(decision.has_value()) << decision.error().message;
  }
  // The OMS journaled `order` as `id`.
  void submitted(SubmitOrder order, std::string id) {
    order.client_order_id = ClientOrderId{std::move(id)};
    engine.apply(OrderSubmitted{order, 0, 0});
  }
  void filled(const std::string& id, Side side, std::string_view quantity) {
    OrderFilled f;
    f.account = AccountId{"paper"};
    f.client_order_id = ClientOrderId{id};
    f.instrument = test::btc_usdt().id;
    f.side = side;
    f.last_quantity = qty(quantity);
    f.last_price = px("2000.00");
    engine.apply(f);
  }
  void tick() { clock.advance(std::chrono::milliseconds(300)); }
};

TEST_F(RiskEngine, ApprovesAValidLimitOrder) {
  approve(limit(Side::Buy, "0.5", "2000.00"));
  EXPECT_EQ(engine.open_quantity(test::btc_usdt().id, Side::Buy), qty("0.5"));
}

TEST_F(RiskEngine, DeniesEveryOrderWhenHalted) {
  engine.set_trading_state(TradingState::Halted);
  OrderDenied d = denied(limit(Side::Buy, "0.1", "2000.00"));
  EXPECT_EQ(d.reason, DenyReason::TradingHalted);
  EXPECT_EQ(d.message, "trading state is halted");
  EXPECT_EQ(d.account, AccountId{"paper"});
  EXPECT_EQ(d.strategy, StrategyId{"obi"});
  EXPECT_EQ(d.ts_event, kStart);
  // Halted beats every other check, even an unknown instrument.
  SubmitOrder unknown = limit(Side::Buy, "0.1", "2000.00");
  unknown.instrument.symbol = "DOGEUSDT";
  EXPECT_EQ(denied(unknown).reason, DenyReason::TradingHalted);
  engine.set_trading_state(TradingState::Active);
  approve(limit(Side::Buy, "0.1", "2000.00"));
}

TEST_F(RiskEngine, AllowsOnlyPositionReducingOrdersWhileReducing) {
  filled("x-1", Side::Buy, "1");  // long 1
  engine.set_trading_state(TradingState::Reducing);
  EXPECT_EQ(denied(limit(Side::Buy, "0.1", "2000.00")).reason, DenyReason::TradingHalted);
  EXPECT_EQ(denied(limit(Side::Sell, "1.5", "2000.00")).reason, DenyReason::TradingHalted);
  approve(limit(Side::Sell, "0.6", "2000.00"));
  // 0.6 already on its way: another 0.6 would flip the position.
  OrderDenied d = denied(limit(Side::Sell, "0.6", "2000.00"));
  EXPECT_NE(d.message.find("reducing"), std::string::npos);
  approve(limit(Side::Sell, "0.4", "2000.00"));
}

TEST_F(RiskEngine, DeniesAnUnknownInstrument) {
  SubmitOrder order = limit(Side::Buy, "0.1", "2000.00");
  order.instrument = InstrumentId{VenueId{"sim"}, "DOGEUSDT"};
  OrderDenied d = denied(order);
  EXPECT_EQ(d.reason, DenyReason::UnknownInstrument);
  EXPECT_EQ(d.message, "unknown instrument DOGEUSDT.sim");
}

TEST_F(RiskEngine, DeniesInvalidOrdersNamingTheField) {
  struct Case {
    SubmitOrder order;
    std::string expected;
  };
  SubmitOrder wrong_account = limit(Side::Buy, "0.1", "2000.00");
  wrong_account.account = AccountId{"live"};
  SubmitOrder stop = limit(Side::Buy, "0.1", "2000.00");
  stop.type = OrderType::StopLimit;
  SubmitOrder off_tick = limit(Side::Buy, "0.1", "2000.00");
  off_tick.price = px("2000.005", 3);
  SubmitOrder off_tick_trigger = stop;
  off_tick_trigger.trigger_price = px("2000.005", 3);
  const std::vector<Case> cases = {
      {wrong_account, "account: live is not this risk guard's account paper"},
      {limit(Side::Buy, "0", "2000.00"), "quantity must be positive, got 0.00000000"},
      {limit(Side::Buy, "0.00015", "2000.00"),
       "quantity 0.00015000 is not a multiple of lot_size 0.00010000"},
      {limit(Side::Buy, "0.1", "0"), "price 0.00 must be a positive multiple of tick_size 0.01"},
      {off_tick, "price 2000.005 must be a positive multiple of tick_size 0.01"},
      {stop, "trigger_price 0 must be a positive multiple of tick_size 0.01"},
      {off_tick_trigger, "trigger_price 2000.005 must be a positive multiple of tick_size 0.01"},
      {limit(Side::Buy, "0.0002", "2000.00"), "notional 0.40 is below min_notional 5.00"},
  };
  for (const auto& c : cases) {
    OrderDenied d = denied(c.order);
    EXPECT_EQ(d.reason, DenyReason::InvalidOrder) << c.expected;
    EXPECT_EQ(d.message, c.expected);
  }
  Instrument strict = test::btc_usdt();
  strict.min_quantity = qty("0.01");
  Engine engine_with_min(limits(), {strict}, clock);
  auto d = engine_with_min.check(limit(Side::Buy, "0.005", "2000.00"));
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().message, "quantity 0.00500000 is below min_quantity 0.01000000");
}

TEST_F(RiskEngine, DeniesAnInstrumentTheVenueHalted) {
  Instrument halted = test::btc_usdt();
  halted.tradable = false;
  Engine e(limits(), {halted}, clock);
  auto d = e.check(limit(Side::Buy, "0.1", "2000.00"));
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().reason, DenyReason::TradingHalted);
}

TEST_F(RiskEngine, DeniesOrderAboveMaxOrderQuantity) {
  OrderDenied d = denied(limit(Side::Buy, "1.5", "100.00"));
  EXPECT_EQ(d.reason, DenyReason::MaxOrderQuantity);
  EXPECT_EQ(d.message, "quantity 1.50000000 exceeds max_order_quantity 1.00000000");
}

TEST_F(RiskEngine, DeniesOrderAboveMaxNotional) {
  OrderDenied d = denied(limit(Side::Buy, "0.5", "12000.00"));
  EXPECT_EQ(d.reason, DenyReason::MaxOrderNotional);
  EXPECT_EQ(d.message, "notional 6000.00 exceeds max_order_notional 5000.00");
  approve(limit(Side::Buy, "0.5", "10000.00"));  // exactly at the limit
}

TEST_F(RiskEngine, ValuesMarketOrdersAtTheOppositeBestPrice) {
  EXPECT_EQ(denied(market(Side::Buy, "0.5")).reason, DenyReason::NoMarketPrice);
  BookSnapshot top;
  top.instrument = test::btc_usdt().id;
  top.bids = {BookLevel{px("9000.00"), qty("1")}};
  top.asks = {BookLevel{px("12000.00"), qty("1")}};
  engine.on_book(top);
  OrderDenied d = denied(market(Side::Buy, "0.5"));
  EXPECT_EQ(d.reason, DenyReason::MaxOrderNotional);
  EXPECT_EQ(d.message, "notional 6000.00 exceeds max_order_notional 5000.00");
  approve(market(Side::Sell, "0.5"));  // 0.5 × 9000.00 = 4500.00
  MarketState other;
  other.set(test::btc_usdt().id, px("100.00"), px("100.01"));
  EXPECT_TRUE(engine.check(market(Side::Buy, "0.5"), other).has_value());
}

TEST_F(RiskEngine, DeniesOrderBeyondMaxPositionCountingOpenOrders) {
  filled("x-1", Side::Buy, "1");  // long 1
  approve(limit(Side::Buy, "0.5", "2000.00"));
  submitted(limit(Side::Buy, "0.5", "2000.00"), "paper-1-1");
  OrderDenied d = denied(limit(Side::Buy, "0.6", "2000.00"));
  EXPECT_EQ(d.reason, DenyReason::MaxPosition);
  EXPECT_EQ(d.message,
            "position after order 2.10000000 exceeds max_position 2.00000000 (position "
            "1.00000000, open buy 0.50000000, order buy 0.60000000)");
  approve(limit(Side::Buy, "0.5", "2000.00"));  // exactly 2
  // Selling is measured on its own side: 1 - 1 = 0.
  approve(limit(Side::Sell, "1", "2000.00"));
}

TEST_F(RiskEngine, AllowsOrdersThatShrinkAPositionAboveTheLimit) {
  filled("x-1", Side::Buy, "1");
  filled("x-2", Side::Buy, "1");
  filled("x-3", Side::Buy, "0.5");  // long 2.5, above max_position 2
  EXPECT_EQ(denied(limit(Side::Buy, "0.1", "2000.00")).reason, DenyReason::MaxPosition);
  approve(limit(Side::Sell, "0.1", "2000.00"));
}

TEST_F(RiskEngine, ReservesApprovedQuantityUntilTheOrderManagerConfirms) {
  // A burst faster than the journal: the in-flight approvals count toward max_position.
  approve(limit(Side::Buy, "1", "2000.00"));
  tick();
  approve(limit(Side::Buy, "1", "2000.00"));
  tick();
  EXPECT_EQ(denied(limit(Side::Buy, "0.1", "2000.00")).reason, DenyReason::MaxPosition);
  submitted(limit(Side::Buy, "1", "2000.00"), "paper-1-1");
  submitted(limit(Side::Buy, "1", "2000.00"), "paper-1-2");
  EXPECT_EQ(engine.open_quantity(test::btc_usdt().id, Side::Buy), qty("2"));
  EXPECT_EQ(engine.open_order_count(), 2u);
}

TEST_F(RiskEngine, ReleasesAReservationTheOrderManagerDenied) {
  SubmitOrder order = limit(Side::Buy, "1", "2000.00");
  order.client_order_id = ClientOrderId{"mine-1"};
  approve(order);
  EXPECT_EQ(engine.open_quantity(test::btc_usdt().id, Side::Buy), qty("1"));
  OrderDenied duplicate;
  duplicate.account = AccountId{"paper"};
  duplicate.client_order_id = ClientOrderId{"mine-1"};
  duplicate.reason = DenyReason::DuplicateClientOrderId;
  engine.apply(duplicate);
  EXPECT_TRUE(engine.open_quantity(test::btc_usdt().id, Side::Buy).is_zero());
}

TEST_F(RiskEngine, ExpiresReservationsTheOrderManagerNeverConfirms) {
  approve(limit(Side::Buy, "1", "2000.00"));
  clock.advance(std::chrono::seconds(5));
  approve(limit(Side::Buy, "1", "2000.00"));  // the first one is no longer counted
  tick();
  approve(limit(Side::Buy, "1", "2000.00"));
  EXPECT_EQ(engine.open_quantity(test::btc_usdt().id, Side::Buy), qty("2"));
}

TEST_F(RiskEngine, TracksPositionAndOpenQuantityFromOrderEvents) {
  const auto btc = test::btc_usdt().id;
  approve(limit(Side::Buy, "1", "2000.00"));
  submitted(limit(Side::Buy, "1", "2000.00"), "paper-1-1");
  filled("paper-1-1", Side::Buy, "0.4");
  EXPECT_EQ(engine.position(btc), qty("0.4"));
  EXPECT_EQ(engine.open_quantity(btc, Side::Buy), qty("0.6"));
  OrderCanceled canceled;
  canceled.account = AccountId{"paper"};
  canceled.client_order_id = ClientOrderId{"paper-1-1"};
  engine.apply(canceled);
  EXPECT_TRUE(engine.open_quantity(btc, Side::Buy).is_zero());
  EXPECT_EQ(engine.open_order_count(), 0u);

  tick();
  approve(limit(Side::Sell, "1", "2000.00"));
  submitted(limit(Side::Sell, "1", "2000.00"), "paper-1-2");
  OrderRejected rejected;
  rejected.account = AccountId{"paper"};
  rejected.client_order_id = ClientOrderId{"paper-1-2"};
  engine.apply(rejected);
  EXPECT_TRUE(engine.open_quantity(btc, Side::Sell).is_zero());
  filled("paper-1-2", Side::Sell, "1");  // late fill of an unknown order still moves position
  EXPECT_EQ(engine.position(btc), qty("-0.6"));
}

TEST_F(RiskEngine, DeniesOrdersAboveTheRateWithinASlidingSecond) {
  for (int i = 0; i < 5; ++i) {
    approve(limit(Side::Buy, "0.01", "2000.00"));
    clock.advance(std::chrono::milliseconds(100));
  }
  OrderDenied d = denied(limit(Side::Buy, "0.01", "2000.00"));
  EXPECT_EQ(d.reason, DenyReason::MaxOrderRate);
  EXPECT_EQ(d.message, "5 orders in the last second reach max_orders_per_second 5");
  clock.set(kStart + 999'999'999);
  EXPECT_EQ(denied(limit(Side::Buy, "0.01", "2000.00")).reason, DenyReason::MaxOrderRate);
  clock.set(kStart + 1'000'000'000);  // the first approval leaves the window
  approve(limit(Side::Buy, "0.01", "2000.00"));
}

TEST_F(RiskEngine, TreatsZeroLimitsAsDisabled) {
  RiskConfig none;
  none.account = AccountId{"paper"};
  Engine open(none, {test::btc_usdt()}, clock);
  for (int i = 0; i < 50; ++i)
    EXPECT_TRUE(open.check(limit(Side::Buy, "100", "99999.00")).has_value());
  EXPECT_TRUE(open.check(market(Side::Buy, "1")).has_value());  // no notional limit: no price
}

TEST_F(RiskEngine, ReportsTheFirstFailingCheckInOrder) {
  // Invalid (off lot) beats max quantity; max quantity beats max notional.
  EXPECT_EQ(denied(limit(Side::Buy, "5.00005", "20000.00")).reason, DenyReason::InvalidOrder);
  EXPECT_EQ(denied(limit(Side::Buy, "5", "20000.00")).reason, DenyReason::MaxOrderQuantity);
  // Max notional beats max position and rate.
  filled("x-1", Side::Buy, "2");
  EXPECT_EQ(denied(limit(Side::Buy, "1", "6000.00")).reason, DenyReason::MaxOrderNotional);
}

TEST_F(RiskEngine, ReplacesLimitsAtRuntime) {
  RiskConfig tighter = limits();
  tighter.account = AccountId{"ignored"};
  tighter.max_order_quantity = qty("0.1");
  engine.set_limits(tighter);
  EXPECT_EQ(engine.limits().account, AccountId{"paper"});
  EXPECT_EQ(denied(limit(Side::Buy, "0.2", "2000.00")).reason, DenyReason::MaxOrderQuantity);
}

}  // namespace
}  // namespace troupe::risk_test
