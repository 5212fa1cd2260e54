#include "adapters/net/beast_client.hpp"
#include "adapters/net/beast_server.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "tests/unit/adapters/net/net_test_support.hpp"
#include "tests/unit/adapters/net/raw_socket.hpp"

namespace troupe::net {
namespace {

using namespace testing;

class BeastWebSocket : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.port = 0;
    auto started = BeastServer::start(service_, options);
    ASSERT_TRUE(started) << started.error();
    server_ = std::move(*started);
    client_ = make_beast_client_transport({"127.0.0.1", server_->port(), "ws-test"});
  }
  void SetUp() override { start(); }
  void TearDown() override {
    if (client_) client_->shutdown();
    if (server_) server_->stop();
  }

  EchoService service_;
  std::unique_ptr<BeastServer> server_;
  std::unique_ptr<ClientTransport> client_;
  RecordingClientHandler handler_;
};

TEST_F(BeastWebSocket, EchoesMessagesBothWaysInOrder) {
  auto socket = client_->websocket("/ws/echo", handler_);
  socket->send("one");  // queued before the handshake completes
  socket->send("two");
  ASSERT_TRUE(handler_.recorder.wait_for_count(3));
  const std::vector<std::string> expected{"open", "msg:echo:one", "msg:echo:two"};
  EXPECT_EQ(handler_.recorder.events(), expected);
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  EXPECT_EQ(server_side->recorder.events(), (std::vector<std::string>{"msg:one", "msg:two"}));
}

TEST_F(BeastWebSocket, ServerPushesFromAnotherThreadArriveInOrder) {
  auto socket = client_->websocket("/ws/push", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  std::thread pusher([&] {
    for (int i = 0; i < 200; ++i) server_side->socket->send("tick-" + std::to_string(i));
  });
  pusher.join();
  ASSERT_TRUE(handler_.recorder.wait_for_count(201));
  const auto events = handler_.recorder.events();
  for (int i = 0; i < 200; ++i) EXPECT_EQ(events[i + 1], "msg:tick-" + std::to_string(i));
}

TEST_F(BeastWebSocket, RefusedTargetClosesTheClientWithTheHttpStatus) {
  auto socket = client_->websocket("/ws/nowhere", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  const auto event = handler_.recorder.events().front();
  EXPECT_EQ(event.rfind("close:ws-test: handshake 127.0.0.1:", 0), 0u) << event;
  EXPECT_NE(event.find("HTTP 404"), std::string::npos) << event;
  EXPECT_NE(event.find("/ws/nowhere"), std::string::npos) << event;
}

TEST_F(BeastWebSocket, ClientCloseFlushesQueuedMessagesAndNotifiesBothSidesOnce) {
  auto socket = client_->websocket("/ws/echo", handler_);
  socket->send("last");
  socket->close();  // before the handshake completes: it waits, flushes "last", then closes
  socket->send("after close");  // dropped
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  ASSERT_TRUE(server_side->recorder.wait_for_count(2));
  EXPECT_EQ(server_side->recorder.events(), (std::vector<std::string>{"msg:last", "close"}));
  ASSERT_TRUE(handler_.recorder.wait_for_prefix("close:"));
  // The echo of "last" may or may not beat our close frame; Beast drops what arrives after it.
  EXPECT_EQ(handler_.recorder.events().front(), "open");
  EXPECT_EQ(handler_.recorder.events().back(), "close:closed by client");
  EXPECT_EQ(handler_.closes.load(), 1);
  EXPECT_EQ(server_side->closes.load(), 1);
}

TEST_F(BeastWebSocket, ServerCloseFlushesQueuedMessagesThenNotifiesTheClient) {
  auto socket = client_->websocket("/ws/push", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  server_side->socket->send("bye");
  server_side->socket->close();
  ASSERT_TRUE(handler_.recorder.wait_for_count(3));
  EXPECT_EQ(handler_.recorder.events()[1], "msg:bye");
  EXPECT_EQ(handler_.recorder.events()[2], "close:closed by peer (code 1000)");
  ASSERT_TRUE(server_side->recorder.wait_for_count(1));
  EXPECT_EQ(server_side->closes.load(), 1);
}

TEST_F(BeastWebSocket, ClientShutdownClosesTheSocketAndTellsTheHandlerOnce) {
  auto socket = client_->websocket("/ws/echo", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  client_->shutdown();
  EXPECT_EQ(handler_.recorder.events().back(), "close:transport shut down");
  socket->send("after shutdown");  // dropped, no crash
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  ASSERT_TRUE(server_side->recorder.wait_for_count(1));
  EXPECT_EQ(server_side->recorder.events().back(), "close");
  EXPECT_EQ(handler_.closes.load(), 1);
}

TEST_F(BeastWebSocket, ServerStopNotifiesWebSocketHandlersAndClients) {
  auto socket = client_->websocket("/ws/echo", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  server_->stop();
  EXPECT_EQ(server_side->closes.load(), 1);
  server_side->socket->send("after stop");  // dropped, no crash
  ASSERT_TRUE(handler_.recorder.wait_for_count(2));
  EXPECT_EQ(handler_.closes.load(), 1);
  server_->stop();  // idempotent
}

TEST_F(BeastWebSocket, SlowReaderIsDisconnectedWhenItsQueueExceedsTheBound) {
  TearDown();
  ServerOptions options;
  options.max_ws_queue_bytes = 256 << 10;
  start(options);
  RawSocket raw(server_->port(), 4096);
  raw.write(
      "GET /ws/push HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  ASSERT_NE(raw.read_until("\r\n\r\n").find("101"), std::string::npos);
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  // The raw client never reads: kernel buffers fill, then the server's queue, then the bound.
  const std::string chunk(64 << 10, 'x');
  for (int i = 0; i < 512 && server_side->closes.load() == 0; ++i) server_side->socket->send(chunk);
  ASSERT_TRUE(server_side->recorder.wait_for_count(1));
  EXPECT_EQ(server_side->recorder.events().back(), "close");
}

}  // namespace
}  // namespace troupe::net
