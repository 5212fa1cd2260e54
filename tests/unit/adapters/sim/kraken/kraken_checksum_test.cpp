// The simulator's book checksum against the vectors of exchange-protocols.md §4.2 and against
// the connector's independent implementation (adapters/venues/kraken/checksum.hpp).

#include "adapters/sim/kraken/kraken_state.hpp"
#include "adapters/sim/random.hpp"
#include "adapters/venues/kraken/checksum.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/unit/adapters/sim/kraken/kraken_sim_support.hpp"

namespace troupe::sim {
namespace {

using kraken_detail::AskLevels;
using kraken_detail::BidLevels;

using Texts = std::vector<std::pair<std::string, std::string>>;

template <class Levels>
Levels book_side(const Texts& texts, const Instrument& instrument) {
  Levels out;
  for (const auto& [price, qty] : texts) {
    out.emplace(Price::parse(price, instrument.price_precision)->raw(),
                *Quantity::parse(qty, instrument.size_precision));
  }
  return out;
}

template <class Levels>
std::vector<BookLevel> as_levels(const Levels& side, const Instrument& instrument) {
  std::vector<BookLevel> out;
  for (const auto& [price, qty] : side)
    out.push_back(BookLevel{Price::from_raw(price, instrument.price_precision), qty});
  return out;
}

TEST(KrakenSimChecksum, Crc32MatchesZlibOnTheStandardCheckString) {
  EXPECT_EQ(kraken_detail::crc32("123456789"), 0xCBF43926U);
}

TEST(KrakenSimChecksum, MatchesKrakensDocumentedBtcUsdExample) {
  const Instrument btc = kraken_test::pair("BTC/USD", 1, 8);
  const auto asks = book_side<AskLevels>({{"45285.2", "0.00100000"},
                                          {"45286.4", "1.54571953"},
                                          {"45286.6", "1.54571109"},
                                          {"45289.6", "1.54560911"},
                                          {"45290.2", "0.15890660"},
                                          {"45291.8", "1.54553491"},
                                          {"45294.7", "0.04454749"},
                                          {"45296.1", "0.35380000"},
                                          {"45297.5", "0.09945542"},
                                          {"45299.5", "0.18772827"}},
                                         btc);
  const auto bids = book_side<BidLevels>({{"45283.5", "0.10000000"},
                                          {"45283.4", "1.54582015"},
                                          {"45282.1", "0.10000000"},
                                          {"45281.0", "0.10000000"},
                                          {"45280.3", "1.54592586"},
                                          {"45279.0", "0.07990000"},
                                          {"45277.6", "0.03310103"},
                                          {"45277.5", "0.30000000"},
                                          {"45277.3", "1.54602737"},
                                          {"45276.6", "0.15445238"}},
                                         btc);
  EXPECT_EQ(kraken_detail::book_checksum(bids, asks, btc), 3310070434U);
}

TEST(KrakenSimChecksum, MatchesTheComposedEthUsdSnapshotAndUpdateVectors) {
  const Instrument eth = kraken_test::pair("ETH/USD", 2, 8);
  auto asks = book_side<AskLevels>(
      {{"3000.50", "1.25000000"}, {"3000.75", "0.50000000"}, {"3001.00", "2.00000000"}}, eth);
  auto bids = book_side<BidLevels>(
      {{"3000.25", "0.75000000"}, {"3000.00", "3.10000000"}, {"2999.50", "0.00012000"}}, eth);
  EXPECT_EQ(kraken_detail::book_checksum(bids, asks, eth), 2927590739U);
  bids[Price::parse("3000.30", 2)->raw()] = *Quantity::parse("0.2", 8);
  asks.erase(Price::parse("3000.75", 2)->raw());
  EXPECT_EQ(kraken_detail::book_checksum(bids, asks, eth), 2170461505U);
}

TEST(KrakenSimChecksum, AgreesWithTheConnectorOnRandomBooksOfEveryPrecision) {
  SimRandom random(derive_seed(99, 0));
  for (int round = 0; round < 2000; ++round) {
    const auto price_precision = static_cast<std::uint8_t>(random.below(9));
    const auto size_precision = static_cast<std::uint8_t>(random.below(9));
    const Instrument instrument = kraken_test::pair("X/Y", price_precision, size_precision);
    BidLevels bids;
    AskLevels asks;
    const std::int64_t mid = 1 + static_cast<std::int64_t>(random.below(10'000'000));
    const std::size_t levels = random.below(30);
    for (std::size_t n = 0; n < levels; ++n) {
      const auto qty = Quantity::from_raw(
          1 + static_cast<std::int64_t>(random.below(1'000'000'000)), size_precision);
      const auto offset = 1 + static_cast<std::int64_t>(random.below(5000));
      if (random.bernoulli(0.5)) {
        if (mid - offset > 0) bids[mid - offset] = qty;
      } else {
        asks[mid + offset] = qty;
      }
    }
    const std::uint32_t connector = kraken::book_checksum(
        as_levels(asks, instrument), as_levels(bids, instrument), price_precision, size_precision);
    ASSERT_EQ(kraken_detail::book_checksum(bids, asks, instrument), connector)
        << "round " << round << " precisions " << int(price_precision) << "/"
        << int(size_precision);
  }
}

}  // namespace
}  // namespace troupe::sim
