#include "adapters/sim/order_book.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace troupe::sim {
namespace {

[[noreturn]] void broken_invariant(const char* what) {
  std::fprintf(stderr, "troupe::sim::OrderBook: broken invariant: %s\n", what);
  std::abort();
}

// Taker price acceptance: a buy takes asks at or below its limit, a sell bids at or above.
bool acceptable(Side taker, std::int64_t level_ticks, std::optional<std::int64_t> limit) {
  if (!limit) return true;
  return taker == Side::Buy ? level_ticks <= *limit : level_ticks >= *limit;
}

}  // namespace

OrderBook::OrderBook(Instrument instrument, std::vector<EngineEvent>& events)
    : instrument_(std::move(instrument)), events_(&events) {
  auto tick = instrument_.tick_size.rescaled(instrument_.price_precision);
  if (tick && tick->raw() > 0) tick_raw_ = tick->raw();
}

Price OrderBook::price_of(std::int64_t ticks) const {
  return Price::from_raw(ticks * tick_raw_, instrument_.price_precision);
}

Quantity OrderBook::quantity_of(std::int64_t lots) const {
  return Quantity::from_raw(lots, instrument_.size_precision);
}

void OrderBook::execute(OrderId id, const OrderRequest& request) {
  const std::int64_t quantity = request.quantity.raw();
  const bool market = request.type == OrderType::Market;
  const std::int64_t ticks = market ? 0 : request.price.raw() / tick_raw_;
  const std::optional<std::int64_t> limit =
      market ? std::nullopt : std::optional<std::int64_t>(ticks);
  events_->push_back(OrderAccepted{id, request});
  if (request.time_in_force == TimeInForce::Fok &&
      fillable(request.side, limit, quantity) < quantity) {
    expire(id, request, CancelReason::FokUnfilled, 0, quantity);
    return;
  }
  const std::int64_t filled = match(id, request, ticks, quantity);
  const std::int64_t leaves = quantity - filled;
  if (leaves == 0) return;
  const bool rests = !market && (request.time_in_force == TimeInForce::Gtc ||
                                 request.time_in_force == TimeInForce::Day);
  if (rests) {
    rest(id, request, ticks, leaves, filled);
  } else {
    expire(id, request, CancelReason::IocRemainder, filled, leaves);
  }
}

std::int64_t OrderBook::fillable(Side side, std::optional<std::int64_t> limit_ticks,
                                 std::int64_t wanted) const {
  std::int64_t available = 0;
  auto add = [&](std::int64_t level_ticks, const Level& level) {
    if (!acceptable(side, level_ticks, limit_ticks)) return false;
    available += level.total;
    return available < wanted;
  };
  if (side == Side::Buy) {
    for (const auto& [level_ticks, level] : asks_)
      if (!add(level_ticks, level)) break;
  } else {
    for (auto it = bids_.rbegin(); it != bids_.rend(); ++it)
      if (!add(it->first, it->second)) break;
  }
  return available;
}

bool OrderBook::would_take(Side side, Price price) const {
  auto rescaled = price.rescaled(instrument_.price_precision);
  if (!rescaled) return false;
  const std::int64_t ticks = rescaled->raw() / tick_raw_;
  const Levels& other = side_levels(opposite(side));
  if (other.empty()) return false;
  const std::int64_t best = side == Side::Buy ? other.begin()->first : other.rbegin()->first;
  return acceptable(side, best, ticks);
}

std::int64_t OrderBook::match(OrderId id, const OrderRequest& request, std::int64_t ticks,
                              std::int64_t quantity) {
  const std::optional<std::int64_t> limit =
      request.type == OrderType::Market ? std::nullopt : std::optional<std::int64_t>(ticks);
  Levels& other = side_levels(opposite(request.side));
  std::int64_t filled = 0;
  while (filled < quantity && !other.empty()) {
    auto best = request.side == Side::Buy ? other.begin() : std::prev(other.end());
    if (!acceptable(request.side, best->first, limit)) break;
    const std::int64_t level_ticks = best->first;
    const std::int64_t total = fill_level(id, request, quantity, filled, level_ticks, best->second);
    emit_level(opposite(request.side), level_ticks, total);
    if (total == 0) other.erase(best);
  }
  return filled;
}

std::int64_t OrderBook::fill_level(OrderId taker_id, const OrderRequest& taker,
                                   std::int64_t taker_qty, std::int64_t& taker_filled,
                                   std::int64_t ticks, Level& level) {
  const Price price = price_of(ticks);
  while (taker_filled < taker_qty && !level.queue.empty()) {
    const OrderId maker_id = level.queue.front();
    auto found = orders_.find(maker_id);
    if (found == orders_.end()) broken_invariant("queued order missing from the order index");
    Resting& maker = found->second;
    const std::int64_t qty = std::min(taker_qty - taker_filled, maker.leaves);
    maker.leaves -= qty;
    maker.filled += qty;
    taker_filled += qty;
    level.total -= qty;
    const std::uint64_t trade_id = ++trade_id_;
    events_->push_back(PublicTrade{taker.symbol, trade_id, price, quantity_of(qty), taker.side,
                                   maker_id, taker_id});
    events_->push_back(OrderFill{maker_id, maker.request.symbol, maker.request.account,
                                 maker.request.client_order_id, maker.request.side, taker_id,
                                 taker.account, price, quantity_of(qty), quantity_of(maker.filled),
                                 quantity_of(maker.leaves), true, trade_id});
    events_->push_back(OrderFill{taker_id, taker.symbol, taker.account, taker.client_order_id,
                                 taker.side, maker_id, maker.request.account, price,
                                 quantity_of(qty), quantity_of(taker_filled),
                                 quantity_of(taker_qty - taker_filled), false, trade_id});
    if (maker.leaves == 0) {
      level.queue.pop_front();
      orders_.erase(found);
    }
  }
  if (level.total < 0) broken_invariant("negative level quantity");
  return level.total;
}

void OrderBook::rest(OrderId id, const OrderRequest& request, std::int64_t ticks,
                     std::int64_t leaves, std::int64_t filled) {
  Level& level = side_levels(request.side)[ticks];
  level.queue.push_back(id);
  level.total += leaves;
  Resting resting{request, ticks, leaves, filled, std::prev(level.queue.end())};
  orders_.emplace(id, std::move(resting));
  emit_level(request.side, ticks, level.total);
}

bool OrderBook::cancel(OrderId id, CancelReason reason) {
  auto found = orders_.find(id);
  if (found == orders_.end()) return false;
  Resting& order = found->second;
  Levels& levels = side_levels(order.request.side);
  auto level = levels.find(order.ticks);
  if (level == levels.end()) broken_invariant("resting order on a missing level");
  level->second.queue.erase(order.position);
  level->second.total -= order.leaves;
  const std::int64_t total = level->second.total;
  if (level->second.queue.empty()) {
    if (total != 0) broken_invariant("empty level with non-zero quantity");
    levels.erase(level);
  }
  const OrderRequest request = order.request;
  const std::int64_t filled = order.filled;
  const std::int64_t leaves = order.leaves;
  const std::int64_t ticks = order.ticks;
  orders_.erase(found);
  expire(id, request, reason, filled, leaves);
  emit_level(request.side, ticks, total);
  return true;
}

void OrderBook::emit_level(Side side, std::int64_t ticks, std::int64_t total) {
  events_->push_back(
      LevelChange{instrument_.id.symbol, side, price_of(ticks), quantity_of(total), ++update_id_});
}

void OrderBook::expire(OrderId id, const OrderRequest& request, CancelReason reason,
                       std::int64_t filled, std::int64_t leaves) {
  events_->push_back(OrderCanceled{id, request.symbol, request.account, request.client_order_id,
                                   reason, quantity_of(filled), quantity_of(leaves)});
}

DepthSnapshot OrderBook::snapshot(std::size_t depth) const {
  DepthSnapshot out;
  out.last_update_id = update_id_;
  const std::size_t limit = depth == 0 ? static_cast<std::size_t>(-1) : depth;
  for (auto it = bids_.rbegin(); it != bids_.rend() && out.bids.size() < limit; ++it)
    out.bids.push_back(BookLevel{price_of(it->first), quantity_of(it->second.total)});
  for (auto it = asks_.begin(); it != asks_.end() && out.asks.size() < limit; ++it)
    out.asks.push_back(BookLevel{price_of(it->first), quantity_of(it->second.total)});
  return out;
}

std::optional<BookLevel> OrderBook::best(Side side) const {
  const Levels& levels = side_levels(side);
  if (levels.empty()) return std::nullopt;
  const auto& [ticks, level] = side == Side::Buy ? *levels.rbegin() : *levels.begin();
  return BookLevel{price_of(ticks), quantity_of(level.total)};
}

std::optional<OpenOrder> OrderBook::find(OrderId id) const {
  auto found = orders_.find(id);
  if (found == orders_.end()) return std::nullopt;
  return OpenOrder{id, found->second.request, quantity_of(found->second.filled)};
}

void OrderBook::for_each_open(const std::function<void(const OpenOrder&)>& fn) const {
  for (const auto& [id, order] : orders_)
    fn(OpenOrder{id, order.request, quantity_of(order.filled)});
}

}  // namespace troupe::sim
