#pragma once
// The composition root's core: builds a node's supervision tree (market data, account, strategies)
// from its config. Shared by paper/live nodes and backtests; only the transports differ.

#include "adapters/net/transport.hpp"
#include "runtime/node_config.hpp"
#include "runtime/node_context.hpp"
#include "runtime/persistence/journal_actor.hpp"

#include <caf/actor.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace troupe {

/// Creates the transport for one venue connection ("binance-md", "binance-orders").
using TransportFactory = std::function<std::shared_ptr<net::ClientTransport>(const std::string&)>;

/// The supervisors of a running node.
struct NodeTree {
  caf::actor root;        ///< everything below
  caf::actor strategies;  ///< stopped first at shutdown
};

/// Spawns the supervision tree described in docs/architecture.md. `context`, `config` and
/// everything `make_transport` captures must outlive the tree.
NodeTree spawn_node_tree(const NodeContext& context, const NodeConfig& config,
                         const persistence::journal_actor& journal,
                         const TransportFactory& make_transport);

/// An instrument of the trading venue, by venue symbol.
const Instrument* find_instrument(const NodeConfig& config, const std::string& symbol);
/// Any instrument the node streams (trading venue or `market_data` feed), by id.
const Instrument* find_instrument(const NodeConfig& config, const InstrumentId& id);

}  // namespace troupe
