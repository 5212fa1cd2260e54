#pragma once
// OrderManagerEngine: the order state machine of one account, owned by its order manager (OMS)
// actor. T1: every state change comes back as an event that the shell journals; replaying the
// journal through the same apply paths rebuilds identical state.
//
// Owns: every order of the account since start (OrderRecord, in submission order), per order
// the trade ids applied and the exact fill value, the client order id sequence of this epoch.
//
// Client order ids: `<account>-<epoch>-<seq>` when the command has none; epoch is given at
// construction (bumped each process start, restored from the journal), seq counts from 1 and
// is restored by replaying OrderSubmitted. A repeated id is refused (DuplicateClientOrderId).
//
// Transitions: Submitted -> Accepted -> PartiallyFilled -> Filled; Submitted / Accepted /
// PartiallyFilled -> PendingCancel -> Canceled (or Filled when the fill wins the race; partial
// fills keep it PendingCancel); Submitted (also while PendingCancel before any accept) ->
// Rejected. A fill in Submitted is valid and implies the accept. Any open state -> Canceled
// (IOC remainders, expiry). Terminal states stay terminal.
//
// Venue nonsense never crashes the engine: duplicate fills (same trade id), late reports after
// a terminal state, overfills, reports for unknown orders and rejects after an accept (a failed
// cancel) are ignored with a reason and change nothing, so the journal holds only applied
// events and replay stays exact. Invariants (asserted): filled <= ordered; terminal states
// never change.
//
// Average fill price: the engine keeps the exact sum of price × quantity mantissas (int128)
// and derives average = sum / filled at the finest price precision seen (the order's limit
// price or the fill prices, i.e. the instrument's price precision), rounded half up.
// Deterministic: the clock only stamps submit() and unstamped cancel requests; every other
// timestamp comes from the events, so replay does not depend on the time it runs at.

#include "actors/oms/oms_config.hpp"
#include "messages/commands.hpp"
#include "messages/events.hpp"
#include "messages/queries.hpp"
#include "runtime/clock.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace troupe {

/// Why the order manager ignored a report or refused a request.
enum class OmsIgnoreKind : std::uint8_t {
  UnknownOrder,   ///< no order with that client order id
  Duplicate,      ///< already applied: same trade id, second accept, repeated id
  AfterTerminal,  ///< the order is already filled / canceled / rejected
  Inconsistent,   ///< venue nonsense that would break an invariant (overfill): report it
};

/// An event that changed nothing, with the reason ("duplicate fill: trade 17 ...").
struct OmsIgnored {
  OmsIgnoreKind kind = OmsIgnoreKind::Inconsistent;
  std::string reason;
};

/// The applied event (enriched from the order: journal and publish it) or why it was ignored.
template <class Event>
using OmsResult = tl::expected<Event, OmsIgnored>;

/// An input the journal holds and replay() accepts. CancelOrder stands for "cancel
/// requested" (the PendingCancel transition has no event of its own).
using OmsJournalEvent = std::variant<OrderSubmitted, OrderAccepted, OrderFilled, OrderCanceled,
                                     OrderRejected, CancelOrder>;

/// Order state machine of one account (see the note at the top of this file).
class OrderManagerEngine {
 public:
  /// An engine without orders for `config.account` in `epoch`; `clock` must outlive it.
  OrderManagerEngine(OmsConfig config, std::uint64_t epoch, const Clock& clock);

  /// Records a new order: assigns a client order id when empty, refuses a repeated one
  /// (DuplicateClientOrderId) or another account's order (InvalidOrder). The returned event
  /// is stamped with the clock and already applied.
  tl::expected<OrderSubmitted, OrderDenied> submit(SubmitOrder command);

  /// Creates the order (used by submit() and by replay).
  OmsResult<OrderSubmitted> apply(const OrderSubmitted& event);
  /// The venue acknowledged the order.
  OmsResult<OrderAccepted> apply(const OrderAccepted& event);
  /// An execution; the result carries strategy, side, instrument, cum and leaves quantities
  /// recomputed from the order.
  OmsResult<OrderFilled> apply(const OrderFilled& event);
  /// The order is canceled (by request, IOC remainder or expiry).
  OmsResult<OrderCanceled> apply(const OrderCanceled& event);
  /// The venue refused the order.
  OmsResult<OrderRejected> apply(const OrderRejected& event);
  /// Moves an open order to PendingCancel and returns the cancel to send (enriched with the
  /// order's account, strategy and instrument). Repeating it while pending sends it again.
  OmsResult<CancelOrder> request_cancel(const CancelOrder& command);

  /// Applies one journaled event through the same path; true when it changed state.
  bool replay(const OmsJournalEvent& event);

  /// Every order, in submission order.
  const std::vector<OrderRecord>& orders() const { return records_; }
  /// Orders not yet in a terminal state, in submission order.
  std::vector<OrderRecord> open_orders() const;
  /// The order with `id`, or nullptr.
  const OrderRecord* find(const ClientOrderId& id) const;

  /// Epoch embedded in assigned client order ids.
  std::uint64_t epoch() const { return epoch_; }
  /// Sequence number the next assigned client order id will use.
  std::uint64_t next_seq() const { return next_seq_; }
  /// Number of fills applied.
  std::uint64_t fill_count() const { return fill_count_; }

 private:
  /// Per-order bookkeeping beside its OrderRecord (same index).
  struct FillState {
    __int128 value = 0;                ///< Σ price mantissa × quantity mantissa
    std::uint8_t price_precision = 0;  ///< precision of the price mantissas in `value`
    bool accepted = false;             ///< the venue acknowledged it (or filled it)
    std::vector<TradeId> trade_ids;    ///< applied executions (few per order: linear scan)
  };

  struct Lookup {
    OrderRecord* record = nullptr;
    FillState* fills = nullptr;
  };
  Lookup lookup(const ClientOrderId& id);
  OmsIgnored unknown(const ClientOrderId& id, const char* what) const;
  OmsIgnored after_terminal(const OrderRecord& record, const char* what) const;
  OrderDenied deny(const SubmitOrder& command, DenyReason reason, std::string message) const;
  ClientOrderId assign_id();
  void restore_seq(const ClientOrderId& id);
  std::optional<OmsIgnored> add_fill(OrderRecord& record, FillState& fills,
                                     const OrderFilled& event);

  OmsConfig config_;
  std::uint64_t epoch_;
  const Clock& clock_;
  std::string id_prefix_;  ///< "<account>-<epoch>-"
  std::uint64_t next_seq_ = 1;
  std::uint64_t fill_count_ = 0;
  std::vector<OrderRecord> records_;
  std::vector<FillState> fill_states_;
  std::unordered_map<ClientOrderId, std::size_t> index_;
};

}  // namespace troupe
