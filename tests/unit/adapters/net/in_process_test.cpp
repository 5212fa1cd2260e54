#include "adapters/net/in_process.hpp"

#include <gtest/gtest.h>

#include "tests/unit/adapters/net/net_test_support.hpp"

namespace troupe::net {
namespace {

using namespace testing;

class InProcess : public ::testing::Test {
 protected:
  EchoService service_;
  SimulatedClock clock_{1'000'000'000};
  std::unique_ptr<InProcessTransport> transport_ = make_in_process_transport(service_, clock_);
  RecordingClientHandler handler_;
};

TEST_F(InProcess, NothingRunsUntilRunPendingDrainsTheQueue) {
  HttpResult result;
  transport_->http({"GET", "/echo", {}, ""}, result.callback());
  EXPECT_EQ(transport_->pending(), 1u);
  EXPECT_EQ(service_.requests.load(), 0);
  EXPECT_EQ(result.calls->load(), 0);
  // One item runs the service, a second delivers the response.
  EXPECT_EQ(transport_->run_pending(), 2u);
  EXPECT_EQ(transport_->pending(), 0u);
  EXPECT_EQ(result.calls->load(), 1);
  EXPECT_EQ(transport_->run_pending(), 0u);
}

TEST_F(InProcess, HttpExchangeReturnsWhatTheServiceAnswers) {
  HttpResult result;
  transport_->http({"POST", "/echo?x=1", {{"Content-Type", "application/json"}}, "{}"},
                   result.callback());
  transport_->run_pending();
  auto response = result.get(0ms);
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{}");
  EXPECT_EQ(*find_header(response->headers, "X-Target"), "/echo?x=1");
  EXPECT_EQ(*find_header(response->headers, "X-Seen-Content-Type"), "application/json");
}

TEST_F(InProcess, ServiceExceptionBecomes500LikeOverSockets) {
  HttpResult result;
  transport_->http({"GET", "/throw", {}, ""}, result.callback());
  transport_->run_pending();
  auto response = result.get(0ms);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, R"({"code":500,"message":"internal error in GET /throw: boom"})");
}

TEST_F(InProcess, DeliversRequestsAndMessagesInFifoOrder) {
  Recorder order;
  auto record = [&order](std::string name) {
    return [&order, name](tl::expected<HttpResponse, std::string> r) {
      order.add(name + ":" + (r ? r->body : r.error()));
    };
  };
  auto socket = transport_->websocket("/ws/echo", handler_);
  transport_->http({"POST", "/echo", {}, "a"}, record("http1"));
  socket->send("m1");
  transport_->http({"POST", "/echo", {}, "b"}, record("http2"));
  socket->send("m2");
  transport_->run_pending();
  EXPECT_EQ(order.events(), (std::vector<std::string>{"http1:a", "http2:b"}));
  EXPECT_EQ(handler_.recorder.events(),
            (std::vector<std::string>{"open", "msg:echo:m1", "msg:echo:m2"}));
  ASSERT_EQ(service_.handlers.size(), 1u);
  EXPECT_EQ(service_.handlers[0]->recorder.events(),
            (std::vector<std::string>{"msg:m1", "msg:m2"}));
}

TEST_F(InProcess, ServerPushIsDeliveredOnTheNextDrain) {
  auto socket = transport_->websocket("/ws/push", handler_);
  transport_->run_pending();
  ASSERT_EQ(service_.handlers.size(), 1u);
  service_.handlers[0]->socket->send("p1");
  service_.handlers[0]->socket->send("p2");
  EXPECT_EQ(handler_.recorder.size(), 1u);  // only "open" until drained
  EXPECT_EQ(transport_->run_pending(), 2u);
  EXPECT_EQ(handler_.recorder.events(), (std::vector<std::string>{"open", "msg:p1", "msg:p2"}));
}

TEST_F(InProcess, RefusedWebSocketClosesWith404) {
  auto socket = transport_->websocket("/ws/nowhere", handler_);
  socket->send("dropped");
  transport_->run_pending();
  EXPECT_EQ(handler_.recorder.events(), (std::vector<std::string>{"close:404"}));
}

TEST_F(InProcess, ClientCloseNotifiesBothSidesAfterEarlierMessages) {
  auto socket = transport_->websocket("/ws/echo", handler_);
  socket->send("last");
  socket->close();
  socket->send("after close");  // dropped
  transport_->run_pending();
  ASSERT_EQ(service_.handlers.size(), 1u);
  EXPECT_EQ(service_.handlers[0]->recorder.events(),
            (std::vector<std::string>{"msg:last", "close"}));
  // The echo of "last" is queued after the close item, so the closed client never sees it.
  EXPECT_EQ(handler_.recorder.events(),
            (std::vector<std::string>{"open", "close:closed by client"}));
}

TEST_F(InProcess, ServerCloseNotifiesBothSides) {
  auto socket = transport_->websocket("/ws/push", handler_);
  transport_->run_pending();
  service_.handlers[0]->socket->send("bye");
  service_.handlers[0]->socket->close();
  transport_->run_pending();
  EXPECT_EQ(handler_.recorder.events(),
            (std::vector<std::string>{"open", "msg:bye", "close:closed by server"}));
  EXPECT_EQ(service_.handlers[0]->closes.load(), 1);
}

TEST_F(InProcess, TimersFireOnlyOnceTheClockReachesTheirDueTimeInInsertionOrderOnTies) {
  Recorder fired;
  transport_->post_after(20ms, [&] { fired.add("b"); });
  transport_->post_after(10ms, [&] { fired.add("a"); });
  transport_->post_after(20ms, [&] { fired.add("c"); });
  transport_->post_after(0ms, [&] { fired.add("now"); });
  EXPECT_EQ(transport_->pending(), 1u);
  EXPECT_EQ(transport_->run_pending(), 1u);
  clock_.advance(9ms);
  EXPECT_EQ(transport_->run_pending(), 0u);
  clock_.advance(1ms);
  EXPECT_EQ(transport_->run_pending(), 1u);
  clock_.advance(100ms);
  EXPECT_EQ(transport_->run_pending(), 2u);
  EXPECT_EQ(fired.events(), (std::vector<std::string>{"now", "a", "b", "c"}));
}

TEST_F(InProcess, TimerSetFromATimerFiresInTheSameDrainWhenDue) {
  Recorder fired;
  transport_->post_after(5ms, [&] {
    fired.add("first");
    transport_->post_after(0ms, [&] { fired.add("second"); });
  });
  clock_.advance(5ms);
  EXPECT_EQ(transport_->run_pending(), 2u);
  EXPECT_EQ(fired.events(), (std::vector<std::string>{"first", "second"}));
}

TEST_F(InProcess, ShutdownDropsQueuedWorkAndClosesServerHandlers) {
  auto socket = transport_->websocket("/ws/echo", handler_);
  transport_->run_pending();
  HttpResult result;
  transport_->http({"GET", "/echo", {}, ""}, result.callback());
  transport_->post_after(0ms, [] { FAIL() << "timer ran after shutdown"; });
  socket->send("dropped");
  transport_->shutdown();
  EXPECT_EQ(service_.handlers[0]->closes.load(), 1);
  EXPECT_EQ(transport_->run_pending(), 0u);
  EXPECT_EQ(transport_->pending(), 0u);
  EXPECT_EQ(result.calls->load(), 0);
  EXPECT_EQ(handler_.recorder.events(), (std::vector<std::string>{"open"}));
  transport_->shutdown();  // idempotent
}

}  // namespace
}  // namespace troupe::net
