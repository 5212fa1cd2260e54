#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/unit/adapters/sim/front_end_support.hpp"

namespace troupe::sim {
namespace {

using test::Connection;
using test::Json;
using test::Venue;

TEST(BinanceConcurrency, RequestsWhileSteppingKeepStreamsContiguousAndFundsBalanced) {
  Venue venue;
  venue.steps(20);
  Connection depth = venue.connect("/ws/btcusdt@depth@100ms");
  Connection user = venue.user_stream();
  std::atomic<bool> done{false};
  std::thread stepper([&] {
    for (int i = 0; i < 400; ++i) venue.steps(1);
    done = true;
  });
  std::thread trader([&] {
    int n = 0;
    while (!done) {
      const std::string id = "c-" + std::to_string(++n);
      venue.signed_request("POST", "/api/v3/order",
                           "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&"
                           "price=59000.00&newClientOrderId=" +
                               id);
      venue.signed_request("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=" + id);
      venue.signed_request("POST", "/api/v3/order",
                           "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.001");
    }
  });
  std::thread reader([&] {
    while (!done) {
      const BookSnapshot book = venue.front_end().book("BTCUSDT", 5);
      ASSERT_TRUE(book.bids.empty() || book.asks.empty() ||
                  book.bids[0].price < book.asks[0].price);
      user.handler->on_message(R"({"id":1,"method":"ping"})");
    }
  });
  stepper.join();
  trader.join();
  reader.join();
  std::uint64_t previous = 0;
  for (const std::string& frame : depth.socket->take()) {
    Json e(frame);
    if (previous != 0) {
      ASSERT_EQ(std::uint64_t(e["U"]), previous + 1);
    }
    previous = std::uint64_t(e["u"]);
  }
  // The venue clock is simulated and the stepper may race seconds ahead of a descheduled trader,
  // so a signed cancel can fall outside recvWindow (-1021) and leave its order open. Cancel what
  // is still open; afterwards nothing may stay locked.
  Json open(venue.signed_request("GET", "/api/v3/openOrders", "symbol=BTCUSDT").body);
  for (auto order : open.root().get_array()) {
    const std::string id{std::string_view(order["clientOrderId"])};
    EXPECT_EQ(
        venue.signed_request("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=" + id)
            .status,
        200);
  }
  Json account(venue.signed_request("GET", "/api/v3/account", "").body);
  for (auto balance : account["balances"].get_array())
    EXPECT_EQ(std::string_view(balance["locked"]), "0.00000000");
  EXPECT_GT(venue.front_end().counters().execution_reports, 0u);
}

}  // namespace
}  // namespace troupe::sim
