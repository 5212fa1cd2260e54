#include "runtime/topic_bus.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <mutex>

namespace troupe {

void TopicBus::subscribe(const std::string& topic, const caf::actor& subscriber) {
  if (!subscriber) return;
  auto addr = subscriber.address();
  std::unique_lock<std::shared_mutex> guard(mutex_);
  auto& list = subscribers_[topic];
  if (std::find(list.begin(), list.end(), addr) == list.end()) list.push_back(std::move(addr));
}

void TopicBus::unsubscribe(const std::string& topic, const caf::actor_addr& subscriber) {
  std::unique_lock<std::shared_mutex> guard(mutex_);
  auto it = subscribers_.find(topic);
  if (it == subscribers_.end()) return;
  auto& list = it->second;
  list.erase(std::remove(list.begin(), list.end(), subscriber), list.end());
  if (list.empty()) subscribers_.erase(it);
}

void TopicBus::unsubscribe_all(const caf::actor_addr& subscriber) {
  std::unique_lock<std::shared_mutex> guard(mutex_);
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    auto& list = it->second;
    list.erase(std::remove(list.begin(), list.end(), subscriber), list.end());
    it = list.empty() ? subscribers_.erase(it) : std::next(it);
  }
}

void TopicBus::publish_message(const std::string& topic, const caf::message& msg) {
  bool saw_dead = false;
  {
    // Sending only enqueues into mailboxes, so it is done under the shared lock: publishers on
    // different threads proceed in parallel and nothing is copied per publish.
    std::shared_lock<std::shared_mutex> guard(mutex_);
    auto it = subscribers_.find(topic);
    if (it == subscribers_.end()) return;
    for (const auto& addr : it->second) {
      auto hdl = caf::actor_cast<caf::actor>(addr);  // empty once the actor is gone
      if (hdl)
        caf::anon_send(hdl, msg);
      else
        saw_dead = true;
    }
  }
  if (saw_dead) prune(topic);
}

void TopicBus::prune(const std::string& topic) {
  std::unique_lock<std::shared_mutex> guard(mutex_);
  auto it = subscribers_.find(topic);
  if (it == subscribers_.end()) return;
  auto& list = it->second;
  list.erase(
      std::remove_if(list.begin(), list.end(),
                     [](const caf::actor_addr& a) { return !caf::actor_cast<caf::actor>(a); }),
      list.end());
  if (list.empty()) subscribers_.erase(it);
}

std::size_t TopicBus::subscriber_count(const std::string& topic) const {
  std::shared_lock<std::shared_mutex> guard(mutex_);
  auto it = subscribers_.find(topic);
  if (it == subscribers_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.begin(), it->second.end(),
                    [](const caf::actor_addr& a) { return !!caf::actor_cast<caf::actor>(a); }));
}

std::vector<std::string> TopicBus::topics() const {
  std::vector<std::string> out;
  {
    std::shared_lock<std::shared_mutex> guard(mutex_);
    for (const auto& [topic, list] : subscribers_) out.push_back(topic);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace troupe
