// CoinbaseMarketDataPort through a fake transport: subscriptions, snapshot and deltas in
// order, sequence gaps across channels, bad frames, disconnects, staleness and venue errors.

#include "adapters/venues/coinbase/market_data_port.hpp"

#include <gtest/gtest.h>

#include "coinbase_test_support.hpp"
#include "tests/unit/adapters/venues/common/fake_transport.hpp"

namespace troupe::coinbase {
namespace {

using std::chrono::milliseconds;
using testing::FrameError;
using Listener = testing::RecordingMarketDataListener;

class CoinbaseMarketDataPortTest : public ::testing::Test {
 protected:
  void start(std::vector<Instrument> instruments = {testing::btcusd()}) {
    MarketDataPortOptions options;
    options.instruments = std::move(instruments);
    options.transport = transport;
    options.clock = &clock;
    options.stale_after_ms = 5000;
    options.snapshot_timeout_ms = 10000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 5000;
    options.seed = 3;
    port = make_market_data_port(std::move(options));
    port->start(listener);
    transport->run_due();
  }

  /// Connects, delivers the BTC-USD snapshot at sequence_num 1 and checks the port went live.
  void go_live() {
    start();
    transport->open();
    transport->push(testing::l2_snapshot(1));
    ASSERT_EQ(listener.states().back(), SessionState::Live);
    listener.events.clear();
    transport->last_connection().socket->sent.clear();
  }

  SimulatedClock clock{1'717'425'000'000'000'000};
  std::shared_ptr<venues::testing::FakeTransport> transport =
      std::make_shared<venues::testing::FakeTransport>(clock);
  Listener listener;
  std::unique_ptr<MarketDataPort> port;
};

TEST_F(CoinbaseMarketDataPortTest, SubscribesOneChannelPerMessageOnOpen) {
  start({testing::btcusd(), testing::ethusd()});
  ASSERT_EQ(transport->connections.size(), 1u);
  EXPECT_EQ(transport->last_connection().target, "/");
  transport->open();
  EXPECT_EQ(transport->last_connection().socket->sent,
            (std::vector<std::string>{
                R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})",
                R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"market_trades"})",
                R"({"type":"subscribe","channel":"heartbeats"})"}));
  EXPECT_EQ(listener.states(),
            (std::vector<SessionState>{SessionState::Connecting, SessionState::Syncing}));
  EXPECT_EQ(listener.all<BookResyncStarted>().size(), 2u);
  transport->push(testing::l2_snapshot(1));
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);  // ETH-USD still missing
  transport->push(testing::l2_snapshot(2, "ETH-USD"));
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(CoinbaseMarketDataPortTest, SnapshotUpdatesAndTradesReachTheListenerInOrder) {
  start();
  transport->open();
  listener.events.clear();
  transport->push(testing::trades(1, "snapshot"));  // history: not forwarded by default
  transport->push(testing::l2_snapshot(2));
  transport->push(testing::l2_update(3));
  transport->push(testing::heartbeat(4));
  transport->push(testing::trades(5));
  transport->push(testing::l2_update(6));
  ASSERT_EQ(listener.events.size(), 5u);
  const auto snapshot = std::get<BookSnapshot>(listener.events[0]);
  EXPECT_EQ(snapshot.bids.size(), 2u);
  EXPECT_EQ(std::get<testing::StateChange>(listener.events[1]).state, SessionState::Live);
  const auto first = std::get<BookDeltas>(listener.events[2]);
  EXPECT_EQ(first.first_sequence, snapshot.sequence + 1);
  EXPECT_EQ(std::get<TradeTick>(listener.events[3]).aggressor, Side::Buy);
  EXPECT_EQ(std::get<BookDeltas>(listener.events[4]).first_sequence, first.last_sequence + 1);
}

TEST_F(CoinbaseMarketDataPortTest, AGapOnAnyChannelResyncsEveryBookByResubscribingLevel2) {
  go_live();
  transport->push(testing::heartbeat(2));
  transport->push(testing::heartbeat(5));  // 3 and 4 lost: maybe level2 data
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Gap);
  EXPECT_EQ(resyncs[0].detail, "coinbase: expected sequence_num=3, got 5");
  EXPECT_EQ(transport->last_connection().socket->sent,
            (std::vector<std::string>{
                R"({"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"})",
                R"({"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"})"}));
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);
  transport->push(testing::l2_update(6));  // in flight from the old subscription: dropped
  EXPECT_TRUE(listener.all<BookDeltas>().empty());
  transport->push(testing::l2_snapshot(7));
  EXPECT_EQ(listener.all<BookSnapshot>().size(), 1u);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(CoinbaseMarketDataPortTest, DuplicatesAndOlderSequenceNumbersAreDropped) {
  go_live();
  transport->push(testing::l2_update(2));
  transport->push(testing::l2_update(2));
  transport->push(testing::l2_update(1));
  EXPECT_EQ(listener.all<BookDeltas>().size(), 1u);
  EXPECT_TRUE(listener.all<BookResyncStarted>().empty());
}

TEST_F(CoinbaseMarketDataPortTest, AMalformedLevel2FrameResyncsThatBook) {
  go_live();
  transport->push(
      R"({"channel":"l2_data","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD",)"
      R"("updates":[{"side":"bid","price_level":"oops","new_quantity":"1"}]}]})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::MalformedFrame);
  EXPECT_EQ(transport->last_connection().socket->sent.size(), 2u);  // unsubscribe + subscribe
  transport->push(testing::heartbeat(3));  // the bad frame's sequence_num still counted
  EXPECT_EQ(listener.all<BookResyncStarted>().size(), 1u);
}

TEST_F(CoinbaseMarketDataPortTest, ReconnectsAfterBackoffAndResubscribes) {
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
  EXPECT_EQ(transport->last_connection().socket->sent.size(), 3u);
  transport->push(testing::l2_snapshot(0));  // a new connection restarts the counter
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(CoinbaseMarketDataPortTest, HeartbeatsKeepTheStreamAliveAndSilenceResyncs) {
  go_live();
  for (std::uint64_t seq = 2; seq < 12; ++seq) {
    transport->advance(milliseconds(1000));
    transport->push(testing::heartbeat(seq));
  }
  EXPECT_TRUE(listener.all<BookResyncStarted>().empty());
  transport->advance(milliseconds(6000));
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Stale);
  EXPECT_TRUE(transport->connections.front().socket->close_requested);
  transport->advance(milliseconds(5000));
  EXPECT_EQ(transport->connections.size(), 2u);
}

TEST_F(CoinbaseMarketDataPortTest, AMissingSnapshotAfterResubscribeReconnects) {
  go_live();
  transport->push(testing::heartbeat(9));  // gap → resubscribe
  for (int i = 0; i < 10; ++i) {
    transport->advance(milliseconds(1000));
    transport->push(testing::heartbeat(10 + static_cast<std::uint64_t>(i)));
  }
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
}

TEST_F(CoinbaseMarketDataPortTest, AVenueErrorMessageIsReportedAndReconnects) {
  go_live();
  transport->push(R"({"type":"error","message":"failure to subscribe"})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(listener.all<FrameError>()[0].reason, "coinbase error message: failure to subscribe");
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
}

TEST_F(CoinbaseMarketDataPortTest, StopShutsTheTransportDown) {
  go_live();
  port->stop();
  EXPECT_TRUE(transport->shut_down);
}

TEST(CoinbaseMarketDataOptions, ValidateNamesTheOption) {
  MarketDataPortOptions options;
  EXPECT_EQ(validate(options).error(), "coinbase market data: transport is not set");
}

}  // namespace
}  // namespace troupe::coinbase
