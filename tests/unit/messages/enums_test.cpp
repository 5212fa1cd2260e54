#include "messages/enums.hpp"

#include <gtest/gtest.h>

namespace troupe {
namespace {

TEST(Enums, OrderTypeNamesRoundTrip) {
  for (auto t : {OrderType::Market, OrderType::Limit, OrderType::Stop, OrderType::StopLimit})
    EXPECT_EQ(parse_order_type(to_string(t)), t);
  EXPECT_FALSE(parse_order_type("LIMIT").has_value());
}

TEST(Enums, TimeInForceAndSideNamesRoundTrip) {
  for (auto t : {TimeInForce::Day, TimeInForce::Gtc, TimeInForce::Ioc, TimeInForce::Fok})
    EXPECT_EQ(parse_time_in_force(to_string(t)), t);
  EXPECT_EQ(parse_side("buy"), Side::Buy);
  EXPECT_EQ(parse_side("sell"), Side::Sell);
  EXPECT_FALSE(parse_side("hold").has_value());
}

TEST(Enums, TerminalStatusesAreExactlyTheFinalOnes) {
  EXPECT_TRUE(is_terminal(OrderStatus::Filled));
  EXPECT_TRUE(is_terminal(OrderStatus::Canceled));
  EXPECT_TRUE(is_terminal(OrderStatus::Rejected));
  EXPECT_TRUE(is_terminal(OrderStatus::Denied));
  EXPECT_TRUE(is_terminal(OrderStatus::Expired));
  EXPECT_FALSE(is_terminal(OrderStatus::Accepted));
  EXPECT_FALSE(is_terminal(OrderStatus::PartiallyFilled));
  EXPECT_FALSE(is_terminal(OrderStatus::PendingCancel));
  EXPECT_FALSE(is_terminal(OrderStatus::Submitted));
}

}  // namespace
}  // namespace troupe
