// The API served by the real socket server and reached by the real client transport.

#include "adapters/api/api_service.hpp"
#include "adapters/net/beast_client.hpp"
#include "adapters/net/beast_server.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <future>

#include "tests/unit/adapters/api/fake_api_backend.hpp"

namespace troupe::api {
namespace {

using namespace std::chrono_literals;

tl::expected<net::HttpResponse, std::string> fetch(net::ClientTransport& client,
                                                   net::HttpRequest request) {
  auto promise = std::make_shared<std::promise<tl::expected<net::HttpResponse, std::string>>>();
  auto future = promise->get_future();
  client.http(std::move(request),
              [promise](auto result) { promise->set_value(std::move(result)); });
  if (future.wait_for(5s) != std::future_status::ready)
    return tl::make_unexpected(std::string("test timeout"));
  return future.get();
}

TEST(ApiOverHttp, ServesHealthAndAcceptsAnOrderThroughRealSockets) {
  testing::FakeApiBackend backend;
  ApiService service(backend);
  auto server = net::BeastServer::start(service, {});
  ASSERT_TRUE(server) << server.error();
  auto client = net::make_beast_client_transport({"127.0.0.1", (*server)->port(), "api"});

  auto health = fetch(*client, {"GET", "/api/v1/health", {}, ""});
  ASSERT_TRUE(health) << health.error();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->content_type, "application/json");
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string(parser.parse(health->body)["status"].get_string().value()), "ok");

  auto order = fetch(*client, {"POST",
                               "/api/v1/orders",
                               {{"Content-Type", "application/json"}},
                               R"({"symbol":"BTCUSDT","side":"buy","type":"limit",)"
                               R"("qty":"0.5","limit_price":"27000.00"})"});
  ASSERT_TRUE(order) << order.error();
  EXPECT_EQ(order->status, 200) << order->body;
  EXPECT_EQ(std::string(parser.parse(order->body)["limit_price"].get_string().value()), "27000.00");
  ASSERT_EQ(backend.submitted.size(), 1u);

  auto metrics = fetch(*client, {"GET", "/metrics", {}, ""});
  ASSERT_TRUE(metrics) << metrics.error();
  EXPECT_EQ(metrics->content_type, "text/plain; version=0.0.4");

  client->shutdown();
  (*server)->stop();
}

}  // namespace
}  // namespace troupe::api
