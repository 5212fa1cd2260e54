#pragma once
// StrategyEngine: the sample order-book-imbalance strategy of one strategy actor.
//
// Owns: the strategy's position in its instrument (from its own fills only), its single
// working order (at most one at a time: sent, submitted, accepted, cancel requested), the time
// of its last new order and the last top of book it saw.
//
// Logic (StrategyConfig): imbalance = (bid volume - ask volume) / (bid volume + ask volume)
// over the top `depth_levels` levels. Above +threshold it buys at best bid +
// aggression_ticks × tick; below -threshold it sells at best ask - aggression_ticks × tick
// (so with aggression_ticks >= the spread in ticks it takes liquidity). GTC limit orders of
// `order_quantity` truncated to the lot, shrunk so that |position + working| never exceeds
// `max_position`; at least `cooldown_ms` between new orders; a working order older than
// `order_ttl_ms` is canceled (order_ttl_ms <= 0: never). max_position is taken literally: zero
// keeps the strategy flat. Orders below the instrument's min quantity / notional are not sent.
//
// Orders go out with an empty client order id; the order manager assigns one and the
// strategy learns it from OrderSubmitted (its strategy id, while its one order is in flight).
// A submission that gets neither OrderSubmitted nor OrderDenied within `order_ttl_ms` is
// presumed lost (a restart between risk guard and OMS) and forgotten; fills of the strategy
// id still count toward the position whatever happened to the working order.
//
// Relies on the order manager for deduplication: each event arrives once. Deterministic: time
// comes only from the injected clock (and the `now` given to on_timer).

#include "actors/strategy/strategy_config.hpp"
#include "messages/commands.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace troupe {

/// A command the strategy sends to its account's risk guard.
using StrategyCommand = std::variant<SubmitOrder, CancelOrder>;

/// The strategy's view of its one working order.
struct StrategyWorkingOrder {
  ClientOrderId client_order_id;  ///< empty until OrderSubmitted tells it
  Side side = Side::Buy;
  Quantity quantity;                          ///< as sent
  Quantity leaves_quantity;                   ///< still working (quantity minus own fills)
  Price price;                                ///< limit price
  TimestampNs ts_sent = 0;                    ///< when the SubmitOrder went out, ns since epoch
  bool accepted = false;                      ///< the venue acknowledged it
  std::optional<TimestampNs> ts_cancel_sent;  ///< when the last CancelOrder went out
};

/// Sample order-book-imbalance strategy (see the note at the top of this file).
class StrategyEngine {
 public:
  /// A flat strategy; `clock` must outlive the engine.
  StrategyEngine(StrategyConfig config, const Clock& clock);

  /// A new top of book from the symbol book (other instruments are ignored). May submit.
  std::vector<StrategyCommand> on_book(const BookSnapshot& top);
  /// Order events of the account; only this strategy's orders count. Never sends commands
  /// today; returns a vector so that the shell handles every input the same way.
  std::vector<StrategyCommand> on_event(const OrderSubmitted& event);
  std::vector<StrategyCommand> on_event(const OrderAccepted& event);
  std::vector<StrategyCommand> on_event(const OrderFilled& event);
  std::vector<StrategyCommand> on_event(const OrderCanceled& event);
  std::vector<StrategyCommand> on_event(const OrderRejected& event);
  std::vector<StrategyCommand> on_event(const OrderDenied& event);
  /// Periodic housekeeping at `now` (ns since epoch): cancels an expired working order (again
  /// every `order_ttl_ms` while unanswered), forgets a lost submission, then re-evaluates the
  /// last top of book.
  std::vector<StrategyCommand> on_timer(TimestampNs now);

  /// Signed position from own fills (positive long) at the instrument's size precision.
  Quantity position() const;
  /// The working order, if any.
  const std::optional<StrategyWorkingOrder>& working_order() const { return working_; }
  /// Imbalance of the last top of book seen, in [-1, 1] (0 before any book).
  double last_imbalance() const { return last_imbalance_; }
  /// Number of SubmitOrder commands sent so far.
  std::uint64_t orders_sent() const { return orders_sent_; }
  /// The configuration in use.
  const StrategyConfig& config() const { return config_; }

 private:
  void expire_working(TimestampNs now, std::vector<StrategyCommand>& out);
  void evaluate(TimestampNs now, std::vector<StrategyCommand>& out);
  std::int64_t order_units(Side side) const;
  std::optional<Price> limit_price(Side side) const;
  CancelOrder make_cancel(TimestampNs now) const;
  bool is_working(const ClientOrderId& id) const;
  std::int64_t to_units(Quantity quantity) const;

  StrategyConfig config_;
  const Clock& clock_;
  std::int64_t tick_;          ///< tick size mantissa at the price precision (>= 1)
  std::int64_t lot_;           ///< lot size mantissa at the size precision (>= 1)
  std::int64_t position_ = 0;  ///< signed, size precision mantissa
  std::optional<StrategyWorkingOrder> working_;
  std::optional<TimestampNs> last_order_ts_;
  std::uint64_t orders_sent_ = 0;
  bool have_book_ = false;
  std::int64_t best_bid_ = 0;  ///< price mantissa of the last top's best bid
  std::int64_t best_ask_ = 0;  ///< price mantissa of the last top's best ask
  double last_imbalance_ = 0;
};

}  // namespace troupe
