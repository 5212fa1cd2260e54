#include "adapters/sim/sim_server.hpp"

#include "adapters/net/in_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sys/socket.h>
#include <sys/time.h>

#include "tests/unit/adapters/sim/sim_test_support.hpp"

namespace troupe::sim {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

// Blocking reads give up after 3 s so that no test can hang.
void set_receive_timeout(tcp::socket& socket) {
  timeval timeout{3, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

tcp::endpoint loopback(std::uint16_t port) {
  return {boost::asio::ip::make_address("127.0.0.1"), port};
}

http::response<http::string_body> http_get(std::uint16_t port, const std::string& target) {
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(loopback(port));
  set_receive_timeout(socket);
  http::request<http::string_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response;
}

SimConfig loopback_config() {
  SimConfig config = test::btc_config();
  config.port = 0;
  config.step_ms = 20;
  return config;
}

TEST(SimVenueServer, ServesDepthOverLoopbackAndStreamsContiguousDepthEvents) {
  LiveClock clock;
  auto server = SimVenueServer::start(loopback_config(), clock);
  ASSERT_TRUE(server.has_value()) << server.error();
  const std::uint16_t port = (*server)->port();
  ASSERT_NE(port, 0);

  boost::asio::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(loopback(port));
  set_receive_timeout(ws.next_layer());
  ws.handshake("127.0.0.1", "/ws/btcusdt@depth@100ms");
  auto read_range = [&]() {
    beast::flat_buffer buffer;
    ws.read(buffer);
    simdjson::dom::parser parser;
    simdjson::dom::element event = parser.parse(beast::buffers_to_string(buffer.data()));
    return std::make_pair(std::uint64_t(event["U"]), std::uint64_t(event["u"]));
  };
  auto first = read_range();

  auto response = http_get(port, "/api/v3/depth?symbol=BTCUSDT&limit=5000");
  ASSERT_EQ(response.result_int(), 200) << response.body();
  simdjson::dom::parser parser;
  simdjson::dom::element snapshot = parser.parse(response.body());
  const std::uint64_t last_update_id = std::uint64_t(snapshot["lastUpdateId"]);
  EXPECT_GE(last_update_id + 1, first.first);  // §2.7 step 3: the snapshot is not older
  EXPECT_GT(snapshot["bids"].get_array().size(), 0u);

  bool bridged = first.first <= last_update_id + 1 && last_update_id <= first.second;
  std::uint64_t previous = first.second;
  for (int i = 0; i < 30; ++i) {
    const auto next = read_range();
    ASSERT_EQ(next.first, previous + 1) << "gap after u=" << previous;
    bridged = bridged || (next.first <= last_update_id + 1 && last_update_id <= next.second);
    previous = next.second;
  }
  EXPECT_TRUE(bridged) << "no event contains the snapshot's lastUpdateId + 1";
  ws.close(websocket::close_code::normal);
  (*server)->stop();
  EXPECT_GE((*server)->binance()->counters().steps, 30u);
}

TEST(SimVenueServer, StartFailsNamingThePortWhenItIsTaken) {
  LiveClock clock;
  auto first = SimVenueServer::start(loopback_config(), clock);
  ASSERT_TRUE(first.has_value()) << first.error();
  SimConfig config = loopback_config();
  config.port = (*first)->port();
  auto second = SimVenueServer::start(config, clock);
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().find(std::to_string(config.port)), std::string::npos) << second.error();
}

TEST(SimVenueServer, StartRefusesAnInvalidConfigNamingTheKey) {
  LiveClock clock;
  SimConfig config = loopback_config();
  config.instruments[0].vol_clustering = 1.5;
  auto server = SimVenueServer::start(config, clock);
  ASSERT_FALSE(server.has_value());
  EXPECT_NE(server.error().find("sim.instruments[0].vol_clustering"), std::string::npos)
      << server.error();
}

// Collects what a client WebSocket receives.
class RecordingHandler final : public net::WebSocketHandler {
 public:
  void on_open() override { opened = true; }
  void on_message(std::string_view payload) override { messages.emplace_back(payload); }
  void on_close(std::string reason) override { closed = reason; }
  bool opened = false;
  std::vector<std::string> messages;
  std::optional<std::string> closed;
};

TEST(SimVenueInProcess, BacktestTransportReachesRestAndStreamsDeterministically) {
  SimulatedClock clock(1'718'000'000'000'000'000);
  BinanceFrontEnd venue(test::btc_config(), clock);
  auto transport = net::make_in_process_transport(venue, clock);
  RecordingHandler handler;
  auto socket = transport->websocket("/ws/btcusdt@depth@100ms", handler);
  int depth_status = 0;
  transport->http(net::HttpRequest{"GET", "/api/v3/depth?symbol=BTCUSDT", {}, {}},
                  [&](const tl::expected<net::HttpResponse, std::string>& r) {
                    depth_status = r.has_value() ? r->status : -1;
                  });
  transport->run_pending();
  ASSERT_TRUE(handler.opened);
  EXPECT_EQ(depth_status, 200);
  for (int i = 0; i < 10; ++i) {
    clock.advance(std::chrono::milliseconds(50));
    venue.step(clock.now_ns());
  }
  transport->run_pending();
  EXPECT_EQ(handler.messages.size(), 10u);
  venue.disconnect_streams();
  transport->run_pending();
  EXPECT_TRUE(handler.closed.has_value());
  transport->shutdown();
}

}  // namespace
}  // namespace troupe::sim
