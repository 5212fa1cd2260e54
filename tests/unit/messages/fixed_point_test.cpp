#include "messages/fixed_point.hpp"

#include <gtest/gtest.h>

namespace troupe {
namespace {

TEST(FixedPoint, ParsesVenueDecimalStringExactly) {
  auto p = Price::parse("27150.12000000", 2);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->raw(), 2715012);
  EXPECT_EQ(p->precision(), 2);
  EXPECT_EQ(p->to_string(), "27150.12");
}

TEST(FixedPoint, FormatsBackAtItsPrecision) {
  auto q = Quantity::parse("27150.12000000", 8);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->raw(), 2715012000000);
  EXPECT_EQ(q->to_string(), "27150.12000000");
  EXPECT_EQ(Quantity::from_raw(-5, 3).to_string(), "-0.005");
  EXPECT_EQ(Quantity::from_raw(7, 0).to_string(), "7");
  EXPECT_EQ(Price::from_raw(INT64_MIN, 0).to_string(), "-9223372036854775808");
}

TEST(FixedPoint, RefusesDigitsThatWouldRound) {
  auto p = Price::parse("0.125", 2);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error(), FixedPointError::TooManyDecimals);
}

TEST(FixedPoint, RefusesGarbage) {
  EXPECT_EQ(Price::parse("", 2).error(), FixedPointError::Empty);
  EXPECT_EQ(Price::parse("12a", 2).error(), FixedPointError::InvalidCharacter);
  EXPECT_EQ(Price::parse("1.2.3", 2).error(), FixedPointError::InvalidCharacter);
  EXPECT_EQ(Price::parse("-", 2).error(), FixedPointError::InvalidCharacter);
  EXPECT_EQ(Price::parse(".", 2).error(), FixedPointError::InvalidCharacter);
  EXPECT_EQ(Price::parse("1e", 2).error(), FixedPointError::InvalidCharacter);
  EXPECT_EQ(Price::parse("1", 19).error(), FixedPointError::InvalidPrecision);
}

TEST(FixedPoint, AcceptsSignsLeadingZerosAndExponents) {
  EXPECT_EQ(Price::parse("-0012.50", 2)->raw(), -1250);
  EXPECT_EQ(Price::parse("+3", 2)->raw(), 300);
  EXPECT_EQ(Quantity::parse("1e-08", 8)->raw(), 1);
  EXPECT_EQ(Quantity::parse("1.5E2", 0)->raw(), 150);
  EXPECT_EQ(Price::parse(".5", 1)->raw(), 5);
}

TEST(FixedPoint, DetectsOverflow) {
  EXPECT_EQ(Price::parse("9223372036854775808", 0).error(), FixedPointError::Overflow);
  EXPECT_EQ(Price::parse("9223372036854775807", 0)->raw(), INT64_MAX);
  EXPECT_EQ(Price::parse("92233720368547758.08", 2).error(), FixedPointError::Overflow);
  EXPECT_EQ(Price::parse("100000000000000000000000000000000000000000", 0).error(),
            FixedPointError::Overflow);
  auto big = Price::from_raw(INT64_MAX, 0);
  EXPECT_FALSE(big.checked_add(Price::from_raw(1, 0)).has_value());
  EXPECT_FALSE(Price::from_raw(INT64_MAX / 10 + 1, 0).rescaled(1).has_value());
}

TEST(FixedPoint, ComparesAcrossPrecisions) {
  auto a = *Price::parse("1.5", 1);
  auto b = *Price::parse("1.50", 2);
  auto c = *Price::parse("1.51", 2);
  EXPECT_EQ(a, b);
  EXPECT_LT(a, c);
  EXPECT_GT(c, a);
}

TEST(FixedPoint, AddsAndSubtractsAtTheLargerPrecision) {
  auto a = *Quantity::parse("1.5", 1);
  auto b = *Quantity::parse("0.25", 2);
  EXPECT_EQ((a + b).to_string(), "1.75");
  EXPECT_EQ((b - a).to_string(), "-1.25");
  EXPECT_EQ((-a).to_string(), "-1.5");
  EXPECT_EQ((b - a).abs().to_string(), "1.25");
}

TEST(FixedPoint, RescalesOnlyWithoutLoss) {
  auto q = *Quantity::parse("1.230", 3);
  EXPECT_EQ(q.rescaled(2)->to_string(), "1.23");
  EXPECT_EQ(q.rescaled(5)->to_string(), "1.23000");
  EXPECT_EQ(Quantity::parse("1.234", 3)->rescaled(2).error(), FixedPointError::TooManyDecimals);
}

TEST(FixedPoint, NotionalIsExactAndTruncatesToTargetPrecision) {
  auto price = *Price::parse("60000.10", 2);
  auto qty = *Quantity::parse("0.00400000", 8);
  auto n = notional(price, qty, 8);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->to_string(), "240.00040000");
  EXPECT_EQ(notional(price, qty, 2)->to_string(), "240.00");
  auto huge = notional(Price::from_raw(INT64_MAX, 0), Quantity::from_raw(10, 0), 0);
  EXPECT_FALSE(huge.has_value());
}

TEST(FixedPoint, PriceDifferenceTimesQuantityIsSigned) {
  auto pnl = price_difference_times(*Price::parse("99.5", 1), *Price::parse("100.25", 2),
                                    *Quantity::parse("2", 0), 4);
  ASSERT_TRUE(pnl.has_value());
  EXPECT_EQ(pnl->to_string(), "-1.5000");
}

}  // namespace
}  // namespace troupe
