#pragma once
// Backtest mode: the same actors as a paper node, on a simulated clock, with the simulated
// venue in-process (its Binance wire frames handed to the same connector code without
// sockets) and CAF's deterministic scheduler (docs/decisions/0004). Same config and seed →
// byte-identical fill log.

#include "messages/queries.hpp"
#include "runtime/node_config.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace troupe {

struct BacktestResult {
  std::vector<std::string> fills;  ///< one line per fill, in order (the fill log)
  PortfolioSnapshot portfolio;     ///< at the end of the run
  std::uint64_t orders = 0;        ///< orders the order manager recorded
  std::uint64_t steps = 0;         ///< venue steps simulated
};

/// Runs `config.backtest.duration_s` simulated seconds. The journal goes to a fresh temporary
/// directory under config.data_dir, removed afterwards.
tl::expected<BacktestResult, std::string> run_backtest(const NodeConfig& config);

/// "realized 12.34 unrealized -1.00 fees 0.50 fills 42 position BTCUSDT 0.01000" etc.
std::string summarize(const BacktestResult& result);

}  // namespace troupe
