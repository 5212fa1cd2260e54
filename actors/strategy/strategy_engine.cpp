#include "actors/strategy/strategy_engine.hpp"

#include <algorithm>
#include <utility>

namespace troupe {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;
// Without a TTL, an unanswered submission is still presumed lost after this long.
constexpr std::int64_t kDefaultLostAfterMs = 3000;

// Mantissa of `value` at precision `to`, truncated toward zero when digits are lost.
std::int64_t truncate_to(std::int64_t raw, std::uint8_t from, std::uint8_t to) {
  if (from == to) return raw;
  if (from > to) return raw / detail::pow10(static_cast<std::uint8_t>(from - to));
  const __int128 scaled =
      static_cast<__int128>(raw) * detail::pow10(static_cast<std::uint8_t>(to - from));
  if (scaled > INT64_MAX) return INT64_MAX;
  if (scaled < INT64_MIN) return INT64_MIN;
  return static_cast<std::int64_t>(scaled);
}

double side_volume(const std::vector<BookLevel>& levels, std::size_t depth) {
  double volume = 0;
  const std::size_t n = std::min(depth, levels.size());
  for (std::size_t i = 0; i < n; ++i) volume += levels[i].size.as_double();
  return volume;
}

}  // namespace

StrategyEngine::StrategyEngine(StrategyConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {
  const Instrument& in = config_.instrument;
  tick_ = std::max<std::int64_t>(
      1, truncate_to(in.tick_size.raw(), in.tick_size.precision(), in.price_precision));
  lot_ = std::max<std::int64_t>(
      1, truncate_to(in.lot_size.raw(), in.lot_size.precision(), in.size_precision));
}

std::int64_t StrategyEngine::to_units(Quantity quantity) const {
  return truncate_to(quantity.raw(), quantity.precision(), config_.instrument.size_precision);
}

Quantity StrategyEngine::position() const {
  return Quantity::from_raw(position_, config_.instrument.size_precision);
}

bool StrategyEngine::is_working(const ClientOrderId& id) const {
  return working_ && !id.empty() && working_->client_order_id == id;
}

std::vector<StrategyCommand> StrategyEngine::on_book(const BookSnapshot& top) {
  std::vector<StrategyCommand> out;
  if (top.instrument != config_.instrument.id) return out;
  const double bid_volume = side_volume(top.bids, config_.depth_levels);
  const double ask_volume = side_volume(top.asks, config_.depth_levels);
  const double total = bid_volume + ask_volume;
  last_imbalance_ = total > 0 ? (bid_volume - ask_volume) / total : 0.0;
  have_book_ = false;
  if (top.bids.empty() || top.asks.empty()) return out;
  auto bid = top.bids.front().price.rescaled(config_.instrument.price_precision);
  auto ask = top.asks.front().price.rescaled(config_.instrument.price_precision);
  if (!bid || !ask) return out;
  best_bid_ = bid->raw();
  best_ask_ = ask->raw();
  have_book_ = true;
  evaluate(clock_.now_ns(), out);
  return out;
}

std::vector<StrategyCommand> StrategyEngine::on_timer(TimestampNs now) {
  std::vector<StrategyCommand> out;
  evaluate(now, out);
  return out;
}

CancelOrder StrategyEngine::make_cancel(TimestampNs now) const {
  CancelOrder cancel;
  cancel.account = config_.account;
  cancel.strategy = config_.id;
  cancel.client_order_id = working_->client_order_id;
  cancel.instrument = config_.instrument.id;
  cancel.ts_init = now;
  return cancel;
}

void StrategyEngine::expire_working(TimestampNs now, std::vector<StrategyCommand>& out) {
  if (!working_) return;
  const std::int64_t ttl_ns = config_.order_ttl_ms * kNsPerMs;
  StrategyWorkingOrder& w = *working_;
  if (w.client_order_id.empty()) {
    const std::int64_t lost_after_ns = ttl_ns > 0 ? ttl_ns : kDefaultLostAfterMs * kNsPerMs;
    if (now - w.ts_sent >= lost_after_ns) working_.reset();
  } else if (ttl_ns > 0 && now - w.ts_cancel_sent.value_or(w.ts_sent) >= ttl_ns) {
    out.emplace_back(make_cancel(now));
    w.ts_cancel_sent = now;
  }
}

void StrategyEngine::evaluate(TimestampNs now, std::vector<StrategyCommand>& out) {
  expire_working(now, out);
  if (working_) return;  // at most one working order
  if (!have_book_) return;
  if (last_order_ts_ && now - *last_order_ts_ < config_.cooldown_ms * kNsPerMs) return;
  const double threshold = config_.imbalance_threshold;
  Side side = Side::Buy;
  if (last_imbalance_ > threshold)
    side = Side::Buy;
  else if (last_imbalance_ < -threshold)
    side = Side::Sell;
  else
    return;
  const std::int64_t units = order_units(side);
  if (units <= 0) return;
  const auto price = limit_price(side);
  if (!price) return;
  const Instrument& in = config_.instrument;
  const Quantity quantity = Quantity::from_raw(units, in.size_precision);
  if (in.min_notional.is_positive()) {
    auto value = notional(*price, quantity, in.min_notional.precision());
    if (!value || *value < in.min_notional) return;
  }
  SubmitOrder order;
  order.account = config_.account;
  order.strategy = config_.id;
  order.instrument = in.id;
  order.side = side;
  order.type = OrderType::Limit;
  order.time_in_force = TimeInForce::Gtc;
  order.quantity = quantity;
  order.price = *price;
  order.trigger_price = Price::from_raw(0, in.price_precision);
  order.ts_init = now;
  working_ = StrategyWorkingOrder{{}, side, quantity, quantity, *price, now, false, {}};
  last_order_ts_ = now;
  ++orders_sent_;
  out.emplace_back(std::move(order));
}

std::int64_t StrategyEngine::order_units(Side side) const {
  const Instrument& in = config_.instrument;
  std::int64_t units = to_units(config_.order_quantity) / lot_ * lot_;
  // Room left before |position| reaches max_position on this side (no other order works).
  const std::int64_t max_units = to_units(config_.max_position);
  const std::int64_t room = side == Side::Buy ? max_units - position_ : max_units + position_;
  units = std::min(units, room / lot_ * lot_);
  if (units <= 0) return 0;
  if (in.min_quantity.is_positive() && units < to_units(in.min_quantity)) return 0;
  return units;
}

std::optional<Price> StrategyEngine::limit_price(Side side) const {
  const __int128 offset = static_cast<__int128>(config_.aggression_ticks) * tick_;
  const __int128 raw = side == Side::Buy ? best_bid_ + offset : best_ask_ - offset;
  if (raw <= 0 || raw > INT64_MAX) return std::nullopt;
  return Price::from_raw(static_cast<std::int64_t>(raw), config_.instrument.price_precision);
}

std::vector<StrategyCommand> StrategyEngine::on_event(const OrderSubmitted& event) {
  const SubmitOrder& order = event.order;
  if (order.strategy != config_.id || order.account != config_.account) return {};
  if (working_ && working_->client_order_id.empty()) {
    working_->client_order_id = order.client_order_id;
  } else if (!working_) {
    // Our order that we had given up on (or sent before a restart): track it again so that
    // the TTL still cancels it.
    working_ =
        StrategyWorkingOrder{order.client_order_id, order.side,      order.quantity, order.quantity,
                             order.price,           clock_.now_ns(), false,          {}};
  }
  return {};
}

std::vector<StrategyCommand> StrategyEngine::on_event(const OrderAccepted& event) {
  if (event.account == config_.account && is_working(event.client_order_id))
    working_->accepted = true;
  return {};
}

std::vector<StrategyCommand> StrategyEngine::on_event(const OrderFilled& event) {
  if (event.strategy != config_.id || event.account != config_.account ||
      event.instrument != config_.instrument.id)
    return {};
  const std::int64_t units = to_units(event.last_quantity);
  position_ += event.side == Side::Buy ? units : -units;
  if (is_working(event.client_order_id)) {
    working_->accepted = true;
    working_->leaves_quantity = event.leaves_quantity;
    if (!event.leaves_quantity.is_positive()) working_.reset();
  }
  return {};
}

std::vector<StrategyCommand> StrategyEngine::on_event(const OrderCanceled& event) {
  if (event.account == config_.account && is_working(event.client_order_id)) working_.reset();
  return {};
}

std::vector<StrategyCommand> StrategyEngine::on_event(const OrderRejected& event) {
  if (event.account == config_.account && is_working(event.client_order_id)) working_.reset();
  return {};
}

std::vector<StrategyCommand> StrategyEngine::on_event(const OrderDenied& event) {
  if (event.strategy != config_.id || event.account != config_.account || !working_) return {};
  // The denied order is our in-flight one: it has no id yet (risk guard) or the same id.
  if (working_->client_order_id.empty() || working_->client_order_id == event.client_order_id)
    working_.reset();
  return {};
}

}  // namespace troupe
