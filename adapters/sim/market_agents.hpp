#pragma once
// The background agents of the simulated market. They are ordinary accounts of the matching
// engine: their orders match against users' orders exactly like anyone else's.

#include "adapters/sim/market_model.hpp"
#include "adapters/sim/matching_engine.hpp"
#include "adapters/sim/random.hpp"
#include "adapters/sim/sim_config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace troupe::sim {

/// What an agent sees of its instrument at the start of its turn.
struct MarketView {
  std::string symbol;                ///< venue symbol
  double fair_value = 0.0;           ///< quote units
  double volatility = 0.0;           ///< current per-step stdev of log returns (fraction)
  double long_run_volatility = 0.0;  ///< long-run per-step stdev (fraction)
  std::optional<double> mid;         ///< book mid (quote units), when both sides exist
};

/// Quotes `maker_levels` levels per side around fair value. The half spread and the level spacing
/// scale with current volatility. Each turn it replaces only the few quotes that drifted furthest
/// from their targets (missing ones first), so the book changes a little every step.
class MarketMaker {
 public:
  /// `grid` must outlive the maker. `index` staggers the agents: maker i quotes a little wider than
  /// maker i − 1.
  MarketMaker(std::string account, std::uint32_t index, const SimInstrumentConfig& config,
              const PriceGrid& grid);

  /// Re-quotes against `view` through `engine`.
  void act(const MarketView& view, MatchingEngine& engine, SimRandom& random);

 private:
  struct Quote {
    OrderId id = 0;          // 0 = no order
    std::int64_t ticks = 0;  // price of the resting order
  };
  void refresh_side(Side side, const std::vector<std::int64_t>& targets, std::int64_t spacing,
                    const MarketView& view, MatchingEngine& engine, SimRandom& random);
  void replace(Side side, Quote& quote, std::int64_t ticks, const MarketView& view,
               MatchingEngine& engine, SimRandom& random);

  std::string account_;
  std::uint32_t index_ = 0;
  const PriceGrid* grid_;
  double size_ = 0.0;
  std::vector<Quote> bids_;
  std::vector<Quote> asks_;
  std::uint64_t sequence_ = 0;
};

/// Sends random market or IOC limit orders (about kTakerArrivalsPerStep per step, Poisson) of
/// log-normal size around taker_size. Buys slightly more often when the mid is below fair value,
/// which pulls the book towards the fair value as informed flow would.
class NoiseTaker {
 public:
  /// Mean orders per step and taker.
  static constexpr double kTakerArrivalsPerStep = 0.3;

  /// `grid` must outlive the taker.
  NoiseTaker(std::string account, const SimInstrumentConfig& config, const PriceGrid& grid);

  /// Sends this step's orders through `engine`.
  void act(const MarketView& view, MatchingEngine& engine, SimRandom& random);

 private:
  std::string account_;
  const PriceGrid* grid_;
  double size_ = 0.0;
  std::uint64_t sequence_ = 0;
};

}  // namespace troupe::sim
