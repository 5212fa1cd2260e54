#include "runtime/actor_directory.hpp"

#include <algorithm>

namespace troupe {

void ActorDirectory::put(const std::string& name, caf::actor handle) {
  std::lock_guard<std::mutex> guard(mutex_);
  entries_[name] = std::move(handle);
}

caf::actor ActorDirectory::get(const std::string& name) const {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = entries_.find(name);
  return it == entries_.end() ? caf::actor{} : it->second;
}

void ActorDirectory::erase_if(const std::string& name, const caf::actor_addr& expected) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = entries_.find(name);
  if (it != entries_.end() && it->second.address() == expected) entries_.erase(it);
}

std::vector<std::string> ActorDirectory::names() const {
  std::vector<std::string> out;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    out.reserve(entries_.size());
    for (const auto& [name, handle] : entries_) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace troupe
