#pragma once
// What the simulated venue remembers about users' orders and trades (open and closed), for the
// order query, open-orders and my-trades endpoints and for execution reports.

#include "adapters/sim/engine_events.hpp"
#include "messages/fixed_point.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

/// One user order in Binance terms.
struct OrderRecord {
  OrderId order_id = 0;                   ///< venue order id (0 = rejected before it got one)
  std::string symbol;                     ///< venue symbol
  std::string account;                    ///< owning account
  std::string client_order_id;            ///< the sender's id
  Side side = Side::Buy;                  ///< buy or sell
  std::string type;                       ///< Binance type: "LIMIT", "MARKET" or "LIMIT_MAKER"
  std::string time_in_force;              ///< "GTC", "IOC" or "FOK" (market orders report "GTC")
  Price price;                            ///< limit price (0 at price precision for market orders)
  Quantity quantity;                      ///< original quantity
  Quantity executed;                      ///< filled so far
  Money cumulative_quote;                 ///< Σ price × quantity of the fills, 8 decimals
  std::string status = "NEW";             ///< NEW, PARTIALLY_FILLED, FILLED, CANCELED, EXPIRED
  TimestampNs created_ns = 0;             ///< when the venue accepted it
  TimestampNs updated_ns = 0;             ///< last change
  std::optional<TimestampNs> working_ns;  ///< when it started resting on the book
  bool on_book = false;                   ///< resting now
  std::string cancel_client_order_id;     ///< id of the cancel request that ended it
};

/// One fill of a user order.
struct TradeRecord {
  std::string symbol;            ///< venue symbol
  std::string account;           ///< the user's account
  std::uint64_t trade_id = 0;    ///< per-symbol trade id (same as the public trade stream's `t`)
  OrderId order_id = 0;          ///< the user's order
  Price price;                   ///< execution price
  Quantity quantity;             ///< executed quantity
  Money quote_quantity;          ///< price × quantity, 8 decimals
  Money commission;              ///< fee charged on this fill
  std::string commission_asset;  ///< asset the fee was charged in
  TimestampNs time_ns = 0;       ///< venue time of the fill (ns since epoch)
  bool buyer = false;            ///< the user bought
  bool maker = false;            ///< the user's order was resting
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
                                  std::optional<TimestampNs> start, std::optional<TimestampNs> end,
                                  std::size_t limit) const;

 private:
  std::map<OrderId, OrderRecord> orders_;
  std::vector<TradeRecord> trades_;
};

}  // namespace troupe::sim
