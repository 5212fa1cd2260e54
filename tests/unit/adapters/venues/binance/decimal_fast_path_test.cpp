// The codec's plain-decimal fast path must agree exactly with FixedPoint::parse.

#include "adapters/venues/binance/json_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace troupe::binance::detail {
namespace {

void expect_same_as_general_parser(const std::string& text, std::uint8_t precision) {
  auto fast = parse_fixed<Price>(text, precision);
  auto general = Price::parse(text, precision);
  ASSERT_EQ(fast.has_value(), general.has_value()) << '"' << text << "\" at " << int(precision);
  if (fast) {
    EXPECT_EQ(fast->raw(), general->raw()) << text;
    EXPECT_EQ(fast->precision(), general->precision()) << text;
  } else {
    EXPECT_EQ(fast.error(), general.error()) << text;
  }
}

TEST(BinanceDecimalFastPath, AgreesWithTheGeneralParserOnEdgeCases) {
  for (const char* text : {"0",
                           "0.0",
                           "60000.10",
                           "60000.10000000",
                           "0.00000001",
                           "1.",
                           ".5",
                           ".",
                           "",
                           "-1.5",
                           "+2",
                           "1e3",
                           "12.3x",
                           "1..2",
                           "00012.50",
                           "999999999999999999",
                           "9999999999999999999",
                           "92233720368547758.07",
                           "92233720368547758.08",
                           "0.000000000000000000001",
                           "1.2301",
                           "1.2300",
                           "18446744073709551616"}) {
    for (std::uint8_t precision : {0, 2, 8, 18}) expect_same_as_general_parser(text, precision);
  }
}

TEST(BinanceDecimalFastPath, AgreesWithTheGeneralParserOnRandomText) {
  std::mt19937_64 rng(5);
  const std::string alphabet = "0123456789000.";
  for (int i = 0; i < 200000; ++i) {
    std::string text(1 + rng() % 24, '0');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    expect_same_as_general_parser(text, static_cast<std::uint8_t>(rng() % 19));
  }
}

}  // namespace
}  // namespace troupe::binance::detail
