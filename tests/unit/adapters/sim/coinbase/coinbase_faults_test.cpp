// Fault injection of the simulated Coinbase front end, as a raw client sees it on the wire.

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/adapters/sim/coinbase/coinbase_sim_support.hpp"

namespace troupe::sim::coinbase_test {
namespace {

struct Frame {
  bool ok = false;
  std::int64_t sequence = -1;
  std::string channel;
  std::string text;
};

std::vector<Frame> parse(const std::vector<std::string>& texts) {
  std::vector<Frame> out;
  for (const std::string& text : texts) {
    Json message(text);
    out.push_back({message.ok(), message.ok() ? message.sequence() : -1,
                   message.ok() ? message.text("channel") : "", text});
  }
  return out;
}

/// A one-product venue with a client subscribed to level2 (and optionally heartbeats); the
/// subscription frames are consumed.
struct Fixture {
  explicit Fixture(bool heartbeats = false) : venue(config(1)) {
    client = venue.connect();
    venue.send(*client, subscribe("level2", R"("BTC-USD")"));
    if (heartbeats) venue.send(*client, subscribe("heartbeats", ""));
    venue.steps(3);
    const auto frames = parse(client->take());
    last_sequence = frames.back().sequence;
  }

  FaultReport inject(FaultKind kind, std::int64_t duration_ms = 0) {
    return venue.front_end().inject(FaultSpec{kind, "BTC-USD", duration_ms});
  }

  /// Steps until the fault log has `entries` entries (at most 50 steps), then `extra` more.
  std::vector<Frame> step_until_logged(std::size_t entries, int extra) {
    for (int i = 0; i < 50 && venue.front_end().fault_log().size() < entries; ++i) venue.steps(1);
    EXPECT_EQ(venue.front_end().fault_log().size(), entries);
    venue.steps(extra);
    return parse(client->take());
  }

  Venue venue;
  std::unique_ptr<RawClient> client;
  std::int64_t last_sequence = -1;
};

TEST(CoinbaseFaults, DropWithholdsOneUpdateSoSequenceNumSkipsOneValue) {
  Fixture f;
  const FaultReport report = f.inject(FaultKind::Drop);
  ASSERT_TRUE(report.done) << report.description;
  const auto frames = f.step_until_logged(2, 3);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.front().sequence, f.last_sequence + 2) << "exactly one value skipped";
  for (std::size_t i = 1; i < frames.size(); ++i)
    EXPECT_EQ(frames[i].sequence, frames[i - 1].sequence + 1);
  EXPECT_NE(f.venue.front_end().fault_log().back().find("drop carried out for BTC-USD"),
            std::string::npos);
}

TEST(CoinbaseFaults, DuplicateSendsTheSameUpdateTwiceWithTheSameSequenceNum) {
  Fixture f;
  ASSERT_TRUE(f.inject(FaultKind::Duplicate).done);
  const auto frames = f.step_until_logged(2, 2);
  int repeats = 0;
  for (std::size_t i = 1; i < frames.size(); ++i) {
    if (frames[i].sequence == frames[i - 1].sequence) {
      ++repeats;
      EXPECT_EQ(frames[i].text, frames[i - 1].text);
    } else {
      EXPECT_EQ(frames[i].sequence, frames[i - 1].sequence + 1);
    }
  }
  EXPECT_EQ(repeats, 1);
  EXPECT_EQ(frames.front().sequence, f.last_sequence + 1);
}

TEST(CoinbaseFaults, ReorderSwapsTheNextTwoUpdatesKeepingTheirSequenceNums) {
  Fixture f;
  ASSERT_TRUE(f.inject(FaultKind::Reorder).done);
  // Armed, held (first update), released with the second one.
  const auto frames = f.step_until_logged(3, 0);
  ASSERT_GE(frames.size(), 2u);
  const auto& second = frames[frames.size() - 2];
  const auto& first = frames.back();
  EXPECT_EQ(first.sequence, f.last_sequence + 1);
  EXPECT_EQ(second.sequence, f.last_sequence + 2);
  EXPECT_EQ(first.channel, "l2_data");
  EXPECT_EQ(second.channel, "l2_data");
}

TEST(CoinbaseFaults, MalformedSendsOneInvalidFrameThatUsesASequenceNum) {
  Fixture f;
  ASSERT_TRUE(f.inject(FaultKind::Malformed).done);
  f.venue.drain();
  f.venue.steps(3);
  const auto frames = parse(f.client->take());
  ASSERT_GE(frames.size(), 2u);
  EXPECT_FALSE(frames[0].ok) << frames[0].text;
  EXPECT_EQ(frames[1].sequence, f.last_sequence + 2);
  for (std::size_t i = 1; i < frames.size(); ++i) EXPECT_TRUE(frames[i].ok);
}

TEST(CoinbaseFaults, StallHoldsEveryFrameForItsDurationThenDeliversThemInOrder) {
  Fixture f(true);
  ASSERT_TRUE(f.inject(FaultKind::Stall, 2000).done);
  f.venue.steps(19);  // 1.9 s of venue time
  EXPECT_TRUE(f.client->frames.empty());
  EXPECT_FALSE(f.client->closed);
  f.venue.steps(1);
  const auto frames = parse(f.client->take());
  ASSERT_GT(frames.size(), 10u);
  std::int64_t expected = f.last_sequence + 1;
  bool heartbeat = false;
  for (const Frame& frame : frames) {
    EXPECT_EQ(frame.sequence, expected++);
    heartbeat = heartbeat || frame.channel == "heartbeats";
  }
  EXPECT_TRUE(heartbeat);
}

TEST(CoinbaseFaults, DisconnectClosesEveryMarketDataSocket) {
  Fixture f;
  auto other = f.venue.connect();
  ASSERT_EQ(f.venue.front_end().connection_count(), 2u);
  ASSERT_TRUE(f.inject(FaultKind::Disconnect).done);
  f.venue.drain();
  EXPECT_TRUE(f.client->closed);
  EXPECT_TRUE(other->closed);
  EXPECT_EQ(f.venue.front_end().connection_count(), 0u);
}

TEST(CoinbaseFaults, ThrottleAnswersSubscribesWithTheRateLimitErrorAndRefusesConnections) {
  Fixture f;
  ASSERT_TRUE(f.inject(FaultKind::Throttle, 1000).done);
  f.client->take();
  f.venue.send(*f.client, subscribe("heartbeats", ""));
  auto frames = f.client->take();
  ASSERT_EQ(frames.size(), 1u);
  Json error(frames[0]);
  EXPECT_EQ(error.text("type"), "error");
  EXPECT_EQ(error.text("message"), CoinbaseFrontEnd::kRateLimitMessage);
  auto refused = f.venue.connect();
  EXPECT_FALSE(refused->opened);
  EXPECT_TRUE(refused->closed);
  f.venue.steps(10);
  auto accepted = f.venue.connect();
  EXPECT_TRUE(accepted->opened);
  f.venue.send(*accepted, subscribe("heartbeats", ""));
  EXPECT_EQ(Json(accepted->take().at(0)).text("channel"), "subscriptions");
}

TEST(CoinbaseFaults, CorruptChecksumIsNotSupportedAndUnknownProductsAreRefused) {
  Fixture f;
  const auto kinds = f.venue.front_end().supported_faults();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), FaultKind::CorruptChecksum), 0);
  EXPECT_EQ(kinds.size(), 7u);
  const FaultReport checksum = f.inject(FaultKind::CorruptChecksum);
  EXPECT_FALSE(checksum.done);
  EXPECT_NE(checksum.description.find("checksum"), std::string::npos);
  EXPECT_FALSE(f.venue.front_end().inject({FaultKind::Drop, "DOGE-USD", 0}).done);
  EXPECT_FALSE(f.inject(FaultKind::Stall, 0).done);
  EXPECT_TRUE(f.venue.front_end().fault_log().empty());
}

}  // namespace
}  // namespace troupe::sim::coinbase_test
