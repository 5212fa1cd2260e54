#pragma once
// Seeded, deterministic agent-based background flow for the simulated venue: per instrument a
// fair value (FairValueProcess), market makers quoting around it and noise takers trading
// against them, all through the same MatchingEngine as users.
//
// Determinism: the agents' actions depend only on the seed, the configuration and the sequence
// of engine states they observe, never on wall-clock time. Same seed, same configuration and
// same user orders at the same steps → the same sequence of engine events.

#include "adapters/sim/market_agents.hpp"
#include "adapters/sim/market_model.hpp"
#include "adapters/sim/matching_engine.hpp"
#include "adapters/sim/random.hpp"
#include "adapters/sim/sim_config.hpp"
#include "runtime/clock.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace troupe::sim {

/// The simulated market of one instrument.
class InstrumentMarket {
 public:
  /// Agents are named "mm-<symbol>-<i>" and "taker-<symbol>-<i>". An instrument whose
  /// start_price is not positive gets no agents (its book only holds user orders).
  InstrumentMarket(const SimInstrumentConfig& config, std::uint64_t seed, MatchingEngine& engine);
  InstrumentMarket(const InstrumentMarket&) = delete;
  InstrumentMarket& operator=(const InstrumentMarket&) = delete;

  /// Advances the fair value one step, then lets every maker and then every taker act.
  void step();

  /// Venue symbol.
  const std::string& symbol() const { return symbol_; }
  /// Current fair value in quote units (model value, not a tradable price).
  double fair_value() const { return process_.value(); }
  /// Current per-step volatility of the fair value (fraction).
  double volatility() const { return process_.volatility(); }

 private:
  MarketView view() const;

  std::string symbol_;
  MatchingEngine* engine_;
  PriceGrid grid_;
  FairValueProcess process_;
  SimRandom random_;
  bool active_ = true;
  std::vector<MarketMaker> makers_;
  std::vector<NoiseTaker> takers_;
  std::uint64_t steps_ = 0;
};

/// All simulated instruments of one venue.
class Market {
 public:
  /// Registers every configured instrument with `engine` (which must outlive the market) and
  /// seeds instrument i from derive_seed(config.seed, i).
  Market(const SimConfig& config, MatchingEngine& engine);

  /// Advances every instrument one step (step_ms of market time). `now` is informational only:
  /// agent behaviour does not depend on it, which keeps runs reproducible.
  void step(TimestampNs now);

  /// Steps taken so far.
  std::uint64_t step_count() const { return steps_; }
  /// The instrument's market, or nullptr.
  const InstrumentMarket* instrument(std::string_view symbol) const;
  /// Time of the last step (ns since epoch; 0 before the first).
  TimestampNs last_step_ns() const { return last_step_ns_; }

 private:
  std::vector<std::unique_ptr<InstrumentMarket>> instruments_;
  std::uint64_t steps_ = 0;
  TimestampNs last_step_ns_ = 0;
};

}  // namespace troupe::sim
