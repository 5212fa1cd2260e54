#include "adapters/sim/market_agents.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace troupe::sim {
namespace {

// Fraction of a maker's ladder it may replace per side and turn (at least one quote).
constexpr std::size_t kRefreshDivisor = 5;
// Chance per side and turn that a maker re-sizes one quote that is still on target.
constexpr double kResizeProbability = 0.25;
// IOC limit orders of takers reach this many volatility stdevs through fair value.
constexpr double kTakerReachStdevs = 3.0;

double effective_volatility(const MarketView& view, double tick_fraction) {
  return std::max({view.volatility, 0.25 * view.long_run_volatility, tick_fraction});
}

}  // namespace

MarketMaker::MarketMaker(std::string account, std::uint32_t index,
                         const SimInstrumentConfig& config, const PriceGrid& grid)
    : account_(std::move(account)),
      index_(index),
      grid_(&grid),
      size_(config.maker_size.as_double()),
      bids_(config.maker_levels),
      asks_(config.maker_levels) {}

void MarketMaker::act(const MarketView& view, MatchingEngine& engine, SimRandom& random) {
  if (bids_.empty() || view.fair_value <= 0.0) return;
  const double tick = grid_->tick_value();
  const double sigma = effective_volatility(view, tick / view.fair_value);
  const double half_spread =
      std::max(tick, view.fair_value * sigma * (0.75 + 0.25 * static_cast<double>(index_)));
  const std::int64_t spacing =
      std::max<std::int64_t>(1, std::llround(view.fair_value * sigma * 0.5 / tick));
  std::vector<std::int64_t> bid_targets;
  std::vector<std::int64_t> ask_targets;
  const std::int64_t best_bid = grid_->ticks_at_or_below(view.fair_value - half_spread);
  const std::int64_t best_ask =
      std::max(best_bid + 1, grid_->ticks_at_or_above(view.fair_value + half_spread));
  for (std::size_t k = 0; k < bids_.size(); ++k) {
    const auto offset = static_cast<std::int64_t>(k) * spacing;
    bid_targets.push_back(std::max<std::int64_t>(1, best_bid - offset));
    ask_targets.push_back(best_ask + offset);
  }
  const bool bids_first = random.bernoulli(0.5);
  const Side first = bids_first ? Side::Buy : Side::Sell;
  refresh_side(first, bids_first ? bid_targets : ask_targets, spacing, view, engine, random);
  refresh_side(opposite(first), bids_first ? ask_targets : bid_targets, spacing, view, engine,
               random);
}

void MarketMaker::refresh_side(Side side, const std::vector<std::int64_t>& targets,
                               std::int64_t spacing, const MarketView& view, MatchingEngine& engine,
                               SimRandom& random) {
  std::vector<Quote>& quotes = side == Side::Buy ? bids_ : asks_;
  std::vector<std::pair<std::int64_t, std::size_t>> stale;  // (priority, level), larger first
  std::vector<std::size_t> on_target;
  for (std::size_t k = 0; k < quotes.size(); ++k) {
    Quote& quote = quotes[k];
    if (quote.id != 0 && !engine.open_order(quote.id)) quote = Quote{};
    const std::int64_t deviation = std::llabs(quote.ticks - targets[k]);
    if (quote.id == 0) {
      stale.emplace_back(INT64_MAX - static_cast<std::int64_t>(k), k);
    } else if (deviation >= spacing) {
      stale.emplace_back(deviation, k);
    } else {
      on_target.push_back(k);
    }
  }
  std::stable_sort(stale.begin(), stale.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const std::size_t budget = std::max<std::size_t>(1, quotes.size() / kRefreshDivisor);
  for (std::size_t i = 0; i < stale.size() && i < budget; ++i) {
    const std::size_t k = stale[i].second;
    replace(side, quotes[k], targets[k], view, engine, random);
  }
  if (!on_target.empty() && random.bernoulli(kResizeProbability)) {
    const std::size_t k = on_target[random.below(on_target.size())];
    replace(side, quotes[k], targets[k], view, engine, random);
  }
}

void MarketMaker::replace(Side side, Quote& quote, std::int64_t ticks, const MarketView& view,
                          MatchingEngine& engine, SimRandom& random) {
  if (quote.id != 0) engine.cancel(quote.id);
  quote = Quote{};
  const Price price = grid_->price(ticks);
  OrderRequest request;
  request.symbol = view.symbol;
  request.account = account_;
  request.client_order_id = account_ + "-" + std::to_string(++sequence_);
  request.side = side;
  request.type = OrderType::Limit;
  request.time_in_force = TimeInForce::Gtc;
  request.price = price;
  request.quantity = grid_->quantity(
      grid_->lots(size_ * (0.5 + random.uniform()), grid_->min_lots(price.as_double())));
  if (auto id = engine.submit(std::move(request))) quote = Quote{*id, ticks};
}

NoiseTaker::NoiseTaker(std::string account, const SimInstrumentConfig& config,
                       const PriceGrid& grid)
    : account_(std::move(account)), grid_(&grid), size_(config.taker_size.as_double()) {}

void NoiseTaker::act(const MarketView& view, MatchingEngine& engine, SimRandom& random) {
  if (view.fair_value <= 0.0) return;
  const std::uint32_t arrivals = random.poisson(kTakerArrivalsPerStep);
  const double sigma = effective_volatility(view, grid_->tick_value() / view.fair_value);
  for (std::uint32_t i = 0; i < arrivals; ++i) {
    const double mid = view.mid.value_or(view.fair_value);
    const double tilt = std::tanh((view.fair_value - mid) / (view.fair_value * sigma));
    const Side side = random.bernoulli(0.5 + 0.25 * tilt) ? Side::Buy : Side::Sell;
    const double size = size_ * std::exp(0.5 * random.normal() - 0.125);
    OrderRequest request;
    request.symbol = view.symbol;
    request.account = account_;
    request.client_order_id = account_ + "-" + std::to_string(++sequence_);
    request.side = side;
    request.quantity = grid_->quantity(grid_->lots(size, grid_->min_lots(view.fair_value)));
    if (random.bernoulli(0.5)) {
      request.type = OrderType::Market;
    } else {
      const double reach = view.fair_value * sigma * kTakerReachStdevs;
      request.type = OrderType::Limit;
      request.time_in_force = TimeInForce::Ioc;
      request.price =
          grid_->price(side == Side::Buy ? grid_->ticks_at_or_above(view.fair_value + reach)
                                         : grid_->ticks_at_or_below(view.fair_value - reach));
    }
    engine.submit(std::move(request));
  }
}

}  // namespace troupe::sim
