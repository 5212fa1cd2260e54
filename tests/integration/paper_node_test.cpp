// End-to-end: real nodes (actors, RocksDB journal, HTTP API) trading against the embedded
// simulated Binance venue over loopback sockets.

#include "tools/node/paper_node.hpp"

#include "adapters/sim/binance_front_end.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/atoms.hpp"
#include "tools/node/actor_names.hpp"

#include <caf/actor.hpp>
#include <caf/send.hpp>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <string>

#include "tests/integration/integration_support.hpp"

namespace troupe {
namespace {

using namespace std::chrono_literals;
using testing::http;
using testing::metric;
using testing::wait_until;

// config/paper.yaml streams four venues; these tests look at the trading venue's figures.
const std::string kBinance = "venue=\"binance\"";

std::string get(PaperNode& node, const std::string& target) {
  auto response = http(node.http_port(), "GET", target);
  return response && response->status == 200 ? response->body : std::string{};
}

double node_metric(PaperNode& node, const std::string& name,
                   const std::vector<std::string>& labels = {}) {
  return metric(get(node, "/metrics"), name, labels);
}

std::uint64_t fill_count(PaperNode& node) {
  simdjson::dom::parser parser;
  auto body = get(node, "/api/v1/portfolio");
  if (body.empty()) return 0;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return 0;
  std::uint64_t fills = 0;
  if (doc["fill_count"].get(fills)) return 0;
  return fills;
}

std::unique_ptr<PaperNode> start_node(const std::string& dir,
                                      std::vector<std::string> overrides = {}) {
  auto node = PaperNode::start(testing::paper_config(dir, std::move(overrides)));
  if (!node) {
    ADD_FAILURE() << "node did not start: " << node.error();
    return nullptr;
  }
  // Ready = the venue session is live and the risk guard answers (health 200); before that the
  // API rightly answers 503.
  const auto port = (*node)->http_port();
  if (!wait_until(
          [port] {
            auto r = http(port, "GET", "/api/v1/health");
            return r && r->status == 200;
          },
          20s))
    ADD_FAILURE() << "node not healthy within 20 s";
  return std::move(*node);
}

class PaperNodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    node_ = start_node(dir_->path()).release();
  }
  static void TearDownTestSuite() {
    delete node_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static PaperNode* node_;
};
testing::TempDir* PaperNodeTest::dir_ = nullptr;
PaperNode* PaperNodeTest::node_ = nullptr;

TEST_F(PaperNodeTest, StrategyOrdersAreFilledAndThePortfolioReflectsThem) {
  ASSERT_NE(node_, nullptr);
  ASSERT_TRUE(wait_until([] { return fill_count(*node_) > 0; }, 45s))
      << "no fill within 45 s; metrics:\n"
      << get(*node_, "/metrics");
  simdjson::dom::parser parser;
  auto portfolio = parser.parse(get(*node_, "/api/v1/portfolio"));
  ASSERT_FALSE(portfolio.error());
  simdjson::dom::array positions;
  ASSERT_FALSE(portfolio["positions"].get(positions));
  ASSERT_GE(positions.size(), 1u);
  std::string_view symbol;
  ASSERT_FALSE(positions.at(0)["symbol"].get(symbol));
  EXPECT_EQ(symbol, "BTCUSDT");

  simdjson::dom::parser orders_parser;
  auto orders = orders_parser.parse(get(*node_, "/api/v1/orders"));
  ASSERT_FALSE(orders.error());
  simdjson::dom::array list;
  ASSERT_FALSE(orders.get(list));
  bool any_filled = false;
  for (auto order : list) {
    std::string_view status;
    std::string_view filled_qty;
    if (!order["status"].get(status) &&
        (status == "filled" || status == "partially_filled" || status == "canceled")) {
      any_filled = any_filled || (!order["filled_qty"].get(filled_qty) &&
                                  filled_qty.find_first_not_of("0.") != std::string_view::npos);
    }
  }
  EXPECT_TRUE(any_filled) << get(*node_, "/api/v1/orders");

  auto metrics = get(*node_, "/metrics");
  EXPECT_GT(metric(metrics, "troupe_book_updates_total"), 0);
  EXPECT_GT(metric(metrics, "troupe_orders_submitted_total"), 0);
  EXPECT_GT(metric(metrics, "troupe_fills_total"), 0);
}

TEST_F(PaperNodeTest, HealthReportsTheVenueLive) {
  ASSERT_NE(node_, nullptr);
  ASSERT_TRUE(wait_until(
      [] {
        auto r = http(node_->http_port(), "GET", "/api/v1/health");
        return r && r->status == 200 && r->body.find("\"live\"") != std::string::npos;
      },
      20s));
}

TEST_F(PaperNodeTest, MalformedFrameIsCountedAndTheBookResyncs) {
  ASSERT_NE(node_, nullptr);
  ASSERT_TRUE(wait_until(
      [] { return node_metric(*node_, "troupe_book_updates_total", {kBinance}) > 0; }, 20s));
  // The venue refuses (done = false) until it has sent depth events to inject into.
  ASSERT_TRUE(
      wait_until([] { return node_->venue()->inject_malformed_frame("BTCUSDT").done; }, 20s));
  EXPECT_TRUE(wait_until(
      [] {
        return node_metric(*node_, "troupe_venue_frame_errors_total", {kBinance}) >= 1 &&
               node_metric(*node_, "troupe_venue_resyncs_total",
                           {kBinance, "reason=\"malformed_frame\""}) >= 1;
      },
      15s))
      << get(*node_, "/metrics");
  const double updates = node_metric(*node_, "troupe_book_updates_total", {kBinance});
  EXPECT_TRUE(wait_until(
      [&] { return node_metric(*node_, "troupe_book_updates_total", {kBinance}) > updates + 5; },
      15s));
}

TEST_F(PaperNodeTest, GapInUpdateIdsTriggersAResync) {
  ASSERT_NE(node_, nullptr);
  ASSERT_TRUE(wait_until(
      [] { return node_metric(*node_, "troupe_book_updates_total", {kBinance}) > 0; }, 20s));
  // The venue refuses (done = false) until it has sent depth events to inject into.
  ASSERT_TRUE(wait_until([] { return node_->venue()->inject_gap("BTCUSDT").done; }, 20s));
  EXPECT_TRUE(wait_until(
      [] {
        return node_metric(*node_, "troupe_venue_resyncs_total", {kBinance, "reason=\"gap\""}) >= 1;
      },
      15s))
      << get(*node_, "/metrics");
}

TEST_F(PaperNodeTest, OutOfSequenceFrameTriggersAResync) {
  ASSERT_NE(node_, nullptr);
  ASSERT_TRUE(wait_until(
      [] { return node_metric(*node_, "troupe_book_updates_total", {kBinance}) > 0; }, 20s));
  // The venue refuses (done = false) until it has sent depth events to inject into.
  ASSERT_TRUE(
      wait_until([] { return node_->venue()->inject_out_of_sequence("BTCUSDT").done; }, 20s));
  EXPECT_TRUE(wait_until(
      [] {
        return node_metric(*node_, "troupe_venue_resyncs_total",
                           {kBinance, "reason=\"out_of_sequence\""}) >= 1;
      },
      15s))
      << get(*node_, "/metrics");
  // The book comes back: it equals the venue's own book again after the resync.
  EXPECT_TRUE(wait_until(
      [] {
        return node_metric(*node_, "troupe_venue_session_state",
                           {kBinance, "session=\"market_data\""}) == 2;
      },
      15s))
      << get(*node_, "/metrics");
}

TEST_F(PaperNodeTest, BookEndpointServesTheLiveBookUncrossed) {
  ASSERT_NE(node_, nullptr);
  // Right after start the venue's own book may still be empty (no market step yet): wait for a
  // book with five levels a side.
  std::string body;
  simdjson::dom::parser parser;
  simdjson::dom::array bids, asks;
  ASSERT_TRUE(wait_until(
      [&] {
        auto r = http(node_->http_port(), "GET", "/api/v1/books/binance/BTCUSDT?depth=5");
        if (!r || r->status != 200) return false;
        body = r->body;
        auto doc = parser.parse(body);
        return !doc.error() && !doc["bids"].get(bids) && !doc["asks"].get(asks) &&
               bids.size() == 5 && asks.size() == 5;
      },
      20s))
      << body;
  std::string_view best_bid, best_ask;
  ASSERT_FALSE(bids.at(0).at(0).get(best_bid));
  ASSERT_FALSE(asks.at(0).at(0).get(best_ask));
  EXPECT_LT(*Price::parse(best_bid, 2), *Price::parse(best_ask, 2)) << body;
  auto unknown = http(node_->http_port(), "GET", "/api/v1/books/binance/DOGEUSDT");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(PaperNodeTest, InvalidOrderBodyGets422NamingTheField) {
  ASSERT_NE(node_, nullptr);
  auto r =
      http(node_->http_port(), "POST", "/api/v1/orders",
           R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"-1","limit_price":"100.00"})");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->status, 422);
  EXPECT_NE(r->body.find("\"field\":\"qty\""), std::string::npos) << r->body;
  auto bad_json = http(node_->http_port(), "POST", "/api/v1/orders", "{\"symbol\":");
  ASSERT_TRUE(bad_json.has_value());
  EXPECT_EQ(bad_json->status, 400);
}

TEST_F(PaperNodeTest, OrderBreakingARiskLimitIsDeniedAndNeverReachesTheVenue) {
  ASSERT_NE(node_, nullptr);
  // 0.09 BTC at 100000 = 9000 USDT > max_order_notional 5000 (config/paper.yaml).
  auto r = http(node_->http_port(), "POST", "/api/v1/orders",
                R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"0.09",)"
                R"("limit_price":"100000.00","client_order_id":"too-big-1"})");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_NE(r->body.find("max_order_notional"), std::string::npos) << r->body;
  for (const auto& request : node_->venue()->received_order_requests())
    EXPECT_NE(request.client_order_id, "too-big-1");
  EXPECT_GE(node_metric(*node_, "troupe_orders_denied_total", {"reason=\"max_order_notional\""}),
            1);
}

TEST_F(PaperNodeTest, ValidApiOrderIsAcceptedWithAnAssignedState) {
  ASSERT_NE(node_, nullptr);
  auto r = http(node_->http_port(), "POST", "/api/v1/orders",
                R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"0.01",)"
                R"("limit_price":"1000.00","time_in_force":"gtc","client_order_id":"api-1"})");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"client_order_id\":\"api-1\""), std::string::npos) << r->body;
  EXPECT_TRUE(wait_until(
      [] {
        for (const auto& request : node_->venue()->received_order_requests())
          if (request.client_order_id == "api-1") return true;
        return false;
      },
      10s));
}

TEST(PaperNodeRecovery, KillingTheMarketDataSessionRestartsItAndTradingContinues) {
  testing::TempDir dir;
  auto node = start_node(dir.path());
  ASSERT_NE(node, nullptr);
  ASSERT_TRUE(wait_until([&] { return fill_count(*node) > 0; }, 45s));
  const auto name = names::market_data(VenueId{"binance"});
  caf::actor before = node->directory().get(name);
  ASSERT_TRUE(before);
  const double snapshots = node_metric(*node, "troupe_venue_snapshots_total", {kBinance});
  caf::anon_send_exit(before, caf::exit_reason::kill);
  ASSERT_TRUE(wait_until(
      [&] {
        auto now = node->directory().get(name);
        return now && now.address() != before.address();
      },
      10s));
  EXPECT_GE(node_metric(*node, "troupe_actor_restarts_total", {"child=\"" + name + "\""}), 1);
  EXPECT_TRUE(wait_until(
      [&] { return node_metric(*node, "troupe_venue_snapshots_total", {kBinance}) > snapshots; },
      15s));
  const auto fills = fill_count(*node);
  EXPECT_TRUE(wait_until([&] { return fill_count(*node) > fills; }, 45s))
      << "no new fill after the restart";
}

// Position fields restored from the journal (marks and unrealized P&L come from live data).
std::string restored_positions(simdjson::dom::element portfolio) {
  std::string out;
  simdjson::dom::array positions;
  if (portfolio["positions"].get(positions)) return out;
  for (auto p : positions)
    for (const char* field : {"symbol", "quantity", "average_price", "realized_pnl", "fees"})
      out += simdjson::to_string(p[field]) + " ";
  return out;
}

std::vector<std::pair<std::string, std::string>> order_states(PaperNode& node) {
  std::vector<std::pair<std::string, std::string>> states;
  simdjson::dom::parser parser;
  auto doc = parser.parse(get(node, "/api/v1/orders"));
  simdjson::dom::array list;
  if (doc.error() || doc.get(list)) return states;
  for (auto order : list) {
    std::string_view id, status, filled;
    if (order["client_order_id"].get(id) || order["status"].get(status) ||
        order["filled_qty"].get(filled))
      continue;
    states.emplace_back(std::string(id), std::string(status) + " " + std::string(filled));
  }
  return states;
}

TEST(PaperNodeRecovery, RestartingTheNodeRestoresOrdersAndPositionsFromTheJournal) {
  testing::TempDir dir;
  std::string positions_before, pnl_before;
  std::uint64_t fills_before = 0;
  std::vector<std::pair<std::string, std::string>> orders_before;
  {
    auto node = start_node(dir.path());
    ASSERT_NE(node, nullptr);
    ASSERT_TRUE(wait_until([&] { return fill_count(*node) >= 2; }, 60s));
    // A resting order far below the market: it must come back open.
    auto r = http(node->http_port(), "POST", "/api/v1/orders",
                  R"({"symbol":"BTCUSDT","side":"buy","type":"limit","qty":"0.01",)"
                  R"("limit_price":"1000.00","client_order_id":"resting-1"})");
    ASSERT_TRUE(r && r->status == 200);
    // Halt, then wait until nothing but the (accepted) resting order is working, so no fill or
    // ack can land between reading the state and stopping the node.
    caf::anon_send(node->directory().get(names::risk(AccountId{"paper"})), halt_atom_v);
    ASSERT_TRUE(wait_until(
        [&] {
          for (const auto& [id, state] : order_states(*node)) {
            bool open = state.rfind("accepted", 0) == 0 || state.rfind("submitted", 0) == 0 ||
                        state.rfind("partially_filled", 0) == 0 ||
                        state.rfind("pending_cancel", 0) == 0;
            if (open != (id == "resting-1")) return false;
            // Its venue ack must be in too, or it could land between the reads below.
            if (id == "resting-1" && state.rfind("accepted", 0) != 0) return false;
          }
          return true;
        },
        30s))
        << get(*node, "/api/v1/orders");
    simdjson::dom::parser parser;
    auto portfolio = parser.parse(get(*node, "/api/v1/portfolio"));
    ASSERT_FALSE(portfolio.error());
    positions_before = restored_positions(portfolio.value());
    pnl_before = simdjson::to_string(portfolio["realized_pnl"]);
    fills_before = fill_count(*node);
    orders_before = order_states(*node);
    node->shutdown();
  }
  ASSERT_GE(fills_before, 2u);
  auto node = start_node(dir.path(), {"risk.initial_state=halted"});
  ASSERT_NE(node, nullptr);
  ASSERT_TRUE(wait_until([&] { return fill_count(*node) == fills_before; }, 20s));
  simdjson::dom::parser parser;
  auto portfolio = parser.parse(get(*node, "/api/v1/portfolio"));
  ASSERT_FALSE(portfolio.error());
  EXPECT_FALSE(positions_before.empty());
  EXPECT_EQ(restored_positions(portfolio.value()), positions_before);
  EXPECT_EQ(simdjson::to_string(portfolio["realized_pnl"]), pnl_before);
  EXPECT_EQ(order_states(*node), orders_before);
  bool resting_open = false;
  for (const auto& [id, state] : order_states(*node))
    resting_open = resting_open || (id == "resting-1" && state.rfind("accepted", 0) == 0);
  EXPECT_TRUE(resting_open);
}

}  // namespace
}  // namespace troupe
