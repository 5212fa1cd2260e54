#include "actors/consolidated/consolidated_actor.hpp"

#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace troupe {
namespace {

struct ConsolidatedState {
  std::unique_ptr<ConsolidatedEngine> engine;
  std::string topic;
  static inline const char* name = "consolidated";
};

ConsolidatedActor::behavior_type consolidated_behavior(
    ConsolidatedActor::stateful_pointer<ConsolidatedState> self, const NodeContext* context,
    ConsolidatedConfig config) {
  auto& st = self->state;
  st.topic = topics::consolidated(config.asset);
  const auto me = caf::actor_cast<caf::actor>(self);
  for (const auto& m : config.members) {
    context->bus.subscribe(topics::book(m.id), me);
    context->bus.subscribe(topics::book_status(m.id), me);
  }
  self->attach_functor([context, addr = self->address()] { context->bus.unsubscribe_all(addr); });
  st.engine = std::make_unique<ConsolidatedEngine>(std::move(config));
  auto publish = [self, context] {
    context->bus.publish(self->state.topic, self->state.engine->view());
  };
  return {
      [self, context, publish](const BookSnapshot& top) {
        if (self->state.engine->on_top(top, context->clock.now_ns())) publish();
      },
      [self, context, publish](const BookResyncStarted& resync) {
        if (self->state.engine->on_resync(resync.instrument, context->clock.now_ns())) publish();
      },
      [self](snapshot_atom) { return self->state.engine->view(); },
  };
}

}  // namespace

ConsolidatedActor spawn_consolidated_actor(const NodeContext& context, ConsolidatedConfig config) {
  return context.system.spawn(consolidated_behavior, &context, std::move(config));
}

}  // namespace troupe
