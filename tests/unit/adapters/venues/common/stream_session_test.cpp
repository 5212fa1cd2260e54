// StreamSession pacing through the fake transport: paced sends in FIFO order within the send
// budget, queued sends dropped on reconnect, connection attempts held to the connect budget.

#include "adapters/venues/common/stream_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/adapters/venues/common/fake_transport.hpp"
#include "tests/unit/adapters/venues/common/recording_listener.hpp"

namespace troupe::venues {
namespace {

using std::chrono::milliseconds;

constexpr std::int64_t kMs = 1'000'000;

/// Most entries of `times` within any closed window of `window_ms`.
std::size_t busiest_window(const std::vector<TimestampNs>& times, std::int64_t window_ms) {
  std::size_t most = 0;
  for (TimestampNs start : times) {
    std::size_t count = 0;
    for (TimestampNs t : times) count += (t >= start && t - start <= window_ms * kMs) ? 1 : 0;
    most = std::max(most, count);
  }
  return most;
}

class NoBooks final : public StreamSession::Hooks {
 public:
  void on_stream_open(TimestampNs) override { ++opens; }
  void on_stream_message(std::string_view, TimestampNs) override {}
  void on_stream_abandoned(ResyncReason, const std::string&, TimestampNs) override {}
  int opens = 0;
};

class StreamSessionPacingTest : public ::testing::Test {
 protected:
  void start(RateBudget sends, RateBudget connects) {
    StreamSessionOptions options;
    options.venue = "testvenue";
    options.target = "/ws";
    options.transport = transport;
    options.clock = &clock;
    options.book_count = 1;
    options.stale_after_ms = 60'000;
    options.reconnect_min_ms = 100;
    options.reconnect_max_ms = 200;
    options.send_budget = sends;
    options.connect_budget = connects;
    session = std::make_unique<StreamSession>(std::move(options), hooks);
    session->start(listener);
    transport->run_due();
  }

  const testing::FakeTransport::Socket& socket() { return *transport->last_connection().socket; }

  SimulatedClock clock{1'700'000'000'000'000'000};
  std::shared_ptr<testing::FakeTransport> transport =
      std::make_shared<testing::FakeTransport>(clock);
  NoBooks hooks;
  testing::RecordingMarketDataListener listener;
  std::unique_ptr<StreamSession> session;
};

TEST_F(StreamSessionPacingTest, SendsOverBudgetWaitAndGoOutInOrder) {
  start({.count = 4, .window_ms = 1000, .burst = 2}, {});
  transport->open();
  for (int i = 0; i < 10; ++i) session->send("m" + std::to_string(i));
  EXPECT_EQ(socket().sent.size(), 2u);  // the burst
  EXPECT_EQ(session->sends().queued(), 8u);
  transport->advance(milliseconds(10'000));
  ASSERT_EQ(socket().sent.size(), 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(socket().sent[static_cast<std::size_t>(i)], "m" + std::to_string(i));
  EXPECT_LE(busiest_window(socket().sent_at, 1000), 4u);
  // 2 per second after the burst: the last of 8 waiting goes out 4 s later.
  EXPECT_EQ(socket().sent_at.back() - socket().sent_at.front(), 4000 * kMs);
}

TEST_F(StreamSessionPacingTest, QueuedSendsAreDroppedWhenTheConnectionIsAbandoned) {
  start({.count = 4, .window_ms = 1000, .burst = 2}, {});
  transport->open();
  for (int i = 0; i < 6; ++i) session->send("old" + std::to_string(i));
  transport->close_socket("reset");
  EXPECT_EQ(session->sends().queued(), 0u);
  transport->advance(milliseconds(200));
  ASSERT_EQ(transport->connections.size(), 2u);
  transport->open();
  transport->advance(milliseconds(5000));
  EXPECT_EQ(transport->connections[0].socket->sent.size(), 2u);
  EXPECT_TRUE(socket().sent.empty());  // nothing meant for the old socket reached the new one
}

TEST_F(StreamSessionPacingTest, SendWithBuildsTheMessageWhenItGoesOut) {
  start({.count = 2, .window_ms = 1000, .burst = 1}, {});
  transport->open();
  session->send("first");
  session->send_with([this](net::WebSocket& ws) { ws.send(std::to_string(clock.now_ns())); });
  transport->advance(milliseconds(1000));
  ASSERT_EQ(socket().sent.size(), 2u);
  EXPECT_EQ(socket().sent[1], std::to_string(socket().sent_at[1]));
  EXPECT_EQ(socket().sent_at[1] - socket().sent_at[0], 1000 * kMs);
}

TEST_F(StreamSessionPacingTest, ConnectionAttemptsStayWithinTheConnectBudget) {
  // 3 attempts in any 10 s, 2 back to back: reconnects after 100-200 ms would otherwise make
  // dozens of attempts in that time.
  start({}, {.count = 3, .window_ms = 10'000, .burst = 2});
  for (int i = 0; i < 300; ++i) {        // 30 s of refused connections
    transport->close_socket("refused");  // a no-op while the next attempt waits
    transport->advance(milliseconds(100));
  }
  std::vector<TimestampNs> attempts;
  for (const auto& connection : transport->connections) attempts.push_back(connection.at);
  ASSERT_GE(attempts.size(), 4u);  // 2 at once, then one per 10 s
  EXPECT_LE(attempts.size(), 5u);
  EXPECT_LE(busiest_window(attempts, 10'000), 3u);
  bool told = false;
  for (const auto& state : listener.all<testing::StateChange>()) {
    told =
        told || state.detail.find("connection budget spent (3 per 10000 ms)") != std::string::npos;
  }
  EXPECT_TRUE(told);
}

TEST_F(StreamSessionPacingTest, ADelayedConnectIsDroppedAfterStop) {
  start({}, {.count = 2, .window_ms = 10'000, .burst = 1});
  transport->close_socket("refused");
  transport->advance(milliseconds(200));  // backoff over, budget not: connect waits
  EXPECT_EQ(transport->connections.size(), 1u);
  session->stop();
  transport->advance(milliseconds(20'000));
  EXPECT_EQ(transport->connections.size(), 1u);
}

}  // namespace
}  // namespace troupe::venues
