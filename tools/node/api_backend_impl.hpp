#pragma once
// ApiBackend (actors/api_backend.hpp) on top of the running actors: each call asks the actor
// named in the directory with a bounded blocking request from the HTTP server's thread.

#include "actors/api_backend.hpp"
#include "runtime/node_config.hpp"
#include "runtime/node_context.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <string>

namespace troupe {

class ActorApiBackend final : public ApiBackend {
 public:
  /// `context` and `config` must outlive the backend.
  ActorApiBackend(const NodeContext& context, const NodeConfig& config);

  HealthReport health() override;
  PortfolioSnapshot portfolio() override;
  std::vector<OrderRecord> orders() override;
  const Instrument* find_instrument(const std::string& symbol) override;
  SubmitOutcome submit(SubmitOrder order) override;
  BookView book(const std::string& venue, const std::string& symbol, std::size_t depth) override;
  std::optional<ConsolidatedBook> consolidated(const std::string& asset) override;
  std::vector<std::string> consolidated_assets() override;
  std::string metrics_text() override;

 private:
  const NodeContext& context_;
  const NodeConfig& config_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace troupe
