// AlpacaMarketDataPort driven through the fake transport: handshake order, chunked
// subscriptions, quotes as L1 snapshots, crossed quotes, trades, bars, every error code path,
// unusable frames, stale detection and reconnects.

#include "adapters/venues/alpaca/market_data_port.hpp"

#include <gtest/gtest.h>

#include "alpaca_test_support.hpp"
#include "tests/unit/adapters/venues/common/fake_transport.hpp"

namespace troupe::alpaca {
namespace {

using std::chrono::milliseconds;
using testing::FrameError;
using testing::px;
using testing::qty;
using testing::StateChange;

class AlpacaMarketDataPortTest : public ::testing::Test {
 protected:
  MarketDataPortOptions base_options() {
    MarketDataPortOptions options;
    options.instruments = {testing::equity("AAPL"), testing::equity("MSFT")};
    options.transport = transport;
    options.clock = &clock;
    options.key_id = "AKTEST";
    options.secret_key = "secret";
    options.stale_after_ms = 30000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 5000;
    options.connection_limit_retry_min_ms = 2000;
    options.connection_limit_retry_max_ms = 30000;
    options.auth_retry_min_ms = 20000;
    options.auth_retry_max_ms = 120000;
    options.seed = 5;
    return options;
  }

  void start(MarketDataPortOptions options) {
    port = make_market_data_port(std::move(options));
    port->start(listener);
    transport->run_due();
  }
  void start() { start(base_options()); }

  /// Open, connected, authenticated, subscription confirmed; events cleared.
  void go_live() {
    start();
    handshake();
    ASSERT_EQ(listener.states().back(), SessionState::Live);
    listener.events.clear();
  }

  void handshake() {
    transport->open();
    transport->push(testing::kConnected);
    transport->push(testing::kAuthenticated);
    transport->push(testing::subscription_echo({"AAPL", "MSFT"}));
  }

  std::string quote(const char* symbol, const char* bp, const char* bs, const char* ap,
                    const char* as) {
    return std::string(R"([{"T":"q","S":")") + symbol + R"(","bx":"V","bp":)" + bp + R"(,"bs":)" +
           bs + R"(,"ax":"V","ap":)" + ap + R"(,"as":)" + as +
           R"(,"t":"2024-06-03T14:30:02.460001234Z","c":["R"],"z":"C"}])";
  }

  const std::vector<std::string>& sent() { return transport->last_connection().socket->sent; }

  /// Advances until a new connection appears (at most `limit`); returns the time it took (ms).
  std::int64_t time_to_reconnect(milliseconds limit) {
    const std::size_t before = transport->connections.size();
    const TimestampNs start = clock.now_ns();
    while (transport->connections.size() == before &&
           clock.now_ns() - start < limit.count() * 1'000'000) {
      transport->advance(milliseconds(10));
    }
    return (clock.now_ns() - start) / 1'000'000;
  }

  SimulatedClock clock{1'717'425'000'000'000'000};
  std::shared_ptr<venues::testing::FakeTransport> transport =
      std::make_shared<venues::testing::FakeTransport>(clock);
  testing::RecordingListener listener;
  std::unique_ptr<MarketDataPort> port;
};

TEST_F(AlpacaMarketDataPortTest, WaitsForConnectedThenAuthenticatesThenSubscribes) {
  start();
  ASSERT_EQ(transport->connections.size(), 1u);
  EXPECT_EQ(transport->last_connection().target, "/v2/iex");
  transport->open();
  EXPECT_TRUE(sent().empty());  // the server speaks first
  transport->push(testing::kConnected);
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_EQ(sent()[0], R"({"action":"auth","key":"AKTEST","secret":"secret"})");
  transport->push(testing::kAuthenticated);
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_EQ(sent()[1],
            R"({"action":"subscribe","trades":["AAPL","MSFT"],"quotes":["AAPL","MSFT"]})");
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);
  transport->push(testing::subscription_echo({"AAPL", "MSFT"}));
  EXPECT_EQ(listener.states(),
            (std::vector<SessionState>{SessionState::Connecting, SessionState::Syncing,
                                       SessionState::Live}));
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 2u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Startup);
}

TEST_F(AlpacaMarketDataPortTest, AuthenticatedBeforeConnectedIsNotActedOn) {
  start();
  transport->open();
  transport->push(testing::kAuthenticated);
  EXPECT_TRUE(sent().empty());
}

TEST_F(AlpacaMarketDataPortTest, SubscribesInChunksWithBarsWhenAsked) {
  MarketDataPortOptions options = base_options();
  options.instruments = {testing::equity("A"), testing::equity("B"), testing::equity("C"),
                         testing::equity("D"), testing::equity("E")};
  options.symbols_per_subscribe = 2;
  options.bars = true;
  options.feed = "sip";
  start(std::move(options));
  EXPECT_EQ(transport->last_connection().target, "/v2/sip");
  transport->open();
  transport->push(testing::kConnected);
  transport->push(testing::kAuthenticated);
  ASSERT_EQ(sent().size(), 4u);
  EXPECT_EQ(sent()[1],
            R"({"action":"subscribe","trades":["A","B"],"quotes":["A","B"],"bars":["A","B"]})");
  EXPECT_EQ(sent()[2],
            R"({"action":"subscribe","trades":["C","D"],"quotes":["C","D"],"bars":["C","D"]})");
  EXPECT_EQ(sent()[3], R"({"action":"subscribe","trades":["E"],"quotes":["E"],"bars":["E"]})");
  // Live only once the echo lists every symbol.
  transport->push(testing::subscription_echo({"A", "B"}));
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);
  transport->push(testing::subscription_echo({"A", "B", "C", "D", "E"}));
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(AlpacaMarketDataPortTest, QuoteBecomesAnL1Snapshot) {
  go_live();
  transport->advance(milliseconds(7));
  transport->push(testing::kQuotes);
  auto snapshots = listener.all<BookSnapshot>();
  ASSERT_EQ(snapshots.size(), 2u);
  const BookSnapshot& aapl = snapshots[0];
  EXPECT_EQ(aapl.instrument.symbol, "AAPL");
  EXPECT_EQ(aapl.bids, (std::vector<BookLevel>{{px("187.23"), qty("2")}}));
  EXPECT_EQ(aapl.asks, (std::vector<BookLevel>{{px("187.25"), qty("3")}}));
  EXPECT_EQ(aapl.ts_event, testing::kQuoteTimeNs);
  EXPECT_EQ(aapl.ts_init, clock.now_ns());
  EXPECT_EQ(aapl.sequence, 1u);
  EXPECT_EQ(snapshots[1].instrument.symbol, "MSFT");
  transport->push(quote("AAPL", "187.24", "1", "187.26", "9"));
  EXPECT_EQ(listener.all<BookSnapshot>().back().sequence, 2u);
}

TEST_F(AlpacaMarketDataPortTest, ZeroPriceOrSizeLeavesThatSideEmpty) {
  go_live();
  transport->push(quote("AAPL", "0", "0", "187.25", "3"));
  transport->push(quote("AAPL", "187.20", "5", "187.25", "0"));
  auto snapshots = listener.all<BookSnapshot>();
  ASSERT_EQ(snapshots.size(), 2u);
  EXPECT_TRUE(snapshots[0].bids.empty());
  EXPECT_EQ(snapshots[0].asks.size(), 1u);
  EXPECT_EQ(snapshots[1].bids.size(), 1u);
  EXPECT_TRUE(snapshots[1].asks.empty());
}

TEST_F(AlpacaMarketDataPortTest, CrossedOrLockedQuoteIsDroppedWithAResync) {
  go_live();
  transport->push(quote("AAPL", "187.30", "1", "187.25", "3"));
  transport->push(quote("MSFT", "412.10", "1", "412.10", "3"));
  EXPECT_TRUE(listener.all<BookSnapshot>().empty());
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 2u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Crossed);
  EXPECT_EQ(resyncs[0].instrument.symbol, "AAPL");
  EXPECT_NE(resyncs[0].detail.find("crossed quote dropped: bid 187.30 >= ask 187.25"),
            std::string::npos);
  EXPECT_NE(resyncs[1].detail.find("locked"), std::string::npos);
  transport->push(quote("AAPL", "187.20", "1", "187.25", "3"));  // the next sane quote heals
  EXPECT_EQ(listener.all<BookSnapshot>().size(), 1u);
}

TEST_F(AlpacaMarketDataPortTest, TradesBecomeTradeTicksWithAnInferredAggressor) {
  go_live();
  transport->push(testing::kQuotes);  // AAPL 187.23 / 187.25
  transport->push(testing::kTrade);   // 187.24: inside the spread, no previous trade → Buy
  transport->push(R"([{"T":"t","S":"AAPL","i":2,"p":187.23,"s":5,"t":"2024-06-03T14:30:03Z"},)"
                  R"({"T":"t","S":"AAPL","i":3,"p":187.25,"s":7,"t":"2024-06-03T14:30:04Z"}])");
  auto trades = listener.all<TradeTick>();
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades[0].trade_id.value, "52983525029461");
  EXPECT_EQ(trades[0].price, px("187.24"));
  EXPECT_EQ(trades[0].size, qty("100"));
  EXPECT_EQ(trades[0].ts_event, 1'717'425'002'456'789'123);
  EXPECT_EQ(trades[0].ts_init, clock.now_ns());
  EXPECT_EQ(trades[1].aggressor, Side::Sell);  // at the bid
  EXPECT_EQ(trades[2].aggressor, Side::Buy);   // at the ask
}

TEST_F(AlpacaMarketDataPortTest, BarsReachOnBar) {
  go_live();
  transport->push(testing::kBar);
  auto bars = listener.all<Bar>();
  ASSERT_EQ(bars.size(), 1u);
  EXPECT_EQ(bars[0].close, px("528.22"));
  EXPECT_EQ(bars[0].trade_count, 612u);
}

TEST_F(AlpacaMarketDataPortTest, ConnectionLimitReportsTheReasonAndBacksOffBeforeReconnecting) {
  go_live();
  transport->push(testing::kQuotes);
  transport->push(R"([{"T":"error","code":406,"msg":"connection limit exceeded"}])");
  auto states = listener.all<StateChange>();
  ASSERT_FALSE(states.empty());
  EXPECT_EQ(states.back().state, SessionState::Disconnected);
  EXPECT_NE(states.back().detail.find("error 406 connection limit exceeded"), std::string::npos)
      << states.back().detail;
  EXPECT_TRUE(transport->last_connection().socket->close_requested);
  EXPECT_EQ(listener.all<BookResyncStarted>().size(), 2u);  // both books were valid
  // The session's own backoff (100-200 ms) is not enough: the hold-off is >= 2000 ms.
  const std::int64_t first = time_to_reconnect(milliseconds(60000));
  EXPECT_GE(first, 2000);
  EXPECT_EQ(transport->connections.size(), 2u);
  // A second refusal waits at least as long again; no hot loop.
  transport->open();
  transport->push(testing::kConnected);
  transport->push(testing::kAuthenticated);
  transport->push(R"([{"T":"error","code":406,"msg":"connection limit exceeded"}])");
  EXPECT_GE(time_to_reconnect(milliseconds(60000)), 2000);
  EXPECT_EQ(transport->connections.size(), 3u);
  // A confirmed subscription resets the pause.
  handshake();
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

class AlpacaAuthErrorTest : public AlpacaMarketDataPortTest,
                            public ::testing::WithParamInterface<std::pair<int, const char*>> {};

TEST_P(AlpacaAuthErrorTest, AuthProblemsDisconnectWithTheReasonAndRetryAfterALongPause) {
  const auto [code, msg] = GetParam();
  start();
  transport->open();
  transport->push(testing::kConnected);
  transport->push(R"([{"T":"error","code":)" + std::to_string(code) + R"(,"msg":")" + msg +
                  R"("}])");
  auto states = listener.all<StateChange>();
  EXPECT_EQ(states.back().state, SessionState::Disconnected);
  EXPECT_NE(states.back().detail.find("error " + std::to_string(code) + " " + msg),
            std::string::npos)
      << states.back().detail;
  EXPECT_GE(time_to_reconnect(milliseconds(300000)), 20000);
  ASSERT_EQ(transport->connections.size(), 2u);
  handshake();  // the retry authenticates again
  EXPECT_EQ(sent()[0], R"({"action":"auth","key":"AKTEST","secret":"secret"})");
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

INSTANTIATE_TEST_SUITE_P(Codes, AlpacaAuthErrorTest,
                         ::testing::Values(std::make_pair(402, "auth failed"),
                                           std::make_pair(401, "not authenticated"),
                                           std::make_pair(404, "auth timeout")),
                         [](const auto& info) {
                           return "Error" + std::to_string(info.param.first);
                         });

TEST_F(AlpacaMarketDataPortTest, SubscriptionErrorsAreFrameErrorsNamingCodeAndMessage) {
  go_live();
  const std::pair<int, const char*> errors[] = {
      {405, "symbol limit exceeded"}, {409, "insufficient subscription"}, {400, "invalid syntax"}};
  for (const auto& [code, msg] : errors) {
    transport->push(R"([{"T":"error","code":)" + std::to_string(code) + R"(,"msg":")" + msg +
                    R"("}])");
  }
  auto errors_seen = listener.all<FrameError>();
  ASSERT_EQ(errors_seen.size(), 3u);
  EXPECT_EQ(errors_seen[0].reason, "alpaca stream: error 405 symbol limit exceeded");
  EXPECT_EQ(errors_seen[1].reason, "alpaca stream: error 409 insufficient subscription");
  EXPECT_EQ(errors_seen[2].reason, "alpaca stream: error 400 invalid syntax");
  EXPECT_TRUE(listener.states().empty());  // the connection goes on
  EXPECT_EQ(transport->connections.size(), 1u);
}

TEST_F(AlpacaMarketDataPortTest, SymbolsMissingFromTheEchoKeepTheSessionSyncing) {
  start();
  transport->open();
  transport->push(testing::kConnected);
  transport->push(testing::kAuthenticated);
  transport->push(R"([{"T":"error","code":405,"msg":"symbol limit exceeded"}])");
  transport->push(testing::subscription_echo({"AAPL"}));
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);
  EXPECT_EQ(listener.all<FrameError>().size(), 1u);
}

TEST_F(AlpacaMarketDataPortTest, MalformedUnknownAndOversizedFramesAreFrameErrors) {
  MarketDataPortOptions options = base_options();
  options.max_frame_bytes = 400;
  start(std::move(options));
  handshake();
  listener.events.clear();
  transport->push(testing::kQuotes.substr(0, 40));
  transport->push(R"([{"T":"news","S":"AAPL"}])");
  transport->push("[" + std::string(500, ' ') + "]");
  auto errors = listener.all<FrameError>();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].reason.find("alpaca stream: invalid JSON"), std::string::npos);
  EXPECT_EQ(errors[1].reason, "alpaca stream: unknown message type \"news\"");
  EXPECT_NE(errors[2].reason.find("exceeds the 400-byte limit"), std::string::npos);
  EXPECT_TRUE(listener.states().empty());
  transport->push(testing::kTrade);  // still streaming
  EXPECT_EQ(listener.all<TradeTick>().size(), 1u);
}

TEST_F(AlpacaMarketDataPortTest, SilenceReconnectsAndSubscriptionTrafficCounts) {
  go_live();
  transport->push(testing::kQuotes);
  for (int i = 0; i < 4; ++i) {
    transport->advance(milliseconds(20000));
    transport->push(testing::subscription_echo({"AAPL", "MSFT"}));
  }
  EXPECT_TRUE(listener.states().empty());
  transport->advance(milliseconds(45000));
  ASSERT_FALSE(listener.states().empty());
  EXPECT_EQ(listener.states().front(), SessionState::Disconnected);
  auto resyncs = listener.all<BookResyncStarted>();
  ASSERT_EQ(resyncs.size(), 2u);
  EXPECT_EQ(resyncs[0].reason, ResyncReason::Stale);
  EXPECT_GE(transport->connections.size(), 2u);
}

TEST_F(AlpacaMarketDataPortTest, ReconnectsAfterCloseAndRunsTheHandshakeAgain) {
  go_live();
  transport->close_socket("connection reset");
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
  const std::int64_t delay = transport->next_timer_in_ms();
  EXPECT_GE(delay, 100);
  EXPECT_LE(delay, 5000);
  transport->advance(milliseconds(delay));
  ASSERT_EQ(transport->connections.size(), 2u);
  transport->open();
  EXPECT_TRUE(sent().empty());
  handshake();
  ASSERT_EQ(sent().size(), 2u);
  EXPECT_EQ(listener.states().back(), SessionState::Live);
  transport->push(testing::kQuotes);
  EXPECT_EQ(listener.all<BookSnapshot>().size(), 2u);
}

TEST(AlpacaMarketDataPortOptions, ValidateNamesTheBadOption) {
  SimulatedClock clock;
  MarketDataPortOptions options;
  options.instruments = {testing::equity("AAPL")};
  options.transport = std::make_shared<venues::testing::FakeTransport>(clock);
  options.clock = &clock;
  options.key_id = "k";
  options.secret_key = "s";
  EXPECT_TRUE(validate(options));
  auto error_of = [](const MarketDataPortOptions& o) {
    auto v = validate(o);
    return v ? std::string() : v.error();
  };
  auto bad = options;
  bad.feed = "nasdaq";
  EXPECT_NE(error_of(bad).find("feed"), std::string::npos);
  bad = options;
  bad.key_id.clear();
  EXPECT_NE(error_of(bad).find("key_id"), std::string::npos);
  bad = options;
  bad.max_symbols = 1;
  bad.instruments.push_back(testing::equity("MSFT"));
  EXPECT_NE(error_of(bad).find("max_symbols 1"), std::string::npos);
  bad = options;
  bad.instruments.push_back(testing::equity("AAPL"));
  EXPECT_NE(error_of(bad).find("duplicate symbol AAPL"), std::string::npos);
  bad = options;
  bad.auth_retry_max_ms = 1;
  EXPECT_NE(error_of(bad).find("auth_retry_min_ms"), std::string::npos);
}

}  // namespace
}  // namespace troupe::alpaca
