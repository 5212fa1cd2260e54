// BookSync: the local order book procedure of exchange-protocols.md §2.7.

#include "adapters/venues/binance/book_sync.hpp"

#include <gtest/gtest.h>

namespace troupe::binance {
namespace {

const InstrumentId kBtc{VenueId{"binance"}, "BTCUSDT"};
constexpr TimestampNs kNow = 42;

Price px(std::int64_t cents) { return Price::from_raw(cents, 2); }
Quantity qty(std::int64_t units) { return Quantity::from_raw(units * 100'000'000, 8); }

DepthUpdate update(std::uint64_t first, std::uint64_t last, std::vector<BookDelta> deltas = {}) {
  return DepthUpdate{kBtc, first, last, static_cast<std::int64_t>(last) * 1000, std::move(deltas)};
}

BookSnapshot snapshot(std::uint64_t last_update_id) {
  return BookSnapshot{kBtc,
                      last_update_id,
                      {{px(10000), qty(1)}, {px(9900), qty(2)}},
                      {{px(10100), qty(3)}, {px(10200), qty(4)}},
                      7,
                      7};
}

template <class T>
std::vector<T> of(const SyncOutput& out) {
  std::vector<T> result;
  for (const SyncEvent& e : out.events) {
    if (const T* t = std::get_if<T>(&e)) result.push_back(*t);
  }
  return result;
}

class BookSyncTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(sync.start().request_snapshot); }
  BookSync sync{kBtc, 5};
};

TEST_F(BookSyncTest, BuffersEventsUntilTheSnapshotThenMergesThemIntoIt) {
  EXPECT_TRUE(
      sync.on_update(update(101, 103, {{Side::Buy, px(10000), qty(5)}}), kNow).events.empty());
  EXPECT_TRUE(
      sync.on_update(update(104, 105, {{Side::Sell, px(10100), qty(0)}}), kNow).events.empty());
  EXPECT_EQ(sync.buffered(), 2u);

  SyncOutput out = sync.on_snapshot(snapshot(102), kNow);
  ASSERT_EQ(out.events.size(), 1u);
  auto book = std::get<BookSnapshot>(out.events[0]);
  EXPECT_EQ(book.sequence, 105u);
  EXPECT_EQ(book.bids[0], (BookLevel{px(10000), qty(5)}));
  ASSERT_EQ(book.asks.size(), 1u);  // the 101.00 level was removed by the second event
  EXPECT_EQ(book.asks[0].price, px(10200));
  EXPECT_EQ(book.ts_event, 105'000);
  EXPECT_EQ(book.ts_init, kNow);
  EXPECT_TRUE(sync.synced());

  SyncOutput next = sync.on_update(update(106, 107, {{Side::Buy, px(9800), qty(1)}}), kNow);
  auto deltas = of<BookDeltas>(next);
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].first_sequence, 106u);
  EXPECT_EQ(deltas[0].last_sequence, 107u);
  EXPECT_EQ(deltas[0].deltas.size(), 1u);
}

TEST_F(BookSyncTest, DropsBufferedEventsTheSnapshotAlreadyContains) {
  sync.on_update(update(90, 95, {{Side::Buy, px(1), qty(9)}}), kNow);
  sync.on_update(update(96, 100, {{Side::Buy, px(2), qty(9)}}), kNow);
  auto book = std::get<BookSnapshot>(sync.on_snapshot(snapshot(100), kNow).events.at(0));
  EXPECT_EQ(book.sequence, 100u);
  EXPECT_EQ(book.bids.size(), 2u);  // neither stale event was applied
}

TEST_F(BookSyncTest, RefetchesASnapshotOlderThanTheFirstBufferedEvent) {
  sync.on_update(update(150, 155), kNow);
  SyncOutput out = sync.on_snapshot(snapshot(140), kNow);
  EXPECT_TRUE(out.events.empty());
  EXPECT_TRUE(out.request_snapshot);
  EXPECT_FALSE(sync.synced());
  EXPECT_EQ(std::get<BookSnapshot>(sync.on_snapshot(snapshot(152), kNow).events.at(0)).sequence,
            155u);
}

TEST_F(BookSyncTest, AcceptsASnapshotThatEndsRightBeforeTheFirstEvent) {
  sync.on_update(update(101, 103), kNow);
  EXPECT_EQ(std::get<BookSnapshot>(sync.on_snapshot(snapshot(100), kNow).events.at(0)).sequence,
            103u);
}

TEST_F(BookSyncTest, FirstEventAfterAnUnconfirmedSnapshotMustStraddleItsId) {
  ASSERT_EQ(std::get<BookSnapshot>(sync.on_snapshot(snapshot(100), kNow).events.at(0)).sequence,
            100u);
  EXPECT_TRUE(sync.on_update(update(95, 100), kNow).events.empty());  // already in the snapshot
  auto deltas = of<BookDeltas>(sync.on_update(update(98, 104), kNow));
  ASSERT_EQ(deltas.size(), 1u);
  EXPECT_EQ(deltas[0].first_sequence, 101u);  // chained to the snapshot, not the venue's U=98
  EXPECT_EQ(deltas[0].last_sequence, 104u);
}

TEST_F(BookSyncTest, SnapshotOlderThanTheStreamIsDetectedByTheFirstEvent) {
  sync.on_snapshot(snapshot(100), kNow);
  SyncOutput out = sync.on_update(update(110, 112), kNow);
  auto resyncs = of<BookResyncStarted>(out);
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Gap);
  EXPECT_EQ(resyncs[0].detail,
            "snapshot lastUpdateId=100 is older than the stream (first event U=110 u=112)");
  EXPECT_TRUE(out.request_snapshot);
}

TEST_F(BookSyncTest, GapResyncsNamingExpectedAndActualIds) {
  sync.on_snapshot(snapshot(100), kNow);
  sync.on_update(update(101, 165), kNow);
  SyncOutput out = sync.on_update(update(170, 175), kNow);
  ASSERT_EQ(out.events.size(), 1u);
  auto resync = std::get<BookResyncStarted>(out.events[0]);
  EXPECT_EQ(resync.instrument, kBtc);
  EXPECT_EQ(resync.reason, ResyncReason::Gap);
  EXPECT_EQ(resync.detail, "expected U=166, got U=170");
  EXPECT_TRUE(out.request_snapshot);
  EXPECT_FALSE(sync.synced());
  // The event after the gap is kept: a snapshot at 172 resumes from it.
  EXPECT_EQ(std::get<BookSnapshot>(sync.on_snapshot(snapshot(172), kNow).events.at(0)).sequence,
            175u);
}

TEST_F(BookSyncTest, IgnoresEventsOlderThanTheSnapshotBeforeTheFirstApplied) {
  sync.on_snapshot(snapshot(100), kNow);
  SyncOutput stale = sync.on_update(update(90, 99), kNow);
  EXPECT_TRUE(stale.events.empty());
  EXPECT_FALSE(stale.request_snapshot);
  EXPECT_EQ(of<BookDeltas>(sync.on_update(update(101, 105), kNow)).size(), 1u);
}

TEST_F(BookSyncTest, ReplayedEventOnALiveStreamResyncsAsOutOfSequence) {
  sync.on_snapshot(snapshot(100), kNow);
  ASSERT_EQ(of<BookDeltas>(sync.on_update(update(101, 105), kNow)).size(), 1u);
  SyncOutput repeat = sync.on_update(update(101, 105), kNow);
  auto resyncs = of<BookResyncStarted>(repeat);
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::OutOfSequence);
  EXPECT_EQ(resyncs[0].detail, "U=101 u=105 is older than local update id 105");
  EXPECT_TRUE(repeat.request_snapshot);
  EXPECT_FALSE(sync.synced());
}

TEST_F(BookSyncTest, OverlappingEventResyncsAsOutOfSequence) {
  sync.on_snapshot(snapshot(100), kNow);
  sync.on_update(update(101, 105), kNow);
  auto resyncs = of<BookResyncStarted>(sync.on_update(update(103, 108), kNow));
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::OutOfSequence);
  EXPECT_EQ(resyncs[0].detail, "U=103 u=108 overlaps local update id 105");
}

TEST_F(BookSyncTest, GapInsideTheBufferIsFoundWhenMerging) {
  sync.on_update(update(101, 102), kNow);
  sync.on_update(update(105, 106), kNow);
  SyncOutput out = sync.on_snapshot(snapshot(101), kNow);
  auto resyncs = of<BookResyncStarted>(out);
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].detail, "expected U=103, got U=105");
  EXPECT_TRUE(of<BookSnapshot>(out).empty());
  EXPECT_TRUE(out.request_snapshot);
  EXPECT_EQ(sync.buffered(), 1u);
}

TEST_F(BookSyncTest, BufferOverflowDropsTheBufferAndResyncs) {
  for (std::uint64_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(sync.on_update(update(100 + i, 100 + i), kNow).events.empty());
  }
  SyncOutput out = sync.on_update(update(105, 105), kNow);
  auto resyncs = of<BookResyncStarted>(out);
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].detail, "dropped 5 depth events buffered while waiting for the snapshot");
  EXPECT_TRUE(out.request_snapshot);
  EXPECT_EQ(sync.buffered(), 1u);
}

TEST_F(BookSyncTest, IgnoresALateSnapshotOnceSynced) {
  sync.on_snapshot(snapshot(100), kNow);
  EXPECT_TRUE(sync.on_snapshot(snapshot(90), kNow).events.empty());
  EXPECT_EQ(sync.update_id(), 100u);
}

TEST_F(BookSyncTest, InvalidateReportsTheReasonAndAsksForASnapshot) {
  sync.on_snapshot(snapshot(100), kNow);
  SyncOutput out = sync.invalidate(ResyncReason::MalformedFrame, "bad frame", kNow);
  auto resyncs = of<BookResyncStarted>(out);
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::MalformedFrame);
  EXPECT_EQ(resyncs[0].detail, "bad frame");
  EXPECT_EQ(resyncs[0].ts_init, kNow);
  EXPECT_TRUE(out.request_snapshot);
  EXPECT_FALSE(sync.synced());
}

TEST_F(BookSyncTest, MergedSnapshotIsSortedBestFirstWithoutEmptyLevels) {
  sync.on_update(update(101, 101,
                        {{Side::Buy, px(10050), qty(1)},
                         {Side::Sell, px(10150), qty(1)},
                         {Side::Buy, px(9900), qty(0)}}),
                 kNow);
  auto book = std::get<BookSnapshot>(sync.on_snapshot(snapshot(100), kNow).events.at(0));
  ASSERT_EQ(book.bids.size(), 2u);
  EXPECT_EQ(book.bids[0].price, px(10050));
  EXPECT_EQ(book.bids[1].price, px(10000));
  ASSERT_EQ(book.asks.size(), 3u);
  EXPECT_EQ(book.asks[0].price, px(10100));
  EXPECT_EQ(book.asks[1].price, px(10150));
}

}  // namespace
}  // namespace troupe::binance
