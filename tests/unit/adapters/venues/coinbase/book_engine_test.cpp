// BookEngine (snapshot replaces, updates set absolute sizes, local sequence chain) and
// SequenceTracker (connection-wide sequence_num, §3.5).

#include "adapters/venues/coinbase/book_engine.hpp"
#include "adapters/venues/coinbase/sequence_tracker.hpp"

#include <gtest/gtest.h>

namespace troupe::coinbase {
namespace {

Price px(const char* text) { return *Price::parse(text, 2); }
Quantity qty(const char* text) { return *Quantity::parse(text, 8); }

L2Event event(bool snapshot, std::vector<BookDelta> levels) {
  return L2Event{InstrumentId{VenueId{"coinbase"}, "BTC-USD"}, snapshot, std::move(levels), 5};
}

TEST(BookEngine, SnapshotReplacesAndUpdatesSetAbsoluteSizes) {
  BookEngine book(InstrumentId{VenueId{"coinbase"}, "BTC-USD"});
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      book.apply(event(false, {{Side::Buy, px("1"), qty("1")}}), 1)));  // before any snapshot
  auto out = book.apply(event(true, {{Side::Buy, px("100.00"), qty("1")},
                                     {Side::Buy, px("101.00"), qty("2")},
                                     {Side::Sell, px("102.00"), qty("3")}}),
                        10);
  const auto& snapshot = std::get<BookSnapshot>(out);
  ASSERT_EQ(snapshot.bids.size(), 2u);
  EXPECT_EQ(snapshot.bids[0].price, px("101.00"));  // best first
  EXPECT_EQ(snapshot.asks.at(0).size, qty("3"));
  EXPECT_EQ(snapshot.ts_init, 10);
  EXPECT_TRUE(book.synced());

  auto deltas = std::get<BookDeltas>(book.apply(
      event(false, {{Side::Buy, px("101.00"), qty("0")}, {Side::Sell, px("102.00"), qty("0.5")}}),
      11));
  EXPECT_EQ(deltas.first_sequence, snapshot.sequence + 1);
  EXPECT_EQ(deltas.last_sequence, deltas.first_sequence);
  EXPECT_FALSE(book.level(Side::Buy, px("101.00")));
  EXPECT_EQ(*book.level(Side::Sell, px("102.00")), qty("0.5"));  // absolute, not added
  auto next = std::get<BookDeltas>(book.apply(event(false, {}), 12));
  EXPECT_EQ(next.first_sequence, deltas.last_sequence + 1);
}

TEST(BookEngine, InvalidateDropsUpdatesUntilAFreshSnapshotWithAHigherSequence) {
  BookEngine book(InstrumentId{VenueId{"coinbase"}, "BTC-USD"});
  const auto first = std::get<BookSnapshot>(book.apply(event(true, {}), 1)).sequence;
  auto resync = book.invalidate(ResyncReason::Gap, "expected sequence_num=4, got 6", 2);
  EXPECT_EQ(resync.reason, ResyncReason::Gap);
  EXPECT_FALSE(book.synced());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      book.apply(event(false, {{Side::Buy, px("1"), qty("1")}}), 3)));
  EXPECT_EQ(book.depth(Side::Buy), 0u);
  EXPECT_GT(std::get<BookSnapshot>(book.apply(event(true, {}), 4)).sequence, first);
}

TEST(SequenceTracker, SharesOneCounterAcrossChannelsAndFlagsGapsAndOldValues) {
  SequenceTracker tracker;
  EXPECT_EQ(tracker.observe(7).verdict, SequenceVerdict::First);
  EXPECT_EQ(tracker.observe(8).verdict, SequenceVerdict::InOrder);
  EXPECT_EQ(tracker.observe(8).verdict, SequenceVerdict::Old);
  EXPECT_EQ(tracker.observe(5).verdict, SequenceVerdict::Old);
  const SequenceCheck gap = tracker.observe(11);
  EXPECT_EQ(gap.verdict, SequenceVerdict::Gap);
  EXPECT_EQ(gap.describe(), "expected sequence_num=9, got 11");
  EXPECT_EQ(tracker.observe(12).verdict, SequenceVerdict::InOrder);  // chain continues from 11
  tracker.reset();
  EXPECT_EQ(tracker.observe(0).verdict, SequenceVerdict::First);
}

}  // namespace
}  // namespace troupe::coinbase
