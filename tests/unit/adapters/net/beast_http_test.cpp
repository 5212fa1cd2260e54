#include "adapters/net/beast_client.hpp"
#include "adapters/net/beast_server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/unit/adapters/net/net_test_support.hpp"
#include "tests/unit/adapters/net/raw_socket.hpp"

namespace troupe::net {
namespace {

using namespace testing;
using Clock = std::chrono::steady_clock;

class BeastHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.max_body_bytes = 1024;
    auto started = BeastServer::start(service_, options);
    ASSERT_TRUE(started) << started.error();
    server_ = std::move(*started);
    client_ = make_beast_client_transport({"127.0.0.1", server_->port(), "test"});
  }
  void TearDown() override {
    service_.release();
    if (client_) client_->shutdown();
    if (server_) server_->stop();
  }

  tl::expected<HttpResponse, std::string> fetch(HttpRequest request) {
    HttpResult result;
    client_->http(std::move(request), result.callback());
    return result.get();
  }

  EchoService service_;
  std::unique_ptr<BeastServer> server_;
  std::unique_ptr<ClientTransport> client_;
};

TEST_F(BeastHttp, GetRoundTripCarriesTargetAndHeaders) {
  ASSERT_NE(server_->port(), 0);
  auto response = fetch({"GET", "/echo?symbol=BTCUSDT&limit=5", {{"X-Custom", "v1"}}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(*find_header(response->headers, "x-method"), "GET");
  EXPECT_EQ(*find_header(response->headers, "x-target"), "/echo?symbol=BTCUSDT&limit=5");
  EXPECT_EQ(*find_header(response->headers, "x-seen-x-custom"), "v1");
  EXPECT_EQ(*find_header(response->headers, "x-seen-user-agent"), "troupe/0.1");
  EXPECT_EQ(*find_header(response->headers, "x-seen-host"),
            "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_EQ(*find_header(response->headers, "server"), "troupe/0.1");
}

TEST_F(BeastHttp, PostRoundTripCarriesBodyWithFormContentTypeByDefault) {
  auto response = fetch({"POST", "/echo", {}, "symbol=BTCUSDT&side=BUY"});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->body, "symbol=BTCUSDT&side=BUY");
  EXPECT_EQ(*find_header(response->headers, "x-seen-content-type"),
            "application/x-www-form-urlencoded");

  auto json = fetch({"POST", "/echo", {{"content-type", "application/json"}}, R"({"a":1})"});
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(json->body, R"({"a":1})");
  EXPECT_EQ(*find_header(json->headers, "x-seen-content-type"), "application/json");
}

TEST_F(BeastHttp, UnknownPathGets404FromTheService) {
  auto response = fetch({"GET", "/missing", {}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 404);
}

TEST_F(BeastHttp, BodyAboveTheLimitGets413WithoutReachingTheService) {
  auto response = fetch({"POST", "/echo", {}, std::string(8 * 1024, 'x')});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("1024 bytes"), std::string::npos) << response->body;
  EXPECT_EQ(service_.requests.load(), 0);
}

TEST_F(BeastHttp, MalformedBytesGet400AndTheServerKeepsServing) {
  RawSocket raw(server_->port());
  raw.write("THIS IS NOT HTTP\r\n\r\n");
  const auto reply = raw.read_to_end();
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("malformed HTTP request"), std::string::npos) << reply;

  auto response = fetch({"GET", "/echo", {}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 200);
}

TEST_F(BeastHttp, KeepAliveConnectionServesSeveralRequests) {
  RawSocket raw(server_->port());
  raw.write(
      "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  const auto replies = raw.read_to_end();
  EXPECT_EQ(replies.rfind("HTTP/1.1 200", 0), 0u) << replies;
  EXPECT_NE(replies.find("HTTP/1.1 200", 10), std::string::npos) << replies;
  EXPECT_NE(replies.find("hello"), std::string::npos) << replies;
  EXPECT_EQ(service_.requests.load(), 2);
}

TEST_F(BeastHttp, ServiceExceptionBecomes500WithJsonBody) {
  auto response = fetch({"GET", "/throw", {}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, R"({"code":500,"message":"internal error in GET /throw: boom"})");
}

TEST_F(BeastHttp, ClientShutdownWithRequestInFlightReturnsPromptlyAndCallsBackOnce) {
  HttpResult result;
  client_->http({"GET", "/slow", {}, ""}, result.callback());
  // The request is in flight once the service holds it.
  const auto deadline = Clock::now() + 3s;
  while (service_.requests.load() == 0 && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(service_.requests.load(), 1);

  const auto start = Clock::now();
  client_->shutdown();
  EXPECT_LT(Clock::now() - start, 500ms);
  auto response = result.get(0ms);
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().find("transport shut down"), std::string::npos) << response.error();
  EXPECT_EQ(result.calls->load(), 1);

  client_->shutdown();  // idempotent
  HttpResult after;
  client_->http({"GET", "/echo", {}, ""}, after.callback());
  EXPECT_EQ(after.calls->load(), 0);
}

TEST_F(BeastHttp, PostAfterRunsTheFunctionAfterTheDelay) {
  std::promise<Clock::time_point> fired;
  const auto start = Clock::now();
  client_->post_after(30ms, [&] { fired.set_value(Clock::now()); });
  auto future = fired.get_future();
  ASSERT_EQ(future.wait_for(3s), std::future_status::ready);
  EXPECT_GE(future.get() - start, 30ms);
}

TEST_F(BeastHttp, ShutdownFromACallbackDoesNotDeadlock) {
  std::promise<void> done;
  client_->http({"GET", "/echo", {}, ""}, [&](tl::expected<HttpResponse, std::string>) {
    client_->shutdown();  // on the I/O thread itself
    done.set_value();
  });
  ASSERT_EQ(done.get_future().wait_for(3s), std::future_status::ready);
  const auto start = Clock::now();
  client_.reset();  // joins the thread that has left run()
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(BeastClient, ConnectionRefusedIsReportedNamingHostAndPort) {
  std::uint16_t port = 0;
  {
    EchoService service;
    auto server = BeastServer::start(service, {});
    ASSERT_TRUE(server) << server.error();
    port = (*server)->port();
    (*server)->stop();
  }
  auto client = make_beast_client_transport({"127.0.0.1", port, "closed-port"});
  HttpResult result;
  client->http({"GET", "/x", {}, ""}, result.callback());
  auto response = result.get();
  ASSERT_FALSE(response);
  const auto expected = "closed-port: connect 127.0.0.1:" + std::to_string(port) + ": ";
  EXPECT_EQ(response.error().rfind(expected, 0), 0u) << response.error();
  EXPECT_NE(response.error().find("refused"), std::string::npos) << response.error();
}

TEST(BeastServer, StartFailureNamesHostAndPort) {
  EchoService service;
  auto first = BeastServer::start(service, {});
  ASSERT_TRUE(first) << first.error();
  ServerOptions options;
  options.port = (*first)->port();
  options.name = "api";
  // reuse_address does not allow two listeners on one port.
  auto second = BeastServer::start(service, options);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().find("127.0.0.1:" + std::to_string(options.port)), std::string::npos)
      << second.error();
  EXPECT_EQ(second.error().rfind("api: ", 0), 0u) << second.error();
}

}  // namespace
}  // namespace troupe::net
