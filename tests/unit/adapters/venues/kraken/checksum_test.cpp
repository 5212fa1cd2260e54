// The Kraken book checksum against the vectors of exchange-protocols.md §4.2.

#include "adapters/venues/kraken/checksum.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace troupe::kraken {
namespace {

std::vector<BookLevel> levels(const std::vector<std::pair<std::string, std::string>>& texts,
                              std::uint8_t price_precision, std::uint8_t qty_precision) {
  std::vector<BookLevel> out;
  for (const auto& [price, qty] : texts) {
    out.push_back(BookLevel{*Price::parse(price, price_precision),
                            *Quantity::parse(qty, qty_precision)});
  }
  return out;
}

TEST(KrakenChecksum, Crc32MatchesZlibOnTheStandardCheckString) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U);
  EXPECT_EQ(crc32(""), 0U);
}

TEST(KrakenChecksum, MatchesKrakensDocumentedBtcUsdExample) {
  const auto asks = levels({{"45285.2", "0.00100000"}, {"45286.4", "1.54571953"},
                            {"45286.6", "1.54571109"}, {"45289.6", "1.54560911"},
                            {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"},
                            {"45294.7", "0.04454749"}, {"45296.1", "0.35380000"},
                            {"45297.5", "0.09945542"}, {"45299.5", "0.18772827"}},
                           1, 8);
  const auto bids = levels({{"45283.5", "0.10000000"}, {"45283.4", "1.54582015"},
                            {"45282.1", "0.10000000"}, {"45281.0", "0.10000000"},
                            {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"},
                            {"45277.6", "0.03310103"}, {"45277.5", "0.30000000"},
                            {"45277.3", "1.54602737"}, {"45276.6", "0.15445238"}},
                           1, 8);
  EXPECT_EQ(checksum_text(asks, bids, 1, 8).rfind("452852100000452864154571953", 0), 0u);
  EXPECT_EQ(book_checksum(asks, bids, 1, 8), 3310070434U);
}

TEST(KrakenChecksum, MatchesTheComposedEthUsdSnapshotVector) {
  const auto asks = levels(
      {{"3000.50", "1.25000000"}, {"3000.75", "0.50000000"}, {"3001.00", "2.00000000"}}, 2, 8);
  const auto bids = levels(
      {{"3000.25", "0.75000000"}, {"3000.00", "3.10000000"}, {"2999.50", "0.00012000"}}, 2, 8);
  EXPECT_EQ(checksum_text(asks, bids, 2, 8),
            "300050125000000300075500000003001002000000003000257500000030000031000000029995012000");
  EXPECT_EQ(book_checksum(asks, bids, 2, 8), 2927590739U);
}

TEST(KrakenChecksum, UsesOnlyTheTopTenLevelsPerSide) {
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 12; ++i) many.emplace_back(std::to_string(100 + i) + ".0", "1.00000000");
  const auto asks = levels(many, 1, 8);
  const std::vector<BookLevel> top_ten(asks.begin(), asks.begin() + 10);
  EXPECT_EQ(book_checksum(asks, {}, 1, 8), book_checksum(top_ten, {}, 1, 8));
}

TEST(KrakenChecksum, FieldsDropThePointAndLeadingZeros) {
  std::string out;
  append_checksum_field(out, 12000, 8, 8);  // 0.00012000
  EXPECT_EQ(out, "12000");
  out.clear();
  append_checksum_field(out, 30005, 1, 2);  // 3000.5 written at precision 2
  EXPECT_EQ(out, "300050");
}

}  // namespace
}  // namespace troupe::kraken
