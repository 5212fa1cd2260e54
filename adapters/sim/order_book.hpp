#pragma once
// The order book of one instrument inside the matching engine: price-time priority, integer
// price ticks and integer lot quantities internally, events appended to the engine's queue.

#include "adapters/sim/engine_events.hpp"
#include "messages/instrument.hpp"

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <vector>

namespace troupe::sim {

/// One instrument's book. Owned by MatchingEngine, which validates requests before they get here.
class OrderBook {
 public:
  /// `events` is the engine's queue; it must outlive the book.
  OrderBook(Instrument instrument, std::vector<EngineEvent>& events);

  /// The instrument's trading rules.
  const Instrument& instrument() const { return instrument_; }

  /// Matches a validated order (price and quantity at the instrument's precisions), then rests
  /// the remainder (GTC/DAY limit) or expires it (IOC, market). FOK orders that cannot fill
  /// completely expire without touching the book.
  void execute(OrderId id, const OrderRequest& request);

  /// True when a limit order at `price` on `side` would trade immediately.
  bool would_take(Side side, Price price) const;

  /// Removes an open order; false when it is not on this book.
  bool cancel(OrderId id, CancelReason reason);

  /// Top `depth` levels per side (depth 0 = all).
  DepthSnapshot snapshot(std::size_t depth) const;

  /// Best level of `side`, if any.
  std::optional<BookLevel> best(Side side) const;

  /// Id of the last level change (0 before any).
  std::uint64_t update_id() const { return update_id_; }

  /// Skips `count` update ids (fault injection: the next change jumps ahead).
  void skip_update_ids(std::uint64_t count) { update_id_ += count; }

  /// The order if it rests on this book.
  std::optional<OpenOrder> find(OrderId id) const;

  /// Calls `fn` for every resting order, in order id order.
  void for_each_open(const std::function<void(const OpenOrder&)>& fn) const;

 private:
  struct Level {
    std::int64_t total = 0;    // lots (quantity raw at size precision)
    std::list<OrderId> queue;  // time priority, oldest first
  };
  struct Resting {
    OrderRequest request;
    std::int64_t ticks = 0;
    std::int64_t leaves = 0;
    std::int64_t filled = 0;
    std::list<OrderId>::iterator position;
  };
  using Levels = std::map<std::int64_t, Level>;

  std::int64_t match(OrderId id, const OrderRequest& request, std::int64_t ticks,
                     std::int64_t quantity);
  std::int64_t fill_level(OrderId taker_id, const OrderRequest& taker, std::int64_t taker_qty,
                          std::int64_t& taker_filled, std::int64_t ticks, Level& level);
  std::int64_t fillable(Side side, std::optional<std::int64_t> limit_ticks,
                        std::int64_t wanted) const;
  void rest(OrderId id, const OrderRequest& request, std::int64_t ticks, std::int64_t leaves,
            std::int64_t filled);
  void emit_level(Side side, std::int64_t ticks, std::int64_t total);
  void expire(OrderId id, const OrderRequest& request, CancelReason reason, std::int64_t filled,
              std::int64_t leaves);
  Levels& side_levels(Side side) { return side == Side::Buy ? bids_ : asks_; }
  const Levels& side_levels(Side side) const { return side == Side::Buy ? bids_ : asks_; }
  Price price_of(std::int64_t ticks) const;
  Quantity quantity_of(std::int64_t lots) const;

  Instrument instrument_;
  std::vector<EngineEvent>* events_;
  std::int64_t tick_raw_ = 1;
  Levels bids_;  // iterated from the back: highest price is best
  Levels asks_;  // iterated from the front: lowest price is best
  std::map<OrderId, Resting> orders_;
  std::uint64_t update_id_ = 0;
  std::uint64_t trade_id_ = 0;
};

}  // namespace troupe::sim
