// BookSync: snapshot and update application, depth truncation, checksum verification and resync.

#include "adapters/venues/kraken/book_sync.hpp"

#include "adapters/venues/kraken/checksum.hpp"

#include <gtest/gtest.h>

#include "kraken_test_support.hpp"

namespace troupe::kraken {
namespace {

constexpr TimestampNs kNow = 42;

BookLevel level(std::int64_t price, std::int64_t qty) {
  return BookLevel{Price::from_raw(price, 2), Quantity::from_raw(qty, 8)};
}

/// The §4.2 ETH/USD snapshot as decoded.
BookMessage eth_snapshot() {
  BookMessage m;
  m.instrument = testing::ethusd().id;
  m.snapshot = true;
  m.bids = {level(300025, 75000000), level(300000, 310000000), level(299950, 12000)};
  m.asks = {level(300050, 125000000), level(300075, 50000000), level(300100, 200000000)};
  m.checksum = 2927590739U;
  m.ts_event = 7;
  return m;
}

/// The §4.2 ETH/USD update as decoded.
BookMessage eth_update() {
  BookMessage m;
  m.instrument = testing::ethusd().id;
  m.bids = {level(300030, 20000000)};
  m.asks = {level(300075, 0)};
  m.checksum = 2170461505U;
  return m;
}

class KrakenBookSyncTest : public ::testing::Test {
 protected:
  Instrument instrument = testing::ethusd();
  BookSync sync{instrument, 10};
};

TEST_F(KrakenBookSyncTest, AcceptsTheReferenceSnapshotAndReportsIt) {
  SyncOutput out = sync.on_book(eth_snapshot(), kNow);
  ASSERT_EQ(out.events.size(), 1u);
  const auto& snapshot = std::get<BookSnapshot>(out.events[0]);
  EXPECT_EQ(snapshot.sequence, 1u);
  EXPECT_EQ(snapshot.bids.front(), level(300025, 75000000));
  EXPECT_EQ(snapshot.asks.front(), level(300050, 125000000));
  EXPECT_EQ(snapshot.ts_event, 7);
  EXPECT_EQ(snapshot.ts_init, kNow);
  EXPECT_TRUE(sync.synced());
  EXPECT_FALSE(out.resubscribe);
}

TEST_F(KrakenBookSyncTest, AppliesTheReferenceUpdateAndChainsSequences) {
  sync.on_book(eth_snapshot(), kNow);
  SyncOutput out = sync.on_book(eth_update(), kNow);
  ASSERT_EQ(out.events.size(), 1u);
  const auto& deltas = std::get<BookDeltas>(out.events[0]);
  EXPECT_EQ(deltas.first_sequence, 2u);
  EXPECT_EQ(deltas.last_sequence, 2u);
  ASSERT_EQ(deltas.deltas.size(), 2u);
  EXPECT_EQ(deltas.deltas[0].side, Side::Buy);
  EXPECT_EQ(deltas.deltas[1].side, Side::Sell);
  EXPECT_TRUE(deltas.deltas[1].size.is_zero());
  EXPECT_EQ(sync.bids().front(), level(300030, 20000000));
  EXPECT_EQ(sync.asks().size(), 2u);
}

TEST_F(KrakenBookSyncTest, TruncatesBeyondTheSubscribedDepthAndReportsTheRemovals) {
  BookSync shallow(instrument, 2);
  BookMessage snapshot = eth_snapshot();
  snapshot.bids.resize(2);
  snapshot.asks.resize(2);
  snapshot.checksum = book_checksum(snapshot.asks, snapshot.bids, 2, 8);
  ASSERT_TRUE(std::holds_alternative<BookSnapshot>(shallow.on_book(snapshot, kNow).events[0]));
  // A better bid pushes 3000.00 out of scope; Kraken sends no qty-0 for it (§4.2).
  BookMessage update;
  update.instrument = instrument.id;
  update.bids = {level(300030, 20000000)};
  const std::vector<BookLevel> bids = {level(300030, 20000000), level(300025, 75000000)};
  update.checksum = book_checksum(snapshot.asks, bids, 2, 8);
  SyncOutput out = shallow.on_book(update, kNow);
  ASSERT_EQ(out.events.size(), 1u);
  const auto& deltas = std::get<BookDeltas>(out.events[0]);
  ASSERT_EQ(deltas.deltas.size(), 2u);
  EXPECT_EQ(deltas.deltas[1].price, Price::from_raw(300000, 2));
  EXPECT_TRUE(deltas.deltas[1].size.is_zero());
  EXPECT_EQ(shallow.bids(), bids);
}

TEST_F(KrakenBookSyncTest, ChecksumMismatchOnAnUpdateResyncsAndAsksToResubscribe) {
  sync.on_book(eth_snapshot(), kNow);
  BookMessage update = eth_update();
  update.checksum = 1;  // as if an update had been lost
  SyncOutput out = sync.on_book(update, kNow);
  ASSERT_EQ(out.events.size(), 1u);
  const auto& resync = std::get<BookResyncStarted>(out.events[0]);
  EXPECT_EQ(resync.reason, ResyncReason::Checksum);
  EXPECT_NE(resync.detail.find("kraken book ETH/USD: update checksum 1 != computed 2170461505"),
            std::string::npos)
      << resync.detail;
  EXPECT_TRUE(out.resubscribe);
  EXPECT_FALSE(sync.synced());
  // Updates of the old subscription are dropped until the new snapshot.
  EXPECT_TRUE(sync.on_book(eth_update(), kNow).events.empty());
  SyncOutput again = sync.on_book(eth_snapshot(), kNow);
  const auto& snapshot = std::get<BookSnapshot>(again.events[0]);
  EXPECT_EQ(snapshot.sequence, 2u);  // local sequences never go back
}

TEST_F(KrakenBookSyncTest, ChecksumMismatchOnASnapshotAsksAgain) {
  BookMessage snapshot = eth_snapshot();
  snapshot.checksum = 5;
  SyncOutput out = sync.on_book(snapshot, kNow);
  EXPECT_EQ(std::get<BookResyncStarted>(out.events[0]).reason, ResyncReason::Checksum);
  EXPECT_TRUE(out.resubscribe);
}

TEST_F(KrakenBookSyncTest, InvalidateWhileASnapshotIsAwaitedDoesNotResubscribeTwice) {
  sync.on_book(eth_snapshot(), kNow);
  EXPECT_TRUE(sync.invalidate(ResyncReason::MalformedFrame, "bad", kNow).resubscribe);
  SyncOutput second = sync.invalidate(ResyncReason::MalformedFrame, "bad again", kNow);
  EXPECT_FALSE(second.resubscribe);
  EXPECT_EQ(second.events.size(), 1u);
}

}  // namespace
}  // namespace troupe::kraken
