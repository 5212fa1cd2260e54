// BinanceOrderPort driven through a fake transport: user data stream subscription, signed
// order entry, executionReport mapping, unknown-status handling and cancels.

#include "adapters/venues/binance/order_port.hpp"

#include "adapters/venues/binance/binance_signing.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "binance_test_support.hpp"
#include "tests/unit/adapters/venues/common/fake_transport.hpp"

namespace troupe::binance {
namespace {

using std::chrono::milliseconds;
using testing::FrameError;
using Listener = testing::RecordingOrderListener;

constexpr std::string_view kKey = "SIMKEY";
constexpr std::string_view kSecret = "sim-secret-0123456789";

std::string report_frame(std::string_view x, std::string_view c, std::string_view big_c,
                         std::int64_t trade_id, std::string_view last_qty = "0.00000000",
                         std::string_view cum_qty = "0.00000000") {
  return std::string(R"({"subscriptionId":0,"event":{"e":"executionReport","E":1718000000006,)") +
         R"("s":"BTCUSDT","c":")" + std::string(c) + R"(","S":"BUY","o":"LIMIT","f":"GTC",)" +
         R"("q":"0.01000000","p":"60000.00","P":"0.00","C":")" + std::string(big_c) + R"(","x":")" +
         std::string(x) + R"(","X":"NEW","r":"NONE","i":812345,"l":")" + std::string(last_qty) +
         R"(","z":")" + std::string(cum_qty) +
         R"(","L":"60000.00","n":"0.00000400","N":"BTC","T":1718000000005,"t":)" +
         std::to_string(trade_id) + R"(,"m":false}})";
}

class BinanceOrderPortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OrderPortOptions options;
    options.account = AccountId{"paper"};
    options.api_key = kKey;
    options.api_secret = kSecret;
    options.instruments = {testing::btcusdt()};
    options.transport = transport;
    options.clock = &clock;
    options.recv_window_ms = 5000;
    options.status_query_delay_ms = 1000;
    options.status_query_attempts = 2;
    port = make_order_port(std::move(options));
    port->start(listener);
    transport->run_due();
  }

  void go_live() {
    transport->open();
    transport->push(R"({"id":"subscribe-1","status":200,"result":{"subscriptionId":0}})");
    ASSERT_EQ(listener.states().back(), SessionState::Live);
    listener.events.clear();
  }

  SubmitOrder limit_order() {
    SubmitOrder order;
    order.account = AccountId{"paper"};
    order.client_order_id = ClientOrderId{"cli-0001"};
    order.instrument = testing::btcusdt().id;
    order.side = Side::Buy;
    order.type = OrderType::Limit;
    order.time_in_force = TimeInForce::Gtc;
    order.quantity = Quantity::from_raw(1000000, 8);
    order.price = Price::from_raw(6000000, 2);
    return order;
  }

  /// Submits the §2.5 composed order and returns the index of its request.
  std::size_t submit() {
    port->submit(limit_order());
    transport->run_due();
    auto open = transport->open_requests("/api/v3/order");
    EXPECT_EQ(open.size(), 1u);
    return open.empty() ? 0 : open.back();
  }

  SimulatedClock clock{1'718'000'000'000'000'000};
  std::shared_ptr<venues::testing::FakeTransport> transport =
      std::make_shared<venues::testing::FakeTransport>(clock);
  Listener listener;
  std::unique_ptr<OrderPort> port;
};

TEST_F(BinanceOrderPortTest, SubscribesToTheUserDataStreamWithAValidSignature) {
  ASSERT_EQ(transport->connections.size(), 1u);
  EXPECT_EQ(transport->last_connection().target, "/ws-api/v3");
  transport->open();
  ASSERT_EQ(transport->last_connection().socket->sent.size(), 1u);
  const std::string& sent = transport->last_connection().socket->sent[0];
  std::smatch match;
  ASSERT_TRUE(std::regex_match(
      sent, match,
      std::regex(
          R"re(\{"id":"subscribe-1","method":"userDataStream\.subscribe\.signature",)re"
          R"re("params":\{"apiKey":"SIMKEY","timestamp":(\d+),"signature":"([0-9a-f]{64})"\}\})re")))
      << sent;
  EXPECT_EQ(match[1].str(), "1718000000000");
  EXPECT_EQ(match[2].str(), hmac_sha256_hex(kSecret, "apiKey=SIMKEY&timestamp=" + match[1].str()));
  EXPECT_EQ(listener.states(),
            (std::vector<SessionState>{SessionState::Connecting, SessionState::Syncing}));
  transport->push(R"({"id":"subscribe-1","status":200,"result":{"subscriptionId":0}})");
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(BinanceOrderPortTest, RefusedSubscriptionIsReportedAndRetriedOnANewConnection) {
  transport->open();
  transport->push(
      R"({"id":"subscribe-1","status":401,"error":{"code":-2015,"msg":"Invalid API-key."}})");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(
      listener.all<FrameError>()[0].reason,
      "binance userDataStream.subscribe.signature failed: status 401: -2015 Invalid API-key.");
  EXPECT_EQ(listener.states().back(), SessionState::Disconnected);
  transport->advance(milliseconds(200));
  EXPECT_EQ(transport->connections.size(), 2u);
}

TEST_F(BinanceOrderPortTest, SubmitSendsACorrectlySignedOrder) {
  go_live();
  const auto& request = transport->requests.at(submit()).request;
  EXPECT_EQ(request.method, "POST");
  EXPECT_TRUE(request.body.empty());
  const std::string payload =
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000000&price=60000.00"
      "&newClientOrderId=cli-0001&newOrderRespType=ACK&recvWindow=5000&timestamp=1718000000000";
  EXPECT_EQ(request.target,
            "/api/v3/order?" + payload + "&signature=" + hmac_sha256_hex(kSecret, payload));
  const std::string* key = net::find_header(request.headers, "x-mbx-apikey");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(*key, kKey);
}

TEST_F(BinanceOrderPortTest, ExecutionReportsBecomeOrderEventsAndCancelsUseTheOriginalId) {
  go_live();
  transport->respond(submit(), 200,
                     R"({"symbol":"BTCUSDT","orderId":812345,"orderListId":-1,)"
                     R"("clientOrderId":"cli-0001","transactTime":1718000000005})");
  EXPECT_TRUE(listener.events.empty());  // the ACK says nothing; the stream does
  transport->push(report_frame("NEW", "cli-0001", "", -1));
  transport->push(report_frame("TRADE", "cli-0001", "", 99001, "0.00400000", "0.00400000"));
  transport->push(report_frame("CANCELED", "cxl-0001", "cli-0001", -1, "0.00000000", "0.00400000"));

  ASSERT_EQ(listener.events.size(), 3u);
  auto accepted = std::get<OrderAccepted>(listener.events[0]);
  EXPECT_EQ(accepted.client_order_id.value, "cli-0001");
  EXPECT_EQ(accepted.venue_order_id.value, "812345");
  EXPECT_EQ(accepted.account.value, "paper");
  auto fill = std::get<OrderFilled>(listener.events[1]);
  EXPECT_EQ(fill.trade_id.value, "99001");
  EXPECT_EQ(fill.last_quantity, Quantity::from_raw(400000, 8));
  EXPECT_EQ(fill.leaves_quantity, Quantity::from_raw(600000, 8));
  EXPECT_EQ(fill.commission, Money::from_raw(400, 8));
  EXPECT_EQ(fill.liquidity, LiquiditySide::Taker);
  EXPECT_EQ(fill.ts_init, clock.now_ns());
  auto canceled = std::get<OrderCanceled>(listener.events[2]);
  EXPECT_EQ(canceled.client_order_id.value, "cli-0001");
  EXPECT_EQ(canceled.reason, "user");
}

TEST_F(BinanceOrderPortTest, RepeatedTradeReportProducesOneFill) {
  go_live();
  const std::string trade = report_frame("TRADE", "cli-0001", "", 99001, "0.004", "0.004");
  transport->push(trade);
  transport->push(trade);
  transport->push(report_frame("TRADE", "cli-0001", "", 99002, "0.001", "0.005"));
  auto fills = listener.all<OrderFilled>();
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[1].trade_id.value, "99002");
}

TEST_F(BinanceOrderPortTest, VenueRefusalBecomesOrderRejectedWithCodeAndMessage) {
  go_live();
  transport->respond(
      submit(), 400,
      R"({"code":-2010,"msg":"Account has insufficient balance for requested action."})");
  auto rejected = listener.all<OrderRejected>();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].client_order_id.value, "cli-0001");
  EXPECT_EQ(rejected[0].instrument.symbol, "BTCUSDT");
  EXPECT_EQ(rejected[0].reason, "-2010 Account has insufficient balance for requested action.");
}

TEST_F(BinanceOrderPortTest, RejectionSeenOnTheStreamAndInTheRestAnswerIsReportedOnce) {
  go_live();
  const std::size_t request = submit();
  std::string rejected = report_frame("REJECTED", "cli-0001", "", -1);
  rejected.replace(rejected.find(R"("r":"NONE")"), 10, R"("r":"INSUFFICIENT_BALANCES")");
  transport->push(rejected);
  transport->respond(
      request, 400,
      R"({"code":-2010,"msg":"Account has insufficient balance for requested action."})");
  auto events = listener.all<OrderRejected>();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "INSUFFICIENT_BALANCES");
}

TEST_F(BinanceOrderPortTest, ServerErrorLeavesStatusUnknownAndQueriesInsteadOfResending) {
  go_live();
  transport->respond(submit(), 503, "Service Unavailable");
  EXPECT_TRUE(listener.all<OrderRejected>().empty());
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_NE(listener.all<FrameError>()[0].reason.find("status unknown"), std::string::npos);

  transport->advance(milliseconds(1000));
  ASSERT_EQ(transport->requests.size(), 2u);  // one POST, one GET: never resent
  const auto& query = transport->requests[1].request;
  EXPECT_EQ(query.method, "GET");
  EXPECT_EQ(query.target.rfind("/api/v3/order?symbol=BTCUSDT&origClientOrderId=cli-0001"
                               "&recvWindow=5000&timestamp=1718000001000&signature=",
                               0),
            0u)
      << query.target;

  transport->respond(1, 400, R"({"code":-2013,"msg":"Order does not exist."})");
  auto rejected = listener.all<OrderRejected>();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].reason.rfind("-2013 Order does not exist.", 0), 0u) << rejected[0].reason;
}

TEST_F(BinanceOrderPortTest, TimeoutWhoseOrderExistsIsReportedAccepted) {
  go_live();
  transport->respond(submit(), 408, R"({"code":-1007,"msg":"Timeout waiting for response."})");
  EXPECT_TRUE(listener.all<OrderRejected>().empty());
  transport->advance(milliseconds(1000));
  transport->respond(transport->open_requests("/api/v3/order").at(0), 200,
                     R"({"symbol":"BTCUSDT","orderId":812345,"clientOrderId":"cli-0001",)"
                     R"("status":"NEW","executedQty":"0.00000000","updateTime":1718000000005})");
  auto accepted = listener.all<OrderAccepted>();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].venue_order_id.value, "812345");
}

TEST_F(BinanceOrderPortTest, UnknownStatusSettledByTheStreamNeedsNoQuery) {
  go_live();
  transport->fail(submit(), "read: connection reset");
  transport->push(report_frame("NEW", "cli-0001", "", -1));
  transport->advance(milliseconds(1000));
  EXPECT_EQ(transport->requests.size(), 1u);
  EXPECT_EQ(listener.all<OrderAccepted>().size(), 1u);
}

TEST_F(BinanceOrderPortTest, UnresolvedStatusIsGivenUpAfterTheConfiguredQueries) {
  go_live();
  transport->respond(submit(), 500, "");
  transport->advance(milliseconds(1000));
  transport->respond(transport->open_requests("/api/v3/order").at(0), 502, "bad gateway");
  transport->advance(milliseconds(2000));
  transport->fail(transport->open_requests("/api/v3/order").at(0), "timeout");
  transport->advance(milliseconds(10000));
  EXPECT_EQ(transport->requests.size(), 3u);
  EXPECT_NE(listener.all<FrameError>().back().reason.find("status still unknown after 2"),
            std::string::npos);
}

TEST_F(BinanceOrderPortTest, CancelSendsASignedDeleteAndARefusalIsNoRejection) {
  go_live();
  CancelOrder cancel;
  cancel.client_order_id = ClientOrderId{"cli-0001"};
  cancel.instrument = testing::btcusdt().id;
  port->cancel(cancel);
  transport->run_due();
  ASSERT_EQ(transport->requests.size(), 1u);
  const auto& request = transport->requests[0].request;
  EXPECT_EQ(request.method, "DELETE");
  const std::string payload =
      "symbol=BTCUSDT&origClientOrderId=cli-0001&recvWindow=5000&timestamp=1718000000000";
  EXPECT_EQ(request.target,
            "/api/v3/order?" + payload + "&signature=" + hmac_sha256_hex(kSecret, payload));
  transport->respond(0, 400, R"({"code":-2011,"msg":"Unknown order sent."})");
  EXPECT_TRUE(listener.all<OrderRejected>().empty());
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_EQ(listener.all<FrameError>()[0].reason,
            "binance cancel cli-0001: refused: HTTP 400: -2011 Unknown order sent.");
}

TEST_F(BinanceOrderPortTest, OrderForAnUnconfiguredSymbolIsRejectedWithoutARequest) {
  go_live();
  SubmitOrder order = limit_order();
  order.instrument.symbol = "DOGEUSDT";
  port->submit(order);
  transport->run_due();
  EXPECT_TRUE(transport->requests.empty());
  ASSERT_EQ(listener.all<OrderRejected>().size(), 1u);
}

TEST_F(BinanceOrderPortTest, ClosedUserStreamReconnectsAndSubscribesAgain) {
  go_live();
  transport->close_socket("eof");
  EXPECT_EQ(listener.states(), std::vector<SessionState>{SessionState::Disconnected});
  transport->advance(milliseconds(200));
  ASSERT_EQ(transport->connections.size(), 2u);
  transport->open();
  ASSERT_EQ(transport->last_connection().socket->sent.size(), 1u);
  EXPECT_NE(transport->last_connection().socket->sent[0].find("\"id\":\"subscribe-2\""),
            std::string::npos);
}

TEST_F(BinanceOrderPortTest, TerminatedEventStreamIsSubscribedAgain) {
  go_live();
  transport->push(R"({"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1}})");
  EXPECT_EQ(listener.states().back(), SessionState::Syncing);
  EXPECT_EQ(transport->last_connection().socket->sent.size(), 2u);
  transport->push(R"({"id":"subscribe-2","status":200,"result":{"subscriptionId":1}})");
  EXPECT_EQ(listener.states().back(), SessionState::Live);
}

TEST_F(BinanceOrderPortTest, MalformedReportIsAFrameErrorAndTheStreamStaysUp) {
  go_live();
  transport->push(R"({"subscriptionId":0,"event":{"e":"executionReport","s":"BTCUSDT")");
  ASSERT_EQ(listener.all<FrameError>().size(), 1u);
  EXPECT_TRUE(listener.states().empty());
  transport->push(report_frame("NEW", "cli-0001", "", -1));
  EXPECT_EQ(listener.all<OrderAccepted>().size(), 1u);
}

TEST_F(BinanceOrderPortTest, NoListenerCallAfterStop) {
  go_live();
  auto* handler = transport->last_connection().handler;
  port->stop();
  handler->on_message(report_frame("NEW", "cli-0001", "", -1));
  EXPECT_TRUE(listener.events.empty());
}

}  // namespace
}  // namespace troupe::binance
