#include <gtest/gtest.h>

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
