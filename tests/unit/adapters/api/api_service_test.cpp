#include "adapters/api/api_service.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "tests/unit/adapters/api/fake_api_backend.hpp"

namespace troupe::api {
namespace {

using testing::FakeApiBackend;

class ApiServiceTest : public ::testing::Test {
 protected:
  net::HttpResponse get(std::string target) { return service_.handle({"GET", target, {}, ""}); }
  net::HttpResponse post_order(std::string body) {
    return service_.handle(
        {"POST", "/api/v1/orders", {{"Content-Type", "application/json"}}, std::move(body)});
  }
  /// Parses a response body; the element stays valid until the next call.
  simdjson::dom::element json(const net::HttpResponse& response) {
    simdjson::dom::element root;
    const auto error = parser_.parse(response.body).get(root);
    EXPECT_FALSE(error) << "not JSON: " << response.body;
    return root;
  }
  static std::string text(simdjson::dom::element e) { return std::string(e.get_string().value()); }

  FakeApiBackend backend_;
  ApiService service_{backend_};
  simdjson::dom::parser parser_;
};

OrderRecord record(std::string id, OrderType type, OrderStatus status) {
  OrderRecord r;
  r.order.account = AccountId("paper-sim");
  r.order.strategy = StrategyId("obi-btc");
  r.order.client_order_id = ClientOrderId(std::move(id));
  r.order.instrument = testing::btc_instrument().id;
  r.order.side = Side::Sell;
  r.order.type = type;
  r.order.time_in_force = TimeInForce::Ioc;
  r.order.quantity = Quantity::from_raw(1500, 3);
  r.order.price = Price::from_raw(2715012, 2);
  r.order.trigger_price = Price::from_raw(2700000, 2);
  r.venue_order_id = VenueOrderId("V-9");
  r.status = status;
  r.filled_quantity = Quantity::from_raw(500, 3);
  r.average_fill_price = Price::from_raw(2715010, 2);
  r.reason = "";
  r.ts_created = 1'709'294'400'000'000'000;
  r.ts_updated = 1'709'294'400'500'000'001;
  return r;
}

TEST_F(ApiServiceTest, HealthReportsOkWithTheNodeState) {
  const auto response = get("/api/v1/health");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  auto root = json(response);
  EXPECT_EQ(text(root["status"]), "ok");
  EXPECT_EQ(text(root["node"]), "node-a");
  EXPECT_EQ(text(root["mode"]), "paper");
  EXPECT_EQ(text(root["venue_state"]), "live");
  EXPECT_EQ(text(root["trading_state"]), "active");
  EXPECT_EQ(root["uptime_ms"].get_int64().value(), 12'345);
}

TEST_F(ApiServiceTest, HealthIs503AndDegradedWhenTheNodeIsUnhealthy) {
  backend_.health_report.healthy = false;
  backend_.health_report.trading_state = TradingState::Halted;
  const auto response = get("/api/v1/health");
  EXPECT_EQ(response.status, 503);
  auto root = json(response);
  EXPECT_EQ(text(root["status"]), "degraded");
  EXPECT_EQ(text(root["trading_state"]), "halted");
}

TEST_F(ApiServiceTest, PortfolioRendersPositionsCashAndPnlAsExactDecimalStrings) {
  auto& p = backend_.portfolio_snapshot;
  p.account = AccountId("paper-sim");
  p.positions.push_back({testing::btc_instrument().id, Quantity::from_raw(-1500, 3),
                         Price::from_raw(2715012, 2), Price::from_raw(2716000, 2),
                         Money::from_raw(123456789, 8), Money::from_raw(-148200, 4),
                         Money::from_raw(10, 8)});
  p.cash.push_back({"USDT", Money::from_raw(100000000000001, 8)});
  p.realized_pnl = Money::from_raw(123456789, 8);
  p.unrealized_pnl = Money::from_raw(-148200, 4);
  p.fees = Money::from_raw(10, 8);
  p.fill_count = 42;
  p.ts = 1'709'294'400'000'000'000;
  const auto response = get("/api/v1/portfolio");
  ASSERT_EQ(response.status, 200);
  auto root = json(response);
  EXPECT_EQ(text(root["account"]), "paper-sim");
  auto position = root["positions"].at(0);
  EXPECT_EQ(text(position["symbol"]), "BTCUSDT");
  EXPECT_EQ(text(position["venue"]), "sim");
  EXPECT_EQ(text(position["quantity"]), "-1.500");
  EXPECT_EQ(text(position["average_price"]), "27150.12");
  EXPECT_EQ(text(position["mark_price"]), "27160.00");
  EXPECT_EQ(text(position["realized_pnl"]), "1.23456789");
  EXPECT_EQ(text(position["unrealized_pnl"]), "-14.8200");
  EXPECT_EQ(text(position["fees"]), "0.00000010");
  EXPECT_EQ(text(root["cash"].at(0)["currency"]), "USDT");
  EXPECT_EQ(text(root["cash"].at(0)["amount"]), "1000000.00000001");
  EXPECT_EQ(text(root["realized_pnl"]), "1.23456789");
  EXPECT_EQ(text(root["unrealized_pnl"]), "-14.8200");
  EXPECT_EQ(text(root["fees"]), "0.00000010");
  EXPECT_EQ(root["fill_count"].get_uint64().value(), 42u);
  EXPECT_EQ(text(root["as_of"]), "2024-03-01T12:00:00.000000000Z");
}

TEST_F(ApiServiceTest, OrdersListRendersEveryFieldOfAnOrder) {
  backend_.order_list.push_back(record("c-1", OrderType::StopLimit, OrderStatus::PartiallyFilled));
  const auto response = get("/api/v1/orders");
  ASSERT_EQ(response.status, 200);
  auto root = json(response);
  ASSERT_EQ(root.get_array().size(), 1u);
  auto order = root.at(0);
  EXPECT_EQ(text(order["client_order_id"]), "c-1");
  EXPECT_EQ(text(order["venue_order_id"]), "V-9");
  EXPECT_EQ(text(order["account"]), "paper-sim");
  EXPECT_EQ(text(order["strategy"]), "obi-btc");
  EXPECT_EQ(text(order["symbol"]), "BTCUSDT");
  EXPECT_EQ(text(order["venue"]), "sim");
  EXPECT_EQ(text(order["side"]), "sell");
  EXPECT_EQ(text(order["type"]), "stop_limit");
  EXPECT_EQ(text(order["time_in_force"]), "ioc");
  EXPECT_EQ(text(order["qty"]), "1.500");
  EXPECT_EQ(text(order["limit_price"]), "27150.12");
  EXPECT_EQ(text(order["stop_price"]), "27000.00");
  EXPECT_EQ(text(order["status"]), "partially_filled");
  EXPECT_EQ(text(order["filled_qty"]), "0.500");
  EXPECT_EQ(text(order["filled_avg_price"]), "27150.10");
  EXPECT_TRUE(order["reason"].is_null());
  EXPECT_EQ(text(order["created_at"]), "2024-03-01T12:00:00.000000000Z");
  EXPECT_EQ(order["created_at_ns"].get_int64().value(), 1'709'294'400'000'000'000);
  EXPECT_EQ(text(order["updated_at"]), "2024-03-01T12:00:00.500000001Z");
  EXPECT_EQ(order["updated_at_ns"].get_int64().value(), 1'709'294'400'500'000'001);
}

TEST_F(ApiServiceTest, MarketOrdersHaveNullPricesAndUnfilledOrdersNullAveragePrice) {
  auto r = record("c-2", OrderType::Market, OrderStatus::Rejected);
  r.filled_quantity = Quantity::from_raw(0, 3);
  r.venue_order_id = VenueOrderId();
  r.reason = "-2010 insufficient balance";
  backend_.order_list.push_back(r);
  auto order = json(get("/api/v1/orders")).at(0);
  EXPECT_TRUE(order["limit_price"].is_null());
  EXPECT_TRUE(order["stop_price"].is_null());
  EXPECT_TRUE(order["filled_avg_price"].is_null());
  EXPECT_TRUE(order["venue_order_id"].is_null());
  EXPECT_EQ(text(order["reason"]), "-2010 insufficient balance");
}

TEST_F(ApiServiceTest, OrdersFilterByOpenClosedOrAll) {
  backend_.order_list = {record("open-1", OrderType::Limit, OrderStatus::Accepted),
                         record("done-1", OrderType::Limit, OrderStatus::Filled),
                         record("open-2", OrderType::Limit, OrderStatus::PendingCancel),
                         record("done-2", OrderType::Limit, OrderStatus::Canceled)};
  auto ids = [&](const std::string& target) {
    std::vector<std::string> out;
    for (auto order : json(get(target)).get_array()) out.push_back(text(order["client_order_id"]));
    return out;
  };
  EXPECT_EQ(ids("/api/v1/orders?status=open"), (std::vector<std::string>{"open-1", "open-2"}));
  EXPECT_EQ(ids("/api/v1/orders?status=closed"), (std::vector<std::string>{"done-1", "done-2"}));
  EXPECT_EQ(ids("/api/v1/orders?status=all").size(), 4u);
  EXPECT_EQ(ids("/api/v1/orders").size(), 4u);
}

TEST_F(ApiServiceTest, UnknownOrderStatusFilterIs422NamingTheParameter) {
  const auto response = get("/api/v1/orders?status=pending");
  EXPECT_EQ(response.status, 422);
  auto root = json(response);
  EXPECT_EQ(text(root["field"]), "status");
  EXPECT_EQ(text(root["message"]), R"(status must be one of open, closed, all, got "pending")");
}

TEST_F(ApiServiceTest, MetricsAreServedAsPrometheusText) {
  const auto response = get("/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4");
  EXPECT_EQ(response.body, backend_.metrics);
}

TEST_F(ApiServiceTest, UnknownPathIs404Json) {
  const auto response = get("/api/v1/nothing");
  EXPECT_EQ(response.status, 404);
  auto root = json(response);
  EXPECT_EQ(root["code"].get_int64().value(), 404);
  EXPECT_EQ(text(root["message"]), "no route for GET /api/v1/nothing");
}

TEST_F(ApiServiceTest, WrongMethodOnAKnownPathIs405WithAllowHeader) {
  auto response = service_.handle({"DELETE", "/api/v1/orders", {}, ""});
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(*net::find_header(response.headers, "Allow"), "GET, POST");
  EXPECT_EQ(text(json(response)["message"]),
            "method DELETE is not allowed on /api/v1/orders; allowed: GET, POST");
  response = service_.handle({"POST", "/api/v1/health", {}, "{}"});
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(*net::find_header(response.headers, "Allow"), "GET");
}

TEST_F(ApiServiceTest, HeadIsAnsweredLikeGet) {
  const auto response = service_.handle({"HEAD", "/api/v1/health", {}, ""});
  EXPECT_EQ(response.status, 200);
}

TEST_F(ApiServiceTest, BackendExceptionBecomes500WithJsonBody) {
  backend_.throw_on_health = true;
  const auto response = get("/api/v1/health");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(text(json(response)["message"]),
            "internal error in GET /api/v1/health: backend unavailable");
}

TEST_F(ApiServiceTest, BookRendersLevelsBestFirstAsExactStrings) {
  backend_.book_view.in_sync = true;
  auto& book = backend_.book_view.snapshot;
  book.instrument = testing::btc_instrument().id;
  book.sequence = 42;
  book.bids = {{Price::from_raw(6000012, 2), Quantity::from_raw(1500, 3)},
               {Price::from_raw(6000011, 2), Quantity::from_raw(1, 3)}};
  book.asks = {{Price::from_raw(6000013, 2), Quantity::from_raw(250, 3)}};
  const auto response = get("/api/v1/books/sim/BTCUSDT?depth=2");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(backend_.last_book_depth, 2u);
  EXPECT_EQ(response.body,
            R"({"venue":"sim","symbol":"BTCUSDT","sequence":42,"ts_event":null,"ts_event_ns":0,)"
            R"("bids":[["60000.12","1.500"],["60000.11","0.001"]],"asks":[["60000.13","0.250"]]})");
}

TEST_F(ApiServiceTest, BookDepthDefaultsToTenAndBadDepthIs422NamingIt) {
  backend_.book_view.in_sync = true;
  EXPECT_EQ(get("/api/v1/books/sim/BTCUSDT").status, 200);
  EXPECT_EQ(backend_.last_book_depth, 10u);
  for (const char* bad : {"0", "-1", "abc", "1001", "5x"}) {
    const auto response = get(std::string("/api/v1/books/sim/BTCUSDT?depth=") + bad);
    EXPECT_EQ(response.status, 422) << bad;
    EXPECT_EQ(text(json(response)["field"]), "depth") << bad;
  }
}

TEST_F(ApiServiceTest, UnknownBookIs404AndAResyncingBookIs503) {
  EXPECT_EQ(get("/api/v1/books/sim/ETHUSDT").status, 404);
  EXPECT_EQ(get("/api/v1/books/sim").status, 404);
  EXPECT_EQ(get("/api/v1/books/sim/BTCUSDT/extra").status, 404);
  const auto resyncing = get("/api/v1/books/sim/BTCUSDT");
  EXPECT_EQ(resyncing.status, 503);
  EXPECT_NE(text(json(resyncing)["message"]).find("resyncing"), std::string::npos);
  EXPECT_EQ(service_.handle({"POST", "/api/v1/books/sim/BTCUSDT", {}, ""}).status, 405);
}

TEST_F(ApiServiceTest, ASymbolWithASlashIsFoundEncodedOrNot) {
  // Kraken's "BTC/USD": the symbol is everything after the venue.
  backend_.book_view.in_sync = true;
  get("/api/v1/books/sim/BTC%2FUSD");
  EXPECT_EQ(backend_.last_book_symbol, "BTC/USD");
  get("/api/v1/books/sim/BTC/USD");
  EXPECT_EQ(backend_.last_book_symbol, "BTC/USD");
}

TEST_F(ApiServiceTest, ConsolidatedViewListsVenuesAndTheBestPrices) {
  ConsolidatedBook view;
  view.asset = "BTC";
  VenueTop binance;
  binance.instrument = InstrumentId{VenueId{"binance"}, "BTCUSDT"};
  binance.quote = "USDT";
  binance.in_sync = binance.has_bid = binance.has_ask = true;
  binance.bid = {Price::from_raw(10010, 2), Quantity::from_raw(5, 1)};
  binance.ask = {Price::from_raw(10020, 2), Quantity::from_raw(7, 1)};
  VenueTop kraken;
  kraken.instrument = InstrumentId{VenueId{"kraken"}, "BTC/USD"};
  kraken.quote = "USD";
  view.venues = {binance, kraken};
  view.best_bid = 0;
  view.best_ask = 0;
  backend_.consolidated_view = view;
  const auto response = get("/api/v1/consolidated/BTC");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body,
            R"({"asset":"BTC","best_bid":{"venue":"binance","symbol":"BTCUSDT","price":"100.10",)"
            R"("size":"0.5"},"best_ask":{"venue":"binance","symbol":"BTCUSDT","price":"100.20",)"
            R"("size":"0.7"},"crossed":false,"ts":null,"ts_ns":0,"venues":[{"venue":"binance",)"
            R"("symbol":"BTCUSDT","quote":"USDT","in_sync":true,"bid":["100.10","0.5"],)"
            R"("ask":["100.20","0.7"],"ts_event":null,"ts_event_ns":0},{"venue":"kraken",)"
            R"("symbol":"BTC/USD","quote":"USD","in_sync":false,"bid":null,"ask":null,)"
            R"("ts_event":null,"ts_event_ns":0}]})");
  const auto missing = get("/api/v1/consolidated/ETH");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(text(json(missing)["message"]), "no consolidated view for asset \"ETH\" (assets: BTC)");
  EXPECT_EQ(service_.handle({"POST", "/api/v1/consolidated/BTC", {}, ""}).status, 405);
}

TEST_F(ApiServiceTest, RefusesWebSocketUpgrades) {
  EXPECT_EQ(service_.accept_websocket({"GET", "/api/v1/stream", {}, ""}, nullptr), nullptr);
}

}  // namespace
}  // namespace troupe::api
