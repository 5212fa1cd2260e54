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

/// TLS of one venue connection (config key `tls` under `venue` and each `market_data` entry).
struct VenueTlsConfig {
  bool enabled = false;     ///< https:// and wss:// with certificate verification
  std::string ca_file;      ///< PEM CA bundle to trust; "" = system store (paper: loopback CA)
  std::string server_name;  ///< SNI and the name checked in the certificate; "" = host
};

/// One market-data connection (config key `market_data`, a list): the venue's public streams
/// for a set of its instruments. The trading venue's own market data comes from `venue`.
struct MarketDataFeedConfig {
  VenueId venue;  ///< binance, kraken, coinbase or alpaca
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 in paper mode: the embedded simulated venue's ephemeral port
  VenueTlsConfig tls;
  std::string api_key;  ///< alpaca only; never logged
  std::string api_secret;
  std::vector<Instrument> instruments;  ///< that venue's instruments to stream
  std::int64_t stale_after_ms = 5000;
  std::int64_t reconnect_min_ms = 100;
  std::int64_t reconnect_max_ms = 5000;
  /// Book depth: kraken subscription depth (10, 25, 100, 500, 1000); binance REST snapshot
  /// levels (1-5000). Coinbase streams the full book; alpaca is L1.
  std::uint32_t depth = 10;
  std::string feed = "iex";  ///< alpaca: iex or sip
};

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
  VenueTlsConfig tls;
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
  std::vector<MarketDataFeedConfig> market_data;
  sim::SimConfig sim;
  /// The embedded simulated venues serve TLS with a loopback CA generated at start (paper mode;
  /// config key `sim.tls`); connectors to them trust that CA.
  bool sim_tls = false;
  RiskConfig risk;
  OmsConfig oms;
  PortfolioConfig portfolio;
  std::vector<StrategyConfig> strategies;
  BacktestConfig backtest;
};

}  // namespace troupe
