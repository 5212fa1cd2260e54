// The simulated Alpaca data v2 stream spoken with raw JSON over the in-process transport:
// handshake, auth errors, connection limit, auth timeout, subscriptions, quotes, trades, bars.

#include <gtest/gtest.h>

#include "tests/unit/adapters/sim/alpaca/alpaca_sim_support.hpp"

namespace troupe::sim {
namespace {

using alpaca_test::items_of;
using alpaca_test::select;
using alpaca_test::Venue;

constexpr const char* kAuth = R"({"action":"auth","key":"sim-key","secret":"sim-secret"})";

TEST(AlpacaSimProtocol, ConnectedAuthenticatedAndTheFullSubscriptionEcho) {
  Venue venue;
  EXPECT_EQ(venue.front_end().venue(), "alpaca");
  auto client = venue.connect("/v2/iex");
  ASSERT_TRUE(client->opened);
  EXPECT_EQ(client->take(), std::vector<std::string>{R"([{"T":"success","msg":"connected"}])"});
  venue.send(*client, kAuth);
  EXPECT_EQ(client->take(), std::vector<std::string>{R"([{"T":"success","msg":"authenticated"}])"});
  venue.send(*client,
             R"({"action":"subscribe","trades":["AAPL"],"quotes":["AMD","MSFT"],"bars":["*"]})");
  EXPECT_EQ(client->take(),
            std::vector<std::string>{
                R"([{"T":"subscription","trades":["AAPL"],"quotes":["AMD","MSFT"],"bars":["*"],)"
                R"("updatedBars":[],"dailyBars":[],"statuses":[],"lulds":[],)"
                R"("corrections":["AAPL"],"cancelErrors":["AAPL"]}])"});
  venue.send(*client, R"({"action":"unsubscribe","bars":["*"],"quotes":["AMD"]})");
  const auto echo = client->take();
  ASSERT_EQ(echo.size(), 1u);
  EXPECT_NE(echo[0].find(R"("trades":["AAPL"],"quotes":["MSFT"],"bars":[],)"), std::string::npos)
      << echo[0];
}

TEST(AlpacaSimProtocol, ServesSipAndRefusesOtherPaths) {
  Venue venue;
  auto sip = venue.connect("/v2/sip");
  EXPECT_TRUE(sip->opened);
  auto other = venue.connect("/v1beta3/crypto/us");
  EXPECT_FALSE(other->opened);
  EXPECT_TRUE(other->closed);
}

TEST(AlpacaSimProtocol, ErrorCodesForBadKeyOrderAndSyntax) {
  Venue venue;
  auto client = venue.connect();
  client->take();
  venue.send(*client, R"({"action":"subscribe","trades":["AAPL"]})");
  venue.send(*client, R"({"action":"auth","key":"sim-key","secret":"wrong"})");
  venue.send(*client, R"({"action":"auth","key":)");
  venue.send(*client, R"({"action":"dance"})");
  venue.send(*client, kAuth);
  venue.send(*client, kAuth);
  venue.send(*client, R"({"action":"subscribe","trades":"AAPL"})");
  EXPECT_EQ(client->take(),
            (std::vector<std::string>{R"([{"T":"error","code":401,"msg":"not authenticated"}])",
                                      R"([{"T":"error","code":402,"msg":"auth failed"}])",
                                      R"([{"T":"error","code":400,"msg":"invalid syntax"}])",
                                      R"([{"T":"error","code":400,"msg":"invalid syntax"}])",
                                      R"([{"T":"success","msg":"authenticated"}])",
                                      R"([{"T":"error","code":403,"msg":"already authenticated"}])",
                                      R"([{"T":"error","code":400,"msg":"invalid syntax"}])"}));
  EXPECT_FALSE(client->closed);
  EXPECT_EQ(venue.front_end().counters().auth_failures, 1u);
}

TEST(AlpacaSimProtocol, SecondConnectionOfTheKeyGets406AndIsClosed) {
  Venue venue;
  auto first = venue.subscribed();
  auto second = venue.connect();
  venue.send(*second, kAuth);
  EXPECT_EQ(second->take(),
            (std::vector<std::string>{
                R"([{"T":"success","msg":"connected"}])",
                R"([{"T":"error","code":406,"msg":"connection limit exceeded"}])"}));
  EXPECT_TRUE(second->closed);
  EXPECT_FALSE(first->closed);
  venue.steps(5);
  EXPECT_FALSE(first->take().empty());  // the first one still streams
  // Once the first is gone the key is free again.
  first->socket->close();
  venue.drain();
  auto third = venue.connect();
  venue.send(*third, kAuth);
  EXPECT_EQ(third->take().back(), R"([{"T":"success","msg":"authenticated"}])");
}

TEST(AlpacaSimProtocol, NoAuthWithinTenSecondsOfVenueTimeGets404AndIsClosed) {
  Venue venue;
  auto client = venue.connect();
  client->take();
  venue.steps(199);  // 9.95 s
  EXPECT_FALSE(client->closed);
  venue.steps(1);
  EXPECT_EQ(client->take(),
            std::vector<std::string>{R"([{"T":"error","code":404,"msg":"auth timeout"}])"});
  EXPECT_TRUE(client->closed);
  EXPECT_EQ(venue.front_end().counters().auth_timeouts, 1u);
}

TEST(AlpacaSimProtocol, IexLimitsTradesAndQuotesTo30SymbolsSipDoesNot) {
  std::string many;
  for (int i = 0; i < 31; ++i) many += (i ? ",\"S" : "\"S") + std::to_string(i) + "\"";
  Venue venue;
  auto iex = venue.connect("/v2/iex");
  venue.send(*iex, kAuth);
  iex->take();
  venue.send(*iex, R"({"action":"subscribe","quotes":[)" + many + "]}");
  EXPECT_EQ(iex->take(), std::vector<std::string>{
                             R"([{"T":"error","code":405,"msg":"symbol limit exceeded"}])"});
  venue.send(*iex, R"({"action":"subscribe","bars":[)" + many + "]}");  // bars are unlimited
  EXPECT_NE(iex->take().at(0).find(R"("T":"subscription")"), std::string::npos);
  iex->socket->close();
  venue.drain();
  auto sip = venue.connect("/v2/sip");
  venue.send(*sip, kAuth);
  sip->take();
  venue.send(*sip, R"({"action":"subscribe","quotes":[)" + many + "]}");
  EXPECT_NE(sip->take().at(0).find(R"("T":"subscription")"), std::string::npos);
}

TEST(AlpacaSimProtocol, QuotesFollowTheTopOfBookAndOnlyWhenItChanges) {
  Venue venue;
  auto client = venue.subscribed();
  venue.steps(100);
  const auto items = items_of(client->take());
  for (const std::string symbol : {"AAPL", "MSFT", "SPY"}) {
    const auto quotes = select(items, "q", symbol);
    ASSERT_GE(quotes.size(), 5u) << symbol;
    for (std::size_t i = 1; i < quotes.size(); ++i) {
      const bool same = quotes[i].number.at("bp") == quotes[i - 1].number.at("bp") &&
                        quotes[i].number.at("bs") == quotes[i - 1].number.at("bs") &&
                        quotes[i].number.at("ap") == quotes[i - 1].number.at("ap") &&
                        quotes[i].number.at("as") == quotes[i - 1].number.at("as");
      EXPECT_FALSE(same) << symbol << " quote " << i << " repeats the previous one";
    }
    const BookSnapshot book = venue.front_end().book(symbol, 10);
    ASSERT_EQ(book.bids.size(), 1u);  // L1 whatever the depth asked
    ASSERT_EQ(book.asks.size(), 1u);
    EXPECT_DOUBLE_EQ(quotes.back().number.at("bp"), book.bids[0].price.as_double());
    EXPECT_DOUBLE_EQ(quotes.back().number.at("bs"), book.bids[0].size.as_double());
    EXPECT_DOUBLE_EQ(quotes.back().number.at("ap"), book.asks[0].price.as_double());
    EXPECT_DOUBLE_EQ(quotes.back().number.at("as"), book.asks[0].size.as_double());
    EXPECT_LT(book.bids[0].price, book.asks[0].price);
  }
  EXPECT_TRUE(venue.front_end().book("NOPE", 1).bids.empty());
}

TEST(AlpacaSimProtocol, TradesAsTheyHappenAndMinuteBarsAtTheBoundary) {
  Venue venue;
  auto client = venue.subscribed();
  venue.steps(599);  // 29.95 s: up to 14:29:59.95, all in the 14:29 minute
  auto before = items_of(client->take());
  EXPECT_TRUE(select(before, "b").empty());
  const auto trades = select(before, "t", "AAPL");
  ASSERT_FALSE(trades.empty());
  double volume = 0;
  for (const auto& trade : trades) {
    volume += trade.number.at("s");
    EXPECT_EQ(trade.text.at("t").substr(0, 16), "2024-06-03T14:29");
  }
  venue.steps(1);  // 14:30:00.000: the 14:29 bar is complete
  auto after = items_of(client->take());
  const auto bars = select(after, "b", "AAPL");
  ASSERT_EQ(bars.size(), 1u);
  EXPECT_EQ(bars[0].text.at("t"), "2024-06-03T14:29:00Z");
  EXPECT_DOUBLE_EQ(bars[0].number.at("v"), volume);
  EXPECT_DOUBLE_EQ(bars[0].number.at("n"), static_cast<double>(trades.size()));
  EXPECT_DOUBLE_EQ(bars[0].number.at("o"), trades.front().number.at("p"));
  EXPECT_DOUBLE_EQ(bars[0].number.at("c"), trades.back().number.at("p"));
  EXPECT_GE(bars[0].number.at("h"), bars[0].number.at("l"));
  // Items of a step share one frame: the bar comes before this step's trades and quotes.
  EXPECT_EQ(after.front().type, "b");
}

TEST(AlpacaSimProtocol, OnlySubscribedChannelsAndSymbolsAreSent) {
  Venue venue;
  auto client = venue.connect();
  venue.send(*client, kAuth);
  venue.send(*client, R"({"action":"subscribe","quotes":["MSFT"]})");
  client->take();
  venue.steps(100);
  const auto items = items_of(client->take());
  ASSERT_FALSE(items.empty());
  for (const auto& item : items) {
    EXPECT_EQ(item.type, "q");
    EXPECT_EQ(item.symbol, "MSFT");
  }
}

TEST(AlpacaSimProtocol, ValidateNamesTheConfigKey) {
  SimConfig config = alpaca_test::stocks_config();
  EXPECT_TRUE(AlpacaFrontEnd::validate(config));
  config.instruments[1].instrument.id.symbol = "AAPL";
  auto error = AlpacaFrontEnd::validate(config);
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().find("sim.instruments[1].instrument.symbol: duplicate symbol AAPL"),
            std::string::npos);
  config = alpaca_test::stocks_config();
  config.api_secret.clear();
  EXPECT_FALSE(AlpacaFrontEnd::validate(config));
}

}  // namespace
}  // namespace troupe::sim
