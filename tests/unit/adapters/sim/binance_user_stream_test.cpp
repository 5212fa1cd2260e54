#include <gtest/gtest.h>

#include "tests/unit/adapters/sim/front_end_support.hpp"

namespace troupe::sim {
namespace {

using test::Connection;
using test::Json;
using test::Venue;

std::string event_type(const std::string& frame) {
  Json j(frame);
  return std::string(std::string_view(j["event"]["e"]));
}

TEST(BinanceUserStream, SubscribeWithSignatureReturnsSubscriptionZero) {
  Venue venue;
  Connection c = venue.connect("/ws-api/v3");
  ASSERT_NE(c.handler, nullptr);
  const std::string ts = std::to_string(venue.now_ms());
  const std::string sig =
      hmac_sha256_hex("sim-secret-0123456789", "apiKey=sim-key&timestamp=" + ts);
  c.handler->on_message(
      R"({"id":"u1","method":"userDataStream.subscribe.signature","params":{"timestamp":)" + ts +
      R"(,"signature":")" + sig + R"(","apiKey":"sim-key"}})");
  EXPECT_EQ(c.socket->take(),
            std::vector<std::string>{R"({"id":"u1","status":200,"result":{"subscriptionId":0}})"});
}

TEST(BinanceUserStream, BadSignatureUnknownKeyAndStaleTimestampAreRefused) {
  Venue venue;
  Connection c = venue.connect("/ws-api/v3");
  auto send = [&](const std::string& key, const std::string& secret, std::int64_t ts) {
    const std::string t = std::to_string(ts);
    const std::string sig = hmac_sha256_hex(secret, "apiKey=" + key + "&timestamp=" + t);
    c.handler->on_message(
        R"({"id":7,"method":"userDataStream.subscribe.signature","params":{"apiKey":")" + key +
        R"(","timestamp":)" + t + R"(,"signature":")" + sig + R"("}})");
    Json reply(c.socket->take().at(0));
    return std::int64_t(reply["error"]["code"]);
  };
  EXPECT_EQ(send("sim-key", "wrong-secret", venue.now_ms()), -1022);
  EXPECT_EQ(send("nobody", "sim-secret-0123456789", venue.now_ms()), -2015);
  EXPECT_EQ(send("sim-key", "sim-secret-0123456789", venue.now_ms() - 60000), -1021);
}

TEST(BinanceUserStream, PingAndTimeMethodsAnswer) {
  Venue venue;
  Connection c = venue.connect("/ws-api/v3");
  c.handler->on_message(R"({"id":1,"method":"ping"})");
  c.handler->on_message(R"({"id":2,"method":"time"})");
  c.handler->on_message(R"({"id":3,"method":"order.teleport"})");
  c.handler->on_message("][");
  auto frames = c.socket->take();
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0], R"({"id":1,"status":200,"result":{}})");
  Json time(frames[1]);
  EXPECT_EQ(std::int64_t(time["result"]["serverTime"]), venue.now_ms());
  Json unknown(frames[2]);
  EXPECT_EQ(std::int64_t(unknown["status"]), 400);
  Json malformed(frames[3]);
  EXPECT_EQ(std::int64_t(malformed["status"]), 400);
}

TEST(BinanceUserStream, RestingOrderPushesNewExecutionReportThenLockedBalance) {
  Venue venue;
  Connection user = venue.user_stream();
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&"
                       "price=50000.00&newClientOrderId=cli-1");
  auto frames = user.socket->take();
  ASSERT_EQ(frames.size(), 2u);
  Json created(frames[0]);
  EXPECT_EQ(std::int64_t(created["subscriptionId"]), 0);
  auto report = created["event"];
  EXPECT_EQ(std::string_view(report["e"]), "executionReport");
  EXPECT_EQ(std::string_view(report["x"]), "NEW");
  EXPECT_EQ(std::string_view(report["X"]), "NEW");
  EXPECT_EQ(std::string_view(report["c"]), "cli-1");
  EXPECT_EQ(std::string_view(report["C"]), "");
  EXPECT_EQ(std::string_view(report["q"]), "0.01000000");
  EXPECT_EQ(std::string_view(report["p"]), "50000.00");
  EXPECT_EQ(std::int64_t(report["t"]), -1);
  EXPECT_TRUE(bool(report["w"]));
  EXPECT_TRUE(report["N"].is_null());
  Json position(frames[1]);
  EXPECT_EQ(std::string_view(position["event"]["e"]), "outboundAccountPosition");
  auto usdt = position["event"]["B"].at(0);
  EXPECT_EQ(std::string_view(usdt["a"]), "USDT");
  EXPECT_EQ(std::string_view(usdt["l"]), "500.00000000");
}

TEST(BinanceUserStream, CancelReportCarriesTheCancelIdAndTheOriginalId) {
  Venue venue;
  Connection user = venue.user_stream();
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&"
                       "price=50000.00&newClientOrderId=cli-1");
  user.socket->take();
  venue.signed_request("DELETE", "/api/v3/order",
                       "symbol=BTCUSDT&origClientOrderId=cli-1&newClientOrderId=cxl-1");
  auto frames = user.socket->take();
  ASSERT_EQ(frames.size(), 2u);
  Json canceled(frames[0]);
  EXPECT_EQ(std::string_view(canceled["event"]["x"]), "CANCELED");
  EXPECT_EQ(std::string_view(canceled["event"]["c"]), "cxl-1");  // the cancel's id
  EXPECT_EQ(std::string_view(canceled["event"]["C"]), "cli-1");  // the order's id
  EXPECT_FALSE(bool(canceled["event"]["w"]));
  EXPECT_EQ(event_type(frames[1]), "outboundAccountPosition");
}

TEST(BinanceUserStream, IocOrderReportsNewThenTradesThenExpiresTheRest) {
  Venue venue;
  venue.steps(100);
  Connection user = venue.user_stream();
  const BookLevel best = venue.front_end().book("BTCUSDT", 1).asks[0];
  // More than the best level holds, limited to its price: fills the level, expires the rest.
  const Quantity wanted = best.size + Quantity::from_raw(1000000, 8);
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=" +
                           wanted.to_string() + "&price=" + best.price.to_string());
  auto frames = user.socket->take();
  ASSERT_GE(frames.size(), 4u);
  Json first(frames[0]);
  EXPECT_EQ(std::string_view(first["event"]["x"]), "NEW");
  Json trade(frames[1]);
  auto t = trade["event"];
  EXPECT_EQ(std::string_view(t["x"]), "TRADE");
  EXPECT_EQ(std::string_view(t["L"]), best.price.to_string());
  EXPECT_EQ(std::string_view(t["N"]), "BTC");
  EXPECT_GT(std::int64_t(t["t"]), 0);
  EXPECT_FALSE(bool(t["m"]));
  Json last(frames[frames.size() - 2]);
  EXPECT_EQ(std::string_view(last["event"]["x"]), "EXPIRED");
  EXPECT_EQ(std::string_view(last["event"]["z"]), best.size.to_string());
  EXPECT_EQ(std::string_view(last["event"]["eR"]), "UNFILLED_IOC_QUANTITY_EXPIRED");
  EXPECT_EQ(event_type(frames.back()), "outboundAccountPosition");
}

TEST(BinanceUserStream, RestingOrderFilledByTheMarketReportsMakerTrades) {
  Venue venue;
  venue.steps(50);
  Connection user = venue.user_stream();
  // Just inside the best bid: the noise takers' sells reach it first.
  const Price bid = venue.front_end().book("BTCUSDT", 1).bids[0].price;
  const Price inside = Price::from_raw(bid.raw() + 1, 2);
  venue.signed_request(
      "POST", "/api/v3/order",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100&price=" +
          inside.to_string());
  user.socket->take();
  bool maker_trade = false;
  for (int i = 0; i < 400 && !maker_trade; ++i) {
    venue.steps(1);
    for (const std::string& frame : user.socket->take()) {
      Json j(frame);
      if (std::string_view(j["event"]["e"]) == "executionReport" &&
          std::string_view(j["event"]["x"]) == "TRADE")
        maker_trade = bool(j["event"]["m"]);
    }
  }
  EXPECT_TRUE(maker_trade);
}

TEST(BinanceUserStream, InsufficientBalanceIsReportedAsRejected) {
  Venue venue;
  Connection user = venue.user_stream();
  venue.signed_request("POST", "/api/v3/order",
                       "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=5&price=60000&"
                       "newClientOrderId=big");
  auto frames = user.socket->take();
  ASSERT_EQ(frames.size(), 1u);
  Json rejected(frames[0]);
  EXPECT_EQ(std::string_view(rejected["event"]["x"]), "REJECTED");
  EXPECT_EQ(std::string_view(rejected["event"]["r"]), "INSUFFICIENT_BALANCES");
  EXPECT_EQ(std::string_view(rejected["event"]["c"]), "big");
}

TEST(BinanceUserStream, UnsubscribeStopsEventsAndTerminatesTheStream) {
  Venue venue;
  Connection user = venue.user_stream();
  user.handler->on_message(R"({"id":9,"method":"userDataStream.unsubscribe"})");
  auto frames = user.socket->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], R"({"id":9,"status":200,"result":{}})");
  EXPECT_EQ(event_type(frames[1]), "eventStreamTerminated");
  venue.signed_request(
      "POST", "/api/v3/order",
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000");
  EXPECT_TRUE(user.socket->take().empty());
}

}  // namespace
}  // namespace troupe::sim
