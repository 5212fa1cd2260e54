#pragma once
// Configuration of the embedded simulated venue (config key `sim`).

#include "messages/instrument.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace troupe::sim {

/// Market simulation of one instrument.
struct SimInstrumentConfig {
  Instrument instrument;
  Price start_price;                ///< initial fair value
  double volatility_bps = 2.0;      ///< per-step stdev of fair-value returns, in bps (base)
  double vol_clustering = 0.9;      ///< GARCH-like persistence of volatility, in [0, 1)
  std::uint32_t market_makers = 4;  ///< quoting agents around fair value
  std::uint32_t noise_takers = 3;   ///< agents sending random market/IOC orders
  Quantity maker_size;              ///< typical resting size per level
  Quantity taker_size;              ///< typical aggressive size
  std::uint32_t maker_levels = 10;  ///< levels each maker quotes per side
};

/// The simulated venue as a whole.
struct SimConfig {
  bool enabled = true;  ///< paper mode starts it in-process
  std::uint64_t seed = 42;
  std::string host = "127.0.0.1";
  std::uint16_t port = 18081;  ///< REST and WebSocket on one loopback port (0 = any free)
  std::int64_t step_ms = 50;   ///< market step (agents act once per step)
  std::string api_key = "sim-key";
  std::string api_secret = "sim-secret";
  std::vector<std::pair<std::string, std::string>> balances;  ///< asset -> decimal text
  std::vector<SimInstrumentConfig> instruments;
};

}  // namespace troupe::sim
