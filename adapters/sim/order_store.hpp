#pragma once
// What the simulated venue remembers about users' orders and trades (open and closed), for the
// order query, open-orders and my-trades endpoints and for execution reports.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sim/engine_events.hpp"
#include "messages/fixed_point.hpp"
#include "runtime/clock.hpp"

namespace troupe::sim {

/// One user order in Binance terms.
struct OrderRecord {
  OrderId order_id = 0;
  std::string symbol;
  std::string account;
  std::string client_order_id;
  Side side = Side::Buy;
  std::string type;                 ///< Binance type: "LIMIT", "MARKET" or "LIMIT_MAKER"
  std::string time_in_force;        ///< "GTC", "IOC" or "FOK" (market orders report "GTC")
  Price price;                      ///< limit price (0 at price precision for market orders)
  Quantity quantity;                ///< original quantity
  Quantity executed;                ///< filled so far
  Money cumulative_quote;           ///< Σ price × quantity of the fills, 8 decimals
  std::string status = "NEW";       ///< NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED
  TimestampNs created_ns = 0;       ///< when the venue accepted it
  TimestampNs updated_ns = 0;       ///< last change
  std::optional<TimestampNs> working_ns;  ///< when it started resting on the book
  bool on_book = false;             ///< resting now
  std::string cancel_client_order_id;  ///< id of the cancel request that ended it
};

/// One fill of a user order.
struct TradeRecord {
  std::string symbol;
  std::string account;
  std::uint64_t trade_id = 0;  ///< per-symbol trade id (same as the public trade stream's `t`)
  OrderId order_id = 0;
  Price price;
  Quantity quantity;
  Money quote_quantity;
  Money commission;
  std::string commission_asset;
  TimestampNs time_ns = 0;
  bool buyer = false;
  bool maker = false;
};

/// Order and trade history of all users. Not thread-safe: the front end serialises calls.
class OrderStore {
 public:
  /// Stores a new order (its id must be new).
  void add(OrderRecord record);
  /// The order with this venue id, or nullptr.
  OrderRecord* find(OrderId id);
  /// The latest order of `account` on `symbol` with this client order id, or nullptr.
  OrderRecord* find_by_client_id(std::string_view account, std::string_view symbol,
                                 std::string_view client_order_id);
  /// Orders of `account` that are still working, optionally only on `symbol`, by order id.
  std::vector<OrderRecord> open_orders(std::string_view account,
                                       std::optional<std::string_view> symbol) const;
  /// Records one fill.
  void add_trade(TradeRecord trade);
  /// Trades of `account` on `symbol` by trade id, filtered by order id, by trade id >= from_id
  /// and by time window [start, end] (ns); at most `limit`.
  std::vector<TradeRecord> trades(std::string_view account, std::string_view symbol,
                                  std::optional<OrderId> order_id,
                                  std::optional<std::uint64_t> from_id,
                                  std::optional<TimestampNs> start,
                                  std::optional<TimestampNs> end, std::size_t limit) const;

 private:
  std::map<OrderId, OrderRecord> orders_;
  std::vector<TradeRecord> trades_;
};

}  // namespace troupe::sim
