// Fault injection of the simulated Alpaca venue, observed with a raw client: each kind does
// what VenueFrontEnd promises, on the stream and in the fault log.

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/adapters/sim/alpaca/alpaca_sim_support.hpp"

namespace troupe::sim {
namespace {

using alpaca_test::items_of;
using alpaca_test::select;
using alpaca_test::Venue;

/// Quotes of `symbol` received while stepping until the venue generated `generated` more of
/// them; returns (received quotes of symbol, generated quotes of symbol).
struct QuoteCount {
  std::size_t received = 0;
  std::size_t generated = 0;
  std::vector<alpaca_test::Item> quotes;
};

QuoteCount step_quotes(Venue& venue, alpaca_test::RawClient& client, const std::string& symbol,
                       std::size_t generated) {
  QuoteCount out;
  for (int i = 0; i < 4000 && out.generated < generated; ++i) {
    const BookSnapshot before = venue.front_end().book(symbol, 1);
    venue.steps(1);
    const BookSnapshot after = venue.front_end().book(symbol, 1);
    if (before.bids != after.bids || before.asks != after.asks) ++out.generated;
    for (auto& item : select(items_of(client.take()), "q", symbol)) out.quotes.push_back(item);
  }
  out.received = out.quotes.size();
  return out;
}

TEST(AlpacaSimFaults, SupportsEveryKindButChecksumCorruption) {
  Venue venue;
  auto kinds = venue.front_end().supported_faults();
  EXPECT_EQ(kinds.size(), 7u);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), FaultKind::CorruptChecksum), 0);
  auto report = venue.front_end().inject({FaultKind::CorruptChecksum, "AAPL", 0});
  EXPECT_FALSE(report.done);
  EXPECT_NE(report.description.find("no checksum"), std::string::npos);
  EXPECT_FALSE(venue.front_end().inject({FaultKind::Drop, "NOPE", 0}).done);
  EXPECT_FALSE(venue.front_end().inject({FaultKind::Stall, "", 0}).done);
}

TEST(AlpacaSimFaults, DropWithholdsExactlyTheNextQuoteOfTheSymbol) {
  Venue venue;
  auto client = venue.subscribed();
  venue.steps(10);
  client->take();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Drop, "AAPL", 0}).done);
  const QuoteCount seen = step_quotes(venue, *client, "AAPL", 3);
  EXPECT_EQ(seen.generated, 3u);
  EXPECT_EQ(seen.received, 2u);
  EXPECT_EQ(venue.front_end().counters().quotes_withheld, 1u);
  const auto log = venue.front_end().fault_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[1].find("withheld a quote of AAPL"), std::string::npos) << log[1];
  // The last quote received is the venue's L1 again (the drop healed).
  EXPECT_DOUBLE_EQ(seen.quotes.back().number.at("bp"),
                   venue.front_end().book("AAPL", 1).bids.at(0).price.as_double());
}

TEST(AlpacaSimFaults, DuplicateSendsTheNextQuoteTwice) {
  Venue venue;
  auto client = venue.subscribed();
  venue.steps(10);
  client->take();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Duplicate, "MSFT", 0}).done);
  const QuoteCount seen = step_quotes(venue, *client, "MSFT", 1);
  ASSERT_EQ(seen.received, 2u);
  EXPECT_EQ(seen.quotes[0].text.at("t"), seen.quotes[1].text.at("t"));
  EXPECT_EQ(seen.quotes[0].number, seen.quotes[1].number);
}

TEST(AlpacaSimFaults, ReorderSwapsTheNextTwoQuotes) {
  Venue venue;
  auto client = venue.subscribed();
  venue.steps(10);
  client->take();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Reorder, "SPY", 0}).done);
  const QuoteCount seen = step_quotes(venue, *client, "SPY", 2);
  ASSERT_EQ(seen.received, 2u);
  EXPECT_GT(seen.quotes[0].text.at("t"), seen.quotes[1].text.at("t"));  // newer one first
}

TEST(AlpacaSimFaults, MalformedSendsInvalidJsonToTheSymbolsSubscribers) {
  Venue venue;
  auto client = venue.subscribed();
  auto report = venue.front_end().inject({FaultKind::Malformed, "AAPL", 0});
  EXPECT_TRUE(report.done) << report.description;
  venue.drain();
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(alpaca_test::parses(frames[0]));
  client->socket->close();
  venue.drain();
  EXPECT_FALSE(venue.front_end().inject({FaultKind::Malformed, "AAPL", 0}).done);  // nobody
}

TEST(AlpacaSimFaults, StallHoldsEveryFrameThenReleasesThemInOrder) {
  Venue venue;
  auto client = venue.subscribed();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Stall, "", 1000}).done);
  venue.steps(19);  // 950 ms
  EXPECT_TRUE(client->take().empty());
  EXPECT_FALSE(client->closed);
  venue.steps(1);  // 1000 ms: the stall is over
  auto items = items_of(client->take());
  const auto quotes = select(items, "q", "AAPL");
  ASSERT_GE(quotes.size(), 2u);
  EXPECT_TRUE(std::is_sorted(quotes.begin(), quotes.end(), [](const auto& a, const auto& b) {
    return a.text.at("t") < b.text.at("t");
  }));
}

TEST(AlpacaSimFaults, DisconnectClosesEveryStream) {
  Venue venue;
  auto client = venue.subscribed();
  auto report = venue.front_end().inject({FaultKind::Disconnect, "", 0});
  EXPECT_TRUE(report.done);
  EXPECT_NE(report.description.find("closed 1"), std::string::npos) << report.description;
  venue.drain();
  EXPECT_TRUE(client->closed);
  auto again = venue.subscribed();  // the key is free at once
  venue.steps(5);
  EXPECT_FALSE(again->take().empty());
}

TEST(AlpacaSimFaults, ThrottleRefusesNewConnectionsWith406ForItsDuration) {
  Venue venue;
  auto existing = venue.subscribed();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Throttle, "", 500}).done);
  auto refused = venue.connect();
  EXPECT_EQ(
      refused->take(),
      std::vector<std::string>{R"([{"T":"error","code":406,"msg":"connection limit exceeded"}])"});
  EXPECT_TRUE(refused->closed);
  net::HttpRequest request;
  request.target = "/v2/account";
  EXPECT_EQ(venue.front_end().handle(request).status, 429);
  venue.steps(3);
  EXPECT_FALSE(existing->closed);
  EXPECT_FALSE(existing->take().empty());  // existing connections are not affected
  venue.steps(8);                          // 550 ms
  existing->socket->close();
  venue.drain();
  auto later = venue.connect();
  EXPECT_EQ(later->take(), std::vector<std::string>{R"([{"T":"success","msg":"connected"}])"});
  EXPECT_EQ(venue.front_end().handle(request).status, 404);
}

}  // namespace
}  // namespace troupe::sim
