#include "actors/risk/risk_actor.hpp"

#include "actors/common/order_journal.hpp"
#include "actors/oms/oms_actor.hpp"
#include "actors/risk/risk_engine.hpp"
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

#include <memory>

namespace troupe {
namespace {

struct RiskState {
  const NodeContext* context = nullptr;
  RiskDependencies deps;
  std::unique_ptr<RiskEngine> engine;
  std::string topic;
  Gauge* trading_state = nullptr;
  static inline const char* name = "risk";

  void count_denial(const OrderDenied& denied) {
    context->metrics
        .counter("troupe_orders_denied_total", "Orders refused by the risk guard",
                 {{"account", deps.config.account.value}, {"reason", to_string(denied.reason)}})
        .inc();
  }
  void set_state(TradingState state) {
    engine->set_trading_state(state);
    trading_state->set(static_cast<double>(state));
    spdlog::warn("risk {}: trading state {}", deps.config.account.value, to_string(state));
  }
};

using RiskPointer = RiskActor::stateful_pointer<RiskState>;

caf::result<SubmitOrderResponse> on_submit(RiskPointer self, SubmitOrder& order) {
  auto& st = self->state;
  auto decision = st.engine->check(order);
  if (!decision) {
    const auto& denied = decision.error();
    st.count_denial(denied);
    spdlog::info("risk {}: denied {} {} {}: {}", st.deps.config.account.value,
                 to_string(order.side), order.quantity.to_string(), order.instrument.symbol,
                 denied.message);
    st.context->bus.publish(st.topic, denied);
    return SubmitOrderResponse{false, {}, denied};
  }
  auto oms = caf::actor_cast<OmsActor>(st.context->directory.get(st.deps.oms_name));
  if (!oms) return caf::make_error(caf::sec::invalid_argument, "order manager unavailable");
  return self->delegate(oms, std::move(order));
}

RiskActor::behavior_type risk_behavior(RiskPointer self, const NodeContext* context,
                                       RiskDependencies deps) {
  auto& st = self->state;
  st.context = context;
  st.deps = std::move(deps);
  st.engine = std::make_unique<RiskEngine>(st.deps.config, st.deps.instruments, context->clock);
  st.topic = topics::order_events(st.deps.config.account);
  st.trading_state = &context->metrics.gauge("troupe_trading_state",
                                             "Risk guard state: 0 active, 1 reducing, 2 halted",
                                             {{"account", st.deps.config.account.value}});
  st.trading_state->set(static_cast<double>(st.engine->trading_state()));
  auto me = caf::actor_cast<caf::actor>(self);
  context->bus.subscribe(st.topic, me);
  for (const auto& instrument : st.deps.instruments)
    context->bus.subscribe(topics::book(instrument.id), me);
  self->attach_functor([context, addr = self->address()] { context->bus.unsubscribe_all(addr); });
  replay_order_journal(
      self, st.deps.journal, st.deps.config.account,
      [self](persistence::JournalEvent& event) {
        std::visit(
            [self](const auto& e) {
              using T = std::decay_t<decltype(e)>;
              if constexpr (!std::is_same_v<T, OrderAccepted> && !std::is_same_v<T, CancelOrder>)
                self->state.engine->apply(e);
            },
            event);
      },
      [](std::size_t) {});
  return {
      [self](SubmitOrder& order) { return on_submit(self, order); },
      [self](const CancelOrder& cancel) {
        if (auto oms = self->state.context->directory.get(self->state.deps.oms_name))
          caf::anon_send(oms, cancel);
      },
      [self](const BookSnapshot& top) { self->state.engine->on_book(top); },
      [self](const OrderSubmitted& e) { self->state.engine->apply(e); },
      [](const OrderAccepted&) {},
      [self](const OrderFilled& e) { self->state.engine->apply(e); },
      [self](const OrderCanceled& e) { self->state.engine->apply(e); },
      [self](const OrderRejected& e) { self->state.engine->apply(e); },
      [self](const OrderDenied& e) { self->state.engine->apply(e); },
      [self](halt_atom) {
        self->state.set_state(TradingState::Halted);
        return TradingState::Halted;
      },
      [self](resume_atom) {
        self->state.set_state(TradingState::Active);
        return TradingState::Active;
      },
      [self](status_atom) { return self->state.engine->trading_state(); },
  };
}

}  // namespace

RiskActor spawn_risk_actor(const NodeContext& context, RiskDependencies dependencies) {
  return context.system.spawn(risk_behavior, &context, std::move(dependencies));
}

}  // namespace troupe
