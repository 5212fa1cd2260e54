#include "actors/strategy/strategy_engine.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "tests/unit/actors/engine_test_support.hpp"

namespace troupe::strategy_test {
namespace {

using Engine = troupe::StrategyEngine;

using test::px;
using test::qty;

constexpr TimestampNs kMs = 1'000'000;
constexpr TimestampNs kStart = 1'700'000'000'000'000'000;

StrategyConfig config() {
  StrategyConfig c;
  c.id = StrategyId{"obi"};
  c.account = AccountId{"paper"};
  c.instrument = test::btc_usdt();
  c.depth_levels = 5;
  c.imbalance_threshold = 0.3;
  c.order_quantity = qty("0.01005");  // truncated to the 0.0001 lot: 0.0100
  c.max_position = qty("0.03");
  c.cooldown_ms = 500;
  c.order_ttl_ms = 3000;
  c.aggression_ticks = 1;
  return c;
}

// Top of book around 30000.00 / 30000.05 with the given total sizes per side.
BookSnapshot book(std::string_view bid_size, std::string_view ask_size,
                  std::string_view bid = "30000.00", std::string_view ask = "30000.05") {
  BookSnapshot top;
  top.instrument = test::btc_usdt().id;
  top.bids = {BookLevel{px(bid), qty(bid_size)}};
  top.asks = {BookLevel{px(ask), qty(ask_size)}};
  return top;
}

// Named like the engine so that tests read StrategyEngine.<behaviour>.
struct StrategyEngine : ::testing::Test {
  SimulatedClock clock{kStart};
  Engine engine{config(), clock};

  SubmitOrder only_submit(const std::vector<StrategyCommand>& commands) {
    EXPECT_EQ(commands.size(), 1u);
    const auto* order = std::get_if<SubmitOrder>(&commands.at(0));
    EXPECT_NE(order, nullptr);
    return *order;
  }
  OrderSubmitted submitted(const SubmitOrder& order, std::string id) {
    OrderSubmitted event;
    event.order = order;
    event.order.client_order_id = ClientOrderId{std::move(id)};
    return event;
  }
  OrderFilled fill(const std::string& id, Side side, std::string_view last, std::string_view leaves,
                   std::string strategy = "obi") {
    OrderFilled f;
    f.account = AccountId{"paper"};
    f.strategy = StrategyId{std::move(strategy)};
    f.client_order_id = ClientOrderId{id};
    f.instrument = test::btc_usdt().id;
    f.side = side;
    f.last_quantity = qty(last);
    f.last_price = px("30000.01");
    f.leaves_quantity = qty(leaves);
    return f;
  }
  // Sends an order and lets the OMS assign `id`; returns the order.
  SubmitOrder place(std::string id, std::string_view bid_size = "3",
                    std::string_view ask_size = "1") {
    SubmitOrder order = only_submit(engine.on_book(book(bid_size, ask_size)));
    engine.on_event(submitted(order, std::move(id)));
    return order;
  }
  OrderCanceled canceled(std::string id) {
    OrderCanceled c;
    c.account = AccountId{"paper"};
    c.client_order_id = ClientOrderId{std::move(id)};
    return c;
  }
};

TEST_F(StrategyEngine, BuysAtBestBidPlusAggressionWhenImbalanceIsAboveThreshold) {
  const SubmitOrder order = only_submit(engine.on_book(book("3", "1")));
  EXPECT_EQ(order.side, Side::Buy);
  EXPECT_EQ(order.type, OrderType::Limit);
  EXPECT_EQ(order.time_in_force, TimeInForce::Gtc);
  EXPECT_EQ(order.price, px("30000.01"));
  EXPECT_EQ(order.quantity, qty("0.01"));
  EXPECT_TRUE(order.client_order_id.empty());
  EXPECT_EQ(order.account, AccountId{"paper"});
  EXPECT_EQ(order.strategy, StrategyId{"obi"});
  EXPECT_EQ(order.ts_init, kStart);
  EXPECT_DOUBLE_EQ(engine.last_imbalance(), 0.5);
}

TEST_F(StrategyEngine, SellsAtBestAskMinusAggressionWhenImbalanceIsBelowThreshold) {
  const SubmitOrder order = only_submit(engine.on_book(book("1", "3")));
  EXPECT_EQ(order.side, Side::Sell);
  EXPECT_EQ(order.price, px("30000.04"));
}

TEST_F(StrategyEngine, TakesLiquidityWhenAggressionCoversTheSpread) {
  StrategyConfig c = config();
  c.aggression_ticks = 5;
  Engine taker(c, clock);
  const SubmitOrder order = only_submit(taker.on_book(book("3", "1")));
  EXPECT_EQ(order.price, px("30000.05"));  // the best ask
}

TEST_F(StrategyEngine, StaysFlatWhileImbalanceIsInsideThreshold) {
  EXPECT_TRUE(engine.on_book(book("1.2", "0.8")).empty());  // imbalance 0.2
  EXPECT_TRUE(engine.on_book(book("0.8", "1.2")).empty());
  EXPECT_TRUE(engine.on_book(BookSnapshot{test::btc_usdt().id, 0, {}, {}, 0, 0}).empty());
  EXPECT_EQ(engine.orders_sent(), 0u);
}

TEST_F(StrategyEngine, KeepsAtMostOneWorkingOrder) {
  place("paper-1-1");
  clock.advance(std::chrono::milliseconds(1000));
  EXPECT_TRUE(engine.on_book(book("5", "1")).empty());
  EXPECT_TRUE(engine.on_book(book("1", "5")).empty());
  ASSERT_TRUE(engine.working_order().has_value());
  EXPECT_EQ(engine.working_order()->client_order_id, ClientOrderId{"paper-1-1"});
}

TEST_F(StrategyEngine, WaitsForTheCooldownBetweenNewOrders) {
  place("paper-1-1");
  engine.on_event(canceled("paper-1-1"));
  clock.advance(std::chrono::milliseconds(499));
  EXPECT_TRUE(engine.on_book(book("3", "1")).empty());
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(engine.on_book(book("3", "1")).size(), 1u);
}

TEST_F(StrategyEngine, CancelsAWorkingOrderAfterItsTtlAndRepeatsWhileUnanswered) {
  place("paper-1-1");
  EXPECT_TRUE(engine.on_timer(kStart + 2999 * kMs).empty());
  auto commands = engine.on_timer(kStart + 3000 * kMs);
  ASSERT_EQ(commands.size(), 1u);
  const auto* cancel = std::get_if<CancelOrder>(&commands[0]);
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(cancel->client_order_id, ClientOrderId{"paper-1-1"});
  EXPECT_EQ(cancel->instrument, test::btc_usdt().id);
  EXPECT_EQ(cancel->strategy, StrategyId{"obi"});
  EXPECT_TRUE(engine.on_timer(kStart + 5999 * kMs).empty());
  EXPECT_EQ(engine.on_timer(kStart + 6000 * kMs).size(), 1u);
  engine.on_event(canceled("paper-1-1"));
  EXPECT_FALSE(engine.working_order().has_value());
}

TEST_F(StrategyEngine, NeverLetsPositionPlusWorkingOrderExceedMaxPosition) {
  place("paper-1-1");
  engine.on_event(fill("paper-1-1", Side::Buy, "0.01", "0"));
  clock.advance(std::chrono::seconds(1));
  place("paper-1-2");
  engine.on_event(fill("paper-1-2", Side::Buy, "0.015", "0"));  // position 0.025
  clock.advance(std::chrono::seconds(1));
  SubmitOrder capped = place("paper-1-3");
  EXPECT_EQ(capped.quantity, qty("0.005"));
  engine.on_event(fill("paper-1-3", Side::Buy, "0.005", "0"));
  EXPECT_EQ(engine.position(), qty("0.03"));
  clock.advance(std::chrono::seconds(1));
  EXPECT_TRUE(engine.on_book(book("3", "1")).empty());  // at the limit: no more buying
  const SubmitOrder sell = only_submit(engine.on_book(book("1", "3")));
  EXPECT_EQ(sell.side, Side::Sell);
  EXPECT_EQ(sell.quantity, qty("0.01"));
}

TEST_F(StrategyEngine, CountsOnlyItsOwnFills) {
  place("paper-1-1");
  engine.on_event(fill("paper-1-9", Side::Buy, "1", "0", "other-strategy"));
  EXPECT_TRUE(engine.position().is_zero());
  engine.on_event(fill("paper-1-1", Side::Buy, "0.004", "0.006"));
  EXPECT_EQ(engine.position(), qty("0.004"));
  ASSERT_TRUE(engine.working_order().has_value());
  EXPECT_EQ(engine.working_order()->leaves_quantity, qty("0.006"));
  engine.on_event(fill("paper-1-1", Side::Buy, "0.006", "0"));
  EXPECT_EQ(engine.position(), qty("0.01"));
  EXPECT_FALSE(engine.working_order().has_value());
}

TEST_F(StrategyEngine, FreesTheWorkingOrderOnDenialRejectOrCancel) {
  SubmitOrder order = only_submit(engine.on_book(book("3", "1")));
  OrderDenied denied;
  denied.account = AccountId{"paper"};
  denied.strategy = StrategyId{"obi"};
  engine.on_event(denied);
  EXPECT_FALSE(engine.working_order().has_value());

  clock.advance(std::chrono::seconds(1));
  place("paper-1-2");
  OrderRejected rejected;
  rejected.account = AccountId{"paper"};
  rejected.client_order_id = ClientOrderId{"paper-1-2"};
  engine.on_event(rejected);
  EXPECT_FALSE(engine.working_order().has_value());

  clock.advance(std::chrono::seconds(1));
  place("paper-1-3");
  engine.on_event(canceled("paper-1-99"));  // not ours: stays
  EXPECT_TRUE(engine.working_order().has_value());
  engine.on_event(canceled("paper-1-3"));
  EXPECT_FALSE(engine.working_order().has_value());
}

TEST_F(StrategyEngine, ForgetsASubmissionThatGetsNoAnswerWithinTheTtl) {
  ASSERT_EQ(engine.on_book(book("3", "1")).size(), 1u);
  EXPECT_TRUE(engine.on_timer(kStart + 2999 * kMs).empty());
  EXPECT_TRUE(engine.working_order().has_value());
  clock.set(kStart + 3000 * kMs);
  // The lost submission is dropped and the still-strong signal sends a new order.
  EXPECT_EQ(engine.on_timer(kStart + 3000 * kMs).size(), 1u);
  EXPECT_EQ(engine.orders_sent(), 2u);
}

// A tiny market: a random-walk mid, noisy depth, and a venue that fills crossing orders at
// once and resting ones with some probability per step. Returns a trace of the commands.
struct MarketRun {
  std::string trace;
  std::uint64_t orders = 0;
  std::uint64_t buys = 0;
  std::uint64_t sells = 0;
  std::uint64_t fills = 0;
  std::int64_t max_abs_position = 0;
};

MarketRun run_noisy_market(std::uint64_t seed, int steps) {
  SimulatedClock clock(kStart);
  Engine engine(config(), clock);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  MarketRun run;
  std::ostringstream trace;
  std::int64_t mid_ticks = 3'000'000;  // 30000.00
  std::uint64_t seq = 0;
  std::optional<SubmitOrder> resting;
  auto handle = [&](const std::vector<StrategyCommand>& commands, std::int64_t bid,
                    std::int64_t ask) {
    for (const auto& command : commands) {
      if (const auto* cancel = std::get_if<CancelOrder>(&command)) {
        trace << "C" << cancel->client_order_id.value << ";";
        if (resting && resting->client_order_id == cancel->client_order_id) {
          OrderCanceled done;
          done.account = resting->account;
          done.client_order_id = resting->client_order_id;
          resting.reset();
          engine.on_event(done);
        }
        continue;
      }
      SubmitOrder order = std::get<SubmitOrder>(command);
      order.client_order_id = ClientOrderId{"paper-1-" + std::to_string(++seq)};
      trace << (order.side == Side::Buy ? "B" : "S") << order.price.raw() << "x"
            << order.quantity.raw() << ";";
      ++run.orders;
      ++(order.side == Side::Buy ? run.buys : run.sells);
      engine.on_event(OrderSubmitted{order, clock.now_ns(), clock.now_ns()});
      const bool crosses =
          order.side == Side::Buy ? order.price.raw() >= ask : order.price.raw() <= bid;
      resting = order;
      if (!crosses) continue;
      OrderFilled f;
      f.account = order.account;
      f.strategy = order.strategy;
      f.client_order_id = order.client_order_id;
      f.instrument = order.instrument;
      f.side = order.side;
      f.last_quantity = order.quantity;
      f.last_price = order.price;
      f.leaves_quantity = Quantity::from_raw(0, 8);
      resting.reset();
      ++run.fills;
      engine.on_event(f);
    }
  };
  for (int step = 0; step < steps; ++step) {
    clock.advance(std::chrono::milliseconds(50));
    mid_ticks += static_cast<std::int64_t>(std::lround(noise(rng) * 2));
    const std::int64_t bid = mid_ticks - 1 - static_cast<std::int64_t>(rng() % 2);
    const std::int64_t ask = mid_ticks + 1 + static_cast<std::int64_t>(rng() % 2);
    if (resting && uniform(rng) < 0.05) {  // a passive order gets hit now and then
      OrderFilled f;
      f.account = resting->account;
      f.strategy = resting->strategy;
      f.client_order_id = resting->client_order_id;
      f.instrument = resting->instrument;
      f.side = resting->side;
      f.last_quantity = resting->quantity;
      f.last_price = resting->price;
      f.leaves_quantity = Quantity::from_raw(0, 8);
      resting.reset();
      ++run.fills;
      engine.on_event(f);
    }
    BookSnapshot top;
    top.instrument = test::btc_usdt().id;
    for (int level = 0; level < 5; ++level) {
      const double bid_size = std::max(0.01, 1.0 + 0.6 * noise(rng));
      const double ask_size = std::max(0.01, 1.0 + 0.6 * noise(rng));
      top.bids.push_back(BookLevel{Price::from_raw(bid - level, 2),
                                   Quantity::from_raw(std::llround(bid_size * 1e8), 8)});
      top.asks.push_back(BookLevel{Price::from_raw(ask + level, 2),
                                   Quantity::from_raw(std::llround(ask_size * 1e8), 8)});
    }
    handle(engine.on_book(top), bid, ask);
    if (step % 10 == 0) handle(engine.on_timer(clock.now_ns()), bid, ask);
    run.max_abs_position = std::max(run.max_abs_position, std::abs(engine.position().raw()));
  }
  run.trace = trace.str();
  return run;
}

TEST_F(StrategyEngine, TradesRegularlyOnANoisyMarketWithinMaxPosition) {
  const MarketRun run = run_noisy_market(42, 12000);  // 10 simulated minutes
  EXPECT_GT(run.orders, 200u);
  EXPECT_GT(run.buys, 50u);
  EXPECT_GT(run.sells, 50u);
  EXPECT_GT(run.fills, 100u);
  EXPECT_LE(run.max_abs_position, qty("0.03").raw());
}

TEST_F(StrategyEngine, IsDeterministicForTheSameInputs) {
  const MarketRun a = run_noisy_market(7, 3000);
  const MarketRun b = run_noisy_market(7, 3000);
  EXPECT_FALSE(a.trace.empty());
  EXPECT_EQ(a.trace, b.trace);
}

}  // namespace
}  // namespace troupe::strategy_test
