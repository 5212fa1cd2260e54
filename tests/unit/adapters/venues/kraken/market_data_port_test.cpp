// KrakenMarketDataPort driven through a fake transport: subscriptions, snapshot and updates in
// order, checksum failure → resync and resubscribe, disconnect → reconnect after backoff,
// snapshot timeouts, "Exceeded msg rate" and the subscribe message budget (§4.5).

#include "adapters/venues/kraken/market_data_port.hpp"

#include <gtest/gtest.h>

#include "kraken_test_support.hpp"
#include "tests/unit/adapters/venues/common/fake_transport.hpp"

namespace troupe::kraken {
namespace {

using std::chrono::milliseconds;
using testing::FrameError;
using Listener = testing::RecordingMarketDataListener;

class KrakenMarketDataPortTest : public ::testing::Test {
 protected:
  void start(std::vector<Instrument> instruments = {testing::ethusd()}) {
    MarketDataPortOptions options;
    options.instruments = std::move(instruments);
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
  EXPECT_EQ(
      sent()[0],
      R"({"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"],"depth":10,"snapshot":true},"req_id":1})");
  EXPECT_EQ(
      sent()[1],
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
  EXPECT_NE(sent()[before].find(
                R"("method":"unsubscribe","params":{"channel":"book","symbol":["ETH/USD"])"),
            std::string::npos);
  EXPECT_NE(
      sent()[before + 1].find(
          R"("method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"],"depth":10,"snapshot":true})"),
      std::string::npos);
  transport->push(testing::kEthUpdate);  // leftover of the old subscription: dropped
  transport->push(testing::kEthSnapshot);
  EXPECT_EQ(listener.all<BookSnapshot>().size(), 1u);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(KrakenMarketDataPortTest, MalformedBookFrameIsReportedAndResyncsThatBook) {
  go_live();
  transport->push(
      R"({"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[{"price":"x","qty":1}],"asks":[],"checksum":1}]})");
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
  transport->push(
      R"({"error":"Currency pair not supported","method":"subscribe","req_id":1,"success":false,"symbol":"ETH/USD"})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_NE(listener.all<FrameError>()[0].reason.find("refused: Currency pair not supported"),
            std::string::npos);
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
}

/// kEthSnapshot / kEthUpdate for another symbol (the checksum does not cover the symbol).
std::string for_symbol(std::string frame, const std::string& symbol) {
  frame.replace(frame.find("ETH/USD"), 7, symbol);
  return frame;
}

std::string symbol(std::size_t i) { return "S" + std::to_string(i) + "/USD"; }

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

TEST_F(KrakenMarketDataPortTest, ASwallowedSnapshotIsResubscribedAfterTheTimeout) {
  start();
  transport->open();
  ASSERT_EQ(sent().size(), 2u);
  // The venue acks but never sends the snapshot; heartbeats keep the socket from looking stale.
  for (int i = 0; i < 9; ++i) {
    transport->advance(milliseconds(1000));
    transport->push(R"({"channel":"heartbeat"})");
  }
  EXPECT_TRUE(listener.all<FrameError>().empty());
  transport->advance(milliseconds(1000));  // 10 s after the subscription left
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(listener.all<FrameError>()[0].reason,
            "kraken book ETH/USD: no snapshot 10000 ms after subscribing; resubscribing");
  transport->advance(milliseconds(200));  // the per-symbol backoff
  ASSERT_EQ(sent().size(), 4u);
  EXPECT_NE(
      sent()[2].find(R"("method":"unsubscribe","params":{"channel":"book","symbol":["ETH/USD"])"),
      std::string::npos);
  EXPECT_NE(
      sent()[3].find(R"("method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"])"),
      std::string::npos);
  transport->push(testing::kEthSnapshot);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
  EXPECT_EQ(transport->connections.size(), 1u);
}

TEST_F(KrakenMarketDataPortTest, ASwallowedResubscriptionReconnects) {
  start();
  transport->open();
  for (int i = 0; i < 30 && transport->connections.size() == 1; ++i) {
    transport->advance(milliseconds(1000));
    transport->push(R"({"channel":"heartbeat"})");
  }
  EXPECT_EQ(listener.all<FrameError>().size(), 1u);  // the first timeout only resubscribed
  auto states = listener.all<testing::StateChange>();
  auto dropped = std::find_if(states.begin(), states.end(),
                              [](const auto& s) { return s.state == SessionState::Disconnected; });
  ASSERT_NE(dropped, states.end());
  EXPECT_EQ(dropped->detail, "kraken book ETH/USD: no snapshot 10000 ms after resubscribing");
  EXPECT_EQ(transport->connections.size(), 2u);
  transport->open();  // a fresh connection starts the count again
  transport->push(testing::kEthSnapshot);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(KrakenMarketDataPortTest, ASnapshotInTimeCancelsTheTimeout) {
  go_live();
  for (int i = 0; i < 30; ++i) {
    transport->advance(milliseconds(1000));
    transport->push(R"({"channel":"heartbeat"})");
  }
  EXPECT_TRUE(listener.all<FrameError>().empty());
  EXPECT_TRUE(listener.states().empty());  // still Live
  EXPECT_EQ(sent().size(), 2u);            // nothing resubscribed
}

TEST_F(KrakenMarketDataPortTest, ExceededMsgRatePausesRequestsAndResendsTheRefusedOne) {
  start();
  transport->open();
  ASSERT_EQ(sent().size(), 2u);
  transport->push(
      R"({"error":"Exceeded msg rate","method":"subscribe","req_id":1,"success":false,)"
      R"("time_in":"2024-06-03T14:30:00.000100Z","time_out":"2024-06-03T14:30:00.000200Z"})");
  const TimestampNs refused_at = clock.now_ns();
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  const std::string reason = listener.all<FrameError>()[0].reason;
  EXPECT_EQ(reason.rfind("kraken subscribe book ETH/USD refused: Exceeded msg rate; requests "
                         "paused for ",
                         0),
            0u)
      << reason;
  EXPECT_NE(listener.states().back(), SessionState::Disconnected);  // no reconnect for this
  transport->advance(milliseconds(999));
  EXPECT_EQ(sent().size(), 2u);  // at least rate_limited_pause_ms
  transport->advance(milliseconds(1001));
  ASSERT_EQ(sent().size(), 3u);
  EXPECT_GE(transport->last_connection().socket->sent_at[2] - refused_at, 1'000'000'000);
  EXPECT_EQ(
      sent()[2],
      R"({"method":"subscribe","params":{"channel":"book","symbol":["ETH/USD"],"depth":10,"snapshot":true},"req_id":3})");
  transport->push(testing::kEthSnapshot);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(KrakenMarketDataPortTest, ABareRateErrorPausesWithoutResyncingAnyBook) {
  go_live();
  transport->push(R"({"error":"Exceeded msg rate"})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_NE(listener.all<FrameError>()[0].reason.find("kraken request refused: Exceeded msg rate"),
            std::string::npos);
  EXPECT_TRUE(listener.all<BookResyncStarted>().empty());
  std::string bad = testing::kEthUpdate;  // a resubscribe now waits for the pause
  bad.replace(bad.find("2170461505"), 10, "1234567890");
  transport->push(bad);
  transport->advance(milliseconds(999));
  EXPECT_EQ(sent().size(), 2u);
  transport->advance(milliseconds(2000));
  EXPECT_EQ(sent().size(), 4u);
}

TEST_F(KrakenMarketDataPortTest, ResubscriptionsStayWithinTheMessageBudget) {
  std::vector<Instrument> instruments;
  for (std::size_t i = 0; i < 20; ++i)
    instruments.push_back(testing::make_instrument(symbol(i), 2, 8));
  start(instruments);
  transport->open();
  for (std::size_t i = 0; i < 20; ++i)
    transport->push(for_symbol(testing::kEthSnapshot, symbol(i)));
  ASSERT_EQ(listener.states().back(), SessionState::Live);
  std::string bad = testing::kEthUpdate;
  bad.replace(bad.find("2170461505"), 10, "1234567890");
  for (std::size_t i = 0; i < 20; ++i) transport->push(for_symbol(bad, symbol(i)));
  for (int step = 0; step < 200 && sent().size() < 2u + 40u; ++step) {
    transport->advance(milliseconds(100));
    transport->push(R"({"channel":"heartbeat"})");
  }
  ASSERT_EQ(sent().size(), 2u + 40u);
  EXPECT_LE(busiest_window(transport->last_connection().socket->sent_at, 1000), 10u);
  for (std::size_t i = 0; i < 20; ++i)
    transport->push(for_symbol(testing::kEthSnapshot, symbol(i)));
  EXPECT_EQ(listener.states().back(), SessionState::Live);
  EXPECT_TRUE(listener.all<FrameError>().empty());  // no snapshot timed out while queued
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
  options.depth = 10;
  options.snapshot_timeout_ms = 0;
  EXPECT_EQ(validate(options).error(), "kraken market data: snapshot_timeout_ms must be positive");
  options.snapshot_timeout_ms = 10000;
  options.subscribe_budget = {.count = 10, .window_ms = 0, .burst = 5};
  EXPECT_NE(validate(options).error().find("subscribe_budget.window_ms"), std::string::npos);
}

}  // namespace
}  // namespace troupe::kraken
