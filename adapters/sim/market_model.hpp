#pragma once
// Building blocks of the market simulation: the fair-value process (doubles are fine here, it is
// a model) and the grid that snaps model values onto an instrument's fixed-point tick and lot.

#include "adapters/sim/random.hpp"
#include "messages/fixed_point.hpp"
#include "messages/instrument.hpp"

#include <cstdint>

namespace troupe::sim {

/// Fair value as a random walk in log space with GARCH(1,1)-like volatility clustering:
///   r_t = sigma_t · z_t,  log(fv_t) = log(fv_{t-1}) + r_t,
///   sigma²_t = w + a·r²_{t-1} + b·sigma²_{t-1},  a + b = persistence,  w = sigma²_lr·(1 − a − b)
/// so the long-run per-step variance is sigma²_lr = (volatility_bps / 10⁴)². With persistence
/// p, a = 0.1·p and b = 0.9·p; p = 0 gives constant volatility.
class FairValueProcess {
 public:
  /// `start` > 0 in quote units; `volatility_bps` per-step stdev in bps; `persistence` in [0, 1).
  FairValueProcess(double start, double volatility_bps, double persistence);

  /// Advances one step and returns the new fair value.
  double step(SimRandom& random);
  /// Current fair value (quote units).
  double value() const;
  /// Per-step stdev of log returns used for the next step (a fraction, 2 bps = 0.0002).
  double volatility() const;
  /// Long-run per-step stdev (a fraction).
  double long_run_volatility() const;

 private:
  double log_value_ = 0.0;
  double variance_ = 0.0;
  double long_run_variance_ = 0.0;
  double omega_ = 0.0;
  double alpha_ = 0.0;
  double beta_ = 0.0;
};

/// An instrument's price and size grid: converts model doubles into ticks and lots and those
/// into fixed-point values.
class PriceGrid {
 public:
  explicit PriceGrid(const Instrument& instrument);

  /// Tick size in quote units.
  double tick_value() const { return tick_value_; }
  /// Lot size in base units.
  double lot_value() const { return lot_value_; }
  /// Largest tick count whose price is <= `price` (bids round down), at least 1.
  std::int64_t ticks_at_or_below(double price) const;
  /// Smallest tick count whose price is >= `price` (asks round up), at least 1.
  std::int64_t ticks_at_or_above(double price) const;
  /// Price of `ticks` ticks.
  Price price(std::int64_t ticks) const;
  /// Lots nearest to `quantity` base units, at least `min_lots`.
  std::int64_t lots(double quantity, std::int64_t min_lots) const;
  /// Quantity of `lots` lots.
  Quantity quantity(std::int64_t lots) const;
  /// Fewest lots that satisfy the instrument's minimum quantity and, at `price`, its minimum
  /// notional.
  std::int64_t min_lots(double price) const;

 private:
  std::int64_t tick_raw_ = 1;
  std::int64_t lot_raw_ = 1;
  std::uint8_t price_precision_ = 0;
  std::uint8_t size_precision_ = 0;
  double tick_value_ = 1.0;
  double lot_value_ = 1.0;
  double min_quantity_ = 0.0;
  double min_notional_ = 0.0;
};

}  // namespace troupe::sim
