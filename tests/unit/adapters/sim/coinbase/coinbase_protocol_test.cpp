// The simulated Coinbase market-data WebSocket as a raw client sees it (exchange-protocols.md
// §3.2-§3.6, §3.8), through the in-process transport.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/unit/adapters/sim/coinbase/coinbase_sim_support.hpp"

namespace troupe::sim::coinbase_test {
namespace {

using Levels = std::map<std::int64_t, std::int64_t>;  // price mantissa → size mantissa

struct LocalBook {
  Levels bids;
  Levels asks;
};

/// Applies one l2_data message (snapshot or update) to `books`; returns how many "0" sizes
/// it carried.
int apply_l2(const Json& message, std::map<std::string, LocalBook>& books, const SimConfig& cfg) {
  int zeros = 0;
  for (simdjson::dom::element event : message["events"].get_array()) {
    const std::string product(event["product_id"].get_string().value());
    const Instrument* instrument = nullptr;
    for (const auto& c : cfg.instruments)
      if (c.instrument.id.symbol == product) instrument = &c.instrument;
    EXPECT_NE(instrument, nullptr) << product;
    if (instrument == nullptr) continue;
    LocalBook& book = books[product];
    if (event["type"].get_string().value() == "snapshot") book = LocalBook{};
    for (simdjson::dom::element update : event["updates"].get_array()) {
      const std::string_view side = update["side"].get_string().value();
      const std::string_view size_text = update["new_quantity"].get_string().value();
      const auto price =
          *Price::parse(update["price_level"].get_string().value(), instrument->price_precision);
      const auto size = *Quantity::parse(size_text, instrument->size_precision);
      EXPECT_TRUE(side == "bid" || side == "offer") << side;
      Levels& levels = side == "bid" ? book.bids : book.asks;
      if (size.is_zero()) {
        EXPECT_EQ(size_text, "0");
        ++zeros;
        levels.erase(price.raw());
      } else {
        levels[price.raw()] = size.raw();
      }
    }
  }
  return zeros;
}

LocalBook venue_book(CoinbaseFrontEnd& front_end, const std::string& product) {
  LocalBook out;
  const BookSnapshot book = front_end.book(product, 0);
  for (const BookLevel& level : book.bids) out.bids[level.price.raw()] = level.size.raw();
  for (const BookLevel& level : book.asks) out.asks[level.price.raw()] = level.size.raw();
  return out;
}

TEST(CoinbaseProtocol, SubscribeIsAcknowledgedThenTheWholeBookArrivesAsASnapshot) {
  Venue venue;
  venue.steps(5);
  auto client = venue.connect();
  ASSERT_TRUE(client->opened);
  venue.send(*client, subscribe("level2", R"("BTC-USD","ETH-USD")"));
  const auto frames = client->take();
  ASSERT_EQ(frames.size(), 3u);
  Json ack(frames[0]);
  EXPECT_EQ(ack.text("channel"), "subscriptions");
  EXPECT_EQ(ack.sequence(), 0);
  EXPECT_EQ(ack.text("client_id"), "");
  simdjson::dom::array level2;
  ASSERT_EQ(ack["events"].at(0)["subscriptions"]["level2"].get_array().get(level2),
            simdjson::SUCCESS);
  EXPECT_EQ(level2.size(), 2u);
  std::map<std::string, LocalBook> books;
  for (int i = 1; i <= 2; ++i) {
    Json snapshot(frames[static_cast<std::size_t>(i)]);
    EXPECT_EQ(snapshot.text("channel"), "l2_data");
    EXPECT_EQ(snapshot.sequence(), i);
    EXPECT_EQ(std::string(snapshot["events"].at(0)["type"].get_string().value()), "snapshot");
    EXPECT_EQ(
        std::string(snapshot["events"].at(0)["updates"].at(0)["event_time"].get_string().value()),
        "1970-01-01T00:00:00Z");
    apply_l2(snapshot, books, SimConfig(config()));
  }
  for (const std::string product : {"BTC-USD", "ETH-USD"}) {
    const LocalBook expected = venue_book(venue.front_end(), product);
    EXPECT_FALSE(expected.bids.empty());
    EXPECT_EQ(books[product].bids, expected.bids) << product;
    EXPECT_EQ(books[product].asks, expected.asks) << product;
  }
  // The envelope timestamp is the venue clock, RFC 3339 with nanoseconds.
  EXPECT_EQ(Json(frames[1]).text("timestamp"), "2024-06-10T06:13:20.500000000Z");
}

TEST(CoinbaseProtocol, UpdatesCarryAbsoluteSizesSoSnapshotPlusUpdatesIsTheVenueBook) {
  const SimConfig cfg = config();
  Venue venue(cfg);
  auto client = venue.connect();
  venue.send(*client, subscribe("level2", R"("BTC-USD","ETH-USD","SOL-USD")"));
  std::map<std::string, LocalBook> books;
  int zeros = 0;
  int updates = 0;
  for (int round = 0; round < 40; ++round) {
    venue.steps(5);
    for (const std::string& frame : client->take()) {
      Json message(frame);
      if (message.text("channel") != "l2_data") continue;
      if (std::string(message["events"].at(0)["type"].get_string().value()) == "update") {
        ++updates;
        // One product per message; event_time is the step's time with microseconds.
        EXPECT_EQ(message["events"].get_array().size(), 1u);
        EXPECT_EQ(
            std::string(message["events"].at(0)["updates"].at(0)["event_time"].get_string().value())
                .size(),
            std::string("2024-06-10T06:13:20.100000Z").size());
      }
      zeros += apply_l2(message, books, cfg);
    }
    for (const std::string product : {"BTC-USD", "ETH-USD", "SOL-USD"}) {
      const LocalBook expected = venue_book(venue.front_end(), product);
      ASSERT_EQ(books[product].bids, expected.bids) << product << " round " << round;
      ASSERT_EQ(books[product].asks, expected.asks) << product << " round " << round;
    }
  }
  EXPECT_GT(updates, 100);
  EXPECT_GT(zeros, 0) << "levels removed with new_quantity \"0\"";
}

TEST(CoinbaseProtocol, SequenceNumIsOneCounterPerConnectionAcrossAllChannels) {
  Venue venue;
  auto first = venue.connect();
  venue.send(*first, subscribe("level2", R"("BTC-USD")"));
  venue.send(*first, subscribe("market_trades", R"("BTC-USD","ETH-USD")"));
  venue.send(*first, subscribe("heartbeats", ""));
  venue.steps(20);
  auto second = venue.connect();
  venue.send(*second, subscribe("heartbeats", ""));
  venue.steps(60);
  std::set<std::string> channels;
  std::int64_t expected = 0;
  for (const std::string& frame : first->take()) {
    Json message(frame);
    ASSERT_TRUE(message.ok()) << frame;
    channels.insert(message.text("channel"));
    ASSERT_EQ(message.sequence(), expected++) << frame;
  }
  EXPECT_EQ(channels,
            (std::set<std::string>{"subscriptions", "l2_data", "market_trades", "heartbeats"}));
  // The second connection has its own counter, from 0.
  expected = 0;
  const auto frames = second->take();
  ASSERT_GE(frames.size(), 6u);
  for (const std::string& frame : frames) EXPECT_EQ(Json(frame).sequence(), expected++);
}

TEST(CoinbaseProtocol, HeartbeatsArriveOncePerSecondOfVenueTimeWithConsecutiveCounters) {
  Venue venue(config(1, 50));
  auto client = venue.connect();
  venue.send(*client, subscribe("heartbeats", ""));
  client->take();
  venue.steps(200);  // 10 s
  std::vector<std::uint64_t> counters;
  for (const std::string& frame : client->take()) {
    Json message(frame);
    ASSERT_EQ(message.text("channel"), "heartbeats");
    simdjson::dom::element event = message["events"].at(0);
    counters.push_back(event["heartbeat_counter"].get_uint64().value());
    const std::string current(event["current_time"].get_string().value());
    EXPECT_NE(current.find(" +0000 UTC m=+"), std::string::npos) << current;
  }
  ASSERT_EQ(counters.size(), 10u);
  for (std::size_t i = 1; i < counters.size(); ++i) EXPECT_EQ(counters[i], counters[i - 1] + 1);
}

TEST(CoinbaseProtocol, MarketTradesStartWithASnapshotThenBatchTradesWithMakerSide) {
  Venue venue;
  venue.steps(50);  // trades happen before the subscription: the snapshot has some
  auto client = venue.connect();
  venue.send(*client, subscribe("market_trades", R"("BTC-USD")"));
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 2u);
  Json snapshot(frames[1]);
  EXPECT_EQ(snapshot.text("channel"), "market_trades");
  EXPECT_EQ(std::string(snapshot["events"].at(0)["type"].get_string().value()), "snapshot");
  EXPECT_GT(snapshot["events"].at(0)["trades"].get_array().size(), 0u);
  venue.steps(100);
  int trades = 0;
  for (const std::string& frame : client->take()) {
    Json message(frame);
    ASSERT_EQ(message.text("channel"), "market_trades");
    simdjson::dom::element event = message["events"].at(0);
    EXPECT_EQ(std::string(event["type"].get_string().value()), "update");
    for (simdjson::dom::element trade : event["trades"].get_array()) {
      ++trades;
      EXPECT_EQ(std::string(trade["product_id"].get_string().value()), "BTC-USD");
      const std::string side(trade["side"].get_string().value());
      EXPECT_TRUE(side == "BUY" || side == "SELL") << side;
      EXPECT_TRUE(Price::parse(trade["price"].get_string().value(), 2).has_value());
      EXPECT_TRUE(Quantity::parse(trade["size"].get_string().value(), 8)->is_positive());
      EXPECT_FALSE(std::string(trade["trade_id"].get_string().value()).empty());
    }
  }
  EXPECT_GT(trades, 0);
}

TEST(CoinbaseProtocol, UnsubscribeStopsTheChannelAndIsAcknowledged) {
  Venue venue;
  auto client = venue.connect();
  venue.send(*client, subscribe("level2", R"("BTC-USD")"));
  venue.send(*client, subscribe("level2", R"("BTC-USD")", "unsubscribe"));
  client->take();
  venue.steps(20);
  EXPECT_TRUE(client->take().empty());
}

TEST(CoinbaseProtocol, BadRequestsGetAnErrorMessageWithoutEnvelopeAndChangeNothing) {
  CoinbaseLimits limits;
  limits.subscribe_deadline_ms = 0;  // the test takes longer than 5 s to subscribe
  Venue venue(config(), limits);
  auto client = venue.connect();
  for (const std::string bad :
       {std::string("{not json"), std::string(R"(["subscribe"])"),
        std::string(R"({"channel":"level2","product_ids":["BTC-USD"]})"),
        std::string(R"({"type":"subscribe","product_ids":["BTC-USD"]})"),
        subscribe("ticker", R"("BTC-USD")"), subscribe("level2", ""),
        subscribe("level2", R"("BTC-USD","DOGE-USD")"), subscribe("level2", "7")}) {
    venue.send(*client, bad);
    const auto frames = client->take();
    ASSERT_EQ(frames.size(), 1u) << bad;
    Json error(frames[0]);
    EXPECT_EQ(error.text("type"), "error") << bad;
    EXPECT_FALSE(error.text("message").empty()) << bad;
    EXPECT_EQ(error.sequence(), -1) << "errors carry no sequence_num";
    // Refill the rate-limit window: these are 8 messages in one second otherwise.
    venue.steps(10);
    client->take();
  }
  EXPECT_NE(Json([&] {
              venue.send(*client, subscribe("level2", R"("DOGE-USD")"));
              return client->take().at(0);
            }())
                .text("message")
                .find("DOGE-USD"),
            std::string::npos);
  // Nothing was subscribed: the first valid subscribe gets sequence_num 0.
  venue.steps(10);
  venue.send(*client, subscribe("heartbeats", ""));
  EXPECT_EQ(Json(client->take().at(0)).sequence(), 0);
  EXPECT_EQ(venue.front_end().counters().errors, 9u);
}

TEST(CoinbaseProtocol, OnlyTheRootTargetIsServedAndRestIsNotFound) {
  Venue venue;
  auto wrong = venue.connect("/ws");
  EXPECT_FALSE(wrong->opened);
  EXPECT_TRUE(wrong->closed);
  net::HttpRequest request;
  request.target = "/api/v3/brokerage/products";
  EXPECT_EQ(venue.front_end().handle(request).status, 404);
  EXPECT_EQ(venue.front_end().venue(), "coinbase");
}

TEST(CoinbaseProtocol, ConnectionsThatDoNotSubscribeWithinFiveSecondsAreClosed) {
  Venue venue;
  auto idle = venue.connect();
  auto active = venue.connect();
  venue.send(*active, subscribe("heartbeats", ""));
  venue.steps(49);
  EXPECT_FALSE(idle->closed);
  venue.steps(1);
  EXPECT_TRUE(idle->closed);
  EXPECT_FALSE(active->closed);
}

TEST(CoinbaseProtocol, MoreThanEightMessagesPerSecondGetTheRateLimitError) {
  Venue venue;
  auto client = venue.connect();
  for (int i = 0; i < 8; ++i) venue.send(*client, subscribe("heartbeats", ""));
  EXPECT_EQ(client->take().size(), 8u);
  venue.send(*client, subscribe("heartbeats", ""));
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(Json(frames[0]).text("message"), CoinbaseFrontEnd::kRateLimitMessage);
  venue.steps(10);
  client->take();
  venue.send(*client, subscribe("heartbeats", ""));
  EXPECT_EQ(Json(client->take().at(0)).text("channel"), "subscriptions");
}

TEST(CoinbaseProtocol, ValidateNamesTheOffendingKey) {
  SimConfig cfg = config();
  EXPECT_TRUE(CoinbaseFrontEnd::validate(cfg).has_value());
  cfg.instruments[1].instrument.id.symbol = "ETHUSD";
  auto error = CoinbaseFrontEnd::validate(cfg);
  ASSERT_FALSE(error.has_value());
  EXPECT_NE(error.error().find("sim.instruments[1].instrument.symbol"), std::string::npos);
  cfg = config();
  cfg.instruments[2].instrument.id.symbol = "BTC-USD";
  EXPECT_NE(CoinbaseFrontEnd::validate(cfg).error().find("duplicate"), std::string::npos);
  cfg = config();
  cfg.step_ms = 0;
  EXPECT_NE(CoinbaseFrontEnd::validate(cfg).error().find("sim.step_ms"), std::string::npos);
}

}  // namespace
}  // namespace troupe::sim::coinbase_test
