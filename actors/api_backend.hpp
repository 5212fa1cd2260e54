#pragma once
// Port the HTTP API (adapters/api) calls into; implemented by the composition root on top of
// the actors. Methods block the calling server thread for at most a few seconds.

#include "messages/commands.hpp"
#include "messages/consolidated.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"
#include "messages/queries.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace troupe {

/// Node health for GET /api/v1/health.
struct HealthReport {
  std::string node_name;
  std::string mode;         ///< "paper", "live", "backtest"
  std::string venue_state;  ///< market-data session state ("live", "syncing", ...)
  TradingState trading_state = TradingState::Active;
  std::int64_t uptime_ms = 0;
  bool healthy = true;
};

/// A live book for GET /api/v1/books/{venue}/{symbol}.
struct BookView {
  bool found = false;     ///< the node has a book for that venue and symbol
  bool in_sync = false;   ///< false while the book resyncs (snapshot then has no levels)
  BookSnapshot snapshot;  ///< top `depth` levels per side, best first
};

/// Outcome of POST /api/v1/orders: the order as the OMS recorded it (submitted, possibly
/// already accepted), or the risk guard's denial, or an internal error text (timeout).
using SubmitOutcome = std::variant<OrderRecord, OrderDenied, std::string>;

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;
  virtual HealthReport health() = 0;
  virtual PortfolioSnapshot portfolio() = 0;
  virtual std::vector<OrderRecord> orders() = 0;
  /// Looks up an instrument by symbol at the configured venue (for parsing prices at the
  /// right precision); nullptr when unknown.
  virtual const Instrument* find_instrument(const std::string& symbol) = 0;
  /// Submits through the risk guard; the account and strategy ("api") are filled in.
  virtual SubmitOutcome submit(SubmitOrder order) = 0;
  /// The top `depth` levels of the book of `symbol` at `venue`.
  virtual BookView book(const std::string& venue, const std::string& symbol, std::size_t depth) = 0;
  /// The consolidated view of `asset` across venues; nullopt when the node has none for it.
  virtual std::optional<ConsolidatedBook> consolidated(const std::string& asset) = 0;
  /// Assets with a consolidated view, in configuration order.
  virtual std::vector<std::string> consolidated_assets() = 0;
  /// Prometheus text exposition of all metrics.
  virtual std::string metrics_text() = 0;
};

}  // namespace troupe
