#include "tests/unit/adapters/sim/sim_test_support.hpp"

#include <type_traits>

namespace troupe::sim::test {

std::string describe(const EngineEvent& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, OrderAccepted>) {
          return "accepted " + std::to_string(e.order_id) + " " + e.request.account + " " +
                 e.request.client_order_id + " " + to_string(e.request.side) + " " +
                 e.request.price.to_string() + " " + e.request.quantity.to_string();
        } else if constexpr (std::is_same_v<T, OrderRejected>) {
          return "rejected " + e.request.client_order_id + " " + reject_text(e.reason);
        } else if constexpr (std::is_same_v<T, OrderFill>) {
          return "fill " + std::to_string(e.order_id) + " " + e.account + " " +
                 e.price.to_string() + " " + e.quantity.to_string() + " cum " +
                 e.cumulative.to_string() + " leaves " + e.leaves.to_string() +
                 (e.maker ? " maker" : " taker") + " t" + std::to_string(e.trade_id);
        } else if constexpr (std::is_same_v<T, OrderCanceled>) {
          return "canceled " + std::to_string(e.order_id) + " reason " +
                 std::to_string(static_cast<int>(e.reason)) + " cum " + e.cumulative.to_string() +
                 " canceled " + e.canceled.to_string();
        } else if constexpr (std::is_same_v<T, PublicTrade>) {
          return "trade " + e.symbol + " t" + std::to_string(e.trade_id) + " " +
                 e.price.to_string() + " " + e.quantity.to_string() + " " + to_string(e.aggressor);
        } else {
          return "level " + e.symbol + " " + to_string(e.side) + " " + e.price.to_string() + " " +
                 e.quantity.to_string() + " u" + std::to_string(e.update_id);
        }
      },
      event);
}

}  // namespace troupe::sim::test
