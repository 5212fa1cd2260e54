#pragma once
// In-process publish/subscribe by topic name (names come from runtime/topics.hpp). Publishers
// are actors and adapter I/O threads alike, so every method is thread-safe. Subscribers are held
// weakly: the bus never keeps an actor alive, and dead subscribers are pruned lazily on publish.

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

#include <cstddef>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace troupe {

/// Topic name -> subscribers. Delivery is an anonymous asynchronous send per subscriber, in
/// subscription order; one message object is shared by all of them.
class TopicBus {
 public:
  /// Adds `subscriber` to `topic`; subscribing twice delivers once. Typed handles are passed
  /// as caf::actor_cast<caf::actor>(typed_handle).
  void subscribe(const std::string& topic, const caf::actor& subscriber);
  /// Removes `subscriber` from `topic` (no-op when not subscribed).
  void unsubscribe(const std::string& topic, const caf::actor_addr& subscriber);
  /// Removes `subscriber` from every topic.
  void unsubscribe_all(const caf::actor_addr& subscriber);

  /// Sends `xs...` to every live subscriber of `topic`.
  template <class... Ts>
  void publish(const std::string& topic, const Ts&... xs) {
    static_assert(sizeof...(Ts) > 0, "nothing to publish");
    publish_message(topic, caf::make_message(xs...));
  }
  /// Sends the already built `msg` to every live subscriber of `topic`.
  void publish_message(const std::string& topic, const caf::message& msg);

  /// Live subscribers of `topic`.
  std::size_t subscriber_count(const std::string& topic) const;
  /// Topics with at least one subscriber entry, sorted.
  std::vector<std::string> topics() const;

 private:
  void prune(const std::string& topic);

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::vector<caf::actor_addr>> subscribers_;
};

}  // namespace troupe
