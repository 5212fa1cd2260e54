#include "adapters/sim/market.hpp"

namespace troupe::sim {

InstrumentMarket::InstrumentMarket(const SimInstrumentConfig& config, std::uint64_t seed,
                                   MatchingEngine& engine)
    : symbol_(config.instrument.id.symbol),
      engine_(&engine),
      grid_(config.instrument),
      process_(config.start_price.as_double(), config.volatility_bps, config.vol_clustering),
      random_(seed),
      active_(config.start_price.is_positive()) {
  if (!active_) return;
  makers_.reserve(config.market_makers);
  for (std::uint32_t i = 0; i < config.market_makers; ++i)
    makers_.emplace_back("mm-" + symbol_ + "-" + std::to_string(i), i, config, grid_);
  takers_.reserve(config.noise_takers);
  for (std::uint32_t i = 0; i < config.noise_takers; ++i)
    takers_.emplace_back("taker-" + symbol_ + "-" + std::to_string(i), config, grid_);
}

MarketView InstrumentMarket::view() const {
  MarketView out;
  out.symbol = symbol_;
  out.fair_value = process_.value();
  out.volatility = process_.volatility();
  out.long_run_volatility = process_.long_run_volatility();
  auto bid = engine_->best_bid(symbol_);
  auto ask = engine_->best_ask(symbol_);
  if (bid && ask) out.mid = (bid->price.as_double() + ask->price.as_double()) / 2.0;
  return out;
}

void InstrumentMarket::step() {
  if (!active_) return;
  process_.step(random_);
  // Rotate who quotes first so no maker is always first in the queue at a new price.
  const std::size_t count = makers_.size();
  for (std::size_t i = 0; i < count; ++i) {
    MarketView current = view();
    makers_[(steps_ + i) % count].act(current, *engine_, random_);
  }
  for (NoiseTaker& taker : takers_) {
    MarketView current = view();
    taker.act(current, *engine_, random_);
  }
  ++steps_;
}

Market::Market(const SimConfig& config, MatchingEngine& engine) {
  for (std::size_t i = 0; i < config.instruments.size(); ++i) {
    const SimInstrumentConfig& instrument = config.instruments[i];
    engine.add_instrument(instrument.instrument);
    instruments_.push_back(
        std::make_unique<InstrumentMarket>(instrument, derive_seed(config.seed, i), engine));
  }
}

void Market::step(TimestampNs now) {
  for (auto& instrument : instruments_) instrument->step();
  ++steps_;
  last_step_ns_ = now;
}

const InstrumentMarket* Market::instrument(std::string_view symbol) const {
  for (const auto& instrument : instruments_)
    if (instrument->symbol() == symbol) return instrument.get();
  return nullptr;
}

}  // namespace troupe::sim
