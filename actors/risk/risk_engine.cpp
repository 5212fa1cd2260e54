#include "actors/risk/risk_engine.hpp"

#include "actors/common/invariant.hpp"

#include <algorithm>
#include <utility>

namespace troupe {
namespace {

constexpr TimestampNs kRateWindowNs = 1'000'000'000;
// An approval the order manager has not confirmed after this long is presumed lost.
constexpr TimestampNs kReservationTimeoutNs = 5'000'000'000;

constexpr std::size_t side_index(Side side) { return side == Side::Buy ? 0 : 1; }

// Mantissa of `quantity` at `precision` when exact.
std::optional<std::int64_t> units_of(Quantity quantity, std::uint8_t precision) {
  if (quantity.precision() == precision) return quantity.raw();
  auto rescaled = quantity.rescaled(precision);
  if (!rescaled) return std::nullopt;
  return rescaled->raw();
}

// Mantissa of a limit at `precision`, truncated toward zero (a finer limit than the instrument
// can express is the same limit for every order the instrument allows).
std::int64_t limit_units(Quantity limit, std::uint8_t precision) {
  if (auto exact = units_of(limit, precision)) return *exact;
  if (limit.precision() > precision)
    return limit.raw() / detail::pow10(static_cast<std::uint8_t>(limit.precision() - precision));
  return INT64_MAX;  // overflow: larger than any order
}

__int128 abs128(__int128 x) { return x < 0 ? -x : x; }

std::string format_units(__int128 units, std::uint8_t precision) {
  if (units > INT64_MAX || units < INT64_MIN) return "(overflow)";
  return detail::format_decimal(static_cast<std::int64_t>(units), precision);
}

// The price that values `order`: its limit price, its trigger for stop orders, the opposite
// best price for market orders.
std::optional<Price> reference_price(const SubmitOrder& order, const MarketState& market) {
  switch (order.type) {
    case OrderType::Limit:
    case OrderType::StopLimit:
      return order.price;
    case OrderType::Stop:
      return order.trigger_price;
    case OrderType::Market:
      return market.opposite_best(order.instrument, order.side);
  }
  return std::nullopt;
}

// price × quantity without rounding (at the sum of both precisions, at most 18).
tl::expected<Money, FixedPointError> exact_notional(Price price, Quantity quantity) {
  const int precision = std::min<int>(kMaxPrecision, price.precision() + quantity.precision());
  return notional(price, quantity, static_cast<std::uint8_t>(precision));
}

// `value` at the limit's precision when that is exact (for messages), else as it is.
std::string display(Money value, std::uint8_t precision) {
  auto rescaled = value.rescaled(precision);
  return rescaled ? rescaled->to_string() : value.to_string();
}

bool needs_price(OrderType type) {
  return type == OrderType::Limit || type == OrderType::StopLimit;
}
bool needs_trigger(OrderType type) {
  return type == OrderType::Stop || type == OrderType::StopLimit;
}

}  // namespace

RiskEngine::RiskEngine(RiskConfig config, std::vector<Instrument> instruments, const Clock& clock)
    : config_(std::move(config)), clock_(clock), state_(config_.initial_state) {
  exposures_.reserve(instruments.size());
  for (auto& instrument : instruments) {
    if (index_.count(instrument.id) != 0) continue;
    index_.emplace(instrument.id, exposures_.size());
    exposures_.push_back(Exposure{std::move(instrument)});
  }
  window_.assign(config_.max_orders_per_second, 0);
}

RiskEngine::Exposure* RiskEngine::find_exposure(const InstrumentId& instrument) {
  auto it = index_.find(instrument);
  return it == index_.end() ? nullptr : &exposures_[it->second];
}

const RiskEngine::Exposure* RiskEngine::find_exposure(const InstrumentId& instrument) const {
  auto it = index_.find(instrument);
  return it == index_.end() ? nullptr : &exposures_[it->second];
}

const Instrument* RiskEngine::find_instrument(const InstrumentId& id) const {
  const Exposure* e = find_exposure(id);
  return e ? &e->instrument : nullptr;
}

OrderDenied RiskEngine::deny(const SubmitOrder& order, DenyReason reason,
                             std::string message) const {
  const TimestampNs now = clock_.now_ns();
  return OrderDenied{order.account,
                     order.strategy,
                     order.client_order_id,
                     order.instrument,
                     reason,
                     std::move(message),
                     now,
                     now};
}

RiskDecision RiskEngine::check(const SubmitOrder& order) { return check(order, market_); }

RiskDecision RiskEngine::check(const SubmitOrder& order, const MarketState& market) {
  const TimestampNs now = clock_.now_ns();
  expire_reservations(now);
  const Exposure* e = find_exposure(order.instrument);
  if (auto denied = check_state(order, e)) return tl::make_unexpected(std::move(*denied));
  if (e == nullptr)
    return tl::make_unexpected(deny(order, DenyReason::UnknownInstrument,
                                    "unknown instrument " + to_string(order.instrument)));
  if (!e->instrument.tradable)
    return tl::make_unexpected(deny(
        order, DenyReason::TradingHalted,
        "instrument " + to_string(order.instrument) + " is not tradable (halted at the venue)"));
  if (auto denied = check_validity(order, *e, market))
    return tl::make_unexpected(std::move(*denied));
  if (auto denied = check_limits(order, market)) return tl::make_unexpected(std::move(*denied));
  if (auto denied = check_position(order, *e)) return tl::make_unexpected(std::move(*denied));
  if (auto denied = check_rate(order, now)) return tl::make_unexpected(std::move(*denied));
  record_approval(order, static_cast<std::size_t>(e - exposures_.data()), now);
  return {};
}

std::optional<OrderDenied> RiskEngine::check_state(const SubmitOrder& order,
                                                   const Exposure* e) const {
  if (state_ == TradingState::Active) return std::nullopt;
  if (state_ == TradingState::Halted)
    return deny(order, DenyReason::TradingHalted, "trading state is halted");
  // Reducing: the order, together with the same side's open orders, must not flip or grow
  // the position.
  if (e != nullptr) {
    const auto units = units_of(order.quantity, e->instrument.size_precision);
    const std::size_t s = side_index(order.side);
    const __int128 working = static_cast<__int128>(e->open[s]) + e->pending[s];
    const std::int64_t position = e->position;
    const bool opposite = order.side == Side::Buy ? position < 0 : position > 0;
    if (units && *units > 0 && opposite && working + *units <= abs128(position))
      return std::nullopt;
  }
  return deny(order, DenyReason::TradingHalted,
              "trading state is reducing: only orders that reduce the position are allowed "
              "(position " +
                  position(order.instrument).to_string() + ", order " + to_string(order.side) +
                  " " + order.quantity.to_string() + ")");
}

std::optional<OrderDenied> RiskEngine::check_validity(const SubmitOrder& order, const Exposure& e,
                                                      const MarketState& market) const {
  const Instrument& in = e.instrument;
  if (order.account != config_.account)
    return deny(order, DenyReason::InvalidOrder,
                "account: " + order.account.value + " is not this risk guard's account " +
                    config_.account.value);
  if (!order.quantity.is_positive())
    return deny(order, DenyReason::InvalidOrder,
                "quantity must be positive, got " + order.quantity.to_string());
  if (!units_of(order.quantity, in.size_precision) || !in.on_lot(order.quantity))
    return deny(order, DenyReason::InvalidOrder,
                "quantity " + order.quantity.to_string() + " is not a multiple of lot_size " +
                    in.lot_size.to_string());
  if (in.min_quantity.is_positive() && order.quantity < in.min_quantity)
    return deny(order, DenyReason::InvalidOrder,
                "quantity " + order.quantity.to_string() + " is below min_quantity " +
                    in.min_quantity.to_string());
  if (needs_price(order.type) && (!order.price.is_positive() || !in.on_tick(order.price)))
    return deny(order, DenyReason::InvalidOrder,
                "price " + order.price.to_string() + " must be a positive multiple of tick_size " +
                    in.tick_size.to_string());
  if (needs_trigger(order.type) &&
      (!order.trigger_price.is_positive() || !in.on_tick(order.trigger_price)))
    return deny(order, DenyReason::InvalidOrder,
                "trigger_price " + order.trigger_price.to_string() +
                    " must be a positive multiple of tick_size " + in.tick_size.to_string());
  if (in.min_notional.is_positive()) {
    // A market order without a market price is left to the notional check below.
    if (auto price = reference_price(order, market)) {
      auto value = exact_notional(*price, order.quantity);
      if (value && *value < in.min_notional)
        return deny(order, DenyReason::InvalidOrder,
                    "notional " + display(*value, in.min_notional.precision()) +
                        " is below min_notional " + in.min_notional.to_string());
    }
  }
  return std::nullopt;
}

std::optional<OrderDenied> RiskEngine::check_limits(const SubmitOrder& order,
                                                    const MarketState& market) const {
  if (config_.max_order_quantity.is_positive() && order.quantity > config_.max_order_quantity)
    return deny(order, DenyReason::MaxOrderQuantity,
                "quantity " + order.quantity.to_string() + " exceeds max_order_quantity " +
                    config_.max_order_quantity.to_string());
  if (!config_.max_order_notional.is_positive()) return std::nullopt;
  const auto price = reference_price(order, market);
  if (!price || !price->is_positive())
    return deny(order, DenyReason::NoMarketPrice,
                "no " + std::string(order.side == Side::Buy ? "ask" : "bid") + " price for " +
                    to_string(order.instrument) + " to value a market order");
  const Money& limit = config_.max_order_notional;
  auto value = exact_notional(*price, order.quantity);
  if (!value)
    return deny(order, DenyReason::MaxOrderNotional,
                "notional of " + order.quantity.to_string() + " at " + price->to_string() +
                    " overflows; max_order_notional " + limit.to_string());
  if (*value > limit)
    return deny(order, DenyReason::MaxOrderNotional,
                "notional " + display(*value, limit.precision()) + " exceeds max_order_notional " +
                    limit.to_string());
  return std::nullopt;
}

std::optional<OrderDenied> RiskEngine::check_position(const SubmitOrder& order,
                                                      const Exposure& e) const {
  if (!config_.max_position.is_positive()) return std::nullopt;
  const std::uint8_t sp = e.instrument.size_precision;
  const std::int64_t units = *units_of(order.quantity, sp);  // checked by check_validity
  const std::size_t s = side_index(order.side);
  const __int128 same_side = static_cast<__int128>(e.open[s]) + e.pending[s] + units;
  // Worst case: every open order on this side fills, then this one.
  const __int128 after = order.side == Side::Buy ? e.position + same_side : e.position - same_side;
  const std::int64_t max_units = limit_units(config_.max_position, sp);
  // An order that leaves |position| smaller than now is allowed even above the limit.
  if (abs128(after) <= max_units || abs128(after) < abs128(e.position)) return std::nullopt;
  return deny(order, DenyReason::MaxPosition,
              "position after order " + format_units(after, sp) + " exceeds max_position " +
                  config_.max_position.to_string() + " (position " + format_units(e.position, sp) +
                  ", open " + to_string(order.side) + " " +
                  format_units(static_cast<__int128>(e.open[s]) + e.pending[s], sp) + ", order " +
                  to_string(order.side) + " " + order.quantity.to_string() + ")");
}

std::optional<OrderDenied> RiskEngine::check_rate(const SubmitOrder& order, TimestampNs now) {
  const std::uint32_t max = config_.max_orders_per_second;
  if (max == 0) return std::nullopt;
  while (window_count_ > 0 && now - window_[window_head_] >= kRateWindowNs) {
    window_head_ = (window_head_ + 1) % window_.size();
    --window_count_;
  }
  if (window_count_ < max) return std::nullopt;
  return deny(order, DenyReason::MaxOrderRate,
              std::to_string(window_count_) +
                  " orders in the last second reach max_orders_per_second " + std::to_string(max));
}

void RiskEngine::record_approval(const SubmitOrder& order, std::size_t index, TimestampNs now) {
  if (!window_.empty()) {
    window_[(window_head_ + window_count_) % window_.size()] = now;
    ++window_count_;
  }
  Exposure& e = exposures_[index];
  const std::int64_t units = *units_of(order.quantity, e.instrument.size_precision);
  e.pending[side_index(order.side)] += units;
  reservations_.push_back(Reservation{index, order.side, units, order.client_order_id, now});
}

void RiskEngine::expire_reservations(TimestampNs now) {
  std::size_t expired = 0;
  while (expired < reservations_.size() && now - reservations_[expired].ts >= kReservationTimeoutNs)
    release(reservations_[expired++]);
  if (expired > 0)
    reservations_.erase(reservations_.begin(),
                        reservations_.begin() + static_cast<std::ptrdiff_t>(expired));
}

void RiskEngine::release(Reservation& reservation) {
  std::int64_t& pending = exposures_[reservation.instrument].pending[side_index(reservation.side)];
  pending -= reservation.units;
  TROUPE_ASSERT(pending >= 0, "in-flight quantity went negative");
}

void RiskEngine::set_limits(const RiskConfig& limits) {
  std::vector<TimestampNs> recent;
  for (std::size_t i = 0; i < window_count_; ++i)
    recent.push_back(window_[(window_head_ + i) % window_.size()]);
  const AccountId account = config_.account;
  config_ = limits;
  config_.account = account;
  window_.assign(config_.max_orders_per_second, 0);
  const std::size_t keep = std::min<std::size_t>(recent.size(), window_.size());
  std::copy(recent.end() - static_cast<std::ptrdiff_t>(keep), recent.end(), window_.begin());
  window_head_ = 0;
  window_count_ = keep;
}

void RiskEngine::apply(const OrderSubmitted& event) {
  const SubmitOrder& order = event.order;
  if (order.account != config_.account) return;
  Exposure* e = find_exposure(order.instrument);
  if (e == nullptr) return;
  const auto units = units_of(order.quantity, e->instrument.size_precision);
  if (!units || *units <= 0) return;
  const std::size_t index = static_cast<std::size_t>(e - exposures_.data());
  // Our own approval: by id when it had one, else the oldest with the same shape.
  auto match = std::find_if(reservations_.begin(), reservations_.end(), [&](const auto& r) {
    return r.client_order_id.empty()
               ? r.instrument == index && r.side == order.side && r.units == *units
               : r.client_order_id == order.client_order_id;
  });
  if (match != reservations_.end()) {
    release(*match);
    reservations_.erase(match);
  }
  if (open_orders_.count(order.client_order_id) != 0) return;
  open_orders_.emplace(order.client_order_id, OpenOrder{index, order.side, *units});
  e->open[side_index(order.side)] += *units;
}

void RiskEngine::apply(const OrderFilled& event) {
  if (event.account != config_.account) return;
  Exposure* e = find_exposure(event.instrument);
  if (e == nullptr) return;
  const auto units = units_of(event.last_quantity, e->instrument.size_precision);
  if (!units || *units <= 0) return;
  e->position += event.side == Side::Buy ? *units : -*units;
  auto it = open_orders_.find(event.client_order_id);
  if (it == open_orders_.end()) return;
  OpenOrder& open = it->second;
  const std::int64_t reduce = std::min(open.leaves, *units);
  open.leaves -= reduce;
  std::int64_t& side_open = exposures_[open.instrument].open[side_index(open.side)];
  side_open -= reduce;
  TROUPE_ASSERT(side_open >= 0, "open quantity went negative");
  if (open.leaves == 0) open_orders_.erase(it);
}

void RiskEngine::close_order(const ClientOrderId& id) {
  auto it = open_orders_.find(id);
  if (it == open_orders_.end()) return;
  std::int64_t& side_open = exposures_[it->second.instrument].open[side_index(it->second.side)];
  side_open -= it->second.leaves;
  TROUPE_ASSERT(side_open >= 0, "open quantity went negative");
  open_orders_.erase(it);
}

void RiskEngine::apply(const OrderCanceled& event) {
  if (event.account == config_.account) close_order(event.client_order_id);
}

void RiskEngine::apply(const OrderRejected& event) {
  if (event.account == config_.account) close_order(event.client_order_id);
}

void RiskEngine::apply(const OrderDenied& event) {
  if (event.account != config_.account || event.client_order_id.empty()) return;
  auto match = std::find_if(reservations_.begin(), reservations_.end(), [&](const auto& r) {
    return r.client_order_id == event.client_order_id;
  });
  if (match == reservations_.end()) return;
  release(*match);
  reservations_.erase(match);
}

Quantity RiskEngine::position(const InstrumentId& instrument) const {
  const Exposure* e = find_exposure(instrument);
  if (e == nullptr) return Quantity{};
  return Quantity::from_raw(e->position, e->instrument.size_precision);
}

Quantity RiskEngine::open_quantity(const InstrumentId& instrument, Side side) const {
  const Exposure* e = find_exposure(instrument);
  if (e == nullptr) return Quantity{};
  const std::size_t s = side_index(side);
  return Quantity::from_raw(e->open[s] + e->pending[s], e->instrument.size_precision);
}

}  // namespace troupe
