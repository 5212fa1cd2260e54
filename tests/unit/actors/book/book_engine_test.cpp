#include "actors/book/book_engine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "tests/unit/actors/engine_test_support.hpp"

namespace troupe {
namespace {

using test::px;
using test::qty;

BookConfig config() { return BookConfig{test::btc_usdt(), 10}; }

BookLevel level(std::string_view price, std::string_view size) {
  return BookLevel{px(price), qty(size)};
}

BookSnapshot snapshot(std::uint64_t sequence, std::vector<BookLevel> bids,
                      std::vector<BookLevel> asks) {
  BookSnapshot s;
  s.instrument = test::btc_usdt().id;
  s.sequence = sequence;
  s.bids = std::move(bids);
  s.asks = std::move(asks);
  s.ts_event = 1000;
  s.ts_init = 1001;
  return s;
}

BookDeltas deltas(std::uint64_t first, std::uint64_t last, std::vector<BookDelta> changes) {
  BookDeltas d;
  d.instrument = test::btc_usdt().id;
  d.first_sequence = first;
  d.last_sequence = last;
  d.deltas = std::move(changes);
  d.ts_event = 2000 + static_cast<std::int64_t>(last);
  return d;
}

BookDelta bid(std::string_view price, std::string_view size) {
  return BookDelta{Side::Buy, px(price), qty(size)};
}
BookDelta ask(std::string_view price, std::string_view size) {
  return BookDelta{Side::Sell, px(price), qty(size)};
}

BookSnapshot standard_snapshot(std::uint64_t sequence = 100) {
  return snapshot(sequence, {level("100.00", "1"), level("99.99", "2"), level("99.98", "3")},
                  {level("100.01", "1.5"), level("100.02", "2.5")});
}

TEST(BookEngine, StartsInvalidAndIgnoresDeltasBeforeSnapshot) {
  BookEngine book(config());
  EXPECT_FALSE(book.valid());
  EXPECT_EQ(book.invalid_reason(), "awaiting snapshot");
  auto result = book.apply(deltas(1, 1, {bid("100.00", "1")}));
  EXPECT_EQ(result.status, BookApplyStatus::Ignored);
  EXPECT_FALSE(book.best_bid().has_value());
  EXPECT_EQ(book.update_count(), 0u);
}

TEST(BookEngine, SnapshotSortsLevelsSkipsEmptyOnesAndKeepsLastRepeatedPrice) {
  BookEngine book(config());
  auto result = book.apply(snapshot(
      7, {level("99.98", "3"), level("100.00", "1"), level("99.99", "0"), level("99.98", "4")},
      {level("100.05", "1"), level("100.01", "2")}));
  ASSERT_TRUE(result.applied()) << result.reason;
  EXPECT_TRUE(book.valid());
  EXPECT_EQ(book.sequence(), 7u);
  EXPECT_EQ(book.bid_depth(), 2u);
  EXPECT_EQ(*book.best_bid(), level("100.00", "1"));
  EXPECT_EQ(*book.best_ask(), level("100.01", "2"));
  auto top = book.top(5);
  ASSERT_EQ(top.bids.size(), 2u);
  EXPECT_EQ(top.bids[1], level("99.98", "4"));
  EXPECT_EQ(top.asks[1], level("100.05", "1"));
}

TEST(BookEngine, DeltasInsertUpdateAndRemoveLevelsInOrder) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  auto result = book.apply(
      deltas(101, 103,
             {bid("100.00", "0"), bid("99.99", "5"), ask("100.01", "0"), ask("100.00", "0.5"),
              bid("99.50", "0"), bid("99.97", "1"), bid("99.97", "1.25")}));
  ASSERT_TRUE(result.applied()) << result.reason;
  EXPECT_EQ(book.sequence(), 103u);
  EXPECT_EQ(book.update_count(), 2u);
  EXPECT_EQ(*book.best_bid(), level("99.99", "5"));
  EXPECT_EQ(*book.best_ask(), level("100.00", "0.5"));
  auto top = book.top(10);
  ASSERT_EQ(top.bids.size(), 3u);
  EXPECT_EQ(top.bids[2], level("99.97", "1.25"));
  ASSERT_EQ(top.asks.size(), 2u);
  EXPECT_EQ(top.asks[1], level("100.02", "2.5"));
}

TEST(BookEngine, SequenceGapInvalidatesUntilTheNextSnapshot) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  ASSERT_TRUE(book.apply(deltas(101, 101, {bid("99.99", "1")})).applied());
  auto gap = book.apply(deltas(105, 106, {bid("99.99", "2")}));
  EXPECT_EQ(gap.status, BookApplyStatus::Invalid);
  EXPECT_EQ(gap.reason, "sequence gap: expected 102, got 105");
  EXPECT_FALSE(book.valid());
  EXPECT_EQ(book.apply(deltas(102, 102, {bid("99.99", "3")})).status, BookApplyStatus::Ignored);
  ASSERT_TRUE(book.apply(standard_snapshot(200)).applied());
  EXPECT_TRUE(book.valid());
  EXPECT_TRUE(book.invalid_reason().empty());
  EXPECT_TRUE(book.apply(deltas(201, 201, {bid("99.99", "3")})).applied());
}

TEST(BookEngine, IgnoresDeltasAlreadyCoveredBySequence) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  ASSERT_TRUE(book.apply(deltas(101, 102, {bid("99.99", "7")})).applied());
  auto stale = book.apply(deltas(95, 102, {bid("99.99", "1")}));
  EXPECT_EQ(stale.status, BookApplyStatus::Ignored);
  EXPECT_EQ(book.best_bid()->price, px("100.00"));
  EXPECT_EQ(book.top(2).bids[1].size, qty("7"));
  EXPECT_TRUE(book.valid());
}

TEST(BookEngine, AcceptsFirstDeltasThatBridgeTheSnapshotButNoLaterOverlap) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot(100)).applied());
  // Binance: the first event after a snapshot with lastUpdateId 100 may span 95..104.
  ASSERT_TRUE(book.apply(deltas(95, 104, {bid("99.99", "9")})).applied());
  EXPECT_EQ(book.sequence(), 104u);
  auto overlap = book.apply(deltas(103, 108, {bid("99.99", "1")}));
  EXPECT_EQ(overlap.status, BookApplyStatus::Invalid);
  EXPECT_NE(overlap.reason.find("out of sequence"), std::string::npos);
}

TEST(BookEngine, CrossedBookIsInvalidWithReason) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  auto crossed = book.apply(deltas(101, 101, {bid("100.02", "1")}));
  EXPECT_EQ(crossed.status, BookApplyStatus::Invalid);
  EXPECT_EQ(crossed.reason, "crossed book: best bid 100.02 >= best ask 100.01");
  EXPECT_FALSE(book.valid());
}

TEST(BookEngine, LockedSnapshotIsInvalid) {
  BookEngine book(config());
  auto locked = book.apply(snapshot(1, {level("100.00", "1")}, {level("100.00", "1")}));
  EXPECT_EQ(locked.status, BookApplyStatus::Invalid);
  EXPECT_EQ(locked.reason, "locked book: best bid 100.00 >= best ask 100.00");
}

TEST(BookEngine, ResyncMarksInvalidUntilSnapshot) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  BookResyncStarted resync;
  resync.instrument = test::btc_usdt().id;
  resync.reason = ResyncReason::Gap;
  resync.detail = "expected U=161, got U=170";
  auto result = book.apply(resync);
  EXPECT_EQ(result.status, BookApplyStatus::Invalid);
  EXPECT_NE(result.reason.find("expected U=161, got U=170"), std::string::npos);
  EXPECT_FALSE(book.valid());
  EXPECT_EQ(book.apply(deltas(101, 101, {bid("99.99", "1")})).status, BookApplyStatus::Ignored);
  // After a resync any snapshot is taken, even one with a lower sequence (venue restarted).
  EXPECT_TRUE(book.apply(standard_snapshot(3)).applied());
}

TEST(BookEngine, IgnoresStaleSnapshotWhileValid) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot(100)).applied());
  EXPECT_EQ(book.apply(standard_snapshot(90)).status, BookApplyStatus::Ignored);
  EXPECT_EQ(book.sequence(), 100u);
}

TEST(BookEngine, RescalesPricesOfAnotherPrecisionExactly) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  BookDelta delta{Side::Buy, px("99.9700", 4), qty("2.5", 1)};
  ASSERT_TRUE(book.apply(deltas(101, 101, {delta})).applied());
  auto fourth = book.top(4).bids[3];
  EXPECT_EQ(fourth.price.precision(), 2);
  EXPECT_EQ(fourth.price.raw(), 9997);
  EXPECT_EQ(fourth.size.raw(), 250000000);
}

TEST(BookEngine, RefusesPricesFinerThanTheInstrumentPrecision) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  BookDelta delta{Side::Buy, px("99.975", 3), qty("1")};
  auto result = book.apply(deltas(101, 101, {delta}));
  EXPECT_EQ(result.status, BookApplyStatus::Invalid);
  EXPECT_NE(result.reason.find("99.975"), std::string::npos);
  EXPECT_FALSE(book.valid());
}

TEST(BookEngine, NegativeSizeInvalidatesTheBook) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  BookDelta delta{Side::Sell, px("100.03"), Quantity::from_raw(-1, 8)};
  EXPECT_EQ(book.apply(deltas(101, 101, {delta})).status, BookApplyStatus::Invalid);
}

TEST(BookEngine, IgnoresUpdatesForAnotherInstrument) {
  BookEngine book(config());
  auto other = standard_snapshot();
  other.instrument = test::eth_usdt().id;
  EXPECT_EQ(book.apply(other).status, BookApplyStatus::Ignored);
  EXPECT_FALSE(book.valid());
}

TEST(BookEngine, ComputesMidSpreadMicropriceAndImbalance) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  EXPECT_EQ(*book.mid(), px("100.005", 3));
  EXPECT_EQ(book.mid()->precision(), 3);
  EXPECT_EQ(*book.spread(), px("0.01"));
  // (100.00 × 1.5 + 100.01 × 1) / 2.5
  EXPECT_NEAR(*book.microprice(), 100.004, 1e-9);
  // bids 1 + 2 + 3 = 6, asks 1.5 + 2.5 = 4
  EXPECT_DOUBLE_EQ(book.imbalance(10), 0.2);
  // top level only: 1 vs 1.5
  EXPECT_DOUBLE_EQ(book.imbalance(1), -0.2);
  BookEngine empty(config());
  EXPECT_EQ(empty.imbalance(5), 0.0);
  EXPECT_FALSE(empty.mid().has_value());
  EXPECT_FALSE(empty.microprice().has_value());
}

TEST(BookEngine, TopCarriesSequenceAndReusesCapacity) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(standard_snapshot()).applied());
  auto top = book.top(2);
  EXPECT_EQ(top.instrument, test::btc_usdt().id);
  EXPECT_EQ(top.sequence, 100u);
  EXPECT_EQ(top.ts_event, 1000);
  ASSERT_EQ(top.bids.size(), 2u);
  EXPECT_EQ(top.bids[0], level("100.00", "1"));
  EXPECT_EQ(book.top().bids.size(), 3u);  // publish_depth 10 > 3 levels
  const auto* bid_storage = top.bids.data();
  ASSERT_TRUE(book.apply(deltas(101, 101, {bid("99.99", "4")})).applied());
  book.top_into(2, top);
  EXPECT_EQ(top.bids.data(), bid_storage);
  EXPECT_EQ(top.bids[1], level("99.99", "4"));
  EXPECT_EQ(top.sequence, 101u);
}

// Random level changes against a std::map model: same levels, same best prices.
TEST(BookEngine, RandomDeltasMatchAReferenceModel) {
  BookEngine book(config());
  ASSERT_TRUE(book.apply(snapshot(0, {}, {})).applied());
  std::map<std::int64_t, std::int64_t> bids, asks;
  std::mt19937_64 rng(7);
  std::uint64_t sequence = 0;
  for (int step = 0; step < 5000; ++step) {
    std::vector<BookDelta> changes;
    for (int i = 0; i < 4; ++i) {
      const bool buy = rng() % 2 == 0;
      // Bids in [90.00, 99.99], asks in [100.00, 109.99]: never crossed.
      const std::int64_t price = (buy ? 9000 : 10000) + static_cast<std::int64_t>(rng() % 1000);
      const std::int64_t size = rng() % 3 == 0 ? 0 : static_cast<std::int64_t>(rng() % 1000 + 1);
      changes.push_back(BookDelta{buy ? Side::Buy : Side::Sell, Price::from_raw(price, 2),
                                  Quantity::from_raw(size, 8)});
      auto& model = buy ? bids : asks;
      if (size == 0)
        model.erase(price);
      else
        model[price] = size;
    }
    ASSERT_TRUE(book.apply(deltas(sequence + 1, sequence + 1, changes)).applied());
    ++sequence;
  }
  auto top = book.top(100000);
  ASSERT_EQ(top.bids.size(), bids.size());
  ASSERT_EQ(top.asks.size(), asks.size());
  auto b = bids.rbegin();
  for (const auto& l : top.bids) {
    EXPECT_EQ(l.price.raw(), b->first);
    EXPECT_EQ(l.size.raw(), b->second);
    ++b;
  }
  auto a = asks.begin();
  for (const auto& l : top.asks) {
    EXPECT_EQ(l.price.raw(), a->first);
    EXPECT_EQ(l.size.raw(), a->second);
    ++a;
  }
}

}  // namespace
}  // namespace troupe
