#pragma once
// Value types of the simulated venue's matching engine: order requests, the events the engine
// queues while it works (handed out afterwards, Liquibook style), and book views.

#include "messages/data.hpp"
#include "messages/enums.hpp"
#include "messages/fixed_point.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace troupe::sim {

/// The venue's order id: unique across all instruments of one engine, assigned from 1 upwards.
using OrderId = std::uint64_t;

/// A new order as the engine receives it (already decoded from the wire).
struct OrderRequest {
  std::string symbol;           ///< venue symbol, "BTCUSDT"
  std::string account;          ///< owning account id (users and simulated agents alike)
  std::string client_order_id;  ///< the sender's id; unique among the account's open orders
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;             ///< Limit or Market; stop types are rejected
  TimeInForce time_in_force = TimeInForce::Gtc;  ///< Day behaves as Gtc
  bool post_only = false;  ///< limit-maker: rejected when it would take liquidity
  Price price;             ///< limit price (ignored for market orders)
  Quantity quantity;       ///< base quantity, > 0
};

/// Why the engine refused an order. Texts follow Binance (see reject_text()).
enum class RejectReason : std::uint8_t {
  UnknownSymbol,     ///< no such instrument
  SymbolHalted,      ///< the instrument is not tradable
  PriceFilter,       ///< price not positive or not on the tick
  LotSize,           ///< quantity not positive, below the minimum or not on the lot
  Notional,          ///< price × quantity below the minimum notional
  WouldMatch,        ///< post-only order would take liquidity
  DuplicateOrder,    ///< client order id already used by an open order of the account
  UnsupportedOrder,  ///< order type the simulator does not support (stops)
};

/// Binance message text for a rejection ("Filter failure: LOT_SIZE").
std::string reject_text(RejectReason reason);

/// Why an order left the book before being filled completely.
enum class CancelReason : std::uint8_t {
  User,          ///< cancel request (Binance CANCELED)
  IocRemainder,  ///< unfilled rest of an IOC or market order (Binance EXPIRED)
  FokUnfilled,   ///< fill-or-kill that could not fill completely (Binance EXPIRED)
};

/// The engine accepted the order (it matched and/or rests). Always precedes its fills.
struct OrderAccepted {
  OrderId order_id = 0;  ///< assigned by the engine
  OrderRequest request;  ///< the order as submitted, price rescaled to the instrument
};

/// The engine refused the order; no state was changed.
struct OrderRejected {
  OrderRequest request;                               ///< the order as submitted
  RejectReason reason = RejectReason::UnknownSymbol;  ///< why
};

/// One side of one match. Each match yields a maker fill and a taker fill.
struct OrderFill {
  OrderId order_id = 0;               ///< the order this side belongs to
  std::string symbol;                 ///< venue symbol
  std::string account;                ///< the order's account
  std::string client_order_id;        ///< the order's client id
  Side side = Side::Buy;              ///< the order's side
  OrderId counterparty_order_id = 0;  ///< the other side's order
  std::string counterparty_account;   ///< the other side's account
  Price price;                        ///< execution price (the maker's price)
  Quantity quantity;                  ///< executed in this match
  Quantity cumulative;                ///< executed so far on this order, this match included
  Quantity leaves;                    ///< still open after this match (0 = done)
  bool maker = false;                 ///< true when this order was resting
  std::uint64_t trade_id = 0;         ///< per-instrument trade id shared by both sides, from 1
};

/// The order left the book unfilled (fully or in part).
struct OrderCanceled {
  OrderId order_id = 0;                      ///< the order that left
  std::string symbol;                        ///< venue symbol
  std::string account;                       ///< the order's account
  std::string client_order_id;               ///< the order's client id
  CancelReason reason = CancelReason::User;  ///< user cancel or time-in-force expiry
  Quantity cumulative;                       ///< executed before it left
  Quantity canceled;                         ///< quantity that will never execute
};

/// A public trade for the trade stream.
struct PublicTrade {
  std::string symbol;          ///< venue symbol
  std::uint64_t trade_id = 0;  ///< per-instrument trade id, from 1
  Price price;                 ///< execution price (the maker's)
  Quantity quantity;           ///< executed quantity
  Side aggressor = Side::Buy;  ///< the taker's side
  OrderId maker_order_id = 0;  ///< resting order
  OrderId taker_order_id = 0;  ///< incoming order
};

/// One price level changed: its new total quantity (0 = the level is gone). Each change takes
/// the next book update id of the instrument.
struct LevelChange {
  std::string symbol;           ///< venue symbol
  Side side = Side::Buy;        ///< bid (Buy) or ask (Sell) side
  Price price;                  ///< level price at the instrument's precision
  Quantity quantity;            ///< new total quantity of the level (0 = removed)
  std::uint64_t update_id = 0;  ///< the instrument's book update id of this change
};

/// Anything the engine reports. Handed out in the order it happened.
using EngineEvent =
    std::variant<OrderAccepted, OrderRejected, OrderFill, OrderCanceled, PublicTrade, LevelChange>;

/// Top of a book: bids best first (descending), asks best first (ascending).
struct DepthSnapshot {
  std::uint64_t last_update_id = 0;  ///< id of the last level change reflected
  std::vector<BookLevel> bids;       ///< best (highest) first
  std::vector<BookLevel> asks;       ///< best (lowest) first
};

/// An order resting on a book.
struct OpenOrder {
  OrderId order_id = 0;  ///< venue order id
  OrderRequest request;  ///< as accepted (price and quantity at the instrument's precisions)
  Quantity filled;       ///< executed so far
};

}  // namespace troupe::sim
