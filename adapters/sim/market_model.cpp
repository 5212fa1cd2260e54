#include "adapters/sim/market_model.hpp"

#include <algorithm>
#include <cmath>

namespace troupe::sim {

FairValueProcess::FairValueProcess(double start, double volatility_bps, double persistence) {
  const double p = std::clamp(persistence, 0.0, 0.999);
  const double sigma = std::max(volatility_bps, 0.0) / 1e4;
  log_value_ = std::log(std::max(start, 1e-12));
  long_run_variance_ = sigma * sigma;
  variance_ = long_run_variance_;
  alpha_ = 0.1 * p;
  beta_ = 0.9 * p;
  omega_ = long_run_variance_ * (1.0 - alpha_ - beta_);
}

double FairValueProcess::step(SimRandom& random) {
  const double r = std::sqrt(variance_) * random.normal();
  log_value_ += r;
  variance_ = omega_ + alpha_ * r * r + beta_ * variance_;
  return value();
}

double FairValueProcess::value() const { return std::exp(log_value_); }

double FairValueProcess::volatility() const { return std::sqrt(variance_); }

double FairValueProcess::long_run_volatility() const { return std::sqrt(long_run_variance_); }

PriceGrid::PriceGrid(const Instrument& instrument)
    : price_precision_(instrument.price_precision), size_precision_(instrument.size_precision) {
  auto tick = instrument.tick_size.rescaled(price_precision_);
  if (tick && tick->raw() > 0) tick_raw_ = tick->raw();
  auto lot = instrument.lot_size.rescaled(size_precision_);
  if (lot && lot->raw() > 0) lot_raw_ = lot->raw();
  tick_value_ = price(1).as_double();
  lot_value_ = quantity(1).as_double();
  min_quantity_ = instrument.min_quantity.as_double();
  min_notional_ = instrument.min_notional.as_double();
}

std::int64_t PriceGrid::ticks_at_or_below(double price) const {
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(price / tick_value_)));
}

std::int64_t PriceGrid::ticks_at_or_above(double price) const {
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(price / tick_value_)));
}

Price PriceGrid::price(std::int64_t ticks) const {
  return Price::from_raw(ticks * tick_raw_, price_precision_);
}

std::int64_t PriceGrid::lots(double quantity, std::int64_t min_lots) const {
  const auto n = static_cast<std::int64_t>(std::llround(quantity / lot_value_));
  return std::max(n, std::max<std::int64_t>(min_lots, 1));
}

Quantity PriceGrid::quantity(std::int64_t lots) const {
  return Quantity::from_raw(lots * lot_raw_, size_precision_);
}

std::int64_t PriceGrid::min_lots(double price) const {
  double needed = min_quantity_;
  if (price > 0.0) needed = std::max(needed, min_notional_ / price);
  // A little headroom so rounding of the model price never lands just under the minimum.
  return std::max<std::int64_t>(1,
                                static_cast<std::int64_t>(std::ceil(needed * 1.01 / lot_value_)));
}

}  // namespace troupe::sim
