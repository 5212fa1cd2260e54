#pragma once
// The node's shared services, passed to every actor spawn function. Owned by the composition
// root, which outlives all actors. Forward declarations keep this header light: a source that
// uses a service includes its header (runtime/topic_bus.hpp, runtime/metrics.hpp, ...).

#include "runtime/clock.hpp"

#include <caf/fwd.hpp>

namespace troupe {

class ActorDirectory;
class MetricsRegistry;
class TopicBus;

/// References to the services of one node.
struct NodeContext {
  caf::actor_system& system;  ///< spawns actors, owns the scheduler
  TopicBus& bus;              ///< market data, order events, status by topic (runtime/topics.hpp)
  MetricsRegistry& metrics;   ///< Prometheus metrics, troupe_* names
  ActorDirectory& directory;  ///< entity name -> current actor handle
  const Clock& clock;         ///< live in paper/live mode, simulated in backtests
};

}  // namespace troupe
