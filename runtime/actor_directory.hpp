#pragma once
// Name -> current actor handle (our router's local table: an entity key such as
// "oms/paper" maps to the handle of its current incarnation; a restarted actor gets a new
// handle and replaces the old entry). Thread-safe.

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace troupe {

/// Thread-safe map from entity name to the handle of its current incarnation.
class ActorDirectory {
 public:
  /// Sets (or replaces) the handle under `name`.
  void put(const std::string& name, caf::actor handle);
  /// The handle under `name`; an invalid handle when absent.
  caf::actor get(const std::string& name) const;
  /// Removes `name` only while it still maps to `expected` (an old incarnation's removal never
  /// erases its successor).
  void erase_if(const std::string& name, const caf::actor_addr& expected);
  /// All names, sorted.
  std::vector<std::string> names() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, caf::actor> entries_;
};

}  // namespace troupe
