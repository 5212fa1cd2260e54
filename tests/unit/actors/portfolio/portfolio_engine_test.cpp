#include "actors/portfolio/portfolio_engine.hpp"

#include <gtest/gtest.h>

#include <random>

#include "tests/unit/actors/engine_test_support.hpp"

namespace troupe {
namespace {

using test::px;
using test::qty;
using test::usd;

PortfolioConfig config() {
  PortfolioConfig c;
  c.account = AccountId{"paper"};
  c.money_precision = 8;
  c.starting_cash = {{"USDT", usd("100000", 2)}};
  return c;
}

PortfolioEngine portfolio() {
  return PortfolioEngine(config(), {test::btc_usdt(), test::eth_usdt()});
}

OrderFilled fill(Side side, std::string_view quantity, std::string_view price,
                 const Instrument& instrument = test::btc_usdt()) {
  OrderFilled f;
  f.account = AccountId{"paper"};
  f.instrument = instrument.id;
  f.side = side;
  f.last_quantity = qty(quantity);
  f.last_price = px(price);
  f.commission = Money::from_raw(0, 8);
  f.commission_asset = instrument.quote;
  return f;
}

PositionRecord apply(PortfolioEngine& p, const OrderFilled& f) {
  auto position = p.apply(f);
  EXPECT_TRUE(position.has_value()) << (position ? "" : position.error());
  return position ? *position : PositionRecord{};
}

std::string describe(const PortfolioSnapshot& s) {
  std::string out = s.account.value + " fills=" + std::to_string(s.fill_count) +
                    " realized=" + s.realized_pnl.to_string() +
                    " unrealized=" + s.unrealized_pnl.to_string() + " fees=" + s.fees.to_string();
  for (const auto& p : s.positions)
    out += "\n" + to_string(p.instrument) + " " + p.quantity.to_string() + " @" +
           p.average_price.to_string() + " mark=" + p.mark_price.to_string() +
           " r=" + p.realized_pnl.to_string() + " u=" + p.unrealized_pnl.to_string() +
           " f=" + p.fees.to_string();
  for (const auto& c : s.cash) out += "\n" + c.currency + "=" + c.amount.to_string();
  return out;
}

TEST(PortfolioEngine, BuyThenSellRealizesExactPnl) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "1", "100.00"));
  PositionRecord flat = apply(p, fill(Side::Sell, "1", "110.50"));
  EXPECT_TRUE(flat.quantity.is_zero());
  EXPECT_EQ(flat.realized_pnl, usd("10.5"));
  EXPECT_EQ(flat.realized_pnl.precision(), 8);
  EXPECT_TRUE(flat.average_price.is_zero());
  EXPECT_EQ(p.cash("USDT"), usd("100010.5"));
  EXPECT_TRUE(p.cash("BTC").is_zero());
  EXPECT_EQ(p.fill_count(), 2u);
}

TEST(PortfolioEngine, PartialClosesRealizeAgainstTheAverageEntry) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "2", "100.00"));
  PositionRecord partial = apply(p, fill(Side::Sell, "0.5", "110.00"));
  EXPECT_EQ(partial.quantity, qty("1.5"));
  EXPECT_EQ(partial.average_price, px("100.00"));
  EXPECT_EQ(partial.realized_pnl, usd("5"));
  PositionRecord closed = apply(p, fill(Side::Sell, "1.5", "90.00"));
  EXPECT_TRUE(closed.quantity.is_zero());
  EXPECT_EQ(closed.realized_pnl, usd("-10"));
}

TEST(PortfolioEngine, FlipsLongToShortAndOpensTheRestAtTheFillPrice) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "1", "100.00"));
  PositionRecord short_position = apply(p, fill(Side::Sell, "3", "120.00"));
  EXPECT_EQ(short_position.quantity, qty("-2"));
  EXPECT_EQ(short_position.average_price, px("120.00"));
  EXPECT_EQ(short_position.realized_pnl, usd("20"));
  PositionRecord flat = apply(p, fill(Side::Buy, "2", "110.00"));
  EXPECT_TRUE(flat.quantity.is_zero());
  EXPECT_EQ(flat.realized_pnl, usd("40"));
  EXPECT_EQ(p.cash("USDT"), usd("100040"));
}

TEST(PortfolioEngine, AveragesEntryPricesExactly) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "1", "100.00"));
  EXPECT_EQ(apply(p, fill(Side::Buy, "1", "101.00")).average_price, px("100.50"));
  EXPECT_EQ(apply(p, fill(Side::Buy, "1", "102.00")).average_price, px("101.00"));

  // 1 @ 100.00 + 2 @ 101.00: average 100.666... is shown rounded, but P&L uses the exact cost.
  auto q = portfolio();
  apply(q, fill(Side::Buy, "1", "100.00"));
  EXPECT_EQ(apply(q, fill(Side::Buy, "2", "101.00")).average_price, px("100.67"));
  EXPECT_EQ(apply(q, fill(Side::Sell, "3", "101.00")).realized_pnl, usd("1"));
}

TEST(PortfolioEngine, UnrealizedPnlFollowsTheMark) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "2", "100.00"));
  EXPECT_TRUE(p.position(test::btc_usdt().id)->unrealized_pnl.is_zero());  // no mark yet
  ASSERT_TRUE(p.mark(test::btc_usdt().id, px("105.00")));
  EXPECT_EQ(p.position(test::btc_usdt().id)->unrealized_pnl, usd("10"));
  ASSERT_TRUE(p.mark(test::btc_usdt().id, px("100.005", 3)));  // a book mid: one more digit
  PositionRecord marked = *p.position(test::btc_usdt().id);
  EXPECT_EQ(marked.unrealized_pnl, usd("0.01"));
  EXPECT_EQ(marked.mark_price, px("100.005", 3));
  apply(p, fill(Side::Sell, "3", "100.00"));  // short 1 @ 100.00
  ASSERT_TRUE(p.mark(test::btc_usdt().id, px("90.00")));
  EXPECT_EQ(p.position(test::btc_usdt().id)->unrealized_pnl, usd("10"));
  EXPECT_FALSE(p.mark(InstrumentId{VenueId{"sim"}, "NOPE"}, px("1.00")));
  EXPECT_FALSE(p.mark(test::btc_usdt().id, px("0")));
}

TEST(PortfolioEngine, ChargesFeesInTheQuoteCurrency) {
  auto p = portfolio();
  OrderFilled quote_fee = fill(Side::Buy, "1", "100.00");
  quote_fee.commission = usd("0.1");
  EXPECT_EQ(apply(p, quote_fee).fees, usd("0.1"));
  EXPECT_EQ(p.cash("USDT"), usd("99899.9"));

  OrderFilled base_fee = fill(Side::Buy, "1", "100.00");
  base_fee.commission = usd("0.001");
  base_fee.commission_asset = "BTC";
  EXPECT_EQ(apply(p, base_fee).fees, usd("0.2"));  // 0.001 BTC at 100.00 = 0.1 USDT
  EXPECT_EQ(p.cash("BTC"), usd("1.999"));

  OrderFilled third_asset = fill(Side::Sell, "1", "100.00");
  third_asset.commission = usd("0.01");
  third_asset.commission_asset = "BNB";
  EXPECT_EQ(apply(p, third_asset).fees, usd("0.2"));  // not convertible: left out
  EXPECT_EQ(p.cash("BNB"), usd("-0.01"));
  EXPECT_EQ(p.snapshot(0).fees, usd("0.2"));
}

TEST(PortfolioEngine, MovesCashBetweenQuoteAndBase) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "0.5", "30000.00"));
  EXPECT_EQ(p.cash("USDT"), usd("85000"));
  EXPECT_EQ(p.cash("BTC"), usd("0.5"));
  apply(p, fill(Side::Sell, "0.2", "31000.00"));
  EXPECT_EQ(p.cash("USDT"), usd("91200"));
  EXPECT_EQ(p.cash("BTC"), usd("0.3"));
}

TEST(PortfolioEngine, IgnoresFillsOfAnotherAccountOrUnknownInstrument) {
  auto p = portfolio();
  OrderFilled other = fill(Side::Buy, "1", "100.00");
  other.account = AccountId{"live"};
  EXPECT_FALSE(p.apply(other).has_value());
  OrderFilled unknown = fill(Side::Buy, "1", "100.00");
  unknown.instrument.symbol = "DOGEUSDT";
  auto result = p.apply(unknown);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), "fill for unknown instrument DOGEUSDT.sim");
  OrderFilled finer = fill(Side::Buy, "1", "100.00");
  finer.last_price = px("100.005", 3);
  EXPECT_FALSE(p.apply(finer).has_value());
  EXPECT_EQ(p.fill_count(), 0u);
  EXPECT_EQ(p.cash("USDT"), usd("100000"));
}

TEST(PortfolioEngine, SnapshotSumsPositionsAndListsCash) {
  auto p = portfolio();
  apply(p, fill(Side::Buy, "1", "100.00"));
  apply(p, fill(Side::Sell, "1", "103.00"));
  apply(p, fill(Side::Sell, "2", "50.00", test::eth_usdt()));
  apply(p, fill(Side::Buy, "1", "49.00", test::eth_usdt()));
  ASSERT_TRUE(p.mark(test::eth_usdt().id, px("48.00")));
  PortfolioSnapshot s = p.snapshot(123);
  EXPECT_EQ(s.account, AccountId{"paper"});
  EXPECT_EQ(s.ts, 123);
  ASSERT_EQ(s.positions.size(), 2u);
  EXPECT_EQ(s.positions[0].instrument, test::btc_usdt().id);  // sorted by instrument
  EXPECT_EQ(s.realized_pnl, usd("4"));                        // 3 + 1
  EXPECT_EQ(s.unrealized_pnl, usd("2"));                      // short 1 from 50 marked 48
  EXPECT_EQ(s.fill_count, 4u);
  ASSERT_EQ(s.cash.size(), 3u);
  EXPECT_EQ(s.cash[0].currency, "BTC");
  EXPECT_EQ(s.cash[1].currency, "ETH");
  EXPECT_EQ(s.cash[1].amount, usd("-1"));
  EXPECT_EQ(s.cash[2].currency, "USDT");
}

// Random fills: replaying them gives the same snapshot, and cash reconciles with P&L.
TEST(PortfolioEngine, ReplayedFillsGiveTheSameSnapshotAndCashReconcilesWithPnl) {
  std::mt19937_64 rng(11);
  std::vector<OrderFilled> fills;
  for (int i = 0; i < 2000; ++i) {
    OrderFilled f = fill(rng() % 2 ? Side::Buy : Side::Sell, "0.0001", "100.00");
    f.last_quantity = Quantity::from_raw(static_cast<std::int64_t>(1 + rng() % 500) * 10'000, 8);
    f.last_price = Price::from_raw(2'990'000 + static_cast<std::int64_t>(rng() % 20'001), 2);
    f.commission = Money::from_raw(static_cast<std::int64_t>(rng() % 1000), 8);
    fills.push_back(f);
  }
  auto a = portfolio();
  auto b = portfolio();
  for (const auto& f : fills) apply(a, f);
  for (const auto& f : fills) apply(b, f);
  const Price mark = px("30050.00");
  ASSERT_TRUE(a.mark(test::btc_usdt().id, mark));
  ASSERT_TRUE(b.mark(test::btc_usdt().id, mark));
  PortfolioSnapshot sa = a.snapshot(1);
  EXPECT_EQ(describe(sa), describe(b.snapshot(1)));

  // cash + position at the mark == start + realized + unrealized - fees, up to the
  // truncation of each realization to 8 decimals (at most 1e-8 per fill).
  const PositionRecord& position = sa.positions.at(0);
  const Money holdings = *notional(mark, position.quantity, 8);
  const Money equity = a.cash("USDT") + holdings;
  const Money expected = usd("100000") + sa.realized_pnl + sa.unrealized_pnl - sa.fees;
  EXPECT_LE((equity - expected).abs().raw(), static_cast<std::int64_t>(fills.size()));
}

}  // namespace
}  // namespace troupe
