#include "actors/oms/oms_engine.hpp"

#include <gtest/gtest.h>

#include "tests/unit/actors/oms/oms_test_support.hpp"

namespace troupe {
namespace {

using test::accepted;
using test::buy_limit;
using test::cancel_request;
using test::canceled;
using test::filled;
using test::px;
using test::qty;
using test::rejected;

constexpr TimestampNs kStart = 1'700'000'000'000'000'000;

struct Oms {
  SimulatedClock clock{kStart};
  OrderManagerEngine engine{test::oms_config(), 3, clock};

  // Submits a 1 BTC buy at 100.00 and returns its assigned id.
  std::string submit(std::string_view quantity = "1", std::string_view price = "100.00") {
    auto event = engine.submit(buy_limit(quantity, price));
    EXPECT_TRUE(event.has_value());
    return event ? event->order.client_order_id.value : std::string();
  }
  OrderStatus status(const std::string& id) const { return engine.find(ClientOrderId{id})->status; }
};

TEST(OrderManagerEngine, AssignsClientOrderIdsFromAccountEpochAndSequence) {
  Oms oms;
  auto first = oms.engine.submit(buy_limit("1", "100.00"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->order.client_order_id, ClientOrderId{"paper-3-1"});
  EXPECT_EQ(first->ts_event, kStart);
  EXPECT_EQ(oms.submit(), "paper-3-2");
  EXPECT_EQ(oms.engine.next_seq(), 3u);
  EXPECT_EQ(oms.engine.epoch(), 3u);
  const OrderRecord* record = oms.engine.find(ClientOrderId{"paper-3-1"});
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->status, OrderStatus::Submitted);
  EXPECT_EQ(record->ts_created, kStart);
  EXPECT_TRUE(record->filled_quantity.is_zero());
}

TEST(OrderManagerEngine, RefusesARepeatedClientOrderId) {
  Oms oms;
  SubmitOrder order = buy_limit("1", "100.00");
  order.client_order_id = ClientOrderId{"mine-1"};
  ASSERT_TRUE(oms.engine.submit(order).has_value());
  auto again = oms.engine.submit(order);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().reason, DenyReason::DuplicateClientOrderId);
  EXPECT_EQ(again.error().message, "client_order_id mine-1 already used (order is submitted)");
  EXPECT_EQ(again.error().client_order_id, ClientOrderId{"mine-1"});
  EXPECT_EQ(oms.engine.orders().size(), 1u);
}

TEST(OrderManagerEngine, RefusesAnotherAccountsOrder) {
  Oms oms;
  SubmitOrder order = buy_limit("1", "100.00");
  order.account = AccountId{"live"};
  auto denied = oms.engine.submit(order);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().reason, DenyReason::InvalidOrder);
  EXPECT_TRUE(oms.engine.orders().empty());
}

TEST(OrderManagerEngine, SkipsSequenceNumbersTakenByUserIds) {
  Oms oms;
  SubmitOrder order = buy_limit("1", "100.00");
  order.client_order_id = ClientOrderId{"paper-3-1"};
  ASSERT_TRUE(oms.engine.submit(order).has_value());
  EXPECT_EQ(oms.submit(), "paper-3-2");
}

TEST(OrderManagerEngine, FollowsTheLifecycleToFilledAndEnrichesFills) {
  Oms oms;
  const std::string id = oms.submit();
  auto accept = oms.engine.apply(accepted(id, "V77"));
  ASSERT_TRUE(accept.has_value());
  EXPECT_EQ(accept->account, AccountId{"paper"});
  EXPECT_EQ(oms.status(id), OrderStatus::Accepted);

  auto first = oms.engine.apply(filled(id, "T1", qty("0.3"), px("100.00")));
  ASSERT_TRUE(first.has_value()) << first.error().reason;
  EXPECT_EQ(oms.status(id), OrderStatus::PartiallyFilled);
  EXPECT_EQ(first->strategy, StrategyId{"obi"});
  EXPECT_EQ(first->account, AccountId{"paper"});
  EXPECT_EQ(first->side, Side::Buy);
  EXPECT_EQ(first->instrument, test::btc_usdt().id);
  EXPECT_EQ(first->venue_order_id, VenueOrderId{"V77"});
  EXPECT_EQ(first->cum_quantity, qty("0.3"));
  EXPECT_EQ(first->leaves_quantity, qty("0.7"));

  auto last = oms.engine.apply(filled(id, "T2", qty("0.7"), px("99.99")));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->leaves_quantity, qty("0"));
  const OrderRecord& r = *oms.engine.find(ClientOrderId{id});
  EXPECT_EQ(r.status, OrderStatus::Filled);
  EXPECT_EQ(r.filled_quantity, qty("1"));
  // (0.3 × 100.00 + 0.7 × 99.99) / 1 = 99.993 -> 99.99
  EXPECT_EQ(r.average_fill_price, px("99.99"));
  EXPECT_EQ(r.ts_updated, 20);
  EXPECT_EQ(oms.engine.fill_count(), 2u);
  EXPECT_TRUE(oms.engine.open_orders().empty());
}

TEST(OrderManagerEngine, RoundsTheAverageFillPriceHalfUp) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.5"), px("100.00"))).has_value());
  ASSERT_TRUE(oms.engine.apply(filled(id, "T2", qty("0.5"), px("100.01"))).has_value());
  EXPECT_EQ(oms.engine.find(ClientOrderId{id})->average_fill_price, px("100.01"));  // 100.005
}

TEST(OrderManagerEngine, KeepsTheAveragePriceAtTheFinestFillPrecision) {
  Oms oms;
  SubmitOrder order = buy_limit("1", "100.00");
  order.type = OrderType::Market;
  order.price = Price{};
  auto submitted = oms.engine.submit(order);
  ASSERT_TRUE(submitted.has_value());
  const std::string id = submitted->order.client_order_id.value;
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.5"), px("100.5", 1))).has_value());
  ASSERT_TRUE(oms.engine.apply(filled(id, "T2", qty("0.5"), px("100.25"))).has_value());
  const Price average = oms.engine.find(ClientOrderId{id})->average_fill_price;
  EXPECT_EQ(average.precision(), 2);
  EXPECT_EQ(average, px("100.38"));  // 100.375 rounded half up
}

TEST(OrderManagerEngine, TreatsAFillBeforeTheAcceptAsAccepted) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.4"), px("100.00"))).has_value());
  EXPECT_EQ(oms.status(id), OrderStatus::PartiallyFilled);
  auto late_accept = oms.engine.apply(accepted(id));
  ASSERT_FALSE(late_accept.has_value());
  EXPECT_EQ(late_accept.error().kind, OmsIgnoreKind::Duplicate);
  EXPECT_EQ(oms.status(id), OrderStatus::PartiallyFilled);
}

TEST(OrderManagerEngine, IgnoresADuplicateFillWithTheSameTradeId) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.4"), px("100.00"))).has_value());
  auto again = oms.engine.apply(filled(id, "T1", qty("0.4"), px("100.00")));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, OmsIgnoreKind::Duplicate);
  EXPECT_EQ(again.error().reason, "duplicate fill: trade T1 already applied to order " + id);
  EXPECT_EQ(oms.engine.find(ClientOrderId{id})->filled_quantity, qty("0.4"));
  EXPECT_EQ(oms.engine.fill_count(), 1u);
}

TEST(OrderManagerEngine, IgnoresLateReportsAfterATerminalState) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("1"), px("100.00"))).has_value());
  const std::string before = test::describe(oms.engine);
  EXPECT_EQ(oms.engine.apply(canceled(id)).error().kind, OmsIgnoreKind::AfterTerminal);
  EXPECT_EQ(oms.engine.apply(accepted(id)).error().kind, OmsIgnoreKind::AfterTerminal);
  EXPECT_EQ(oms.engine.apply(rejected(id)).error().kind, OmsIgnoreKind::AfterTerminal);
  auto late_fill = oms.engine.apply(filled(id, "T9", qty("0.1"), px("100.00")));
  EXPECT_EQ(late_fill.error().kind, OmsIgnoreKind::AfterTerminal);
  EXPECT_EQ(late_fill.error().reason, "fill for order " + id + " after terminal status filled");
  EXPECT_EQ(test::describe(oms.engine), before);
}

TEST(OrderManagerEngine, LetsAFillWinTheCancelRace) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(accepted(id)).has_value());
  auto cancel = oms.engine.request_cancel(cancel_request(id));
  ASSERT_TRUE(cancel.has_value());
  EXPECT_EQ(cancel->account, AccountId{"paper"});
  EXPECT_EQ(cancel->instrument, test::btc_usdt().id);
  EXPECT_EQ(cancel->strategy, StrategyId{"obi"});
  EXPECT_EQ(oms.status(id), OrderStatus::PendingCancel);
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.4"), px("100.00"))).has_value());
  EXPECT_EQ(oms.status(id), OrderStatus::PendingCancel);
  ASSERT_TRUE(oms.engine.apply(filled(id, "T2", qty("0.6"), px("100.00"))).has_value());
  EXPECT_EQ(oms.status(id), OrderStatus::Filled);
  EXPECT_EQ(oms.engine.apply(canceled(id)).error().kind, OmsIgnoreKind::AfterTerminal);
}

TEST(OrderManagerEngine, CancelsAPartiallyFilledOrderKeepingItsFills) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(accepted(id)).has_value());
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.4"), px("100.00"))).has_value());
  ASSERT_TRUE(oms.engine.request_cancel(cancel_request(id)).has_value());
  ASSERT_TRUE(oms.engine.request_cancel(cancel_request(id)).has_value());  // sent again
  auto done = oms.engine.apply(canceled(id, "user"));
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->venue_order_id, VenueOrderId{"V1"});
  const OrderRecord& r = *oms.engine.find(ClientOrderId{id});
  EXPECT_EQ(r.status, OrderStatus::Canceled);
  EXPECT_EQ(r.reason, "user");
  EXPECT_EQ(r.filled_quantity, qty("0.4"));
}

TEST(OrderManagerEngine, ReportsAnOverfillWithoutChangingState) {
  Oms oms;
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(filled(id, "T1", qty("0.6"), px("100.00"))).has_value());
  auto overfill = oms.engine.apply(filled(id, "T2", qty("0.5"), px("100.00")));
  ASSERT_FALSE(overfill.has_value());
  EXPECT_EQ(overfill.error().kind, OmsIgnoreKind::Inconsistent);
  EXPECT_EQ(overfill.error().reason,
            "overfill of order " + id +
                ": filled 0.60000000 + fill 0.50000000 exceeds order quantity 1.00000000 "
                "(trade T2)");
  EXPECT_EQ(oms.engine.find(ClientOrderId{id})->filled_quantity, qty("0.6"));
  // The same trade id with a sane quantity is still accepted later.
  EXPECT_TRUE(oms.engine.apply(filled(id, "T2", qty("0.4"), px("100.00"))).has_value());
}

TEST(OrderManagerEngine, RefusesToCancelUnknownOrTerminalOrders) {
  Oms oms;
  auto unknown = oms.engine.request_cancel(cancel_request("nope"));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().kind, OmsIgnoreKind::UnknownOrder);
  EXPECT_EQ(unknown.error().reason, "cancel request for unknown order nope");
  const std::string id = oms.submit();
  ASSERT_TRUE(oms.engine.apply(rejected(id)).has_value());
  auto terminal = oms.engine.request_cancel(cancel_request(id));
  ASSERT_FALSE(terminal.has_value());
  EXPECT_EQ(terminal.error().kind, OmsIgnoreKind::AfterTerminal);
}

TEST(OrderManagerEngine, RejectsOnlyOrdersTheVenueNeverAccepted) {
  Oms oms;
  const std::string first = oms.submit();
  ASSERT_TRUE(oms.engine.apply(rejected(first, "-2010 insufficient balance")).has_value());
  EXPECT_EQ(oms.status(first), OrderStatus::Rejected);
  EXPECT_EQ(oms.engine.find(ClientOrderId{first})->reason, "-2010 insufficient balance");

  const std::string second = oms.submit();
  ASSERT_TRUE(oms.engine.apply(accepted(second)).has_value());
  auto late = oms.engine.apply(rejected(second, "-2011 unknown order"));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().kind, OmsIgnoreKind::Inconsistent);
  EXPECT_EQ(oms.status(second), OrderStatus::Accepted);

  const std::string third = oms.submit();
  ASSERT_TRUE(oms.engine.request_cancel(cancel_request(third)).has_value());
  ASSERT_TRUE(oms.engine.apply(rejected(third)).has_value());
  EXPECT_EQ(oms.status(third), OrderStatus::Rejected);
}

TEST(OrderManagerEngine, IgnoresReportsForUnknownOrders) {
  Oms oms;
  EXPECT_EQ(oms.engine.apply(accepted("ghost")).error().kind, OmsIgnoreKind::UnknownOrder);
  EXPECT_EQ(oms.engine.apply(filled("ghost", "T1", qty("1"), px("1.00"))).error().kind,
            OmsIgnoreKind::UnknownOrder);
  EXPECT_EQ(oms.engine.apply(canceled("ghost")).error().kind, OmsIgnoreKind::UnknownOrder);
  EXPECT_EQ(oms.engine.apply(rejected("ghost")).error().kind, OmsIgnoreKind::UnknownOrder);
}

TEST(OrderManagerEngine, ListsOpenOrdersInSubmissionOrder) {
  Oms oms;
  const std::string a = oms.submit();
  const std::string b = oms.submit();
  const std::string c = oms.submit();
  ASSERT_TRUE(oms.engine.apply(rejected(b)).has_value());
  auto open = oms.engine.open_orders();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].order.client_order_id.value, a);
  EXPECT_EQ(open[1].order.client_order_id.value, c);
  EXPECT_EQ(oms.engine.orders().size(), 3u);
  EXPECT_EQ(oms.engine.find(ClientOrderId{"none"}), nullptr);
}

TEST(OrderManagerEngine, ReplayOfTheJournalRebuildsIdenticalState) {
  Oms oms;
  std::vector<OmsJournalEvent> journal;
  for (int i = 0; i < 3; ++i) journal.emplace_back(*oms.engine.submit(buy_limit("1", "100.00")));
  journal.emplace_back(*oms.engine.apply(accepted("paper-3-1")));
  journal.emplace_back(*oms.engine.apply(filled("paper-3-1", "T1", qty("0.25"), px("100.00"))));
  journal.emplace_back(*oms.engine.request_cancel(cancel_request("paper-3-1")));
  journal.emplace_back(*oms.engine.apply(filled("paper-3-2", "T2", qty("1"), px("99.50"))));
  journal.emplace_back(*oms.engine.apply(rejected("paper-3-3")));

  SimulatedClock later(kStart + 999);
  OrderManagerEngine restored(test::oms_config(), 3, later);
  for (const auto& event : journal) EXPECT_TRUE(restored.replay(event));
  EXPECT_EQ(test::describe(restored), test::describe(oms.engine));
  EXPECT_EQ(restored.next_seq(), 4u);
  // The sequence continues: no id is handed out twice.
  auto next = restored.submit(buy_limit("1", "100.00"));
  EXPECT_EQ(next->order.client_order_id, ClientOrderId{"paper-3-4"});
}

}  // namespace
}  // namespace troupe
