// Reconciliation endpoints (exchange-protocols.md §2.11): openOrders, account, myTrades.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/binance_json.hpp"
#include "adapters/sim/binance_state.hpp"

namespace troupe::sim::detail {
namespace {

constexpr std::int64_t kDefaultTradeLimit = 500;
constexpr std::int64_t kMaxTradeLimit = 1000;

tl::expected<std::optional<std::int64_t>, ApiError> optional_integer(const Params& params,
                                                                     std::string_view name) {
  auto text = params.get(name);
  if (!text) return std::optional<std::int64_t>{};
  auto value = integer(name, *text);
  if (!value || *value < 0) return tl::make_unexpected(mandatory(name));
  return std::optional<std::int64_t>(*value);
}

}  // namespace

Reply open_orders(VenueState& state, const AccountKey& key, const Params& params) {
  std::optional<std::string> symbol = params.get("symbol");
  if (symbol && state.engine.instrument(*symbol) == nullptr)
    return tl::make_unexpected(ApiError{400, -1121, "Invalid symbol."});
  std::optional<std::string_view> filter;
  if (symbol) filter = *symbol;
  json::JsonWriter w;
  w.begin_array();
  for (const OrderRecord& order : state.orders.open_orders(key.account, filter))
    w.raw(order_object(order, *state.engine.instrument(order.symbol)));
  return w.end_array().take();
}

Reply account_info(VenueState& state, const AccountKey& key, const Params& params) {
  const bool omit_zero = params.get("omitZeroBalances").value_or("false") == "true";
  return account_json(state.accounts.balances(key.account), omit_zero,
                      state.accounts.update_time(key.account));
}

Reply my_trades(VenueState& state, const AccountKey& key, const Params& params) {
  auto symbol = required(params, "symbol");
  if (!symbol) return tl::make_unexpected(symbol.error());
  if (state.engine.instrument(*symbol) == nullptr)
    return tl::make_unexpected(ApiError{400, -1121, "Invalid symbol."});
  auto order_id = optional_integer(params, "orderId");
  auto from_id = optional_integer(params, "fromId");
  auto start = optional_integer(params, "startTime");
  auto end = optional_integer(params, "endTime");
  auto limit = optional_integer(params, "limit");
  for (const auto* p : {&order_id, &from_id, &start, &end, &limit})
    if (!*p) return tl::make_unexpected(p->error());
  const std::int64_t count = limit->value_or(kDefaultTradeLimit);
  if (count <= 0 || count > kMaxTradeLimit) return tl::make_unexpected(mandatory("limit"));
  std::optional<OrderId> order;
  if (*order_id) order = static_cast<OrderId>(**order_id);
  std::optional<std::uint64_t> from;
  if (*from_id) from = static_cast<std::uint64_t>(**from_id);
  std::optional<TimestampNs> start_ns;
  if (*start) start_ns = **start * 1'000'000;
  std::optional<TimestampNs> end_ns;
  if (*end) end_ns = **end * 1'000'000 + 999'999;
  return trades_json(state.orders.trades(key.account, *symbol, order, from, start_ns, end_ns,
                                         static_cast<std::size_t>(count)));
}

}  // namespace troupe::sim::detail
