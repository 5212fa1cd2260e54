#pragma once
// Erlang/OTP-style supervisors on CAF 0.17, which has none (reference/caf-0.17.md §1.4): a
// supervisor starts its children in order, monitors them, restarts failed ones per strategy
// with exponential backoff, and gives up (fails upward) when they fail too often. Supervisors
// nest: a supervisor is itself a ChildSpec of its parent.
//
// Messages a supervisor answers (request/response):
//   children_atom                  -> std::vector<std::string>   child names in start order
//   caf::get_atom, std::string name -> caf::actor                current handle, invalid if down
//   status_atom                    -> std::vector<ChildStatus>   per child: running, restarts
// Stopping: send it an exit message (caf::anon_send_exit(sup, caf::exit_reason::user_shutdown));
// it stops its children in reverse start order, then quits with that reason.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace troupe {

class ActorDirectory;
class MetricsRegistry;

/// Which children a failure restarts.
enum class RestartStrategy : std::uint8_t {
  OneForOne,   ///< only the failed child
  RestForOne,  ///< the failed child and every child started after it
  OneForAll,   ///< every child
};

/// How to start one child. `start` spawns it and returns its handle (an invalid handle or an
/// exception counts as a failed start, restarted like a crash).
struct ChildSpec {
  std::string name;  ///< unique among siblings; also the ActorDirectory key
  std::function<caf::actor(caf::actor_system&)> start;
};

/// A supervisor's policy.
struct SupervisorSpec {
  std::string name;
  RestartStrategy strategy = RestartStrategy::OneForOne;
  /// Intensity: more than `max_restarts` failures within `period` -> stop all children and
  /// quit with supervisor_error::max_restarts_exceeded (the parent sees a failure).
  std::uint32_t max_restarts = 5;
  std::chrono::milliseconds period{10000};
  /// Delay before restarting a child: backoff_initial, doubling with each failure of that
  /// child up to backoff_max; back to backoff_initial once it ran longer than `period`.
  std::chrono::milliseconds backoff_initial{10};
  std::chrono::milliseconds backoff_max{2000};
  /// How long a stopped child may take to exit after user_shutdown before it is killed.
  std::chrono::milliseconds shutdown_timeout{5000};
  /// When set, each (re)started child is put under its name and erased when it goes down.
  ActorDirectory* directory = nullptr;
  /// When set, restarts count in troupe_actor_restarts_total{supervisor,child}.
  MetricsRegistry* metrics = nullptr;
};

/// One child as reported for status_atom.
struct ChildStatus {
  std::string name;
  bool running = false;        ///< has a live incarnation now
  std::uint32_t restarts = 0;  ///< restarts since the supervisor started

  friend bool operator==(const ChildStatus&, const ChildStatus&) = default;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, ChildStatus& x) {
    return f(x.name, x.running, x.restarts);
  }
};

/// Why a supervisor quit on its own.
enum class SupervisorError : std::uint8_t {
  MaxRestartsExceeded = 1,  ///< children failed more often than the intensity allows
};

/// "max_restarts_exceeded".
std::string to_string(SupervisorError x);

/// Error category atom of SupervisorError ("supervisor").
caf::atom_value supervisor_error_category();

/// The caf::error a supervisor quits with when it gives up.
caf::error make_error(SupervisorError x);

/// Spawns a supervisor that starts `children` in order. Aborts on duplicate child names.
caf::actor spawn_supervisor(caf::actor_system& sys, SupervisorSpec spec,
                            std::vector<ChildSpec> children);

/// The ChildSpec that runs a nested supervisor under a parent.
ChildSpec supervisor_child(SupervisorSpec spec, std::vector<ChildSpec> children);

}  // namespace troupe
