#pragma once
// The CAF actor system configuration of a node: message types registered, CAF's own logger
// quiet (we log through spdlog), and for backtests CAF's deterministic test scheduler.

#include "runtime/type_ids.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

namespace troupe {

class NodeSystemConfig : public caf::actor_system_config {
 public:
  explicit NodeSystemConfig(bool deterministic) {
    register_message_types(*this);
    set("logger.verbosity", caf::atom("quiet"));
    set("logger.console", caf::atom("none"));
    if (deterministic) {
      // decision 0004: every actor runs on one thread, driven by the backtest loop.
      set("scheduler.policy", caf::atom("testing"));
    } else {
      // Fairness: a busy actor yields after this many messages (default: unlimited).
      set("scheduler.max-throughput", size_t{300});
    }
  }
};

}  // namespace troupe
