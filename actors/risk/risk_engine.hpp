#pragma once
// RiskEngine: the pre-trade checks of one account's risk guard, all in memory (< 1 µs).
//
// Owns: the limits (RiskConfig) and trading state, the instrument table, per instrument the
// signed position and the open buy / sell quantity, the open orders by client order id, the
// approvals still in flight to the order manager, the approvals of the last second (rate
// window) and the last best bid / ask per instrument (MarketState).
//
// check() runs, in this order: trading state (HALTED denies all; REDUCING allows only orders
// that cannot increase |position|), unknown instrument, invalid order (account, quantity, lot,
// min quantity, price / trigger on tick, min notional), max_order_quantity,
// max_order_notional (limit price; trigger price for stop orders; the opposite best price
// for market orders), max_position, max_orders_per_second (sliding 1 s window). The first
// failure becomes an OrderDenied whose message names the limit and the values. A zero limit is
// disabled.
//
// An approval counts at once: it enters the rate window and reserves its quantity as "in
// flight" until the order manager's OrderSubmitted arrives (matched by client order id, or for
// orders without one by instrument, side and quantity), so that a burst of orders within one
// journal commit cannot exceed max_position. A reservation the order manager never confirms
// (denied as duplicate, lost in a restart) is released by OrderDenied or after 5 s.
//
// Invariants: open quantities and in-flight reservations are never negative; quantities are
// kept as mantissas at each instrument's size precision. Relies on the order manager to publish
// each event once. Deterministic: time comes only from the injected clock.

#include "actors/risk/market_state.hpp"
#include "actors/risk/risk_config.hpp"
#include "messages/commands.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace troupe {

/// Approval (no value: forward the order unchanged) or the denial to send back.
using RiskDecision = tl::expected<void, OrderDenied>;

/// Pre-trade risk checks of one account (see the note at the top of this file).
class RiskEngine {
 public:
  /// An engine for `config.account` knowing `instruments`; `clock` must outlive it.
  RiskEngine(RiskConfig config, std::vector<Instrument> instruments, const Clock& clock);

  /// Checks `order` against the limits, valuing market orders with the engine's own market().
  /// Approval is recorded (rate window, in-flight reservation).
  RiskDecision check(const SubmitOrder& order);
  /// The same with an explicit market view (a global guard's, or a test's).
  RiskDecision check(const SubmitOrder& order, const MarketState& market);

  /// Marks from a book's top-of-book update (best bid / ask).
  void on_book(const BookSnapshot& top) { market_.update(top); }
  /// Marks from a best bid / offer tick.
  void on_quote(const QuoteTick& tick) { market_.update(tick); }

  /// The order manager sent an order: it becomes open (its reservation is released).
  void apply(const OrderSubmitted& event);
  /// A fill moves the position and reduces the order's open quantity.
  void apply(const OrderFilled& event);
  /// The order is no longer open.
  void apply(const OrderCanceled& event);
  /// The order is no longer open.
  void apply(const OrderRejected& event);
  /// The order manager refused an approved order (duplicate id): releases its reservation.
  void apply(const OrderDenied& event);

  /// Halt (kill switch), reduce-only, or resume.
  void set_trading_state(TradingState state) { state_ = state; }
  /// Current trading state.
  TradingState trading_state() const { return state_; }
  /// Replaces the limits (the account stays); takes effect with the next check.
  void set_limits(const RiskConfig& limits);
  /// The limits in force.
  const RiskConfig& limits() const { return config_; }

  /// Signed position in `instrument` (positive long), zero when unknown.
  Quantity position(const InstrumentId& instrument) const;
  /// Open plus in-flight quantity of `side` orders in `instrument`, zero when unknown.
  Quantity open_quantity(const InstrumentId& instrument, Side side) const;
  /// Number of open orders.
  std::size_t open_order_count() const { return open_orders_.size(); }
  /// The engine's market view (best bid / ask per instrument).
  const MarketState& market() const { return market_; }
  /// The known instrument `id`, or nullptr.
  const Instrument* find_instrument(const InstrumentId& id) const;

 private:
  /// Per-instrument exposure, mantissas at the instrument's size precision.
  struct Exposure {
    Instrument instrument;
    std::int64_t position = 0;         ///< signed
    std::int64_t open[2] = {0, 0};     ///< open quantity by side (index: Side)
    std::int64_t pending[2] = {0, 0};  ///< approved, not yet submitted, by side
  };
  /// An order the order manager sent and that is not yet done.
  struct OpenOrder {
    std::size_t instrument;  ///< index into exposures_
    Side side;
    std::int64_t leaves;  ///< size precision mantissa
  };
  /// An approval on its way to the order manager.
  struct Reservation {
    std::size_t instrument;
    Side side;
    std::int64_t units;
    ClientOrderId client_order_id;  ///< empty when the order manager assigns it
    TimestampNs ts;
  };

  OrderDenied deny(const SubmitOrder& order, DenyReason reason, std::string message) const;
  std::optional<OrderDenied> check_state(const SubmitOrder& order, const Exposure* e) const;
  std::optional<OrderDenied> check_validity(const SubmitOrder& order, const Exposure& e,
                                            const MarketState& market) const;
  std::optional<OrderDenied> check_limits(const SubmitOrder& order,
                                          const MarketState& market) const;
  std::optional<OrderDenied> check_position(const SubmitOrder& order, const Exposure& e) const;
  std::optional<OrderDenied> check_rate(const SubmitOrder& order, TimestampNs now);
  void record_approval(const SubmitOrder& order, std::size_t index, TimestampNs now);
  void expire_reservations(TimestampNs now);
  void release(Reservation& reservation);
  void close_order(const ClientOrderId& id);
  Exposure* find_exposure(const InstrumentId& instrument);
  const Exposure* find_exposure(const InstrumentId& instrument) const;

  RiskConfig config_;
  const Clock& clock_;
  TradingState state_;
  std::vector<Exposure> exposures_;
  std::unordered_map<InstrumentId, std::size_t> index_;
  std::unordered_map<ClientOrderId, OpenOrder> open_orders_;
  std::vector<Reservation> reservations_;  ///< oldest first
  std::vector<TimestampNs> window_;        ///< ring of approval times, size = max per second
  std::size_t window_head_ = 0;            ///< oldest entry
  std::size_t window_count_ = 0;
  MarketState market_;
};

}  // namespace troupe
