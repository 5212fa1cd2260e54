#include "adapters/sim/matching_engine.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "tests/unit/adapters/sim/sim_test_support.hpp"

namespace troupe::sim {
namespace {

using test::px;
using test::qty;

template <class T>
std::vector<T> of_type(const std::vector<EngineEvent>& events) {
  std::vector<T> out;
  for (const auto& e : events)
    if (const T* x = std::get_if<T>(&e)) out.push_back(*x);
  return out;
}

class MatchingEngineTest : public ::testing::Test {
 protected:
  MatchingEngineTest() { engine_.add_instrument(test::btc_usdt()); }

  OrderId limit(const std::string& account, Side side, const char* price, const char* quantity,
                TimeInForce tif = TimeInForce::Gtc, const std::string& client_id = "") {
    auto id =
        engine_.submit(request(account, side, OrderType::Limit, price, quantity, tif, client_id));
    EXPECT_TRUE(id.has_value()) << (id ? "" : reject_text(id.error()));
    return id.value_or(0);
  }

  OrderRequest request(const std::string& account, Side side, OrderType type, const char* price,
                       const char* quantity, TimeInForce tif = TimeInForce::Gtc,
                       const std::string& client_id = "") {
    OrderRequest r;
    r.symbol = "BTCUSDT";
    r.account = account;
    r.client_order_id =
        client_id.empty() ? account + "-" + std::to_string(++client_seq_) : client_id;
    r.side = side;
    r.type = type;
    r.time_in_force = tif;
    if (type == OrderType::Limit) r.price = px(price);
    r.quantity = qty(quantity);
    return r;
  }

  MatchingEngine engine_;
  int client_seq_ = 0;
};

TEST_F(MatchingEngineTest, RestingLimitOrderIsAcceptedAndChangesOneLevel) {
  const OrderId id = limit("alice", Side::Buy, "60000.00", "0.5");
  auto events = engine_.take_events();
  ASSERT_EQ(events.size(), 2u);
  auto accepted = std::get<OrderAccepted>(events[0]);
  EXPECT_EQ(accepted.order_id, id);
  auto level = std::get<LevelChange>(events[1]);
  EXPECT_EQ(level.side, Side::Buy);
  EXPECT_EQ(level.price, px("60000.00"));
  EXPECT_EQ(level.quantity, qty("0.5"));
  EXPECT_EQ(level.update_id, 1u);
  EXPECT_EQ(engine_.best_bid("BTCUSDT")->price, px("60000.00"));
  EXPECT_FALSE(engine_.best_ask("BTCUSDT").has_value());
}

TEST_F(MatchingEngineTest, FillsBetterPricesFirstThenOlderOrdersAtTheSamePrice) {
  const OrderId first = limit("a", Side::Sell, "60001.00", "0.1");
  const OrderId second = limit("b", Side::Sell, "60001.00", "0.1");
  const OrderId better = limit("c", Side::Sell, "60000.50", "0.1");
  engine_.take_events();
  const OrderId taker = limit("t", Side::Buy, "60001.00", "0.25");
  auto fills = of_type<OrderFill>(engine_.take_events());
  std::vector<OrderId> makers;
  for (const auto& f : fills)
    if (f.maker) makers.push_back(f.order_id);
  EXPECT_EQ(makers, (std::vector<OrderId>{better, first, second}));
  const auto& last_taker_fill = fills.back();
  EXPECT_EQ(last_taker_fill.order_id, taker);
  EXPECT_EQ(last_taker_fill.cumulative, qty("0.25"));
  EXPECT_EQ(last_taker_fill.leaves, qty("0"));
  // The second order at 60001 keeps the 0.05 the taker did not need.
  auto rest = engine_.open_order(second);
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->filled, qty("0.05"));
  EXPECT_EQ(engine_.snapshot("BTCUSDT", 5).asks,
            (std::vector<BookLevel>{{px("60001.00"), qty("0.05")}}));
}

TEST_F(MatchingEngineTest, PartialFillAcrossLevelsRestsTheRemainderAtTheLimit) {
  limit("a", Side::Sell, "60000.00", "0.1");
  limit("b", Side::Sell, "60000.10", "0.2");
  limit("c", Side::Sell, "60000.50", "0.3");
  engine_.take_events();
  const OrderId taker = limit("t", Side::Buy, "60000.10", "0.5");
  auto events = engine_.take_events();
  auto trades = of_type<PublicTrade>(events);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].price, px("60000.00"));
  EXPECT_EQ(trades[1].price, px("60000.10"));
  EXPECT_EQ(trades[1].aggressor, Side::Buy);
  EXPECT_TRUE(of_type<OrderCanceled>(events).empty());
  auto open = engine_.open_order(taker);
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->filled, qty("0.3"));
  auto book = engine_.snapshot("BTCUSDT", 10);
  EXPECT_EQ(book.bids, (std::vector<BookLevel>{{px("60000.10"), qty("0.2")}}));
  EXPECT_EQ(book.asks, (std::vector<BookLevel>{{px("60000.50"), qty("0.3")}}));
}

TEST_F(MatchingEngineTest, IocRemainderExpiresInsteadOfResting) {
  limit("a", Side::Sell, "60000.00", "0.1");
  engine_.take_events();
  const OrderId taker = limit("t", Side::Buy, "60000.00", "0.3", TimeInForce::Ioc);
  auto canceled = of_type<OrderCanceled>(engine_.take_events());
  ASSERT_EQ(canceled.size(), 1u);
  EXPECT_EQ(canceled[0].order_id, taker);
  EXPECT_EQ(canceled[0].reason, CancelReason::IocRemainder);
  EXPECT_EQ(canceled[0].cumulative, qty("0.1"));
  EXPECT_EQ(canceled[0].canceled, qty("0.2"));
  EXPECT_FALSE(engine_.open_order(taker).has_value());
  EXPECT_TRUE(engine_.snapshot("BTCUSDT", 10).bids.empty());
}

TEST_F(MatchingEngineTest, FokThatCannotFillCompletelyLeavesTheBookUntouched) {
  limit("a", Side::Sell, "60000.00", "0.1");
  limit("b", Side::Sell, "60001.00", "0.1");
  engine_.take_events();
  const auto before = engine_.snapshot("BTCUSDT", 10);
  const OrderId taker = limit("t", Side::Buy, "60000.50", "0.15", TimeInForce::Fok);
  auto events = engine_.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(events[0]));
  auto canceled = std::get<OrderCanceled>(events[1]);
  EXPECT_EQ(canceled.order_id, taker);
  EXPECT_EQ(canceled.reason, CancelReason::FokUnfilled);
  EXPECT_EQ(canceled.canceled, qty("0.15"));
  const auto after = engine_.snapshot("BTCUSDT", 10);
  EXPECT_EQ(after.asks, before.asks);
  EXPECT_EQ(after.last_update_id, before.last_update_id);
}

TEST_F(MatchingEngineTest, FokThatCanFillCompletelyFillsAcrossLevels) {
  limit("a", Side::Sell, "60000.00", "0.1");
  limit("b", Side::Sell, "60001.00", "0.1");
  engine_.take_events();
  limit("t", Side::Buy, "60001.00", "0.15", TimeInForce::Fok);
  auto events = engine_.take_events();
  EXPECT_EQ(of_type<PublicTrade>(events).size(), 2u);
  EXPECT_TRUE(of_type<OrderCanceled>(events).empty());
  EXPECT_EQ(engine_.snapshot("BTCUSDT", 10).asks,
            (std::vector<BookLevel>{{px("60001.00"), qty("0.05")}}));
}

TEST_F(MatchingEngineTest, MarketOrderSweepsLevelsAndExpiresWhatTheBookCannotFill) {
  limit("a", Side::Buy, "60000.00", "0.1");
  limit("b", Side::Buy, "59999.00", "0.2");
  engine_.take_events();
  auto id = engine_.submit(request("t", Side::Sell, OrderType::Market, "", "0.5"));
  ASSERT_TRUE(id.has_value());
  auto events = engine_.take_events();
  auto trades = of_type<PublicTrade>(events);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].price, px("60000.00"));
  EXPECT_EQ(trades[1].price, px("59999.00"));
  EXPECT_EQ(trades[1].aggressor, Side::Sell);
  auto canceled = of_type<OrderCanceled>(events);
  ASSERT_EQ(canceled.size(), 1u);
  EXPECT_EQ(canceled[0].reason, CancelReason::IocRemainder);
  EXPECT_EQ(canceled[0].canceled, qty("0.2"));
  EXPECT_TRUE(engine_.snapshot("BTCUSDT", 10).bids.empty());
}

TEST_F(MatchingEngineTest, CancelRemovesTheOrderAndReportsAUserCancel) {
  const OrderId id = limit("a", Side::Buy, "60000.00", "0.1");
  limit("b", Side::Buy, "60000.00", "0.2");
  engine_.take_events();
  EXPECT_TRUE(engine_.cancel(id));
  auto events = engine_.take_events();
  auto canceled = of_type<OrderCanceled>(events);
  ASSERT_EQ(canceled.size(), 1u);
  EXPECT_EQ(canceled[0].reason, CancelReason::User);
  EXPECT_EQ(canceled[0].canceled, qty("0.1"));
  auto levels = of_type<LevelChange>(events);
  ASSERT_EQ(levels.size(), 1u);
  EXPECT_EQ(levels[0].quantity, qty("0.2"));
  EXPECT_FALSE(engine_.cancel(id));
  EXPECT_FALSE(engine_.cancel(9999));
}

TEST_F(MatchingEngineTest, EveryLevelChangeTakesTheNextUpdateId) {
  limit("a", Side::Sell, "60000.00", "0.1");
  limit("b", Side::Sell, "60001.00", "0.1");
  limit("c", Side::Buy, "59999.00", "0.1");
  limit("t", Side::Buy, "60001.00", "0.15");  // removes 60000, reduces 60001
  const OrderId resting = limit("d", Side::Sell, "60005.00", "0.1");
  engine_.cancel(resting);
  auto levels = of_type<LevelChange>(engine_.take_events());
  ASSERT_EQ(levels.size(), 7u);
  for (std::size_t i = 0; i < levels.size(); ++i) EXPECT_EQ(levels[i].update_id, i + 1);
  EXPECT_EQ(levels[3].price, px("60000.00"));
  EXPECT_TRUE(levels[3].quantity.is_zero());
  EXPECT_EQ(levels[4].quantity, qty("0.05"));
  EXPECT_EQ(engine_.update_id("BTCUSDT"), 7u);
  EXPECT_EQ(engine_.snapshot("BTCUSDT", 100).last_update_id, 7u);
}

TEST_F(MatchingEngineTest, PostOnlyOrderThatWouldTakeIsRejectedAndChangesNothing) {
  limit("a", Side::Sell, "60000.00", "0.1");
  engine_.take_events();
  auto r = request("m", Side::Buy, OrderType::Limit, "60000.00", "0.1");
  r.post_only = true;
  auto id = engine_.submit(r);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error(), RejectReason::WouldMatch);
  EXPECT_EQ(reject_text(id.error()), "Order would immediately match and take.");
  auto events = engine_.take_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<OrderRejected>(events[0]));
  EXPECT_EQ(engine_.update_id("BTCUSDT"), 1u);
  r.price = px("59999.99");
  EXPECT_TRUE(engine_.submit(r).has_value());
}

TEST_F(MatchingEngineTest, OrdersBreakingInstrumentFiltersAreRejectedWithBinanceTexts) {
  auto off_tick = request("a", Side::Buy, OrderType::Limit, "0", "0.1");
  off_tick.price = *Price::parse("60000.005", 3);
  EXPECT_EQ(reject_text(engine_.submit(off_tick).error()), "Filter failure: PRICE_FILTER");
  auto zero_price = request("a", Side::Buy, OrderType::Limit, "0.00", "0.1");
  EXPECT_EQ(engine_.submit(zero_price).error(), RejectReason::PriceFilter);
  auto off_lot = request("a", Side::Buy, OrderType::Limit, "60000.00", "0.000015");
  EXPECT_EQ(reject_text(engine_.submit(off_lot).error()), "Filter failure: LOT_SIZE");
  auto zero = request("a", Side::Buy, OrderType::Limit, "60000.00", "0");
  EXPECT_EQ(engine_.submit(zero).error(), RejectReason::LotSize);
  auto small = request("a", Side::Buy, OrderType::Limit, "100.00", "0.01");  // 1 USDT
  EXPECT_EQ(reject_text(engine_.submit(small).error()), "Filter failure: NOTIONAL");
  auto unknown = request("a", Side::Buy, OrderType::Limit, "60000.00", "0.1");
  unknown.symbol = "NOPE";
  EXPECT_EQ(reject_text(engine_.submit(unknown).error()), "Invalid symbol.");
  EXPECT_EQ(engine_.update_id("BTCUSDT"), 0u);
}

TEST_F(MatchingEngineTest, ClientOrderIdMustBeUniqueAmongTheAccountsOpenOrders) {
  limit("a", Side::Buy, "60000.00", "0.1", TimeInForce::Gtc, "same");
  auto again = engine_.submit(
      request("a", Side::Buy, OrderType::Limit, "59000.00", "0.1", TimeInForce::Gtc, "same"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error(), RejectReason::DuplicateOrder);
  EXPECT_TRUE(engine_
                  .submit(request("b", Side::Buy, OrderType::Limit, "59000.00", "0.1",
                                  TimeInForce::Gtc, "same"))
                  .has_value());
}

TEST_F(MatchingEngineTest, SelfTradeIsAllowed) {
  limit("a", Side::Sell, "60000.00", "0.1");
  limit("a", Side::Buy, "60000.00", "0.1");
  auto fills = of_type<OrderFill>(engine_.take_events());
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[0].account, fills[0].counterparty_account);
}

TEST_F(MatchingEngineTest, OpenOrdersAreListedPerAccountAndSnapshotIsOrderedAndLimited) {
  limit("a", Side::Buy, "59990.00", "0.1");
  limit("a", Side::Buy, "59995.00", "0.1");
  limit("b", Side::Sell, "60010.00", "0.1");
  limit("b", Side::Sell, "60005.00", "0.1");
  limit("b", Side::Sell, "60020.00", "0.1");
  EXPECT_EQ(engine_.open_orders("a").size(), 2u);
  EXPECT_EQ(engine_.open_orders("b").size(), 3u);
  EXPECT_TRUE(engine_.open_orders("b", std::string_view("ETHUSDT")).empty());
  auto snapshot = engine_.snapshot("BTCUSDT", 2);
  EXPECT_EQ(snapshot.bids,
            (std::vector<BookLevel>{{px("59995.00"), qty("0.1")}, {px("59990.00"), qty("0.1")}}));
  EXPECT_EQ(snapshot.asks,
            (std::vector<BookLevel>{{px("60005.00"), qty("0.1")}, {px("60010.00"), qty("0.1")}}));
}

}  // namespace
}  // namespace troupe::sim
