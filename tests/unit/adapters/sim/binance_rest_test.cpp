#include <gtest/gtest.h>

#include "tests/unit/adapters/sim/front_end_support.hpp"

namespace troupe::sim {
namespace {

using test::Json;
using test::Venue;

std::int64_t code_of(const net::HttpResponse& response) {
  Json j(response.body);
  return std::int64_t(j["code"]);
}

std::string msg_of(const net::HttpResponse& response) {
  Json j(response.body);
  return std::string(std::string_view(j["msg"]));
}

TEST(BinanceRest, PingAndTimeAnswerFromTheInjectedClock) {
  Venue venue;
  EXPECT_EQ(venue.get("/api/v3/ping").body, "{}");
  Json time(venue.get("/api/v3/time").body);
  EXPECT_EQ(std::int64_t(time["serverTime"]), 1718000000000);
}

TEST(BinanceRest, ExchangeInfoPublishesTheInstrumentFilters) {
  Venue venue;
  Json info(venue.get("/api/v3/exchangeInfo").body);
  auto symbol = info["symbols"].at(0);
  EXPECT_EQ(std::string_view(symbol["symbol"]), "BTCUSDT");
  EXPECT_EQ(std::string_view(symbol["status"]), "TRADING");
  EXPECT_EQ(std::string_view(symbol["baseAsset"]), "BTC");
  auto filters = symbol["filters"];
  EXPECT_EQ(std::string_view(filters.at(0)["filterType"]), "PRICE_FILTER");
  EXPECT_EQ(std::string_view(filters.at(0)["tickSize"]), "0.01");
  EXPECT_EQ(std::string_view(filters.at(1)["filterType"]), "LOT_SIZE");
  EXPECT_EQ(std::string_view(filters.at(1)["stepSize"]), "0.00001000");
  EXPECT_EQ(std::string_view(filters.at(2)["filterType"]), "NOTIONAL");
  EXPECT_EQ(std::string_view(filters.at(2)["minNotional"]), "5.00000000");
  auto unknown = venue.get("/api/v3/exchangeInfo?symbol=NOPE");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(code_of(unknown), -1121);
}

TEST(BinanceRest, DepthSnapshotIsTheVenueBookWithItsUpdateId) {
  Venue venue;
  venue.steps(50);
  auto response = venue.get("/api/v3/depth?symbol=BTCUSDT&limit=5");
  ASSERT_EQ(response.status, 200) << response.body;
  Json depth(response.body);
  const BookSnapshot book = venue.front_end().book("BTCUSDT", 5);
  EXPECT_EQ(std::uint64_t(depth["lastUpdateId"]), book.sequence);
  ASSERT_EQ(book.bids.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(std::string_view(depth["bids"].at(i).at(0)), book.bids[i].price.to_string());
    EXPECT_EQ(std::string_view(depth["bids"].at(i).at(1)), book.bids[i].size.to_string());
    EXPECT_EQ(std::string_view(depth["asks"].at(i).at(0)), book.asks[i].price.to_string());
  }
}

TEST(BinanceRest, DepthRefusesMissingAndUnknownSymbolsNamingThem) {
  Venue venue;
  auto missing = venue.get("/api/v3/depth");
  EXPECT_EQ(code_of(missing), -1102);
  EXPECT_NE(msg_of(missing).find("'symbol'"), std::string::npos);
  EXPECT_EQ(code_of(venue.get("/api/v3/depth?symbol=NOPE")), -1121);
  EXPECT_EQ(code_of(venue.get("/api/v3/depth?symbol=BTCUSDT&limit=abc")), -1102);
  EXPECT_EQ(venue.get("/api/v3/nothing").status, 404);
}

TEST(BinanceRest, OrderSignedWithTheComposedVectorIsAccepted) {
  Venue venue;
  const std::string target =
      "/api/v3/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000000&"
      "price=60000.00&newClientOrderId=cli-0001&recvWindow=5000&timestamp=1718000000000&"
      "signature=bc8911df9a551d9469b5efc164d93b3d141d6a463b5c93a327e402fc35a0f992";
  auto response = venue.raw_signed("POST", target);
  ASSERT_EQ(response.status, 200) << response.body;
  Json order(response.body);
  EXPECT_EQ(std::string_view(order["clientOrderId"]), "cli-0001");
  EXPECT_EQ(std::string_view(order["status"]), "NEW");
  EXPECT_EQ(std::string_view(order["origQty"]), "0.01000000");
  EXPECT_EQ(std::string_view(order["price"]), "60000.00");
  EXPECT_EQ(std::int64_t(order["transactTime"]), 1718000000000);
  EXPECT_EQ(order["fills"].get_array().size(), 0u);
}

TEST(BinanceRest, SignatureInTheBodyCoversQueryPlusBody) {
  Venue venue;
  const std::string query = "symbol=BTCUSDT&side=BUY&type=LIMIT";
  const std::string body = "timeInForce=GTC&quantity=0.01&price=50000.00&timestamp=1718000000000";
  const std::string signature = hmac_sha256_hex("sim-secret-0123456789", query + body);
  auto response =
      venue.raw_signed("POST", "/api/v3/order?" + query, body + "&signature=" + signature);
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST(BinanceRest, RequestSecurityFailuresGetBinanceCodes) {
  Venue venue;
  const std::string query = "symbol=BTCUSDT&timestamp=1718000000000";
  const std::string good = hmac_sha256_hex("sim-secret-0123456789", query);
  const std::string target = "/api/v3/openOrders?" + query + "&signature=";
  auto no_key = venue.raw_signed("GET", target + good, "", "");
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(code_of(no_key), -2014);
  EXPECT_EQ(code_of(venue.raw_signed("GET", target + good, "", "other-key")), -2015);
  EXPECT_EQ(code_of(venue.raw_signed("GET", target + hmac_sha256_hex("wrong", query))), -1022);
  auto unsigned_request = venue.raw_signed("GET", "/api/v3/openOrders?" + query);
  EXPECT_EQ(code_of(unsigned_request), -1102);
  EXPECT_NE(msg_of(unsigned_request).find("'signature'"), std::string::npos);
  EXPECT_EQ(venue.raw_signed("GET", target + good).status, 200);
}

TEST(BinanceRest, TimestampOutsideRecvWindowOrAheadIsRefused) {
  Venue venue;
  auto at = [&](std::int64_t ts, const std::string& extra) {
    const std::string query = "symbol=BTCUSDT" + extra + "&timestamp=" + std::to_string(ts);
    return venue.raw_signed("GET", "/api/v3/openOrders?" + query + "&signature=" +
                                       hmac_sha256_hex("sim-secret-0123456789", query));
  };
  const std::int64_t now = venue.now_ms();
  EXPECT_EQ(at(now - 4999, "").status, 200);
  EXPECT_EQ(code_of(at(now - 5001, "")), -1021);
  EXPECT_EQ(at(now - 9000, "&recvWindow=10000").status, 200);
  EXPECT_EQ(code_of(at(now + 1000, "")), -1021);
  EXPECT_EQ(at(now + 999, "").status, 200);
  EXPECT_EQ(code_of(at(now, "&recvWindow=70000")), -1131);
}

TEST(BinanceRest, OrdersBreakingFiltersAreRefusedWithFilterFailures) {
  Venue venue;
  auto place = [&](const std::string& params) {
    return venue.signed_request("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&" + params);
  };
  auto off_tick = place("type=LIMIT&timeInForce=GTC&quantity=0.01&price=60000.005");
  EXPECT_EQ(code_of(off_tick), -1013);
  EXPECT_EQ(msg_of(off_tick), "Filter failure: PRICE_FILTER");
  EXPECT_EQ(msg_of(place("type=LIMIT&timeInForce=GTC&quantity=0.000015&price=60000")),
            "Filter failure: LOT_SIZE");
  EXPECT_EQ(msg_of(place("type=LIMIT&timeInForce=GTC&quantity=0.00001&price=60000")),
            "Filter failure: NOTIONAL");
  auto broke = place("type=LIMIT&timeInForce=GTC&quantity=100&price=60000");
  EXPECT_EQ(code_of(broke), -2010);
  EXPECT_EQ(msg_of(broke), "Account has insufficient balance for requested action.");
}

TEST(BinanceRest, MissingOrMalformedOrderParametersAreNamed) {
  Venue venue;
  auto place = [&](const std::string& params) {
    return venue.signed_request("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&" + params);
  };
  EXPECT_EQ(code_of(place("type=LIMIT&timeInForce=GTC&quantity=0.01&price=1.123456789")), -1111);
  auto no_price = place("type=LIMIT&timeInForce=GTC&quantity=0.01");
  EXPECT_EQ(code_of(no_price), -1102);
  EXPECT_NE(msg_of(no_price).find("'price'"), std::string::npos);
  EXPECT_EQ(code_of(place("type=LIMIT&quantity=0.01&price=60000")), -1102);
  EXPECT_EQ(code_of(place("type=STOP&quantity=0.01")), -1116);
  EXPECT_EQ(code_of(venue.signed_request("POST", "/api/v3/order",
                                         "symbol=NOPE&side=BUY&type=MARKET&quantity=1")),
            -1121);
}

TEST(BinanceRest, EveryOrderRequestIsLoggedWithItsOutcome) {
  Venue venue;
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&"
                       "price=50000&newClientOrderId=ok-1");
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&"
                       "price=50000.001&newClientOrderId=bad-1");
  venue.signed_request("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=nope");
  auto log = venue.front_end().received_order_requests();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].client_order_id, "ok-1");
  EXPECT_EQ(log[0].error_code, 0);
  EXPECT_EQ(log[1].client_order_id, "bad-1");
  EXPECT_EQ(log[1].error_code, -1013);
  EXPECT_EQ(log[2].method, "DELETE");
  EXPECT_EQ(log[2].error_code, -2011);
  EXPECT_EQ(log[2].symbol, "BTCUSDT");
  auto counters = venue.front_end().counters();
  EXPECT_EQ(counters.order_requests, 2u);
  EXPECT_EQ(counters.orders_accepted, 1u);
  EXPECT_EQ(counters.orders_rejected, 1u);
  EXPECT_EQ(counters.cancel_requests, 1u);
}

TEST(BinanceRest, RestingOrderLocksFundsAndCancelReleasesThem) {
  Venue venue;
  auto placed = venue.signed_request("POST", "/api/v3/order",
                                     "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&"
                                     "quantity=0.01&price=50000&newClientOrderId=cli-7&"
                                     "newOrderRespType=RESULT");
  ASSERT_EQ(placed.status, 200) << placed.body;
  Json order(placed.body);
  EXPECT_EQ(order.root()["fills"].error(), simdjson::NO_SUCH_FIELD);
  const std::int64_t id = std::int64_t(order["orderId"]);
  Json account(venue.signed_request("GET", "/api/v3/account", "").body);
  auto usdt = account["balances"].at(1);
  EXPECT_EQ(std::string_view(usdt["asset"]), "USDT");
  EXPECT_EQ(std::string_view(usdt["free"]), "99500.00000000");
  EXPECT_EQ(std::string_view(usdt["locked"]), "500.00000000");
  Json open(venue.signed_request("GET", "/api/v3/openOrders", "symbol=BTCUSDT").body);
  ASSERT_EQ(open.root().get_array().size(), 1u);
  EXPECT_EQ(std::int64_t(open.root().at(0)["orderId"]), id);

  auto canceled = venue.signed_request(
      "DELETE", "/api/v3/order",
      "symbol=BTCUSDT&orderId=" + std::to_string(id) + "&newClientOrderId=cxl-7");
  ASSERT_EQ(canceled.status, 200) << canceled.body;
  Json cancel(canceled.body);
  EXPECT_EQ(std::string_view(cancel["status"]), "CANCELED");
  EXPECT_EQ(std::string_view(cancel["origClientOrderId"]), "cli-7");
  EXPECT_EQ(std::string_view(cancel["clientOrderId"]), "cxl-7");
  Json after(venue.signed_request("GET", "/api/v3/account", "omitZeroBalances=true").body);
  EXPECT_EQ(std::string_view(after["balances"].at(1)["free"]), "100000.00000000");
  EXPECT_EQ(std::string_view(after["balances"].at(1)["locked"]), "0.00000000");
  Json queried(
      venue.signed_request("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=cli-7").body);
  EXPECT_EQ(std::string_view(queried["status"]), "CANCELED");
  EXPECT_EQ(code_of(venue.signed_request("DELETE", "/api/v3/order",
                                         "symbol=BTCUSDT&orderId=" + std::to_string(id))),
            -2011);
  EXPECT_EQ(code_of(venue.signed_request("GET", "/api/v3/order", "symbol=BTCUSDT&orderId=999999")),
            -2013);
}

TEST(BinanceRest, MarketBuyFillsAgainstTheSimulatedBookAndChargesCommissionInBase) {
  Venue venue;
  venue.steps(100);
  const BookSnapshot before = venue.front_end().book("BTCUSDT", 1);
  auto response = venue.signed_request("POST", "/api/v3/order",
                                       "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01");
  ASSERT_EQ(response.status, 200) << response.body;
  Json order(response.body);
  EXPECT_EQ(std::string_view(order["status"]), "FILLED");
  EXPECT_EQ(std::string_view(order["executedQty"]), "0.01000000");
  auto fill = order["fills"].at(0);
  EXPECT_EQ(std::string_view(fill["price"]), before.asks[0].price.to_string());
  EXPECT_EQ(std::string_view(fill["commissionAsset"]), "BTC");
  Json trades(venue.signed_request("GET", "/api/v3/myTrades", "symbol=BTCUSDT").body);
  ASSERT_GE(trades.root().get_array().size(), 1u);
  EXPECT_TRUE(bool(trades.root().at(0)["isBuyer"]));
  EXPECT_FALSE(bool(trades.root().at(0)["isMaker"]));
  Json account(venue.signed_request("GET", "/api/v3/account", "").body);
  // 2 BTC + 0.01 bought − 0.1 % commission (0.00001).
  EXPECT_EQ(std::string_view(account["balances"].at(0)["free"]), "2.00999000");
  EXPECT_EQ(std::string_view(account["balances"].at(1)["locked"]), "0.00000000");
}

TEST(BinanceRest, PostOnlyOrderThatWouldTakeIsRefused) {
  Venue venue;
  venue.steps(100);
  const Price ask = venue.front_end().book("BTCUSDT", 1).asks[0].price;
  auto response = venue.signed_request(
      "POST", "/api/v3/order",
      "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.01&price=" + ask.to_string());
  EXPECT_EQ(code_of(response), -2010);
  EXPECT_EQ(msg_of(response), "Order would immediately match and take.");
}

TEST(BinanceRest, OrderTooLargeForAnyBalanceIsRefusedWithoutOverflow) {
  Venue venue;
  venue.steps(20);
  for (const char* params :
       {"side=BUY&type=MARKET&quantity=90000000000", "side=SELL&type=MARKET&quantity=90000000000",
        "side=BUY&type=LIMIT&timeInForce=GTC&quantity=90000000000&price=60000",
        "side=BUY&type=LIMIT&timeInForce=GTC&quantity=2&price=90000000000"}) {
    auto response =
        venue.signed_request("POST", "/api/v3/order", std::string("symbol=BTCUSDT&") + params);
    EXPECT_EQ(response.status, 400) << params;
    EXPECT_EQ(code_of(response), -2010) << params << " " << response.body;
  }
}

TEST(BinanceRest, MalformedRequestsGetErrorsInsteadOfCrashes) {
  Venue venue;
  venue.steps(5);
  const char* bad_params[] = {
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=-1&price=60000",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1e400&price=60000",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=-5",
      "symbol=BTCUSDT&side=UP&type=LIMIT&timeInForce=GTC&quantity=0.01&price=60000",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=DAY&quantity=0.01&price=60000",
      "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&price=60000",
      "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=100",
      "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&timeInForce=GTC&quantity=0.01&price=60000",
      "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=bad%20id",
      "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newOrderRespType=ALL",
      "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=abc",
      "symbol=&side=BUY",
  };
  for (const char* params : bad_params) {
    auto response = venue.signed_request("POST", "/api/v3/order", params);
    EXPECT_EQ(response.status, 400) << params;
    EXPECT_LT(code_of(response), 0) << params;
  }
  EXPECT_EQ(venue.raw_signed("POST", "/api/v3/order?symbol=%G1").status, 400);
  EXPECT_EQ(
      venue.raw_signed("GET", "/api/v3/myTrades?symbol=BTCUSDT&limit=5000&timestamp=1").status,
      400);
  for (const char* params :
       {"symbol=BTCUSDT&limit=0", "symbol=BTCUSDT&fromId=-3", "symbol=BTCUSDT&orderId=x"}) {
    auto response = venue.signed_request("GET", "/api/v3/myTrades", params);
    EXPECT_EQ(code_of(response), -1102) << params;
  }
  EXPECT_EQ(code_of(venue.signed_request("DELETE", "/api/v3/order", "symbol=BTCUSDT")), -1102);
  EXPECT_EQ(code_of(venue.signed_request("GET", "/api/v3/openOrders", "symbol=NOPE")), -1121);
}

TEST(BinanceRest, ControlRouteInjectsFaults) {
  Venue venue;
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/sim/control/inject_gap?symbol=BTCUSDT";
  Json report(venue.front_end().handle(request).body);
  EXPECT_TRUE(bool(report["done"]));
  request.target = "/sim/control/inject_gap";
  EXPECT_EQ(code_of(venue.front_end().handle(request)), -1102);
  request.target = "/sim/control/explode?symbol=BTCUSDT";
  EXPECT_EQ(venue.front_end().handle(request).status, 404);
  EXPECT_EQ(venue.front_end().fault_log().size(), 1u);
}

}  // namespace
}  // namespace troupe::sim
