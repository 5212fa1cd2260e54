// BinanceMarketDataPort driven through a fake transport: connect, snapshot and deltas, bad
// frames, gaps, disconnects, staleness, server shutdown and stop.

#include "adapters/venues/binance/market_data_port.hpp"

#include <gtest/gtest.h>

#include "binance_test_support.hpp"
#include "tests/unit/adapters/venues/common/fake_transport.hpp"

namespace troupe::binance {
namespace {

using std::chrono::milliseconds;
using testing::depth_frame;
using testing::FrameError;
using testing::snapshot_body;
using Listener = testing::RecordingMarketDataListener;

class BinanceMarketDataPortTest : public ::testing::Test {
 protected:
  void start(std::vector<Instrument> instruments = {testing::btcusdt()}) {
    MarketDataPortOptions options;
    options.instruments = std::move(instruments);
    options.transport = transport;
    options.clock = &clock;
    options.snapshot_depth = 1000;
    options.stale_after_ms = 5000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 5000;
    options.seed = 3;
    port = make_market_data_port(std::move(options));
    port->start(listener);
    transport->run_due();
  }

  /// Connects, answers the snapshot at `last_update_id` and checks the book went live.
  void go_live(std::uint64_t last_update_id = 160) {
    start();
    transport->open();
    transport->respond(snapshot_request(), 200, snapshot_body(last_update_id));
    ASSERT_EQ(listener.states().back(), SessionState::Live);
    listener.events.clear();
  }

  std::size_t snapshot_request() {
    auto open = transport->open_requests("/api/v3/depth");
    EXPECT_EQ(open.size(), 1u);
    return open.empty() ? 0 : open.front();
  }

  SimulatedClock clock{1'718'000'000'000'000'000};
  std::shared_ptr<venues::testing::FakeTransport> transport =
      std::make_shared<venues::testing::FakeTransport>(clock);
  Listener listener;
  std::unique_ptr<MarketDataPort> port;
};

TEST_F(BinanceMarketDataPortTest, OpensOneCombinedStreamAndRequestsASnapshotPerSymbol) {
  start({testing::btcusdt(), testing::ethusdt()});
  ASSERT_EQ(transport->connections.size(), 1u);
  EXPECT_EQ(transport->last_connection().target,
            "/stream?streams=btcusdt@depth@100ms/btcusdt@trade/ethusdt@depth@100ms/ethusdt@trade");
  EXPECT_TRUE(transport->requests.empty());  // snapshots only once the stream is open
  transport->open();
  ASSERT_EQ(transport->requests.size(), 2u);
  EXPECT_EQ(transport->requests[0].request.method, "GET");
  EXPECT_EQ(transport->requests[0].request.target, "/api/v3/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(transport->requests[1].request.target, "/api/v3/depth?symbol=ETHUSDT&limit=1000");
  EXPECT_EQ(listener.states(),
            (std::vector<SessionState>{SessionState::Connecting, SessionState::Syncing}));
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 2u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Startup);
}

TEST_F(BinanceMarketDataPortTest, SnapshotAndDeltasReachTheListenerInOrder) {
  start();
  transport->open();
  listener.events.clear();
  transport->push(depth_frame(157, 160));  // older than the snapshot: dropped
  transport->push(depth_frame(161, 163, "60000.05", "0.25000000"));
  transport->push(R"({"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":5,)"
                  R"("p":"60000.00","q":"0.1","T":1,"m":false}})");
  transport->respond(snapshot_request(), 200, snapshot_body(160));
  transport->push(depth_frame(164, 165));

  ASSERT_EQ(listener.events.size(), 4u);
  ASSERT_TRUE(std::holds_alternative<TradeTick>(listener.events[0]));
  auto snapshot = std::get<BookSnapshot>(listener.events[1]);
  EXPECT_EQ(snapshot.sequence, 163u);
  EXPECT_EQ(snapshot.bids.front().price, Price::from_raw(6000010, 2));
  EXPECT_EQ(snapshot.bids.size(), 3u);  // 60000.05 came from the buffered event
  auto state = std::get<testing::StateChange>(listener.events[2]);
  EXPECT_EQ(state.state, SessionState::Live);
  auto deltas = std::get<BookDeltas>(listener.events[3]);
  EXPECT_EQ(deltas.first_sequence, 164u);
  EXPECT_EQ(deltas.last_sequence, 165u);
  EXPECT_EQ(deltas.instrument.symbol, "BTCUSDT");
}

TEST_F(BinanceMarketDataPortTest, MalformedDepthFrameReportsErrorResyncsAndFetchesAFreshSnapshot) {
  go_live();
  transport->push(depth_frame(161, 162, "600x0.00"));
  auto errors = listener.all<FrameError>();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason,
            R"(binance depthUpdate BTCUSDT: field "b"[0][0]: "600x0.00" is not a decimal)");
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::MalformedFrame);
  EXPECT_EQ(listener.states(), std::vector<SessionState>{SessionState::Syncing});

  transport->push(depth_frame(163, 170));
  transport->respond(snapshot_request(), 200, snapshot_body(165));
  auto snapshots = listener.all<BookSnapshot>();
  ASSERT_EQ(snapshots.size(), 1u);
  EXPECT_EQ(snapshots[0].sequence, 170u);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(BinanceMarketDataPortTest, UnparseableFrameResyncsEveryBook) {
  start({testing::btcusdt(), testing::ethusdt()});
  transport->open();
  for (std::size_t i : transport->open_requests()) transport->respond(i, 200, snapshot_body(1));
  listener.events.clear();
  transport->push("{\"stream\":");
  EXPECT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(listener.all<BookResyncStarted>().size(), 2u);
  EXPECT_EQ(transport->open_requests("/api/v3/depth").size(), 2u);
}

TEST_F(BinanceMarketDataPortTest, UnknownEventIsReportedWithoutResync) {
  go_live();
  transport->push(R"({"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1,"s":"BTCUSDT"}})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(listener.all<FrameError>()[0].reason, R"(binance stream: unknown event type "kline")");
  EXPECT_TRUE(listener.all<BookResyncStarted>().empty());
}

TEST_F(BinanceMarketDataPortTest, GapResyncsAndRefetchesTheSnapshot) {
  go_live(160);
  transport->push(depth_frame(161, 165));
  transport->push(depth_frame(170, 172));
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Gap);
  EXPECT_EQ(resyncs[0].detail, "expected U=166, got U=170");
  transport->respond(snapshot_request(), 200, snapshot_body(171));
  EXPECT_EQ(listener.all<BookSnapshot>().back().sequence, 172u);
}

TEST_F(BinanceMarketDataPortTest, DisconnectResyncsEveryBookAndReconnectsAfterBackoff) {
  go_live();
  transport->close_socket("connection reset");
  EXPECT_EQ(listener.states(), std::vector<SessionState>{SessionState::Disconnected});
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Disconnected);
  EXPECT_NE(resyncs[0].detail.find("connection reset"), std::string::npos);

  const std::int64_t delay = transport->next_timer_in_ms();
  EXPECT_GE(delay, 100);
  EXPECT_LE(delay, 200);
  transport->advance(milliseconds(delay - 1));
  EXPECT_EQ(transport->connections.size(), 1u);
  transport->advance(milliseconds(1));
  ASSERT_EQ(transport->connections.size(), 2u);

  transport->open();  // the full §2.7 procedure runs again
  transport->respond(snapshot_request(), 200, snapshot_body(500));
  EXPECT_EQ(listener.all<BookSnapshot>().back().sequence, 500u);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(BinanceMarketDataPortTest, LateEventsFromAnAbandonedSocketAreIgnored) {
  go_live();
  auto* old_handler = transport->last_connection().handler;
  transport->push(R"({"e":"serverShutdown","E":1})");  // abandoned; its on_close is still due
  transport->advance(milliseconds(5000));
  ASSERT_EQ(transport->connections.size(), 2u);
  listener.events.clear();
  old_handler->on_message(depth_frame(161, 162));
  old_handler->on_close("closed after shutdown");
  EXPECT_TRUE(listener.events.empty());
}

TEST_F(BinanceMarketDataPortTest, SilentStreamIsStaleResyncsAndReconnects) {
  go_live();
  transport->advance(milliseconds(2000));
  transport->push(depth_frame(161, 161));
  transport->advance(milliseconds(4000));
  EXPECT_TRUE(listener.all<BookResyncStarted>().empty());  // 4 s since the last message
  transport->advance(milliseconds(2000));
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 1u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Stale);
  EXPECT_TRUE(transport->connections[0].socket->close_requested);
  transport->advance(milliseconds(5000));
  EXPECT_EQ(transport->connections.size(), 2u);
}

TEST_F(BinanceMarketDataPortTest, ServerShutdownReconnects) {
  go_live();
  transport->push(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}})");
  EXPECT_EQ(listener.states(), std::vector<SessionState>{SessionState::Disconnected});
  EXPECT_TRUE(transport->connections[0].socket->close_requested);
  transport->advance(milliseconds(5000));
  EXPECT_EQ(transport->connections.size(), 2u);
}

TEST_F(BinanceMarketDataPortTest, FailedSnapshotIsReportedAndRetriedAfterBackoff) {
  start();
  transport->open();
  transport->respond(snapshot_request(), 429, R"({"code":-1003,"msg":"Too many requests."})",
                     {{"Retry-After", "1"}});
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(listener.all<FrameError>()[0].reason,
            "binance depth snapshot BTCUSDT: HTTP 429: -1003 Too many requests.");
  EXPECT_TRUE(transport->open_requests().empty());
  transport->advance(milliseconds(999));
  EXPECT_TRUE(transport->open_requests().empty());  // Retry-After wins over the short backoff
  transport->advance(milliseconds(1));
  transport->fail(snapshot_request(), "connect 127.0.0.1:18081: connection refused");
  EXPECT_EQ(listener.all<FrameError>().back().reason,
            "binance depth snapshot BTCUSDT: request failed: connect 127.0.0.1:18081: "
            "connection refused");
  transport->advance(milliseconds(400));
  transport->respond(snapshot_request(), 200, snapshot_body(10));
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(BinanceMarketDataPortTest, NoListenerCallAfterStop) {
  go_live();
  auto* handler = transport->last_connection().handler;
  port->stop();
  EXPECT_TRUE(transport->shut_down);
  handler->on_message(depth_frame(161, 162));  // a late delivery must be dropped
  handler->on_close("gone");
  EXPECT_TRUE(listener.events.empty());
}

}  // namespace
}  // namespace troupe::binance
