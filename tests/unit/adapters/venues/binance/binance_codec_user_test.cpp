// BinanceCodec on the WebSocket API user data stream (§2.10) and REST order / error bodies
// (§2.3, §2.4).

#include "adapters/venues/binance/binance_codec.hpp"

#include <gtest/gtest.h>

#include "binance_test_support.hpp"

namespace troupe::binance {
namespace {

using testing::btcusdt;

// The three composed frames of §2.10 (NEW, TRADE, user CANCEL).
constexpr std::string_view kNewReport =
    R"({"subscriptionId":0,"event":{"e":"executionReport","E":1718000000006,"s":"BTCUSDT","c":"cli-0001","S":"BUY","o":"LIMIT","f":"GTC",)"
    R"("q":"0.01000000","p":"60000.00","P":"0.00","F":"0.00000000","g":-1,"C":"","x":"NEW","X":"NEW","r":"NONE","i":812345,)"
    R"("l":"0.00000000","z":"0.00000000","L":"0.00","n":"0","N":null,"T":1718000000005,"t":-1,"I":5001,"w":true,"m":false,"M":false,)"
    R"("O":1718000000005,"Z":"0.00000000","Y":"0.00000000","Q":"0.00000000","W":1718000000005,"V":"EXPIRE_MAKER"}})";
constexpr std::string_view kTradeReport =
    R"({"subscriptionId":0,"event":{"e":"executionReport","E":1718000000006,"s":"BTCUSDT","c":"cli-0001","S":"BUY","o":"LIMIT","f":"GTC",)"
    R"("q":"0.01000000","p":"60000.00","P":"0.00","F":"0.00000000","g":-1,"C":"","x":"TRADE","X":"PARTIALLY_FILLED","r":"NONE","i":812345,)"
    R"("l":"0.00400000","z":"0.00400000","L":"60000.00","n":"0.00000400","N":"BTC","T":1718000000005,"t":99001,"I":5002,"w":true,"m":false,"M":false,)"
    R"("O":1718000000005,"Z":"240.00000000","Y":"240.00000000","Q":"0.00000000","W":1718000000005,"V":"EXPIRE_MAKER"}})";
constexpr std::string_view kCancelReport =
    R"({"subscriptionId":0,"event":{"e":"executionReport","E":1718000060001,"s":"BTCUSDT","c":"cxl-0001","S":"BUY","o":"LIMIT","f":"GTC",)"
    R"("q":"0.01000000","p":"60000.00","P":"0.00","F":"0.00000000","g":-1,"C":"cli-0001","x":"CANCELED","X":"CANCELED","r":"NONE","i":812345,)"
    R"("l":"0.00000000","z":"0.00400000","L":"0.00","n":"0","N":null,"T":1718000060000,"t":-1,"I":5003,"w":false,"m":false,"M":false,)"
    R"("O":1718000000005,"Z":"240.00000000","Y":"0.00000000","Q":"0.00000000","W":1718000000005,"V":"EXPIRE_MAKER"}})";

class BinanceUserCodec : public ::testing::Test {
 protected:
  std::vector<Instrument> instruments{btcusdt()};
  BinanceCodec codec{make_instrument_lookup(instruments)};

  template <class T>
  T decode_as(std::string_view frame) {
    auto decoded = codec.decode_user(frame);
    EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : decoded.error().what);
    if (!decoded) return T{};
    EXPECT_TRUE(std::holds_alternative<T>(*decoded)) << "variant index " << decoded->index();
    return std::holds_alternative<T>(*decoded) ? std::get<T>(*decoded) : T{};
  }
};

TEST_F(BinanceUserCodec, DecodesTheSubscribeResponse) {
  auto response = decode_as<WsApiResponse>(
      R"({"id":"u1","status":200,"result":{"subscriptionId":0},"rateLimits":[{"a":1}]})");
  EXPECT_EQ(response.id, "u1");
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.error.has_value());
  EXPECT_EQ(response.subscription_id, 0);
}

TEST_F(BinanceUserCodec, DecodesAnErrorResponse) {
  auto response = decode_as<WsApiResponse>(
      R"({"id":7,"status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})");
  EXPECT_EQ(response.id, "7");
  ASSERT_TRUE(response.error.has_value());
  EXPECT_EQ(response.error->code, -1022);
  EXPECT_EQ(response.error->message, "Signature for this request is not valid.");
}

TEST_F(BinanceUserCodec, DecodesTheDocumentedNewReport) {
  auto report = decode_as<ExecutionReport>(kNewReport);
  EXPECT_EQ(report.instrument.symbol, "BTCUSDT");
  EXPECT_EQ(report.client_order_id, "cli-0001");
  EXPECT_EQ(report.original_client_order_id, "");
  EXPECT_EQ(report.side, Side::Buy);
  EXPECT_EQ(report.execution_type, "NEW");
  EXPECT_EQ(report.order_id, 812345);
  EXPECT_EQ(report.trade_id, -1);
  EXPECT_EQ(report.order_quantity, Quantity::from_raw(1000000, 8));
  EXPECT_TRUE(report.commission.is_zero());
  EXPECT_EQ(report.commission_asset, "");
  EXPECT_EQ(report.ts_event, 1'718'000'000'006'000'000);
}

TEST_F(BinanceUserCodec, DecodesTheDocumentedTradeReport) {
  auto report = decode_as<ExecutionReport>(kTradeReport);
  EXPECT_EQ(report.execution_type, "TRADE");
  EXPECT_EQ(report.trade_id, 99001);
  EXPECT_EQ(report.last_quantity, Quantity::from_raw(400000, 8));
  EXPECT_EQ(report.last_price, Price::from_raw(6000000, 2));
  EXPECT_EQ(report.cum_quantity, Quantity::from_raw(400000, 8));
  EXPECT_EQ(report.commission, Money::from_raw(400, 8));
  EXPECT_EQ(report.commission_asset, "BTC");
  EXPECT_FALSE(report.maker);
  EXPECT_EQ(report.ts_transaction, 1'718'000'000'005'000'000);
}

TEST_F(BinanceUserCodec, KeepsBothClientIdsOfACancelReport) {
  auto report = decode_as<ExecutionReport>(kCancelReport);
  EXPECT_EQ(report.client_order_id, "cxl-0001");
  EXPECT_EQ(report.original_client_order_id, "cli-0001");
  EXPECT_EQ(report.execution_type, "CANCELED");
}

TEST_F(BinanceUserCodec, DecodesAnUnwrappedReportToo) {
  const std::string raw(kTradeReport.substr(kTradeReport.find("{\"e\"")));
  auto report = decode_as<ExecutionReport>(raw.substr(0, raw.size() - 1));
  EXPECT_EQ(report.trade_id, 99001);
}

TEST_F(BinanceUserCodec, RecognisesAccountAndLifecycleEvents) {
  decode_as<AccountPosition>(
      R"({"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1718000000007,"u":1718000000005,)"
      R"("B":[{"a":"BTC","f":"0.50399600","l":"0.00000000"}]}})");
  EXPECT_EQ(decode_as<ServerShutdown>(R"({"event":{"e":"serverShutdown","E":2}})").ts_event,
            2'000'000);
  decode_as<EventStreamTerminated>(
      R"({"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":3}})");
  EXPECT_EQ(
      decode_as<IgnoredEvent>(
          R"({"subscriptionId":0,"event":{"e":"balanceUpdate","E":1,"a":"USDT","d":"1.0","T":1}})")
          .event_type,
      "balanceUpdate");
  EXPECT_EQ(decode_as<UnknownEvent>(R"({"subscriptionId":0,"event":{"e":"somethingNew","E":1}})")
                .event_type,
            "somethingNew");
}

TEST_F(BinanceUserCodec, NamesTheBadFieldOfAnExecutionReport) {
  std::string frame(kTradeReport);
  frame.replace(frame.find("\"l\":\"0.00400000\""), 16, "\"l\":\"0.0040000x\"");
  auto decoded = codec.decode_user(frame);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().what,
            R"(binance executionReport BTCUSDT: field "l": "0.0040000x" is not a decimal)");
}

TEST_F(BinanceUserCodec, RefusesAnExecutionReportWithoutOrderId) {
  auto decoded = codec.decode_user(
      R"({"event":{"e":"executionReport","E":1,"s":"BTCUSDT","c":"a","S":"BUY","x":"NEW","X":"NEW",)"
      R"("q":"1","l":"0","z":"0","L":"0"}})");
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().what, R"(binance executionReport BTCUSDT: missing field "i")");
}

TEST_F(BinanceUserCodec, RefusesMalformedAndTruncatedFrames) {
  for (std::string_view frame :
       {std::string_view(kTradeReport.substr(0, 120)), std::string_view("nonsense"),
        std::string_view("{}"), std::string_view("[]")}) {
    auto decoded = codec.decode_user(frame);
    ASSERT_FALSE(decoded.has_value()) << frame;
    EXPECT_EQ(decoded.error().what.rfind("binance ", 0), 0u) << decoded.error().what;
  }
}

TEST_F(BinanceUserCodec, DecodesAnAckOrderResponse) {
  auto response = codec.decode_order_response(
      R"({"symbol":"BTCUSDT","orderId":812345,"orderListId":-1,"clientOrderId":"cli-0001","transactTime":1718000000005})");
  ASSERT_TRUE(response.has_value()) << response.error().what;
  EXPECT_EQ(response->order_id, 812345);
  EXPECT_EQ(response->client_order_id, "cli-0001");
  EXPECT_EQ(response->status, "");
  EXPECT_EQ(response->ts_transaction, 1'718'000'000'005'000'000);
}

TEST_F(BinanceUserCodec, DecodesAFullOrderResponseWithFills) {
  auto response = codec.decode_order_response(
      R"({"symbol":"BTCUSDT","orderId":812345,"orderListId":-1,"clientOrderId":"cli-0001",)"
      R"("transactTime":1718000000005,"price":"60000.00","origQty":"0.01000000","executedQty":"0.00400000",)"
      R"("origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"240.00000000","status":"PARTIALLY_FILLED",)"
      R"("timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":1718000000005,)"
      R"("selfTradePreventionMode":"EXPIRE_MAKER",)"
      R"("fills":[{"price":"60000.00","qty":"0.00400000","commission":"0.00000400","commissionAsset":"BTC","tradeId":99001}]})");
  ASSERT_TRUE(response.has_value()) << response.error().what;
  EXPECT_EQ(response->status, "PARTIALLY_FILLED");
  EXPECT_EQ(response->executed_quantity, Quantity::from_raw(400000, 8));
  ASSERT_EQ(response->fills.size(), 1u);
  EXPECT_EQ(response->fills[0].trade_id, 99001);
  EXPECT_EQ(response->fills[0].commission, Money::from_raw(400, 8));
}

TEST_F(BinanceUserCodec, DecodesVenueErrorBodies) {
  auto error = codec.decode_api_error(
      R"({"code":-2010,"msg":"Account has insufficient balance for requested action."})",
      "POST /api/v3/order");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, -2010);
  EXPECT_EQ(error->message, "Account has insufficient balance for requested action.");
  auto bad = codec.decode_api_error("<html>502</html>", "POST /api/v3/order");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().what.rfind("binance POST /api/v3/order error body: ", 0), 0u)
      << bad.error().what;
}

}  // namespace
}  // namespace troupe::binance
