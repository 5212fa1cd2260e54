#pragma once
// Backtest mode: the same actors as a paper node, on a simulated clock, with the simulated
// venue in-process (its Binance wire frames handed to the same connector code without
// sockets) and CAF's deterministic scheduler (docs/decisions/0004). Same config and seed →
// byte-identical fill log.

#include "messages/data.hpp"
#include "messages/queries.hpp"
#include "runtime/node_config.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace troupe {

namespace sim {
class BinanceFrontEnd;
class VenueFrontEnd;
}  // namespace sim

/// What a step hook may do between two venue steps, when every actor is idle.
class BacktestControl {
 public:
  virtual ~BacktestControl() = default;
  /// The in-process simulated trading venue (fault injection, its own book).
  virtual sim::BinanceFrontEnd& venue() = 0;
  /// The in-process simulated venue `venue` ("kraken", ...), or nullptr.
  virtual sim::VenueFrontEnd* front_end(const std::string& venue) = 0;
  /// Steps simulated so far.
  virtual std::uint64_t step() const = 0;
  /// Our book actor's view: (in sync, top `depth` levels per side).
  virtual std::pair<bool, BookSnapshot> book(const InstrumentId& instrument, std::size_t depth) = 0;
};

/// Called before every venue step; tests use it to inject faults and compare books.
using BacktestHook = std::function<void(BacktestControl&)>;

struct BacktestResult {
  std::vector<std::string> fills;   ///< one line per fill, in order (the fill log)
  PortfolioSnapshot portfolio;      ///< at the end of the run
  std::uint64_t orders = 0;         ///< orders the order manager recorded
  std::uint64_t steps = 0;          ///< venue steps simulated
  std::uint64_t crossed_books = 0;  ///< crossed or locked top-of-book snapshots published
  std::string metrics;              ///< Prometheus exposition at the end of the run
};

/// Runs `config.backtest.duration_s` simulated seconds. The journal goes to a fresh temporary
/// directory under config.data_dir, removed afterwards.
tl::expected<BacktestResult, std::string> run_backtest(const NodeConfig& config,
                                                       const BacktestHook& hook = {});

/// "realized 12.34 unrealized -1.00 fees 0.50 fills 42 position BTCUSDT 0.01000" etc.
std::string summarize(const BacktestResult& result);

}  // namespace troupe
