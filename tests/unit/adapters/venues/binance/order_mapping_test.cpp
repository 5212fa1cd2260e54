// Order parameters (§2.3) and executionReport mapping (§2.10).

#include "adapters/venues/binance/order_mapping.hpp"

#include <gtest/gtest.h>

#include "binance_test_support.hpp"

namespace troupe::binance {
namespace {

using testing::btcusdt;

const AccountId kAccount{"paper"};

SubmitOrder order(OrderType type, TimeInForce tif = TimeInForce::Gtc) {
  SubmitOrder o;
  o.account = kAccount;
  o.client_order_id = ClientOrderId{"cli-0001"};
  o.instrument = btcusdt().id;
  o.side = Side::Buy;
  o.type = type;
  o.time_in_force = tif;
  o.quantity = Quantity::from_raw(1, 2);  // 0.01, written at the instrument's 8 decimals
  o.price = Price::from_raw(6000000, 2);
  o.trigger_price = Price::from_raw(5900000, 2);
  return o;
}

std::string query(OrderType type, TimeInForce tif = TimeInForce::Gtc) {
  return encode_query(new_order_params(order(type, tif), btcusdt(), 5000, 1718000000000));
}

TEST(BinanceOrderParams, LimitOrderCarriesPriceTimeInForceAndAckResponse) {
  EXPECT_EQ(query(OrderType::Limit),
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000000"
            "&price=60000.00&newClientOrderId=cli-0001&newOrderRespType=ACK&recvWindow=5000"
            "&timestamp=1718000000000");
}

TEST(BinanceOrderParams, MarketOrderHasNeitherPriceNorTimeInForce) {
  EXPECT_EQ(query(OrderType::Market),
            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01000000&newClientOrderId=cli-0001"
            "&newOrderRespType=ACK&recvWindow=5000&timestamp=1718000000000");
}

TEST(BinanceOrderParams, StopOrdersMapToStopLossTypesWithStopPrice) {
  EXPECT_EQ(query(OrderType::Stop),
            "symbol=BTCUSDT&side=BUY&type=STOP_LOSS&quantity=0.01000000&stopPrice=59000.00"
            "&newClientOrderId=cli-0001&newOrderRespType=ACK&recvWindow=5000"
            "&timestamp=1718000000000");
  EXPECT_EQ(query(OrderType::StopLimit, TimeInForce::Ioc),
            "symbol=BTCUSDT&side=BUY&type=STOP_LOSS_LIMIT&timeInForce=IOC&quantity=0.01000000"
            "&price=60000.00&stopPrice=59000.00&newClientOrderId=cli-0001&newOrderRespType=ACK"
            "&recvWindow=5000&timestamp=1718000000000");
}

TEST(BinanceOrderParams, DayOrdersAreSentAsGoodTillCanceled) {
  EXPECT_NE(query(OrderType::Limit, TimeInForce::Day).find("timeInForce=GTC"), std::string::npos);
  EXPECT_NE(query(OrderType::Limit, TimeInForce::Fok).find("timeInForce=FOK"), std::string::npos);
}

TEST(BinanceOrderParams, CancelAndQueryAddressTheOrderByOriginalClientId) {
  CancelOrder cancel;
  cancel.client_order_id = ClientOrderId{"cli-0001"};
  cancel.instrument = btcusdt().id;
  EXPECT_EQ(encode_query(cancel_order_params(cancel, 5000, 7)),
            "symbol=BTCUSDT&origClientOrderId=cli-0001&recvWindow=5000&timestamp=7");
  EXPECT_EQ(encode_query(query_order_params("BTCUSDT", "cli-0001", 5000, 7)),
            "symbol=BTCUSDT&origClientOrderId=cli-0001&recvWindow=5000&timestamp=7");
}

ExecutionReport report(std::string execution_type) {
  ExecutionReport r;
  r.instrument = btcusdt().id;
  r.client_order_id = "cli-0001";
  r.side = Side::Buy;
  r.time_in_force = "GTC";
  r.execution_type = std::move(execution_type);
  r.order_status = "NEW";
  r.order_id = 812345;
  r.order_quantity = Quantity::from_raw(1000000, 8);
  r.ts_event = 6;
  r.ts_transaction = 5;
  return r;
}

template <class T>
T mapped_as(const ExecutionReport& r) {
  auto mapped = map_execution_report(r, kAccount, 99);
  EXPECT_TRUE(mapped.has_value());
  EXPECT_TRUE(mapped && std::holds_alternative<T>(*mapped));
  return mapped && std::holds_alternative<T>(*mapped) ? std::get<T>(*mapped) : T{};
}

TEST(BinanceExecutionMapping, NewBecomesAcceptedWithTheVenueOrderId) {
  auto accepted = mapped_as<OrderAccepted>(report("NEW"));
  EXPECT_EQ(accepted.account, kAccount);
  EXPECT_EQ(accepted.client_order_id.value, "cli-0001");
  EXPECT_EQ(accepted.venue_order_id.value, "812345");
  EXPECT_EQ(accepted.ts_event, 6);
  EXPECT_EQ(accepted.ts_init, 99);
}

TEST(BinanceExecutionMapping, TradeBecomesAFillWithLeavesAndCommission) {
  ExecutionReport r = report("TRADE");
  r.order_status = "PARTIALLY_FILLED";
  r.trade_id = 99001;
  r.last_quantity = Quantity::from_raw(400000, 8);
  r.cum_quantity = Quantity::from_raw(400000, 8);
  r.last_price = Price::from_raw(6000000, 2);
  r.commission = Money::from_raw(400, 8);
  r.commission_asset = "BTC";
  r.maker = true;
  auto fill = mapped_as<OrderFilled>(r);
  EXPECT_EQ(fill.trade_id.value, "99001");
  EXPECT_EQ(fill.venue_order_id.value, "812345");
  EXPECT_EQ(fill.leaves_quantity, Quantity::from_raw(600000, 8));
  EXPECT_EQ(fill.commission, Money::from_raw(400, 8));
  EXPECT_EQ(fill.commission_asset, "BTC");
  EXPECT_EQ(fill.liquidity, LiquiditySide::Maker);
  EXPECT_EQ(fill.ts_event, 5);
}

TEST(BinanceExecutionMapping, CancelIsReportedUnderTheOriginalClientId) {
  ExecutionReport r = report("CANCELED");
  r.client_order_id = "cxl-0001";
  r.original_client_order_id = "cli-0001";
  auto canceled = mapped_as<OrderCanceled>(r);
  EXPECT_EQ(canceled.client_order_id.value, "cli-0001");
  EXPECT_EQ(canceled.reason, "user");
}

TEST(BinanceExecutionMapping, ExpiredIocRemainderIsACancelWithItsReason) {
  ExecutionReport r = report("EXPIRED");
  r.time_in_force = "IOC";
  EXPECT_EQ(mapped_as<OrderCanceled>(r).reason, "ioc_remainder");
  r.expiry_reason = "UNFILLED_FOK_ORDER_EXPIRED";
  EXPECT_EQ(mapped_as<OrderCanceled>(r).reason, "fok_unfilled");
  r.expiry_reason = "EXCHANGE_CANCELED";
  EXPECT_EQ(mapped_as<OrderCanceled>(r).reason, "exchange_canceled");
}

TEST(BinanceExecutionMapping, RejectedCarriesTheVenueReason) {
  ExecutionReport r = report("REJECTED");
  r.reject_reason = "INSUFFICIENT_BALANCES";
  EXPECT_EQ(mapped_as<OrderRejected>(r).reason, "INSUFFICIENT_BALANCES");
}

TEST(BinanceExecutionMapping, UnknownExecutionTypesAreErrorsAndReplacedIsSilent) {
  EXPECT_FALSE(map_execution_report(report("TELEPORTED"), kAccount, 1).has_value());
  auto replaced = map_execution_report(report("REPLACED"), kAccount, 1);
  ASSERT_TRUE(replaced.has_value());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(*replaced));
}

}  // namespace
}  // namespace troupe::binance
