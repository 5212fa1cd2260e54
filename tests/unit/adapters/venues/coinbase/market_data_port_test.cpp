// CoinbaseMarketDataPort through a fake transport: subscriptions, snapshot and deltas in
// order, sequence gaps across channels, bad frames, disconnects, staleness and venue errors,
// and the §3.8 limits (subscribe messages and connection attempts per second).

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
  void start(std::vector<Instrument> instruments = {testing::btcusd()},
             const std::function<void(MarketDataPortOptions&)>& tweak = {}) {
    MarketDataPortOptions options;
    options.instruments = std::move(instruments);
    options.transport = transport;
    options.clock = &clock;
    options.stale_after_ms = 5000;
    options.snapshot_timeout_ms = 10000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 5000;
    options.seed = 3;
    if (tweak) tweak(options);
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
  EXPECT_EQ(
      transport->last_connection().socket->sent,
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

/// Most entries of `times` within any closed window of `window_ms`.
std::size_t busiest_window(const std::vector<TimestampNs>& times, std::int64_t window_ms) {
  std::size_t most = 0;
  for (TimestampNs start : times) {
    std::size_t count = 0;
    for (TimestampNs t : times) count += (t >= start && t - start <= window_ms * 1'000'000) ? 1 : 0;
    most = std::max(most, count);
  }
  return most;
}

std::string product(std::size_t i) { return "P" + std::to_string(i) + "-USD"; }

TEST_F(CoinbaseMarketDataPortTest, ThirtyProductsResyncingStayWithinEightMessagesPerSecond) {
  std::vector<Instrument> instruments;
  for (std::size_t i = 0; i < 30; ++i) instruments.push_back(testing::make_instrument(product(i)));
  start(instruments);
  transport->open();
  std::uint64_t seq = 1;
  for (std::size_t i = 0; i < 30; ++i) transport->push(testing::l2_snapshot(seq++, product(i)));
  ASSERT_EQ(listener.states().back(), SessionState::Live);
  // A bad frame for every product: 30 unsubscribe + 30 subscribe messages, all at once.
  for (std::size_t i = 0; i < 30; ++i) {
    transport->push(R"({"channel":"l2_data","sequence_num":)" + std::to_string(seq++) +
                    R"(,"events":[{"type":"update","product_id":")" + product(i) +
                    R"(","updates":[{"side":"bid","price_level":"oops","new_quantity":"1"}]}]})");
  }
  const auto& socket = *transport->last_connection().socket;
  EXPECT_LT(socket.sent.size(), 3u + 60u);  // the rest waits for budget
  for (int step = 0; step < 600 && socket.sent.size() < 3u + 60u; ++step) {
    transport->advance(milliseconds(100));
    transport->push(testing::heartbeat(seq++));
  }
  ASSERT_EQ(socket.sent.size(), 3u + 60u);
  EXPECT_LE(busiest_window(socket.sent_at, 1000), 8u);
  for (std::size_t i = 0; i < 30; ++i) {  // in order: each product's unsubscribe, then subscribe
    EXPECT_EQ(socket.sent[3 + 2 * i], R"({"type":"unsubscribe","product_ids":[")" + product(i) +
                                          R"("],"channel":"level2"})");
    EXPECT_EQ(socket.sent[4 + 2 * i],
              R"({"type":"subscribe","product_ids":[")" + product(i) + R"("],"channel":"level2"})");
  }
  // The snapshot timeout counts from the last subscription sent, not from the first queued.
  for (std::size_t i = 0; i < 30; ++i) transport->push(testing::l2_snapshot(seq++, product(i)));
  EXPECT_EQ(listener.states().back(), SessionState::Live);
  EXPECT_EQ(transport->connections.size(), 1u);
}

TEST_F(CoinbaseMarketDataPortTest, QueuedSubscriptionsAreDroppedOnReconnect) {
  std::vector<Instrument> instruments;
  for (std::size_t i = 0; i < 10; ++i) instruments.push_back(testing::make_instrument(product(i)));
  start(instruments);
  transport->open();
  for (std::size_t i = 0; i < 10; ++i) {
    transport->push(R"({"channel":"l2_data","sequence_num":)" + std::to_string(i + 1) +
                    R"(,"events":[{"type":"update","product_id":")" + product(i) +
                    R"(","updates":[{"side":"bid","price_level":"oops","new_quantity":"1"}]}]})");
  }
  transport->close_socket("connection reset");
  transport->advance(milliseconds(5000));
  ASSERT_EQ(transport->connections.size(), 2u);
  EXPECT_EQ(transport->connections[0].socket->sent.size(), 6u);  // the burst only
  transport->open();
  EXPECT_EQ(transport->last_connection().socket->sent.size(), 3u);  // a fresh subscription set
}

TEST_F(CoinbaseMarketDataPortTest, ReconnectsArePacedByTheConnectBudget) {
  start({testing::btcusd()}, [](MarketDataPortOptions& options) {
    options.connect_budget = {.count = 8, .window_ms = 1000, .burst = 4};
    options.reconnect_min_ms = 1;
    options.reconnect_max_ms = 1;
  });
  for (int i = 0; i < 500; ++i) {  // 5 s of refused connections, retried after 1 ms each
    transport->close_socket("connection refused");
    transport->advance(milliseconds(10));
  }
  std::vector<TimestampNs> attempts;
  for (const auto& connection : transport->connections) attempts.push_back(connection.at);
  EXPECT_LE(busiest_window(attempts, 1000), 8u);
  EXPECT_GE(attempts.size(), 4u + 4u * 4u);  // the burst, then 4 per second
}

TEST(CoinbaseMarketDataOptions, ValidateNamesTheOption) {
  MarketDataPortOptions options;
  EXPECT_EQ(validate(options).error(), "coinbase market data: transport is not set");
  SimulatedClock clock;
  options.transport = std::make_shared<venues::testing::FakeTransport>(clock);
  options.clock = &clock;
  options.instruments = {testing::btcusd()};
  EXPECT_TRUE(validate(options));
  options.subscribe_budget.burst = 8;
  EXPECT_EQ(validate(options).error(),
            "coinbase market data: subscribe_budget.burst must be within 1..7 and count at least 2 "
            "(got count 8, burst 8)");
}

}  // namespace
}  // namespace troupe::coinbase
