#pragma once
// The embedded simulated venues of paper and backtest nodes: one protocol front end per venue the
// node connects to (the trading venue and every `market_data` feed), each with the `sim`
// instruments of that venue.

#include "adapters/sim/front_end.hpp"
#include "runtime/clock.hpp"
#include "runtime/node_config.hpp"

#include <tl/expected.hpp>

#include <memory>
#include <string>
#include <vector>

namespace troupe {

/// The `sim` settings with only `venue`'s instruments.
sim::SimConfig sim_config_for(const NodeConfig& config, const VenueId& venue);

/// The venues a node simulates: the trading venue, then the `market_data` venues in order.
std::vector<VenueId> simulated_venues(const NodeConfig& config);

/// Builds the front end of `venue` over `sim`; fails with the front end's own validation text.
/// `clock` must outlive it.
tl::expected<std::unique_ptr<sim::VenueFrontEnd>, std::string> make_sim_front_end(
    const VenueId& venue, const sim::SimConfig& sim, const Clock& clock);

}  // namespace troupe
