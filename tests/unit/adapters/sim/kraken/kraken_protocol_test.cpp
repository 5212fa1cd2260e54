// The simulated Kraken WS v2 endpoint spoken to in raw JSON over the in-process transport:
// connection messages, book and trade subscriptions, the §4.2 book maintenance rules, errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/unit/adapters/sim/kraken/kraken_sim_support.hpp"

namespace troupe::sim {
namespace {

using kraken_test::BookItem;
using kraken_test::Client;
using kraken_test::ClientBook;
using kraken_test::Json;
using kraken_test::parse_book;
using kraken_test::Venue;

std::string subscribe(const std::string& channel, const std::string& symbols, int req_id,
                      const std::string& extra = "") {
  return R"({"method":"subscribe","params":{"channel":")" + channel + R"(","symbol":[)" + symbols +
         "]" + extra + R"(},"req_id":)" + std::to_string(req_id) + "}";
}

std::vector<std::string> of_channel(const std::vector<std::string>& frames, const char* channel) {
  std::vector<std::string> out;
  for (const std::string& frame : frames)
    if (Json(frame).is_channel(channel)) out.push_back(frame);
  return out;
}

std::vector<std::string> responses(const std::vector<std::string>& frames) {
  std::vector<std::string> out;
  for (const std::string& frame : frames)
    if (!Json(frame).str("method").empty()) out.push_back(frame);
  return out;
}

TEST(KrakenSimProtocol, GreetsEveryConnectionWithAnOnlineStatus) {
  Venue venue;
  auto first = venue.connect();
  auto second = venue.connect();
  ASSERT_TRUE(first->opened);
  ASSERT_EQ(first->frames.size(), 1u);
  Json status(first->frames[0]);
  EXPECT_EQ(status.str("channel"), "status");
  EXPECT_EQ(status.str("type"), "update");
  simdjson::dom::element data = status["data"].at(0);
  EXPECT_EQ(std::string_view(data["system"]), "online");
  EXPECT_EQ(std::string_view(data["api_version"]), "v2");
  const std::uint64_t id1 = data["connection_id"];
  const std::uint64_t id2 = Json(second->frames.at(0))["data"].at(0)["connection_id"];
  EXPECT_NE(id1, id2);
  EXPECT_EQ(venue.front_end().counters().connections, 2u);
}

TEST(KrakenSimProtocol, RefusesOtherTargetsAndAnswersRestWithKrakensEnvelope) {
  Venue venue;
  auto client = venue.connect("/ws");
  EXPECT_TRUE(client->closed);
  EXPECT_EQ(client->reason, "404");
  net::HttpRequest request;
  request.target = "/0/public/Time";
  const net::HttpResponse response = venue.front_end().handle(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, R"({"error":["EGeneral:Unknown method"]})");
}

TEST(KrakenSimProtocol, AnswersPingWithPongEchoingReqId) {
  Venue venue;
  auto client = venue.connect();
  client->take();
  venue.send(*client, R"({"method":"ping","req_id":101})");
  ASSERT_EQ(client->frames.size(), 1u);
  Json pong(client->frames[0]);
  EXPECT_EQ(pong.str("method"), "pong");
  EXPECT_EQ(std::int64_t(pong["req_id"]), 101);
  EXPECT_EQ(pong.str("time_in"), "2024-06-10T06:13:20.000000Z");
  EXPECT_FALSE(pong.str("time_out").empty());
}

TEST(KrakenSimProtocol, BookSubscriptionAcksEachSymbolThenSendsAVerifiableSnapshot) {
  Venue venue;
  venue.steps(5);
  auto client = venue.connect();
  client->take();
  venue.send(*client, subscribe("book", R"("BTC/USD","ETH/USD")", 7, R"(,"depth":10)"));
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 4u);
  for (int n = 0; n < 2; ++n) {
    const std::string symbol = n == 0 ? "BTC/USD" : "ETH/USD";
    Json ack(frames[2 * n]);
    EXPECT_EQ(ack.str("method"), "subscribe");
    EXPECT_TRUE(bool(ack["success"]));
    EXPECT_EQ(std::int64_t(ack["req_id"]), 7);
    EXPECT_EQ(std::string_view(ack["result"]["channel"]), "book");
    EXPECT_EQ(std::uint64_t(ack["result"]["depth"]), 10u);
    EXPECT_TRUE(bool(ack["result"]["snapshot"]));
    EXPECT_EQ(std::string_view(ack["result"]["symbol"]), symbol);
    const Instrument& instrument = venue.instrument(n);
    const BookItem snapshot = parse_book(frames[2 * n + 1], instrument);
    EXPECT_TRUE(snapshot.snapshot);
    EXPECT_EQ(snapshot.symbol, symbol);
    ClientBook book(instrument, 10);
    EXPECT_TRUE(book.apply(snapshot)) << frames[2 * n + 1];
    const BookSnapshot venue_book = venue.front_end().book(symbol, 10);
    ASSERT_EQ(venue_book.bids.size(), 10u);
    EXPECT_EQ(snapshot.bids, venue_book.bids);  // bids high to low
    EXPECT_EQ(snapshot.asks, venue_book.asks);  // asks low to high
  }
  EXPECT_NE(frames[1].find(R"("timestamp":"2024-06-10T06:13:20.250000Z")"), std::string::npos);
}

TEST(KrakenSimProtocol, DefaultsToDepthTenAndHonoursSnapshotFalse) {
  Venue venue;
  venue.steps(2);
  auto client = venue.connect();
  client->take();
  venue.send(*client, subscribe("book", R"("ETH/USD")", 1));
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::uint64_t(Json(frames[0])["result"]["depth"]), 10u);
  EXPECT_EQ(parse_book(frames[1], venue.instrument(1)).bids.size(), 10u);
  venue.send(*client, subscribe("book", R"("BTC/USD")", 2, R"(,"snapshot":false)"));
  frames = client->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(bool(Json(frames[0])["result"]["snapshot"]));
}

// The heart of §4.2: a client that applies each message, truncates to its depth and checks the
// checksum stays equal to the venue's book at every depth Kraken offers, and the venue never
// spends a qty-0 level on a level that merely fell out of scope.
TEST(KrakenSimProtocol, UpdatesKeepADocumentedClientBookEqualToTheVenueAtEveryDepth) {
  for (std::uint32_t depth : KrakenFrontEnd::kDepths) {
    SCOPED_TRACE("depth " + std::to_string(depth));
    Venue venue;
    venue.steps(3);
    auto client = venue.connect();
    venue.send(*client, subscribe("book", R"("BTC/USD","ETH/USD")", 3,
                                  R"(,"depth":)" + std::to_string(depth)));
    std::vector<ClientBook> books{ClientBook(venue.instrument(0), depth),
                                  ClientBook(venue.instrument(1), depth)};
    std::size_t updates = 0;
    for (int step = 0; step <= 300; ++step) {
      for (const std::string& frame : of_channel(client->take(), "book")) {
        const std::size_t n =
            Json(frame).root()["data"].at(0)["symbol"].get_string().value() == "BTC/USD" ? 0 : 1;
        const BookItem item = parse_book(frame, venue.instrument(n));
        ASSERT_TRUE(books[n].apply(item)) << frame;
        if (item.snapshot) continue;
        ++updates;
        const BookSnapshot full = venue.front_end().book(item.symbol, 0);
        const BookSnapshot top = venue.front_end().book(item.symbol, depth);
        auto check = [&](const std::vector<BookLevel>& sent, const std::vector<BookLevel>& all,
                         const std::vector<BookLevel>& scope) {
          for (const BookLevel& level : sent) {
            const bool in_book = std::any_of(
                all.begin(), all.end(), [&](const BookLevel& l) { return l.price == level.price; });
            if (level.size.is_zero()) {
              EXPECT_FALSE(in_book) << "qty 0 for a level still in the book: " << frame;
            } else {
              EXPECT_NE(std::find(scope.begin(), scope.end(), level), scope.end())
                  << "level outside the subscribed depth: " << frame;
            }
          }
        };
        check(item.bids, full.bids, top.bids);
        check(item.asks, full.asks, top.asks);
      }
      for (std::size_t n = 0; n < 2; ++n) {
        const BookSnapshot top = venue.front_end().book(venue.instrument(n).id.symbol, depth);
        ASSERT_EQ(books[n].bids(), top.bids) << "step " << step;
        ASSERT_EQ(books[n].asks(), top.asks) << "step " << step;
      }
      venue.steps(1);
    }
    EXPECT_GT(updates, 400u);
    // Small depths: levels were pushed out of scope and the client's truncation removed them.
    if (depth == 10) EXPECT_GT(books[0].truncated + books[1].truncated, 0u);
  }
}

TEST(KrakenSimProtocol, UnsubscribeStopsTheBookAndAcksWithTheDepth) {
  Venue venue;
  auto client = venue.connect();
  venue.send(*client, subscribe("book", R"("BTC/USD")", 1, R"(,"depth":25)"));
  venue.steps(3);
  EXPECT_FALSE(of_channel(client->take(), "book").empty());
  venue.send(
      *client,
      R"({"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":25},"req_id":9})");
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 1u);
  Json ack(frames[0]);
  EXPECT_EQ(ack.str("method"), "unsubscribe");
  EXPECT_TRUE(bool(ack["success"]));
  EXPECT_EQ(std::int64_t(ack["req_id"]), 9);
  EXPECT_EQ(std::uint64_t(ack["result"]["depth"]), 25u);
  venue.steps(5);
  EXPECT_TRUE(of_channel(client->take(), "book").empty());
  // Subscribing again is allowed and brings a fresh snapshot.
  venue.send(*client, subscribe("book", R"("BTC/USD")", 2));
  frames = client->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(parse_book(frames[1], venue.instrument(0)).snapshot);
}

TEST(KrakenSimProtocol, TradeChannelSendsEachStepsTradesAndRecentOnesAsSnapshot) {
  Venue venue;
  auto client = venue.connect();
  venue.send(*client, subscribe("trade", R"("BTC/USD")", 4));
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 3u);  // status, ack, empty snapshot
  EXPECT_EQ(Json(frames[1]).str("method"), "subscribe");
  EXPECT_FALSE(Json(frames[1])["result"]["depth"].error() == simdjson::SUCCESS);
  Json empty(frames[2]);
  EXPECT_EQ(empty.str("type"), "snapshot");
  EXPECT_EQ(simdjson::dom::array(empty["data"]).size(), 0u);
  std::uint64_t last_id = 0;
  std::size_t trades = 0;
  std::set<std::string> ord_types;
  for (int i = 0; i < 200; ++i) {
    venue.steps(1);
    for (const std::string& frame : of_channel(client->take(), "trade")) {
      Json update(frame);
      EXPECT_EQ(update.str("type"), "update");
      for (simdjson::dom::element item : simdjson::dom::array(update["data"])) {
        EXPECT_EQ(std::string_view(item["symbol"]), "BTC/USD");
        const std::string_view side = item["side"];
        EXPECT_TRUE(side == "buy" || side == "sell");
        EXPECT_TRUE(item["price"].is_number());
        EXPECT_TRUE(item["qty"].is_number());
        ord_types.insert(std::string(std::string_view(item["ord_type"])));
        const std::uint64_t id = item["trade_id"];
        EXPECT_EQ(id, last_id + 1);  // sequential per book
        last_id = id;
        EXPECT_EQ(std::string_view(item["timestamp"]).size(), 27u);
        ++trades;
      }
    }
  }
  EXPECT_GT(trades, 20u);
  EXPECT_EQ(ord_types, (std::set<std::string>{"limit", "market"}));
  auto late = venue.connect();
  venue.send(*late, subscribe("trade", R"("BTC/USD")", 5));
  Json snapshot(late->frames.back());
  EXPECT_EQ(snapshot.str("type"), "snapshot");
  simdjson::dom::array recent = snapshot["data"];
  EXPECT_EQ(recent.size(), std::min<std::size_t>(trades, 50));
  EXPECT_EQ(std::uint64_t(recent.at(recent.size() - 1)["trade_id"]), last_id);
}

TEST(KrakenSimProtocol, HeartbeatsASubscribedIdleConnectionOncePerSecondOfVenueTime) {
  Venue venue(kraken_test::kraken_config(7, true));
  auto idle = venue.connect();
  auto unsubscribed = venue.connect();
  venue.send(*idle, subscribe("trade", R"("IDLE/USD")", 1, R"(,"snapshot":false)"));
  idle->take();
  unsubscribed->take();
  venue.steps(19);  // 950 ms
  EXPECT_TRUE(idle->take().empty());
  venue.steps(1);  // 1000 ms since the last frame
  auto frames = idle->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], R"({"channel":"heartbeat"})");
  venue.steps(40);
  EXPECT_EQ(of_channel(idle->take(), "heartbeat").size(), 2u);
  EXPECT_TRUE(unsubscribed->take().empty());
  // A busy book subscription is never idle for a second: no heartbeats needed.
  auto busy = venue.connect();
  venue.send(*busy, subscribe("book", R"("BTC/USD")", 2));
  venue.steps(60);
  EXPECT_TRUE(of_channel(busy->take(), "heartbeat").empty());
}

struct RefusedCase {
  std::string request;
  std::string method;
  std::string error;
  std::string symbol;
};

TEST(KrakenSimProtocol, RefusesBadRequestsWithKrakensErrorEnvelope) {
  const std::vector<RefusedCase> cases = {
      {subscribe("book", R"("XBT/USD")", 11), "subscribe", "Currency pair not supported XBT/USD",
       "XBT/USD"},
      {subscribe("book", R"("BTC/USD")", 12, R"(,"depth":20)"), "subscribe",
       "Subscription depth not supported", ""},
      {R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"])", "error",
       "Malformed request", ""},
      {R"({"method":"subscribe","params":{"channel":"ohlc","symbol":["BTC/USD"]},"req_id":13})",
       "subscribe", "Unsupported channel ohlc", ""},
      {R"({"method":"subscribe","params":{"channel":"book"},"req_id":14})", "subscribe",
       "Malformed request", ""},
      {R"({"method":"add_order","params":{},"req_id":15})", "add_order", "Method not found", ""},
      {R"({"method":"unsubscribe","params":{"channel":"trade","symbol":["ETH/USD"]},"req_id":16})",
       "unsubscribe", "Subscription Not Found", "ETH/USD"},
      {R"([1,2,3])", "error", "Malformed request", ""},
  };
  Venue venue;
  auto client = venue.connect();
  client->take();
  for (const RefusedCase& c : cases) {
    SCOPED_TRACE(c.request);
    venue.send(*client, c.request);
    auto frames = client->take();
    ASSERT_EQ(frames.size(), 1u);
    Json reply(frames[0]);
    EXPECT_FALSE(bool(reply["success"]));
    EXPECT_EQ(reply.str("method"), c.method);
    EXPECT_EQ(reply.str("error"), c.error);
    EXPECT_EQ(reply.str("symbol"), c.symbol);
    EXPECT_FALSE(reply.str("time_in").empty());
  }
  venue.send(*client, subscribe("book", R"("BTC/USD")", 17));
  client->take();
  venue.send(*client, subscribe("book", R"("BTC/USD")", 18, R"(,"depth":25)"));
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(Json(frames[0]).str("error"), "Already subscribed");
  EXPECT_EQ(std::int64_t(Json(frames[0])["req_id"]), 18);
  // A request naming a good and a bad pair: one answer per pair.
  venue.send(*client, subscribe("trade", R"("ETH/USD","DOGE/USD")", 19));
  frames = responses(client->take());
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(bool(Json(frames[0])["success"]));
  EXPECT_EQ(Json(frames[1]).str("error"), "Currency pair not supported DOGE/USD");
}

}  // namespace
}  // namespace troupe::sim
