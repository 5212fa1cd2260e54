// BinanceMarketDataPort driven through a fake transport: connect, snapshot and deltas, bad
// frames, gaps, disconnects, staleness, server shutdown and stop, and the §2.8 limits (weight
// budget for snapshots, 429 / 418 pauses, streams per connection, connection attempts).

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
  void start(std::vector<Instrument> instruments = {testing::btcusdt()},
             const std::function<void(MarketDataPortOptions&)>& tweak = {}) {
    MarketDataPortOptions options;
    options.instruments = std::move(instruments);
    options.transport = transport;
    options.clock = &clock;
    options.snapshot_depth = 1000;
    options.stale_after_ms = 5000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 5000;
    options.seed = 3;
    if (tweak) tweak(options);
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
            "binance depth snapshot BTCUSDT: HTTP 429: -1003 Too many requests.; snapshot "
            "requests paused for 1000 ms");
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

std::vector<Instrument> many_instruments(std::size_t count) {
  std::vector<Instrument> out;
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(testing::make_instrument("SYM" + std::to_string(i) + "USDT"));
  }
  return out;
}

/// Most weight requested within any closed 60 s window, from the fake transport's request times.
std::int64_t busiest_minute(const venues::testing::FakeTransport& transport, std::int64_t weight) {
  std::int64_t most = 0;
  for (const auto& first : transport.requests) {
    std::int64_t sum = 0;
    for (const auto& other : transport.requests) {
      if (other.at >= first.at && other.at - first.at <= 60'000'000'000) sum += weight;
    }
    most = std::max(most, sum);
  }
  return most;
}

/// Answers every open snapshot request, one second at a time, until all books are live or
/// `limit` passes; the stream stays quiet (stale_after_ms is raised by the caller).
void answer_until_live(venues::testing::FakeTransport& transport, Listener& listener,
                       milliseconds limit) {
  for (std::int64_t elapsed = 0; elapsed <= limit.count(); elapsed += 1000) {
    for (std::size_t i : transport.open_requests("/api/v3/depth")) {
      transport.respond(i, 200, snapshot_body(10));
    }
    if (!listener.states().empty() && listener.states().back() == SessionState::Live) return;
    transport.advance(milliseconds(1000));
  }
}

TEST_F(BinanceMarketDataPortTest, FiftyBooksResyncingAtOnceStayWithinTheWeightBudget) {
  // limit 5000 weighs 250: 50 books = 12500, twice the 6000 per minute of §2.8.
  start(many_instruments(50), [](MarketDataPortOptions& options) {
    options.snapshot_depth = 5000;
    options.stale_after_ms = 600'000;
  });
  transport->open();
  EXPECT_EQ(transport->requests.size(), 4u);  // the 1000-weight burst
  answer_until_live(*transport, listener, milliseconds(300'000));
  ASSERT_EQ(listener.states().back(), SessionState::Live);
  ASSERT_EQ(transport->requests.size(), 50u);
  EXPECT_LE(busiest_minute(*transport, 250), 6000);
  // Spread, not starved: 4 at once, then one per 3 s (5000 weight per minute).
  const TimestampNs span = transport->requests.back().at - transport->requests.front().at;
  EXPECT_EQ(span, 46 * 3'000'000'000LL);
}

TEST_F(BinanceMarketDataPortTest, TwoHundredFiftyBooksReconnectingStayWithinTheWeightBudget) {
  start(many_instruments(250), [](MarketDataPortOptions& options) {
    options.snapshot_depth = 1000;  // weight 50: 12500 in all
    options.stale_after_ms = 600'000;
  });
  transport->open();
  answer_until_live(*transport, listener, milliseconds(300'000));
  ASSERT_EQ(listener.states().back(), SessionState::Live);
  transport->close_socket("connection reset");  // every book resyncs at once
  transport->advance(milliseconds(5000));
  ASSERT_EQ(transport->connections.size(), 2u);
  transport->open();
  answer_until_live(*transport, listener, milliseconds(300'000));
  ASSERT_EQ(listener.states().back(), SessionState::Live);
  ASSERT_EQ(transport->requests.size(), 500u);
  EXPECT_LE(busiest_minute(*transport, 50), 6000);
}

TEST_F(BinanceMarketDataPortTest, QueuedSnapshotRequestsAreDroppedOnReconnect) {
  start(many_instruments(30), [](MarketDataPortOptions& options) {
    options.snapshot_depth = 5000;
    options.stale_after_ms = 600'000;
  });
  transport->open();
  ASSERT_EQ(transport->requests.size(), 4u);
  transport->close_socket("connection reset");  // 26 queued requests belong to the old stream
  transport->advance(milliseconds(60'000));
  ASSERT_EQ(transport->connections.size(), 2u);
  EXPECT_EQ(transport->requests.size(), 4u);  // none of the old queue went out
  transport->open();
  // Nor did it eat the budget while the new connection waited: a full burst goes at once.
  EXPECT_EQ(transport->requests.size(), 8u);
  answer_until_live(*transport, listener, milliseconds(300'000));
  EXPECT_EQ(transport->requests.size(), 4u + 30u);
}

TEST_F(BinanceMarketDataPortTest, A429HoldsEveryBooksNextRequestForItsRetryAfter) {
  start({testing::btcusdt(), testing::ethusdt()},
        [](MarketDataPortOptions& options) { options.stale_after_ms = 600'000; });
  transport->open();
  auto open = transport->open_requests("/api/v3/depth");
  ASSERT_EQ(open.size(), 2u);
  transport->respond(open[1], 200, snapshot_body(160));  // ETHUSDT live
  transport->respond(open[0], 429, R"({"code":-1003,"msg":"Too many requests."})",
                     {{"Retry-After", "30"}});
  const TimestampNs limited_at = clock.now_ns();
  EXPECT_NE(listener.all<FrameError>().back().reason.find("snapshot requests paused for 30000 ms"),
            std::string::npos);
  transport->push(R"({"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":1,)"
                  R"("s":"ETHUSDT","U":170,"u":171,"b":[],"a":[]}})");  // gap: ETHUSDT resyncs
  ASSERT_EQ(listener.all<BookResyncStarted>().back().reason, ResyncReason::Gap);
  transport->advance(milliseconds(29'999));
  EXPECT_EQ(transport->requests.size(), 2u);  // neither book asked during the pause
  transport->advance(milliseconds(1));
  ASSERT_EQ(transport->requests.size(), 4u);
  for (std::size_t i = 2; i < 4; ++i) {
    EXPECT_GE(transport->requests[i].at - limited_at, 30'000'000'000);
  }
}

TEST_F(BinanceMarketDataPortTest, A418WithoutRetryAfterPausesSnapshotsForTwoMinutes) {
  start({testing::btcusdt()},
        [](MarketDataPortOptions& options) { options.stale_after_ms = 600'000; });
  transport->open();
  transport->respond(snapshot_request(), 418, R"({"code":-1003,"msg":"Way too many requests."})");
  EXPECT_NE(listener.all<FrameError>().back().reason.find("paused for 120000 ms"),
            std::string::npos);
  transport->advance(milliseconds(119'999));
  EXPECT_EQ(transport->requests.size(), 1u);
  transport->advance(milliseconds(1));
  EXPECT_EQ(transport->requests.size(), 2u);
}

TEST_F(BinanceMarketDataPortTest, ReconnectsArePacedByTheConnectBudget) {
  start({testing::btcusdt()}, [](MarketDataPortOptions& options) {
    options.stale_after_ms = 600'000;
    options.connect_budget = {.count = 3, .window_ms = 60'000, .burst = 2};
  });
  for (int i = 0; i < 100; ++i) {  // 10 s of refused connections
    transport->close_socket("connection refused");
    transport->advance(milliseconds(100));
  }
  EXPECT_EQ(transport->connections.size(), 2u);  // the burst; the next waits ~30 s
  EXPECT_EQ(listener.states().back(), SessionState::Connecting);
  EXPECT_NE(listener.all<testing::StateChange>().back().detail.find("connection budget spent"),
            std::string::npos);
}

TEST(BinanceMarketDataPortOptions, ValidateRefusesMoreStreamsThanOneConnectionCarries) {
  SimulatedClock clock;
  MarketDataPortOptions options;
  options.transport = std::make_shared<venues::testing::FakeTransport>(clock);
  options.clock = &clock;
  options.instruments = many_instruments(512);
  EXPECT_TRUE(validate(options));
  options.instruments = many_instruments(513);
  ASSERT_FALSE(validate(options));
  EXPECT_EQ(validate(options).error(),
            "binance market data: 513 instruments need 1026 streams (depth and trade each), but "
            "one connection carries at most 1024 (exchange-protocols.md §2.8): split the "
            "instruments over several ports");
}

TEST(BinanceMarketDataPortOptions, ValidateRefusesAWeightBurstBelowOneRequest) {
  SimulatedClock clock;
  MarketDataPortOptions options;
  options.transport = std::make_shared<venues::testing::FakeTransport>(clock);
  options.clock = &clock;
  options.instruments = {testing::btcusdt()};
  options.snapshot_depth = 5000;
  options.snapshot_weight_budget = {.count = 1200, .window_ms = 60'000, .burst = 200};
  ASSERT_FALSE(validate(options));
  EXPECT_EQ(validate(options).error(),
            "binance market data: snapshot_weight_budget.burst (200) is below the weight of one "
            "depth snapshot with snapshot_depth 5000 (250)");
  options.snapshot_weight_budget.burst = 1200;
  EXPECT_NE(validate(options).error().find("snapshot_weight_budget.burst must be within 1..1199"),
            std::string::npos);
}

TEST(BinanceDepthRequestWeight, FollowsTheDocumentedTable) {
  EXPECT_EQ(depth_request_weight(5), 5);
  EXPECT_EQ(depth_request_weight(100), 5);
  EXPECT_EQ(depth_request_weight(101), 25);
  EXPECT_EQ(depth_request_weight(500), 25);
  EXPECT_EQ(depth_request_weight(1000), 50);
  EXPECT_EQ(depth_request_weight(1001), 250);
  EXPECT_EQ(depth_request_weight(5000), 250);
}

}  // namespace
}  // namespace troupe::binance
