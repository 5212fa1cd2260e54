#pragma once
// Everything a node reads from its YAML config (config/paper.yaml documents each key).

#include "actors/oms/oms_config.hpp"
#include "actors/portfolio/portfolio_config.hpp"
#include "actors/risk/risk_config.hpp"
#include "actors/strategy/strategy_config.hpp"
#include "adapters/sim/sim_config.hpp"
#include "messages/instrument.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace troupe {

enum class NodeMode : std::uint8_t { Paper, Live, Backtest };

/// Connection to one venue for one account (config key `venue`).
struct VenueConfig {
  VenueId venue{"binance"};
  AccountId account{"paper"};
  std::string host = "127.0.0.1";
  std::uint16_t port = 18081;  ///< REST and WebSocket port
  std::string api_key;         ///< from ${ENV} in live configs; never logged
  std::string api_secret;
  std::vector<Instrument> instruments;  ///< symbols to stream and trade
  std::int64_t stale_after_ms = 5000;   ///< no book data this long while connected -> resync
  std::int64_t reconnect_min_ms = 100;
  std::int64_t reconnect_max_ms = 5000;
  std::uint32_t snapshot_depth = 1000;  ///< levels requested in REST depth snapshots
};

/// Backtest settings (config key `backtest`), used with --mode backtest.
struct BacktestConfig {
  std::int64_t duration_s = 600;  ///< simulated seconds to run
  std::string fills_log;          ///< where to write the fill log ("" = stdout only)
};

/// The whole node.
struct NodeConfig {
  std::string node_name = "node-1";
  NodeMode mode = NodeMode::Paper;
  std::string log_level = "info";
  std::string http_host = "127.0.0.1";
  std::uint16_t http_port = 8080;
  std::string data_dir = "var/node-1";  ///< RocksDB journal lives in data_dir/journal
  VenueConfig venue;
  sim::SimConfig sim;
  RiskConfig risk;
  OmsConfig oms;
  PortfolioConfig portfolio;
  std::vector<StrategyConfig> strategies;
  BacktestConfig backtest;
};

}  // namespace troupe
