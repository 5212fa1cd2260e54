#include "actors/consolidated/consolidated_engine.hpp"

#include <gtest/gtest.h>

#include "tests/unit/actors/engine_test_support.hpp"

namespace troupe {
namespace {

using test::px;
using test::qty;

Instrument instrument(const char* venue, const char* symbol, const char* base, const char* quote,
                      std::uint8_t price_precision) {
  Instrument x;
  x.id = InstrumentId{VenueId{venue}, symbol};
  x.base = base;
  x.quote = quote;
  x.price_precision = price_precision;
  x.size_precision = 8;
  return x;
}

const Instrument kBinance = instrument("binance", "BTCUSDT", "BTC", "USDT", 2);
const Instrument kKraken = instrument("kraken", "BTC/USD", "BTC", "USD", 1);
const Instrument kCoinbase = instrument("coinbase", "BTC-USD", "BTC", "USD", 2);
const Instrument kAlpaca = instrument("alpaca", "AAPL", "AAPL", "USD", 2);

BookSnapshot top(const Instrument& x, const char* bid, const char* ask) {
  BookSnapshot s;
  s.instrument = x.id;
  if (bid != nullptr) s.bids.push_back({px(bid, x.price_precision), qty("1")});
  if (ask != nullptr) s.asks.push_back({px(ask, x.price_precision), qty("2")});
  s.ts_event = 5;
  return s;
}

ConsolidatedEngine btc() { return ConsolidatedEngine({"BTC", {kBinance, kKraken, kCoinbase}}); }

TEST(ConsolidatedAssets, GroupsByBaseAssetAndKeepsOnlyMultiVenueAssets) {
  auto assets = consolidated_assets({kBinance, kAlpaca, kKraken, kCoinbase});
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].asset, "BTC");
  ASSERT_EQ(assets[0].members.size(), 3u);
  EXPECT_EQ(assets[0].members[1].id, kKraken.id);
}

TEST(ConsolidatedAssets, TwoInstrumentsOfOneVenueDoNotMakeAView) {
  auto other = instrument("binance", "BTCUSDC", "BTC", "USDC", 2);
  EXPECT_TRUE(consolidated_assets({kBinance, other}).empty());
}

TEST(ConsolidatedEngine, PicksTheBestBidAndAskAcrossVenuesAtTheirOwnPrecisions) {
  auto engine = btc();
  EXPECT_TRUE(engine.on_top(top(kBinance, "100.05", "100.10"), 1));
  EXPECT_TRUE(engine.on_top(top(kKraken, "100.1", "100.3"), 2));
  EXPECT_TRUE(engine.on_top(top(kCoinbase, "99.90", "100.07"), 3));
  const auto& v = engine.view();
  EXPECT_EQ(v.best_bid, 1);  // kraken 100.1 (precision 1) beats binance 100.05
  EXPECT_EQ(v.best_ask, 2);  // coinbase 100.07
  EXPECT_TRUE(v.crossed);    // 100.1 > 100.07: buy on coinbase, sell on kraken
  EXPECT_EQ(v.venues[0].quote, "USDT");
  EXPECT_EQ(v.venues[2].ask.size, qty("2"));
  EXPECT_EQ(v.ts_init, 3);
}

TEST(ConsolidatedEngine, NotCrossedWhenTheBestBidIsBelowTheBestAsk) {
  auto engine = btc();
  engine.on_top(top(kBinance, "100.00", "100.10"), 1);
  engine.on_top(top(kCoinbase, "100.01", "100.20"), 2);
  EXPECT_EQ(engine.view().best_bid, 2);
  EXPECT_EQ(engine.view().best_ask, 0);
  EXPECT_FALSE(engine.view().crossed);
}

TEST(ConsolidatedEngine, AResyncingBookLeavesTheBestPricesUntilItsNextTop) {
  auto engine = btc();
  engine.on_top(top(kBinance, "100.00", "100.10"), 1);
  engine.on_top(top(kKraken, "100.5", "100.6"), 2);
  ASSERT_EQ(engine.view().best_bid, 1);
  EXPECT_TRUE(engine.on_resync(kKraken.id, 3));
  EXPECT_EQ(engine.view().best_bid, 0);
  EXPECT_EQ(engine.view().best_ask, 0);
  EXPECT_FALSE(engine.view().venues[1].in_sync);
  EXPECT_FALSE(engine.view().crossed);
  EXPECT_FALSE(engine.on_resync(kKraken.id, 4)) << "already out of sync: no change";
  EXPECT_TRUE(engine.on_top(top(kKraken, "100.5", "100.6"), 5));
  EXPECT_EQ(engine.view().best_bid, 1);
}

TEST(ConsolidatedEngine, OneSidedAndEmptyBooks) {
  auto engine = btc();
  engine.on_top(top(kBinance, nullptr, "100.10"), 1);
  EXPECT_EQ(engine.view().best_bid, -1);
  EXPECT_EQ(engine.view().best_ask, 0);
  engine.on_top(top(kBinance, nullptr, nullptr), 2);
  EXPECT_EQ(engine.view().best_ask, -1);
  EXPECT_TRUE(engine.view().venues[0].in_sync);
}

TEST(ConsolidatedEngine, IgnoresUnchangedTopsAndNonMembers) {
  auto engine = btc();
  EXPECT_TRUE(engine.on_top(top(kBinance, "100.00", "100.10"), 1));
  EXPECT_FALSE(engine.on_top(top(kBinance, "100.00", "100.10"), 2));
  EXPECT_EQ(engine.view().ts_init, 1);
  EXPECT_FALSE(engine.on_top(top(kAlpaca, "1.00", "2.00"), 3));
  EXPECT_FALSE(engine.on_resync(kAlpaca.id, 3));
}

TEST(ConsolidatedEngine, TiesKeepTheEarlierVenue) {
  auto engine = btc();
  engine.on_top(top(kCoinbase, "100.00", "100.10"), 1);
  engine.on_top(top(kBinance, "100.00", "100.10"), 2);
  EXPECT_EQ(engine.view().best_bid, 0);
  EXPECT_EQ(engine.view().best_ask, 0);
}

}  // namespace
}  // namespace troupe
