#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/adapters/sim/front_end_support.hpp"

namespace troupe::sim {
namespace {

using test::Connection;
using test::Json;
using test::Venue;

std::pair<std::uint64_t, std::uint64_t> range(const std::string& frame) {
  Json j(frame);
  return {std::uint64_t(j["U"]), std::uint64_t(j["u"])};
}

TEST(BinanceFaults, GapWithholdsTheNextDepthEvent) {
  Venue venue;
  Connection c = venue.connect("/ws/btcusdt@depth@100ms");
  venue.steps(5);
  const auto before = range(c.socket->take().back());
  const FaultReport report = venue.front_end().inject_gap("BTCUSDT");
  EXPECT_TRUE(report.done);
  venue.steps(2);
  auto frames = c.socket->take();
  ASSERT_EQ(frames.size(), 1u);  // one of the two steps' events was withheld
  const auto after = range(frames[0]);
  EXPECT_GT(after.first, before.second + 1);
  auto log = venue.front_end().fault_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[1].find("withheld depthUpdate U=" + std::to_string(before.second + 1)),
            std::string::npos)
      << log[1];
  venue.steps(1);
  EXPECT_EQ(range(c.socket->take().at(0)).first, after.second + 1);  // contiguous again
}

TEST(BinanceFaults, MalformedFrameIsInvalidJsonOnTheSymbolsDepthStreams) {
  Venue venue;
  Connection depth = venue.connect("/ws/btcusdt@depth@100ms");
  Connection trades = venue.connect("/ws/btcusdt@trade");
  const FaultReport report = venue.front_end().inject_malformed_frame("BTCUSDT");
  EXPECT_TRUE(report.done) << report.description;
  auto frames = depth.socket->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(test::parses(frames[0]));
  EXPECT_TRUE(trades.socket->take().empty());
  EXPECT_FALSE(venue.front_end().inject_malformed_frame("NOPE").done);
}

TEST(BinanceFaults, OutOfSequenceResendsAnOlderDepthEvent) {
  Venue venue;
  Connection c = venue.connect("/ws/btcusdt@depth@100ms");
  EXPECT_FALSE(venue.front_end().inject_out_of_sequence("BTCUSDT").done);  // nothing sent yet
  venue.steps(3);
  auto sent = c.socket->take();
  const FaultReport report = venue.front_end().inject_out_of_sequence("BTCUSDT");
  EXPECT_TRUE(report.done);
  auto frames = c.socket->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], sent[1]);  // the one before the latest
  EXPECT_LT(range(frames[0]).second, range(sent[2]).second);
}

TEST(BinanceFaults, DisconnectClosesMarketDataSocketsButNotTheUserStream) {
  Venue venue;
  Connection depth = venue.connect("/ws/btcusdt@depth@100ms");
  Connection combined = venue.connect("/stream?streams=btcusdt@trade");
  Connection user = venue.user_stream();
  const FaultReport report = venue.front_end().disconnect_streams();
  EXPECT_TRUE(report.done);
  EXPECT_NE(report.description.find("closed 2"), std::string::npos) << report.description;
  EXPECT_TRUE(depth.socket->closed());
  EXPECT_TRUE(combined.socket->closed());
  EXPECT_FALSE(user.socket->closed());
  venue.steps(5);
  EXPECT_TRUE(depth.socket->take().empty());
  venue.signed_request(
      "POST", "/api/v3/order",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000");
  EXPECT_EQ(user.socket->take().size(), 2u);
}

}  // namespace
}  // namespace troupe::sim

namespace troupe::sim {
namespace {

using test::Connection;
using test::Json;
using test::Venue;

std::pair<std::uint64_t, std::uint64_t> update_range(const std::string& frame) {
  Json j(frame);
  return {std::uint64_t(j["U"]), std::uint64_t(j["u"])};
}

// net::find_header lives in troupe_net, which this test does not link.
const std::string* header(const net::HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return &value;
  return nullptr;
}

constexpr FaultKind kAllKinds[] = {
    FaultKind::Drop,      FaultKind::Duplicate, FaultKind::Reorder,    FaultKind::CorruptChecksum,
    FaultKind::Malformed, FaultKind::Stall,     FaultKind::Disconnect, FaultKind::Throttle};

TEST(FaultKindNames, RoundTripThroughToStringAndParse) {
  for (FaultKind kind : kAllKinds) {
    auto parsed = parse_fault_kind(to_string(kind));
    ASSERT_TRUE(parsed.has_value()) << to_string(kind);
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_EQ(to_string(FaultKind::CorruptChecksum), "corrupt_checksum");
  EXPECT_FALSE(parse_fault_kind("Drop").has_value());
  EXPECT_FALSE(parse_fault_kind("").has_value());
}

TEST(BinanceVenueFrontEnd, NamesItselfAndListsEveryKindButCorruptChecksum) {
  Venue venue;
  VenueFrontEnd& front_end = venue.front_end();
  EXPECT_EQ(front_end.venue(), "binance");
  const auto kinds = front_end.supported_faults();
  EXPECT_EQ(kinds.size(), 7u);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), FaultKind::CorruptChecksum), 0);
  const FaultReport report = front_end.inject({FaultKind::CorruptChecksum, "BTCUSDT", 0});
  EXPECT_FALSE(report.done);
  EXPECT_NE(report.description.find("no checksum"), std::string::npos) << report.description;
  EXPECT_TRUE(front_end.fault_log().empty());
}

TEST(BinanceVenueFrontEnd, DropIsAGapInTheUpdateIds) {
  Venue venue;
  VenueFrontEnd& front_end = venue.front_end();
  Connection c = venue.connect("/ws/btcusdt@depth@100ms");
  venue.steps(3);
  const auto before = update_range(c.socket->take().back());
  ASSERT_TRUE(front_end.inject({FaultKind::Drop, "BTCUSDT", 0}).done);
  venue.steps(2);
  auto frames = c.socket->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_GT(update_range(frames[0]).first, before.second + 1);
  EXPECT_FALSE(front_end.inject({FaultKind::Drop, "NOPE", 0}).done);
}

TEST(BinanceVenueFrontEnd, DuplicateSendsTheNextFastEventTwice) {
  Venue venue;
  Connection fast = venue.connect("/ws/btcusdt@depth@100ms");
  venue.steps(3);
  const auto before = update_range(fast.socket->take().back());
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Duplicate, "BTCUSDT", 0}).done);
  venue.steps(1);
  auto frames = fast.socket->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], frames[1]);
  EXPECT_EQ(update_range(frames[0]).first, before.second + 1);
  venue.steps(1);
  frames = fast.socket->take();
  ASSERT_EQ(frames.size(), 1u);  // one-shot
  EXPECT_NE(venue.front_end().fault_log().back().find("twice"), std::string::npos);
}

TEST(BinanceVenueFrontEnd, ReorderSwapsTheNextTwoFastEvents) {
  Venue venue;
  Connection fast = venue.connect("/ws/btcusdt@depth@100ms");
  venue.steps(3);
  const auto before = update_range(fast.socket->take().back());
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Reorder, "BTCUSDT", 0}).done);
  EXPECT_FALSE(venue.front_end().inject({FaultKind::Reorder, "BTCUSDT", 0}).done);  // pending
  venue.steps(1);
  EXPECT_TRUE(fast.socket->take().empty());  // the first one is held
  venue.steps(1);
  auto frames = fast.socket->take();
  ASSERT_EQ(frames.size(), 2u);
  const auto later = update_range(frames[0]);
  const auto earlier = update_range(frames[1]);
  EXPECT_EQ(earlier.first, before.second + 1);
  EXPECT_EQ(later.first, earlier.second + 1);  // contiguous, but sent in swapped order
  venue.steps(1);
  frames = fast.socket->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(update_range(frames[0]).first, later.second + 1);
}

TEST(BinanceVenueFrontEnd, StallDropsMarketDataForItsDurationAndKeepsSocketsOpen) {
  Venue venue;
  Connection depth = venue.connect("/ws/btcusdt@depth@100ms");
  Connection trades = venue.connect("/ws/btcusdt@trade");
  Connection user = venue.user_stream();
  venue.steps(2);
  const auto before = update_range(depth.socket->take().back());
  trades.socket->take();
  const FaultReport report = venue.front_end().inject({FaultKind::Stall, "", 500});
  ASSERT_TRUE(report.done) << report.description;
  EXPECT_FALSE(venue.front_end().inject({FaultKind::Stall, "", 0}).done);
  EXPECT_TRUE(venue.front_end().inject_malformed_frame("BTCUSDT").done);
  EXPECT_TRUE(depth.socket->take().empty());  // the malformed frame is swallowed too
  venue.steps(9);                             // 450 ms: still stalled
  EXPECT_TRUE(depth.socket->take().empty());
  EXPECT_TRUE(trades.socket->take().empty());
  EXPECT_FALSE(depth.socket->closed());
  // The user data stream is not market data: it keeps flowing.
  venue.signed_request(
      "POST", "/api/v3/order",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000");
  EXPECT_EQ(user.socket->take().size(), 2u);
  venue.steps(3);  // past 500 ms: the feed resumes, after a gap
  auto frames = depth.socket->take();
  ASSERT_FALSE(frames.empty());
  EXPECT_GT(update_range(frames[0]).first, before.second + 1);
}

TEST(BinanceVenueFrontEnd, ThrottleAnswers429WithRetryAfterAndRefusesNewStreams) {
  Venue venue;
  Connection existing = venue.connect("/ws/btcusdt@depth@100ms");
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Throttle, "", 2000}).done);
  net::HttpResponse response = venue.get("/api/v3/depth?symbol=BTCUSDT");
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(std::int64_t(Json(response.body)["code"]), -1003);
  const std::string* retry_after = header(response, "Retry-After");
  ASSERT_NE(retry_after, nullptr);
  EXPECT_EQ(*retry_after, "2");
  response = venue.signed_request("GET", "/api/v3/account", "");
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(venue.connect("/ws/btcusdt@trade").handler, nullptr);
  EXPECT_NE(venue.connect("/ws-api/v3").handler, nullptr);  // not market data
  venue.steps(2);
  EXPECT_FALSE(existing.socket->take().empty());  // open sockets keep streaming
  // The control route is exempt, so a test can still steer the venue.
  net::HttpRequest control;
  control.method = "POST";
  control.target = "/sim/control/inject?kind=drop&symbol=BTCUSDT";
  EXPECT_EQ(venue.front_end().handle(control).status, 200);
  venue.steps(1);
  EXPECT_EQ(*header(venue.get("/api/v3/ping"), "Retry-After"), "2");
  venue.steps(38);  // 2050 ms after the injection
  EXPECT_EQ(venue.get("/api/v3/ping").status, 200);
  EXPECT_NE(venue.connect("/ws/btcusdt@trade").handler, nullptr);
}

TEST(BinanceVenueFrontEnd, ControlRouteInjectsAnyKindByName) {
  Venue venue;
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/sim/control/inject?kind=stall&duration_ms=100";
  net::HttpResponse response = venue.front_end().handle(request);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(bool(Json(response.body)["done"]));
  request.target = "/sim/control/inject?kind=corrupt_checksum&symbol=BTCUSDT";
  EXPECT_FALSE(bool(Json(venue.front_end().handle(request).body)["done"]));
  request.target = "/sim/control/inject?kind=explode";
  EXPECT_EQ(venue.front_end().handle(request).status, 400);
  EXPECT_EQ(venue.front_end().fault_log().size(), 1u);
}

TEST(BinanceVenueFrontEnd, DisconnectAndMalformedGoThroughInject) {
  Venue venue;
  Connection depth = venue.connect("/ws/btcusdt@depth@100ms");
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Malformed, "BTCUSDT", 0}).done);
  auto frames = depth.socket->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(test::parses(frames[0]));
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Disconnect, "", 0}).done);
  EXPECT_TRUE(depth.socket->closed());
  EXPECT_EQ(venue.front_end().counters().faults_injected, 2u);
}

}  // namespace
}  // namespace troupe::sim
