// KrakenMarketDataPort driven through a fake transport: subscriptions, snapshot and updates in
// order, checksum failure → resync and resubscribe, disconnect → reconnect after backoff.

#include "adapters/venues/kraken/market_data_port.hpp"

#include <gtest/gtest.h>

#include "tests/unit/adapters/venues/common/fake_transport.hpp"
#include "kraken_test_support.hpp"

namespace troupe::kraken {
namespace {

using std::chrono::milliseconds;
using testing::FrameError;
using Listener = testing::RecordingMarketDataListener;

class KrakenMarketDataPortTest : public ::testing::Test {
 protected:
  void start() {
    MarketDataPortOptions options;
    options.instruments = {testing::ethusd()};
    options.transport = transport;
    options.clock = &clock;
    options.depth = 10;
    options.stale_after_ms = 5000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 5000;
    options.seed = 3;
    port = make_market_data_port(std::move(options));
    port->start(listener);
    transport->run_due();
  }

  void go_live() {
    start();
    transport->open();
    transport->push(testing::kEthSnapshot);
    ASSERT_EQ(listener.states().back(), SessionState::Live);
    listener.events.clear();
  }

  const std::vector<std::string>& sent() { return transport->last_connection().socket->sent; }

  SimulatedClock clock{1'717'425'000'000'000'000};
  std::shared_ptr<venues::testing::FakeTransport> transport =
      std::make_shared<venues::testing::FakeTransport>(clock);
  Listener listener;
  std::unique_ptr<MarketDataPort> port;
};

TEST_F(KrakenMarketDataPortTest, ConnectsToV2AndSubscribesBookAndTrade) {
  start();
  ASSERT_EQ(transport->connections.size(), 1u);
  EXPECT_EQ(transport->last_connection().target, "/v2");
  EXPECT_TRUE(sent().empty());  // nothing before the handshake
  transport->open();
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_EQ(sent()[0],
            R"({"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"],"depth":10,"snapshot":true},"req_id":1})");
  EXPECT_EQ(sent()[1],
            R"({"method":"subscribe","params":{"channel":"trade","symbol":["ETH/USD"],"snapshot":false},"req_id":2})");
  EXPECT_EQ(listener.states(),
            (std::vector<SessionState>{SessionState::Connecting, SessionState::Syncing}));
  EXPECT_EQ(listener.all<BookResyncStarted>().at(0).reason, ResyncReason::Startup);
}

TEST_F(KrakenMarketDataPortTest, SnapshotUpdatesAndTradesReachTheListenerInOrder) {
  start();
  transport->open();
  listener.events.clear();
  transport->push(testing::kEthSnapshot);
  transport->push(testing::kEthUpdate);
  transport->push(testing::kEthTrade);
  ASSERT_EQ(listener.events.size(), 4u);
  const auto& snapshot = std::get<BookSnapshot>(listener.events[0]);
  EXPECT_EQ(std::get<testing::StateChange>(listener.events[1]).state, SessionState::Live);
  const auto& deltas = std::get<BookDeltas>(listener.events[2]);
  EXPECT_EQ(deltas.first_sequence, snapshot.sequence + 1);
  EXPECT_EQ(deltas.ts_init, clock.now_ns());
  EXPECT_EQ(std::get<TradeTick>(listener.events[3]).trade_id.value, "4665846");
}

TEST_F(KrakenMarketDataPortTest, ChecksumFailureResyncsAndResubscribesTheSymbol) {
  go_live();
  std::string bad = testing::kEthUpdate;
  bad.replace(bad.find("2170461505"), 10, "1234567890");
  transport->push(bad);
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Checksum);
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);
  const std::size_t before = sent().size();
  EXPECT_EQ(sent().size(), before);  // paced by the per-symbol backoff (100-200 ms at first)
  transport->advance(milliseconds(200));
  ASSERT_EQ(sent().size(), before + 2);
  EXPECT_NE(sent()[before].find(R"("method":"unsubscribe","params":{"channel":"book","symbol":["ETH/USD"])"),
            std::string::npos);
  EXPECT_NE(sent()[before + 1].find(R"("method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"],"depth":10,"snapshot":true})"),
            std::string::npos);
  transport->push(testing::kEthUpdate);  // leftover of the old subscription: dropped
  transport->push(testing::kEthSnapshot);
  EXPECT_EQ(listener.all<BookSnapshot>().size(), 1u);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(KrakenMarketDataPortTest, MalformedBookFrameIsReportedAndResyncsThatBook) {
  go_live();
  transport->push(R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[{"price":"x","qty":1}],"asks":[],"checksum":1}]})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_NE(listener.all<FrameError>()[0].reason.find("kraken book ETH/USD"), std::string::npos);
  EXPECT_EQ(listener.all<BookResyncStarted>().at(0).reason, ResyncReason::MalformedFrame);
}

TEST_F(KrakenMarketDataPortTest, DisconnectReconnectsAfterBackoffAndResubscribes) {
  go_live();
  transport->close_socket("connection reset");
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
  EXPECT_EQ(listener.all<BookResyncStarted>().at(0).reason, ResyncReason::Disconnected);
  EXPECT_EQ(transport->connections.size(), 1u);
  const std::int64_t delay = transport->next_timer_in_ms();
  EXPECT_GE(delay, 100);
  EXPECT_LE(delay, 5000);
  transport->advance(milliseconds(delay));
  ASSERT_EQ(transport->connections.size(), 2u);
  transport->open();
  EXPECT_EQ(sent().size(), 2u);  // book and trade again on the new socket
  transport->push(testing::kEthSnapshot);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(KrakenMarketDataPortTest, HeartbeatsKeepTheStreamAliveAndSilenceReconnects) {
  go_live();
  for (int i = 0; i < 8; ++i) {
    transport->advance(milliseconds(1000));
    transport->push(R"({"channel":"heartbeat"})");
  }
  EXPECT_EQ(listener.states(), std::vector<SessionState>{});
  transport->advance(milliseconds(7500));
  ASSERT_FALSE(listener.states().empty());
  EXPECT_EQ(listener.states().front(), SessionState::Disconnected);
  EXPECT_EQ(listener.all<BookResyncStarted>().at(0).reason, ResyncReason::Stale);
}

TEST_F(KrakenMarketDataPortTest, RefusedBookSubscriptionIsReportedAndReconnects) {
  start();
  transport->open();
  transport->push(R"({"error":"Currency pair not supported","method":"subscribe","req_id":1,"success":false,"symbol":"ETH/USD"})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_NE(listener.all<FrameError>()[0].reason.find("refused: Currency pair not supported"),
            std::string::npos);
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
}

TEST(KrakenMarketDataPortOptions, ValidateNamesTheBadOption) {
  SimulatedClock clock;
  MarketDataPortOptions options;
  options.instruments = {testing::ethusd()};
  options.transport = std::make_shared<venues::testing::FakeTransport>(clock);
  options.clock = &clock;
  EXPECT_TRUE(validate(options));
  options.depth = 20;
  ASSERT_FALSE(validate(options));
  EXPECT_NE(validate(options).error().find("depth"), std::string::npos);
}

}  // namespace
}  // namespace troupe::kraken
