#pragma once
// Market-data port factories of every venue the node streams: the trading venue's own feed
// (`venue`) plus each `market_data` entry, built from the config by venue name.

#include "actors/venue/venue_ports.hpp"
#include "runtime/node_config.hpp"
#include "runtime/node_context.hpp"
#include "tools/node/node_assembly.hpp"

#include <vector>

namespace troupe {

/// Every market-data session of the node: first the trading venue's (from `venue`), then the
/// `market_data` entries in config order.
std::vector<MarketDataFeedConfig> market_data_feeds(const NodeConfig& config);

/// A factory of fresh ports for `feed`; each port gets its own transport from `make_transport`
/// named "<venue>-md". `context` must outlive the factory. `seed` seeds reconnect jitter
/// (deterministic backtests).
MarketDataPortFactory make_market_data_port_factory(const NodeContext& context,
                                                    MarketDataFeedConfig feed,
                                                    TransportFactory make_transport,
                                                    std::uint64_t seed);

}  // namespace troupe
