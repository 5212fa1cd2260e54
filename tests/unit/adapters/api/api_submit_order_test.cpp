#include "adapters/api/api_service.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "tests/unit/adapters/api/fake_api_backend.hpp"

namespace troupe::api {
namespace {

using testing::FakeApiBackend;

class SubmitOrderTest : public ::testing::Test {
 protected:
  net::HttpResponse post(std::string body) {
    return service_.handle(
        {"POST", "/api/v1/orders", {{"Content-Type", "application/json"}}, std::move(body)});
  }
  simdjson::dom::element json(const net::HttpResponse& response) {
    simdjson::dom::element root;
    EXPECT_FALSE(parser_.parse(response.body).get(root)) << "not JSON: " << response.body;
    return root;
  }
  static std::string text(simdjson::dom::element e) { return std::string(e.get_string().value()); }

  FakeApiBackend backend_;
  ApiService service_{backend_};
  simdjson::dom::parser parser_;
};

TEST_F(SubmitOrderTest, LimitOrderIsSubmittedWithExactDecimalsAndAnsweredWithTheRecord) {
  const auto response = post(R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"0.015",
      "limit_price":"27150.10","time_in_force":"ioc","client_order_id":"my-order_1:a.b"})");
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(backend_.submitted.size(), 1u);
  const auto& order = backend_.submitted[0];
  EXPECT_EQ(order.instrument, testing::btc_instrument().id);
  EXPECT_EQ(order.side, Side::Buy);
  EXPECT_EQ(order.type, OrderType::Limit);
  EXPECT_EQ(order.time_in_force, TimeInForce::Ioc);
  EXPECT_EQ(order.quantity.raw(), 15);
  EXPECT_EQ(order.quantity.precision(), 3);
  EXPECT_EQ(order.price.raw(), 2715010);
  EXPECT_EQ(order.price.precision(), 2);
  EXPECT_EQ(order.client_order_id.value, "my-order_1:a.b");
  EXPECT_TRUE(order.account.empty());  // the backend fills account and strategy
  auto root = json(response);
  EXPECT_EQ(text(root["client_order_id"]), "my-order_1:a.b");
  EXPECT_EQ(text(root["qty"]), "0.015");
  EXPECT_EQ(text(root["limit_price"]), "27150.10");
  EXPECT_EQ(text(root["status"]), "submitted");
  EXPECT_EQ(text(root["strategy"]), "api");
}

TEST_F(SubmitOrderTest, JsonNumbersAreReadFromTheirExactTextNotThroughDouble) {
  // 0.1 + 27150.1 have no exact binary form; 1e-3 uses an exponent.
  const auto response = post(
      R"({"symbol":"BTCUSDT","side":"sell","type":"stop_limit","qty":1e-3 ,"limit_price":27150.1,"stop_price":27000.10})");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto& order = backend_.submitted.at(0);
  EXPECT_EQ(order.quantity, Quantity::from_raw(1, 3));
  EXPECT_EQ(order.price.raw(), 2715010);
  EXPECT_EQ(order.trigger_price.raw(), 2700010);
  EXPECT_EQ(order.time_in_force, TimeInForce::Gtc);
}

TEST_F(SubmitOrderTest, MarketOrderDefaultsToGtcAndLeavesPricesZero) {
  const auto response =
      post(R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"2","limit_price":null})");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto& order = backend_.submitted.at(0);
  EXPECT_EQ(order.type, OrderType::Market);
  EXPECT_EQ(order.time_in_force, TimeInForce::Gtc);
  EXPECT_TRUE(order.price.is_zero());
  EXPECT_TRUE(order.trigger_price.is_zero());
  EXPECT_TRUE(order.client_order_id.empty());
  EXPECT_TRUE(json(response)["limit_price"].is_null());
}

TEST_F(SubmitOrderTest, MalformedJsonIs400NamingTheParseError) {
  for (const char* body :
       {R"({"symbol":"BTCUSDT",)", "{not json}", "", "[1,2", "{\"a\":\"\xff\"}"}) {
    const auto response = post(body);
    EXPECT_EQ(response.status, 400) << body;
    auto root = json(response);
    EXPECT_EQ(root["code"].get_int64().value(), 400);
    const auto message = text(root["message"]);
    EXPECT_TRUE(message.rfind("malformed JSON: ", 0) == 0 ||
                message.find("empty") != std::string::npos)
        << message;
  }
  EXPECT_TRUE(backend_.submitted.empty());
}

TEST_F(SubmitOrderTest, BodyThatIsNotAnObjectIs400) {
  const auto response = post(R"(["BTCUSDT","buy"])");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(text(json(response)["message"]), "request body must be a JSON object");
}

struct InvalidCase {
  const char* body;
  const char* field;
  const char* message;
};

TEST_F(SubmitOrderTest, EveryInvalidFieldIs422NamingTheField) {
  const InvalidCase cases[] = {
      {R"({"side":"buy","type":"market","qty":"1"})", "symbol", "symbol is required"},
      {R"({"symbol":"DOGEUSDT","side":"buy","type":"market","qty":"1"})", "symbol",
       R"(unknown symbol "DOGEUSDT")"},
      {R"({"symbol":7,"side":"buy","type":"market","qty":"1"})", "symbol",
       R"(symbol must be a string, got "7")"},
      {R"({"symbol":"HALTUSDT","side":"buy","type":"market","qty":"1"})", "symbol",
       R"(symbol "HALTUSDT" is not tradable now)"},
      {R"({"symbol":"BTCUSDT","side":"BUY","type":"market","qty":"1"})", "side",
       R"(side must be "buy" or "sell", got "BUY")"},
      {R"({"symbol":"BTCUSDT","type":"market","qty":"1"})", "side", "side is required"},
      {R"({"symbol":"BTCUSDT","side":"sell","type":"trailing","qty":"1"})", "type",
       R"(type must be one of market, limit, stop, stop_limit, got "trailing")"},
      {R"({"symbol":"BTCUSDT","side":"sell","qty":"1"})", "type", "type is required"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"-1"})", "qty",
       R"(qty must be a positive decimal string or number, got "-1")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":-1})", "qty",
       R"(qty must be a positive decimal string or number, got "-1")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"0"})", "qty",
       R"(qty must be a positive decimal string or number, got "0")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1,5"})", "qty",
       R"(qty must be a positive decimal string or number, got "1,5")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":true})", "qty",
       "qty must be a positive decimal string or number, got true"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market"})", "qty", "qty is required"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"0.0001"})", "qty",
       R"(qty has more decimals than BTCUSDT allows (size precision 3), got "0.0001")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"99999999999999999999"})", "qty",
       R"(qty is out of range, got "99999999999999999999")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"1"})", "limit_price",
       "limit_price is required for limit orders"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1","limit_price":"100"})",
       "limit_price", "limit_price is not allowed for market orders"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"1","limit_price":"100.001"})",
       "limit_price",
       R"(limit_price has more decimals than BTCUSDT allows (price precision 2), got "100.001")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"1","limit_price":[1]})",
       "limit_price", "limit_price must be a positive decimal string or number, got an array"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"stop","qty":"1"})", "stop_price",
       "stop_price is required for stop orders"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"1","limit_price":"1","stop_price":"2"})",
       "stop_price", "stop_price is not allowed for limit orders"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1","time_in_force":"GTD"})",
       "time_in_force", R"(time_in_force must be one of day, gtc, ioc, fok, got "GTD")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1","client_order_id":"has space"})",
       "client_order_id",
       R"(client_order_id must be at most 48 characters of [A-Za-z0-9._:-], got "has space")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1","client_order_id":"0123456789012345678901234567890123456789012345678"})",
       "client_order_id",
       R"(client_order_id must be at most 48 characters of [A-Za-z0-9._:-], got "0123456789012345678901234567890123456789012345678")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1","price":"5"})", "price",
       R"(unknown field "price")"},
      {R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1","qty":"2"})", "qty",
       R"(duplicate field "qty")"},
  };
  for (const auto& c : cases) {
    const auto response = post(c.body);
    EXPECT_EQ(response.status, 422) << c.body << " -> " << response.body;
    auto root = json(response);
    EXPECT_EQ(root["code"].get_int64().value(), 422) << c.body;
    EXPECT_EQ(text(root["field"]), c.field) << c.body;
    EXPECT_EQ(text(root["message"]), c.message) << c.body;
  }
  EXPECT_TRUE(backend_.submitted.empty());
}

TEST_F(SubmitOrderTest, PricesOffTheTickAndSizesOffTheLotAre422) {
  backend_.instruments["BTCUSDT"].tick_size = Price::from_raw(50, 2);
  backend_.instruments["BTCUSDT"].lot_size = Quantity::from_raw(5, 3);
  auto response = post(
      R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"0.005","limit_price":"100.25"})");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(text(json(response)["message"]),
            R"(limit_price must be a multiple of the tick size 0.50, got "100.25")");
  response = post(
      R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"0.007","limit_price":"100.50"})");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(text(json(response)["field"]), "qty");
}

TEST_F(SubmitOrderTest, RiskDenialIs403WithTheReason) {
  OrderDenied denied;
  denied.reason = DenyReason::MaxOrderNotional;
  denied.message = "notional 1200.00 > max 1000.00";
  backend_.outcome = denied;
  const auto response = post(R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1"})");
  EXPECT_EQ(response.status, 403);
  auto root = json(response);
  EXPECT_EQ(root["code"].get_int64().value(), 403);
  EXPECT_EQ(text(root["reason"]), "max_order_notional");
  EXPECT_EQ(text(root["message"]), "notional 1200.00 > max 1000.00");
}

TEST_F(SubmitOrderTest, BackendFailureIs503) {
  backend_.outcome = std::string("timeout waiting for the risk guard");
  const auto response = post(R"({"symbol":"BTCUSDT","side":"buy","type":"market","qty":"1"})");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(text(json(response)["message"]),
            "order submission failed: timeout waiting for the risk guard");
}

}  // namespace
}  // namespace troupe::api
