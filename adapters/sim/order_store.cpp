#include "adapters/sim/order_store.hpp"

#include <utility>

namespace troupe::sim {

void OrderStore::add(OrderRecord record) {
  const OrderId id = record.order_id;
  orders_.insert_or_assign(id, std::move(record));
}

OrderRecord* OrderStore::find(OrderId id) {
  auto found = orders_.find(id);
  return found == orders_.end() ? nullptr : &found->second;
}

OrderRecord* OrderStore::find_by_client_id(std::string_view account, std::string_view symbol,
                                           std::string_view client_order_id) {
  for (auto it = orders_.rbegin(); it != orders_.rend(); ++it) {
    OrderRecord& r = it->second;
    if (r.account == account && r.symbol == symbol && r.client_order_id == client_order_id)
      return &r;
  }
  return nullptr;
}

std::vector<OrderRecord> OrderStore::open_orders(std::string_view account,
                                                 std::optional<std::string_view> symbol) const {
  std::vector<OrderRecord> out;
  for (const auto& [id, r] : orders_) {
    if (r.account != account || !r.on_book) continue;
    if (symbol && r.symbol != *symbol) continue;
    out.push_back(r);
  }
  return out;
}

void OrderStore::add_trade(TradeRecord trade) { trades_.push_back(std::move(trade)); }

std::vector<TradeRecord> OrderStore::trades(std::string_view account, std::string_view symbol,
                                            std::optional<OrderId> order_id,
                                            std::optional<std::uint64_t> from_id,
                                            std::optional<TimestampNs> start,
                                            std::optional<TimestampNs> end,
                                            std::size_t limit) const {
  std::vector<TradeRecord> out;
  for (const TradeRecord& t : trades_) {
    if (out.size() >= limit) break;
    if (t.account != account || t.symbol != symbol) continue;
    if (order_id && t.order_id != *order_id) continue;
    if (from_id && t.trade_id < *from_id) continue;
    if (start && t.time_ns < *start) continue;
    if (end && t.time_ns > *end) continue;
    out.push_back(t);
  }
  return out;
}

}  // namespace troupe::sim
