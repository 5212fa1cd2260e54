#include <gtest/gtest.h>

#include <map>

#include "tests/unit/adapters/sim/front_end_support.hpp"

namespace troupe::sim {
namespace {

using test::Connection;
using test::Json;
using test::Venue;

struct DepthEvent {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::vector<std::pair<std::string, std::string>> bids;
  std::vector<std::pair<std::string, std::string>> asks;
};

DepthEvent depth_event(const std::string& frame) {
  Json j(frame);
  EXPECT_EQ(std::string_view(j["e"]), "depthUpdate");
  DepthEvent e{std::uint64_t(j["U"]), std::uint64_t(j["u"]), {}, {}};
  for (auto level : j["b"].get_array())
    e.bids.emplace_back(std::string_view(level.at(0)), std::string_view(level.at(1)));
  for (auto level : j["a"].get_array())
    e.asks.emplace_back(std::string_view(level.at(0)), std::string_view(level.at(1)));
  return e;
}

// A local book keyed by price (as Price, so ordering is numeric).
struct LocalBook {
  std::map<Price, Quantity> bids;
  std::map<Price, Quantity> asks;
  std::uint64_t last = 0;

  void set(std::map<Price, Quantity>& side, const std::string& price, const std::string& qty) {
    const Price p = *Price::parse(price, 2);
    const Quantity q = *Quantity::parse(qty, 8);
    if (q.is_zero()) {
      side.erase(p);
    } else {
      side[p] = q;
    }
  }
  void apply(const DepthEvent& e) {
    for (const auto& [p, q] : e.bids) set(bids, p, q);
    for (const auto& [p, q] : e.asks) set(asks, p, q);
    last = e.last;
  }
  bool equals(const BookSnapshot& book) const {
    if (book.bids.size() != bids.size() || book.asks.size() != asks.size()) return false;
    auto bid = bids.rbegin();
    for (const BookLevel& level : book.bids)
      if (level.price != bid->first || level.size != (bid++)->second) return false;
    auto ask = asks.begin();
    for (const BookLevel& level : book.asks)
      if (level.price != ask->first || level.size != (ask++)->second) return false;
    return true;
  }
};

TEST(BinanceStreams, DepthEventsHaveContiguousUpdateIds) {
  Venue venue;
  Connection c = venue.connect("/ws/btcusdt@depth@100ms");
  ASSERT_NE(c.handler, nullptr);
  venue.steps(300);
  auto frames = c.socket->take();
  ASSERT_EQ(frames.size(), 300u);  // the book changes every step
  std::uint64_t previous = 0;
  for (const std::string& frame : frames) {
    const DepthEvent e = depth_event(frame);
    ASSERT_LE(e.first, e.last);
    if (previous != 0) {
      ASSERT_EQ(e.first, previous + 1);
    }
    previous = e.last;
  }
  EXPECT_EQ(previous, venue.front_end().book("BTCUSDT", 1).sequence);
}

TEST(BinanceStreams, DepthEventsAppliedToTheRestSnapshotReproduceTheVenueBook) {
  Venue venue;
  venue.steps(20);
  Connection c = venue.connect("/ws/btcusdt@depth@100ms");
  venue.steps(3);
  // A user order between steps: its level change rides in the next step's event.
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&"
                       "price=59000.00");
  Json snapshot(venue.get("/api/v3/depth?symbol=BTCUSDT&limit=5000").body);
  LocalBook book;
  book.last = std::uint64_t(snapshot["lastUpdateId"]);
  for (auto level : snapshot["bids"].get_array())
    book.set(book.bids, std::string(std::string_view(level.at(0))),
             std::string(std::string_view(level.at(1))));
  for (auto level : snapshot["asks"].get_array())
    book.set(book.asks, std::string(std::string_view(level.at(0))),
             std::string(std::string_view(level.at(1))));
  venue.steps(200);
  bool first = true;
  for (const std::string& frame : c.socket->take()) {
    const DepthEvent e = depth_event(frame);
    if (e.last <= book.last) continue;  // §2.7 step 4
    if (first) {
      ASSERT_LE(e.first, book.last + 1);
      first = false;
    } else {
      ASSERT_EQ(e.first, book.last + 1);
    }
    book.apply(e);
  }
  const BookSnapshot venue_book = venue.front_end().book("BTCUSDT", 0);
  EXPECT_EQ(book.last, venue_book.sequence);
  EXPECT_TRUE(book.equals(venue_book));
}

TEST(BinanceStreams, SlowDepthStreamBatchesASecondOfChanges) {
  Venue venue;
  Connection fast = venue.connect("/ws/btcusdt@depth@100ms");
  Connection slow = venue.connect("/ws/btcusdt@depth");
  venue.steps(100);  // 5 s at 50 ms
  auto frames = slow.socket->take();
  ASSERT_GE(frames.size(), 4u);
  ASSERT_LE(frames.size(), 5u);
  std::uint64_t previous = 0;
  for (const std::string& frame : frames) {
    const DepthEvent e = depth_event(frame);
    if (previous != 0) {
      EXPECT_EQ(e.first, previous + 1);
    }
    previous = e.last;
  }
  EXPECT_EQ(fast.socket->take().size(), 100u);
}

TEST(BinanceStreams, CombinedStreamWrapsPayloadsWithTheStreamName) {
  Venue venue;
  Connection c = venue.connect("/stream?streams=btcusdt@depth@100ms/btcusdt@trade");
  ASSERT_NE(c.handler, nullptr);
  venue.steps(40);
  bool saw_depth = false;
  bool saw_trade = false;
  for (const std::string& frame : c.socket->take()) {
    Json j(frame);
    const std::string_view stream = j["stream"];
    const std::string_view type = j["data"]["e"];
    if (stream == "btcusdt@depth@100ms") saw_depth = type == "depthUpdate";
    if (stream == "btcusdt@trade") {
      saw_trade = type == "trade";
      EXPECT_EQ(std::string_view(j["data"]["s"]), "BTCUSDT");
    }
  }
  EXPECT_TRUE(saw_depth);
  EXPECT_TRUE(saw_trade);
}

TEST(BinanceStreams, SubscribeUnsubscribeAndListOnARawConnection) {
  Venue venue;
  Connection c = venue.connect("/ws");
  ASSERT_NE(c.handler, nullptr);
  c.handler->on_message(
      R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@depth"],"id":1})");
  EXPECT_EQ(c.socket->take(), std::vector<std::string>{R"({"result":null,"id":1})"});
  c.handler->on_message(R"({"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":"x2"})");
  c.handler->on_message(R"({"method":"LIST_SUBSCRIPTIONS","id":3})");
  EXPECT_EQ(c.socket->take(), (std::vector<std::string>{R"({"result":null,"id":"x2"})",
                                                        R"({"result":["btcusdt@trade"],"id":3})"}));
  c.handler->on_message(R"({"method":"SUBSCRIBE","params":["ethusdt@trade"],"id":4})");
  Json bad(c.socket->take().at(0));
  EXPECT_EQ(std::int64_t(bad["code"]), 2);
  EXPECT_EQ(std::int64_t(bad["id"]), 4);
  c.handler->on_message("{not json");
  Json invalid(c.socket->take().at(0));
  EXPECT_EQ(std::int64_t(invalid["code"]), 3);
  venue.steps(60);
  for (const std::string& frame : c.socket->take()) {
    Json j(frame);
    EXPECT_EQ(std::string_view(j["e"]), "trade");  // raw: not wrapped
  }
}

TEST(BinanceStreams, ControlMessagesOfTheWrongShapeGetErrorReplies) {
  Venue venue;
  Connection stream = venue.connect("/ws");
  Connection api = venue.connect("/ws-api/v3");
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const std::vector<std::string> garbage = {
      "",
      "null",
      "[]",
      deep,
      std::string("\x00\xff\xfe", 3),
      R"({"method":"SUBSCRIBE","params":"btcusdt@trade","id":1})",
      R"({"method":"SUBSCRIBE","params":[42],"id":{"a":1}})",
      R"({"method":"SET_PROPERTY","params":["combined","yes"],"id":2})",
      R"({"method":"GET_PROPERTY","params":[],"id":3})",
      R"({"method":7})",
      R"({"id":4,"method":"userDataStream.subscribe.signature","params":[1,2]})",
      R"({"id":5,"method":"userDataStream.subscribe.signature","params":{"apiKey":5}})",
      R"({"id":6,"method":"userDataStream.unsubscribe","params":{"subscriptionId":"x"}})",
  };
  for (const std::string& message : garbage) {
    stream.handler->on_message(message);
    api.handler->on_message(message);
  }
  for (const std::string& frame : stream.socket->take()) {
    Json reply(frame);
    EXPECT_GT(std::int64_t(reply["code"]), 0) << frame;
  }
  std::size_t replies = 0;
  for (const std::string& frame : api.socket->take()) {
    Json reply(frame);
    ++replies;
    if (frame.find("\"id\":6") == std::string::npos) {  // unsubscribing nothing succeeds
      EXPECT_EQ(std::int64_t(reply["status"]), 400) << frame;
    }
  }
  EXPECT_EQ(replies, garbage.size());
}

TEST(BinanceStreams, UnknownStreamsAndPathsAreRefused) {
  Venue venue;
  EXPECT_EQ(venue.connect("/ws/ethusdt@depth").handler, nullptr);
  EXPECT_EQ(venue.connect("/ws/btcusdt@kline_1m").handler, nullptr);
  EXPECT_EQ(venue.connect("/stream?streams=btcusdt@trade/nope@trade").handler, nullptr);
  EXPECT_EQ(venue.connect("/elsewhere").handler, nullptr);
}

TEST(BinanceStreams, TradeFramesReportTheAggressor) {
  Venue venue;
  venue.steps(100);
  Connection c = venue.connect("/ws/btcusdt@trade");
  const Price bid = venue.front_end().book("BTCUSDT", 1).bids[0].price;
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.001");
  auto frames = c.socket->take();
  ASSERT_GE(frames.size(), 1u);
  Json trade(frames[0]);
  EXPECT_EQ(std::string_view(trade["p"]), bid.to_string());
  EXPECT_EQ(std::string_view(trade["q"]), "0.00100000");
  EXPECT_TRUE(bool(trade["m"]));  // the taker sold: buyer was maker
  EXPECT_EQ(std::int64_t(trade["T"]), venue.now_ms());
}

}  // namespace
}  // namespace troupe::sim
