#pragma once
// A running paper (or live) node: the embedded simulated venue (paper), the actor system with
// the journal and the supervision tree, and the HTTP API. Used by troupe-node and by the
// integration tests, which start real nodes in-process.

#include "runtime/node_config.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace caf {
class actor_system;
}

namespace troupe {

class ActorDirectory;
class MetricsRegistry;
class TopicBus;
namespace sim {
class BinanceFrontEnd;
class SimVenueServer;
}  // namespace sim

class PaperNode {
 public:
  /// Starts everything; fails with a text naming what could not start (port in use, journal
  /// locked, ...). With `sim.port: 0` or `http_port: 0` free ports are chosen.
  static tl::expected<std::unique_ptr<PaperNode>, std::string> start(NodeConfig config);

  virtual ~PaperNode() = default;
  virtual std::uint16_t http_port() const = 0;
  /// Port of the embedded simulated trading venue (0 when the node trades elsewhere).
  virtual std::uint16_t venue_port() const = 0;
  /// The embedded simulated trading venue, or nullptr.
  virtual sim::BinanceFrontEnd* venue() = 0;
  /// The embedded simulated venue `venue` ("kraken", ...), or nullptr.
  virtual sim::SimVenueServer* sim_venue(const std::string& venue) = 0;
  virtual const NodeConfig& config() const = 0;
  virtual ActorDirectory& directory() = 0;
  virtual MetricsRegistry& metrics() = 0;
  virtual TopicBus& bus() = 0;
  virtual caf::actor_system& system() = 0;
  /// Graceful stop: strategies first, then the rest of the tree, then the journal (flushed),
  /// the API and the simulated venue. Idempotent.
  virtual void shutdown() = 0;
};

}  // namespace troupe
