#include "actors/strategy/strategy_actor.hpp"

#include "actors/common/order_journal.hpp"
#include "actors/risk/risk_actor.hpp"
#include "actors/strategy/strategy_engine.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>

namespace troupe {
namespace {

constexpr std::chrono::milliseconds kTick{100};

struct StrategyState {
  const NodeContext* context = nullptr;
  StrategyDependencies deps;
  std::unique_ptr<StrategyEngine> engine;
  bool replaying = false;
  Counter* commands = nullptr;
  static inline const char* name = "strategy";
};

using StrategyPointer = StrategyActor::stateful_pointer<StrategyState>;

void send_commands(StrategyPointer self, std::vector<StrategyCommand> commands) {
  auto& st = self->state;
  if (st.replaying || commands.empty()) return;
  auto risk = caf::actor_cast<RiskActor>(st.context->directory.get(st.deps.risk_name));
  for (auto& command : commands) {
    st.commands->inc();
    if (!risk) {
      spdlog::warn("strategy {}: risk guard {} unavailable, command dropped",
                   st.deps.config.id.value, st.deps.risk_name);
      continue;
    }
    // Replies (SubmitOrderResponse) come back to this actor as ordinary messages; the order's
    // fate is followed through the order events anyway.
    std::visit([&](auto& c) { self->send(risk, std::move(c)); }, command);
  }
}

template <class Event>
void on_event(StrategyPointer self, const Event& event) {
  send_commands(self, self->state.engine->on_event(event));
}

StrategyActor::behavior_type strategy_behavior(StrategyPointer self, const NodeContext* context,
                                               StrategyDependencies deps) {
  auto& st = self->state;
  st.context = context;
  st.deps = std::move(deps);
  st.engine = std::make_unique<StrategyEngine>(st.deps.config, context->clock);
  st.commands = &context->metrics.counter("troupe_strategy_commands_total",
                                          "Orders and cancels sent by strategies",
                                          {{"strategy", st.deps.config.id.value}});
  // Errors answering our SubmitOrder (e.g. the order manager restarting) must not kill us.
  self->set_error_handler([self](caf::error& err) {
    spdlog::warn("strategy {}: order request failed: {}", self->state.deps.config.id.value,
                 caf::to_string(err));
  });
  auto me = caf::actor_cast<caf::actor>(self);
  context->bus.subscribe(topics::book(st.deps.config.instrument.id), me);
  context->bus.subscribe(topics::order_events(st.deps.config.account), me);
  self->attach_functor([context, addr = self->address()] { context->bus.unsubscribe_all(addr); });
  st.replaying = true;
  replay_order_journal(
      self, st.deps.journal, st.deps.config.account,
      [self](persistence::JournalEvent& event) {
        std::visit(
            [self](const auto& e) {
              if constexpr (!std::is_same_v<std::decay_t<decltype(e)>, CancelOrder>)
                self->state.engine->on_event(e);
            },
            event);
      },
      [self](std::size_t) {
        auto& st = self->state;
        st.replaying = false;
        spdlog::info("strategy {}: started, position {}", st.deps.config.id.value,
                     st.engine->position().to_string());
      });
  self->delayed_send(self, kTick, tick_atom_v);
  return {
      [self](const BookSnapshot& top) { send_commands(self, self->state.engine->on_book(top)); },
      [self](const OrderSubmitted& e) { on_event(self, e); },
      [self](const OrderAccepted& e) { on_event(self, e); },
      [self](const OrderFilled& e) { on_event(self, e); },
      [self](const OrderCanceled& e) { on_event(self, e); },
      [self](const OrderRejected& e) { on_event(self, e); },
      [self](const OrderDenied& e) { on_event(self, e); },
      [](const SubmitOrderResponse&) {},
      [self](tick_atom) {
        auto& st = self->state;
        send_commands(self, st.engine->on_timer(st.context->clock.now_ns()));
        self->delayed_send(self, kTick, tick_atom_v);
      },
  };
}

}  // namespace

StrategyActor spawn_strategy_actor(const NodeContext& context, StrategyDependencies dependencies) {
  return context.system.spawn(strategy_behavior, &context, std::move(dependencies));
}

}  // namespace troupe
