#pragma once
// The simulated venue's matching engine: one price-time-priority book per instrument, integer
// ticks and lots internally, no I/O and no clock. Every call queues events (acceptance, fills,
// cancels, public trades, level changes) that the caller collects with take_events() after the
// call, as in Liquibook.
//
// Self-trade policy: allowed. An order that crosses a resting order of the same account trades
// with it like any other (no self-trade prevention; Binance's STP mode is reported as NONE).

#include "adapters/sim/engine_events.hpp"
#include "adapters/sim/order_book.hpp"
#include "messages/instrument.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

/// All books of one simulated venue. Not thread-safe: the owner serialises calls.
class MatchingEngine {
 public:
  MatchingEngine() = default;
  MatchingEngine(const MatchingEngine&) = delete;
  MatchingEngine& operator=(const MatchingEngine&) = delete;

  /// Adds a book for `instrument` (keyed by instrument.id.symbol); aborts on a duplicate symbol.
  void add_instrument(const Instrument& instrument);

  /// The instrument's rules, or nullptr for an unknown symbol.
  const Instrument* instrument(std::string_view symbol) const;

  /// Symbols in ascending order.
  std::vector<std::string> symbols() const;

  /// Validates and executes a new order. Returns the assigned order id, or the reason it was
  /// refused (a rejection changes nothing and also queues OrderRejected). Validation mirrors
  /// Binance's filters: PRICE_FILTER (price > 0, on tick), LOT_SIZE (quantity > 0, on lot,
  /// >= min quantity), NOTIONAL (price × quantity >= min notional; market orders use the best
  /// opposite price when there is one).
  tl::expected<OrderId, RejectReason> submit(OrderRequest request);

  /// Runs submit()'s checks without executing or queueing anything; normalises `request`'s
  /// price and quantity to the instrument's precisions when they pass.
  std::optional<RejectReason> check(OrderRequest& request) const;

  /// Cancels an open order at the user's request; false when no such order is open.
  bool cancel(OrderId id);

  /// Events queued since the last call, oldest first; the queue is left empty.
  std::vector<EngineEvent> take_events();

  /// Top `depth` levels per side of `symbol` (0 = all); empty for an unknown symbol.
  DepthSnapshot snapshot(std::string_view symbol, std::size_t depth) const;

  /// Best bid of `symbol`, if any.
  std::optional<BookLevel> best_bid(std::string_view symbol) const;
  /// Best ask of `symbol`, if any.
  std::optional<BookLevel> best_ask(std::string_view symbol) const;

  /// The book update id of `symbol`: the id of its last level change (0 before any).
  std::uint64_t update_id(std::string_view symbol) const;

  /// Makes the next level change of `symbol` jump `count` ids ahead (fault injection).
  void skip_update_ids(std::string_view symbol, std::uint64_t count);

  /// Open orders of `account` on all books (or on `symbol` only when given), by order id.
  std::vector<OpenOrder> open_orders(std::string_view account,
                                     std::optional<std::string_view> symbol = {}) const;

  /// The order if it is open on any book.
  std::optional<OpenOrder> open_order(OrderId id) const;

 private:
  std::optional<RejectReason> validate(OrderRequest& request, const OrderBook& book) const;
  std::optional<RejectReason> validate_limits(const OrderRequest& request,
                                              const OrderBook& book) const;
  OrderBook* book_of(std::string_view symbol);
  const OrderBook* book_of(std::string_view symbol) const;

  std::map<std::string, OrderBook, std::less<>> books_;
  std::vector<EngineEvent> events_;
  OrderId next_order_id_ = 1;
};

}  // namespace troupe::sim
