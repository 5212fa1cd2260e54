// Fault injection on the simulated Kraken front end, seen in raw frames by a client that keeps
// its book as §4.2 says.

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/adapters/sim/kraken/kraken_sim_support.hpp"

namespace troupe::sim {
namespace {

using kraken_test::BookItem;
using kraken_test::Client;
using kraken_test::ClientBook;
using kraken_test::Json;
using kraken_test::parse_book;
using kraken_test::Venue;

constexpr const char* kSubscribeBtc =
    R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":1})";

std::uint32_t venue_checksum(Venue& venue) {
  const BookSnapshot top = venue.front_end().book("BTC/USD", 10);
  return kraken::book_checksum(top.asks, top.bids, 1, 8);
}

/// A client subscribed to the BTC/USD book at depth 10, its book applied to the snapshot.
struct Subscriber {
  explicit Subscriber(Venue& v) : venue(v), client(v.connect()), book(v.instrument(0), 10) {
    venue.send(*client, kSubscribeBtc);
    for (const std::string& frame : book_frames())
      EXPECT_TRUE(book.apply(parse_book(frame, venue.instrument(0))));
  }
  /// Book frames received since the last call.
  std::vector<std::string> book_frames() {
    std::vector<std::string> out;
    for (std::string& frame : client->take())
      if (Json(frame).is_channel("book")) out.push_back(std::move(frame));
    return out;
  }
  Venue& venue;
  std::unique_ptr<Client> client;
  ClientBook book;
};

bool log_has(Venue& venue, const std::string& text) {
  const auto log = venue.front_end().fault_log();
  return std::any_of(log.begin(), log.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

/// Steps until the fault log mentions `text` (at most 100 steps); the frames of those steps.
std::vector<std::string> step_until_logged(Subscriber& s, const std::string& text) {
  std::vector<std::string> frames;
  for (int i = 0; i < 100 && !log_has(s.venue, text); ++i) {
    s.venue.steps(1);
    for (std::string& frame : s.book_frames()) frames.push_back(std::move(frame));
  }
  EXPECT_TRUE(log_has(s.venue, text)) << text;
  return frames;
}

/// Steps until at least one book frame arrives (at most 100 steps).
std::vector<std::string> next_book_frames(Subscriber& s) {
  for (int i = 0; i < 100; ++i) {
    s.venue.steps(1);
    auto frames = s.book_frames();
    if (!frames.empty()) return frames;
  }
  ADD_FAILURE() << "no book frame in 100 steps";
  return {};
}

TEST(KrakenSimFaults, ListsEveryKindAndRefusesWhatItCannotDo) {
  Venue venue;
  VenueFrontEnd& front_end = venue.front_end();
  EXPECT_EQ(front_end.venue(), "kraken");
  EXPECT_EQ(front_end.supported_faults().size(), 8u);
  for (FaultKind kind : {FaultKind::Drop, FaultKind::Duplicate, FaultKind::Reorder,
                         FaultKind::CorruptChecksum, FaultKind::Malformed}) {
    const FaultReport report = front_end.inject({kind, "XBT/USD", 0});
    EXPECT_FALSE(report.done);
    EXPECT_NE(report.description.find("unknown symbol 'XBT/USD'"), std::string::npos);
  }
  EXPECT_FALSE(front_end.inject({FaultKind::Stall, "", 0}).done);
  EXPECT_FALSE(front_end.inject({FaultKind::Throttle, "", -5}).done);
  EXPECT_FALSE(front_end.inject({FaultKind::Malformed, "BTC/USD", 0}).done);  // no subscriber
  EXPECT_TRUE(front_end.inject({FaultKind::Drop, "BTC/USD", 0}).done);
  EXPECT_FALSE(front_end.inject({FaultKind::Drop, "BTC/USD", 0}).done);  // already pending
  EXPECT_EQ(front_end.fault_log().size(), 1u);
  EXPECT_EQ(venue.front_end().counters().faults_injected, 1u);
}

TEST(KrakenSimFaults, DropWithholdsTheNextUpdateSoTheFollowingOneFailsItsChecksum) {
  Venue venue;
  venue.steps(2);
  Subscriber s(venue);
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Drop, "BTC/USD", 0}).done);
  EXPECT_TRUE(step_until_logged(s, "withheld book update of BTC/USD (depth 10)").empty());
  const auto frames = next_book_frames(s);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(s.book.apply(parse_book(frames[0], venue.instrument(0))));
}

TEST(KrakenSimFaults, CorruptChecksumSendsTheRightLevelsWithAWrongChecksum) {
  Venue venue;
  venue.steps(2);
  Subscriber s(venue);
  ASSERT_TRUE(venue.front_end().inject({FaultKind::CorruptChecksum, "BTC/USD", 0}).done);
  const auto frames = step_until_logged(s, "with checksum");
  ASSERT_EQ(frames.size(), 1u);
  const BookItem item = parse_book(frames[0], venue.instrument(0));
  EXPECT_FALSE(s.book.apply(item));
  EXPECT_EQ(item.checksum, ~venue_checksum(venue));
  const BookSnapshot top = venue.front_end().book("BTC/USD", 10);
  EXPECT_EQ(s.book.bids(), top.bids);  // only the checksum was wrong
  EXPECT_EQ(s.book.asks(), top.asks);
  const auto next = next_book_frames(s);  // one-shot: the next one is right again
  EXPECT_TRUE(s.book.apply(parse_book(next.at(0), venue.instrument(0))));
}

TEST(KrakenSimFaults, DuplicateSendsTheNextUpdateTwiceWhichLeavesTheBookRight) {
  Venue venue;
  venue.steps(2);
  Subscriber s(venue);
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Duplicate, "BTC/USD", 0}).done);
  const auto frames = step_until_logged(s, "sent book update of BTC/USD (depth 10) twice");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], frames[1]);
  // Absolute quantities: applying an update twice is harmless, and undetectable.
  EXPECT_TRUE(s.book.apply(parse_book(frames[0], venue.instrument(0))));
  EXPECT_TRUE(s.book.apply(parse_book(frames[1], venue.instrument(0))));
  EXPECT_EQ(s.book.bids(), venue.front_end().book("BTC/USD", 10).bids);
}

TEST(KrakenSimFaults, ReorderSendsTheNextTwoUpdatesSwapped) {
  Venue venue;
  venue.steps(2);
  Subscriber s(venue);
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Reorder, "BTC/USD", 0}).done);
  EXPECT_TRUE(step_until_logged(s, "held book update").empty());
  const std::uint32_t held_checksum = venue_checksum(venue);
  const auto frames = step_until_logged(s, "sent the held");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(parse_book(frames[0], venue.instrument(0)).checksum, venue_checksum(venue));
  EXPECT_EQ(parse_book(frames[1], venue.instrument(0)).checksum, held_checksum);
}

TEST(KrakenSimFaults, MalformedGoesOnlyToTheSymbolsSubscribers) {
  Venue venue;
  Subscriber s(venue);
  auto trades = venue.connect();
  venue.send(
      *trades,
      R"({"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD"],"snapshot":false},"req_id":2})");
  auto other = venue.connect();
  venue.send(
      *other,
      R"({"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"]},"req_id":3})");
  trades->take();
  other->take();
  const FaultReport report = venue.front_end().inject({FaultKind::Malformed, "BTC/USD", 0});
  ASSERT_TRUE(report.done);
  EXPECT_NE(report.description.find("2 socket(s)"), std::string::npos) << report.description;
  venue.transport().run_pending();
  for (Client* client : {s.client.get(), trades.get()}) {
    ASSERT_EQ(client->frames.size(), 1u);
    EXPECT_FALSE(Json(client->frames[0]).ok());
  }
  EXPECT_TRUE(other->frames.empty());
}

TEST(KrakenSimFaults, StallDropsEveryMarketFrameForItsDurationButKeepsTheSocket) {
  Venue venue(kraken_test::kraken_config(7, true));
  Subscriber s(venue);
  auto idle = venue.connect();
  venue.send(
      *idle,
      R"({"method":"subscribe","params":{"channel":"trade","symbol":["IDLE/USD"],"snapshot":false},"req_id":2})");
  idle->take();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Stall, "", 2000}).done);
  venue.steps(39);  // 1950 ms: no book update, no heartbeat
  EXPECT_TRUE(s.client->take().empty());
  EXPECT_TRUE(idle->take().empty());
  EXPECT_FALSE(s.client->closed);
  EXPECT_GT(venue.front_end().counters().stalled_frames, 39u);
  // Requests are still answered; their snapshots are market data and get lost.
  venue.send(*idle, R"({"method":"ping","req_id":5})");
  EXPECT_EQ(Json(idle->take().at(0)).str("method"), "pong");
  auto late = venue.connect();
  late->take();
  venue.send(
      *late,
      R"({"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"]},"req_id":6})");
  auto frames = late->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(Json(frames[0]).str("method"), "subscribe");
  venue.steps(2);  // past the stall: frames flow again, and the lost updates show
  frames = s.book_frames();
  ASSERT_FALSE(frames.empty());
  EXPECT_FALSE(s.book.apply(parse_book(frames[0], venue.instrument(0))));
  frames = idle->take();
  EXPECT_NE(std::find(frames.begin(), frames.end(), R"({"channel":"heartbeat"})"), frames.end());
}

TEST(KrakenSimFaults, DisconnectClosesEverySocketAndClientsCanComeBack) {
  Venue venue;
  Subscriber s(venue);
  auto other = venue.connect();
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Disconnect, "", 0}).done);
  venue.transport().run_pending();
  EXPECT_TRUE(s.client->closed);
  EXPECT_TRUE(other->closed);
  EXPECT_NE(venue.front_end().fault_log().back().find("closed 2 WebSocket(s)"), std::string::npos);
  venue.steps(3);  // no frames for closed sockets, no crash
  Subscriber again(venue);
  venue.steps(2);
  EXPECT_FALSE(again.book_frames().empty());
}

TEST(KrakenSimFaults, ThrottleRefusesSubscribesWithExceededMsgRateForItsDuration) {
  Venue venue;
  Subscriber s(venue);
  ASSERT_TRUE(venue.front_end().inject({FaultKind::Throttle, "", 500}).done);
  auto client = venue.connect();
  ASSERT_TRUE(client->opened);  // connections are still accepted
  client->take();
  venue.send(
      *client,
      R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"]},"req_id":4})");
  auto frames = client->take();
  ASSERT_EQ(frames.size(), 2u);  // one refusal per pair
  for (const std::string& frame : frames) {
    Json reply(frame);
    EXPECT_FALSE(bool(reply["success"]));
    EXPECT_EQ(reply.str("error"), "Exceeded msg rate");
    EXPECT_EQ(std::int64_t(reply["req_id"]), 4);
  }
  net::HttpRequest rest;
  rest.target = "/0/public/Time";
  EXPECT_EQ(venue.front_end().handle(rest).status, 429);
  venue.steps(2);
  EXPECT_FALSE(s.book_frames().empty());  // existing subscriptions keep streaming
  venue.send(*client, R"({"method":"ping","req_id":5})");
  EXPECT_EQ(Json(client->take().at(0)).str("method"), "pong");
  venue.steps(9);  // 550 ms after the injection
  venue.send(
      *client,
      R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"]},"req_id":6})");
  frames = client->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(bool(Json(frames[0])["success"]));
}

}  // namespace
}  // namespace troupe::sim
