#include "actors/oms/oms_actor.hpp"

#include "actors/common/order_journal.hpp"
#include "actors/oms/oms_engine.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

namespace troupe {
namespace {

struct OmsState {
  const NodeContext* context = nullptr;
  OmsDependencies deps;
  std::unique_ptr<OrderManagerEngine> engine;
  std::string entity;
  std::string topic;
  Counter* submitted = nullptr;
  Counter* accepted = nullptr;
  Counter* fills = nullptr;
  Counter* canceled = nullptr;
  Counter* rejected = nullptr;
  Counter* journal_failures = nullptr;
  static inline const char* name = "oms";

  Counter& ignored(OmsIgnoreKind kind) {
    static constexpr const char* kinds[] = {"unknown_order", "duplicate", "after_terminal",
                                            "inconsistent"};
    return context->metrics.counter(
        "troupe_oms_reports_ignored_total", "Venue reports the order manager did not apply",
        {{"account", deps.config.account.value}, {"kind", kinds[static_cast<int>(kind)]}});
  }
  caf::actor order_session() const { return context->directory.get(deps.order_session_name); }
};

using OmsPointer = OmsActor::stateful_pointer<OmsState>;

std::optional<OmsJournalEvent> to_oms_event(persistence::JournalEvent& event) {
  return std::visit(
      [](auto& e) -> std::optional<OmsJournalEvent> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, OrderDenied>)
          return std::nullopt;  // risk denials are not order state
        else
          return OmsJournalEvent{std::move(e)};
      },
      event);
}

std::string describe(const OrderSubmitted& e) {
  const auto& o = e.order;
  return "submitted " + o.client_order_id.value + " " + to_string(o.side) + " " +
         o.quantity.to_string() + " " + o.instrument.symbol + " " + to_string(o.type) +
         (o.type == OrderType::Market ? std::string{} : " @ " + o.price.to_string());
}
std::string describe(const OrderAccepted& e) {
  return "accepted " + e.client_order_id.value + " (venue id " + e.venue_order_id.value + ")";
}
std::string describe(const OrderFilled& e) {
  return "filled " + e.client_order_id.value + " " + to_string(e.side) + " " +
         e.last_quantity.to_string() + " @ " + e.last_price.to_string() + " (cum " +
         e.cum_quantity.to_string() + ", leaves " + e.leaves_quantity.to_string() + ")";
}
std::string describe(const OrderCanceled& e) {
  return "canceled " + e.client_order_id.value + " (" + e.reason + ")";
}
std::string describe(const OrderRejected& e) {
  return "rejected " + e.client_order_id.value + ": " + e.reason;
}

// Journals `event`, then runs `then()`; on failure logs and runs `failed(error)`.
template <class Event, class Then, class Failed>
void journal(OmsPointer self, const Event& event, Then then, Failed failed) {
  auto& st = self->state;
  self->request(st.deps.journal, kJournalTimeout, persistence::append_atom_v, st.entity,
                persistence::encode(persistence::JournalEvent{event}))
      .then([then](std::uint64_t) mutable { then(); },
            [self, failed](caf::error& err) mutable {
              self->state.journal_failures->inc();
              spdlog::error("oms {}: journal append failed: {}", self->state.entity,
                            caf::to_string(err));
              failed(err);
            });
}

// A venue report the engine accepted: journal it, then publish it.
template <class Event>
void record_report(OmsPointer self, const Event& event, Counter* counter) {
  journal(
      self, event,
      [self, event, counter] {
        counter->inc();
        spdlog::info("oms {}: {}", self->state.entity, describe(event));
        self->state.context->bus.publish(self->state.topic, event);
      },
      [](const caf::error&) {});
}

template <class Event>
void on_report(OmsPointer self, const Event& report, Counter* counter) {
  auto& st = self->state;
  auto applied = st.engine->apply(report);
  if (!applied) {
    st.ignored(applied.error().kind).inc();
    auto level = applied.error().kind == OmsIgnoreKind::Inconsistent ? spdlog::level::warn
                                                                     : spdlog::level::debug;
    spdlog::log(level, "oms {}: ignored report for {}: {}", st.entity, report.client_order_id.value,
                applied.error().reason);
    return;
  }
  record_report(self, *applied, counter);
}

caf::result<SubmitOrderResponse> on_submit(OmsPointer self, SubmitOrder& command) {
  auto& st = self->state;
  auto submitted = st.engine->submit(std::move(command));
  if (!submitted) {
    st.context->bus.publish(st.topic, submitted.error());
    return SubmitOrderResponse{false, {}, submitted.error()};
  }
  auto promise = self->make_response_promise<SubmitOrderResponse>();
  const OrderSubmitted event = *submitted;
  journal(
      self, event,
      [self, event, promise]() mutable {
        auto& st = self->state;
        st.submitted->inc();
        spdlog::info("oms {}: {}", st.entity, describe(event));
        st.context->bus.publish(st.topic, event);
        const auto& id = event.order.client_order_id;
        if (auto session = st.order_session()) {
          caf::anon_send(session, event.order);
        } else {
          // Never leave an order that no venue will ever see looking alive.
          OrderRejected rejected{event.order.account,        id,
                                 event.order.instrument,     "venue order session unavailable",
                                 st.context->clock.now_ns(), st.context->clock.now_ns()};
          on_report(self, rejected, st.rejected);
        }
        promise.deliver(SubmitOrderResponse{true, *st.engine->find(id), {}});
      },
      [self, event, promise](const caf::error& err) mutable {
        auto& st = self->state;
        OrderRejected rejected{event.order.account,        event.order.client_order_id,
                               event.order.instrument,     "journal write failed",
                               st.context->clock.now_ns(), st.context->clock.now_ns()};
        (void)st.engine->apply(rejected);
        promise.deliver(err);
      });
  return promise;
}

void recover(OmsPointer self) {
  auto& st = self->state;
  self->request(st.deps.journal, kJournalTimeout, persistence::epoch_atom_v, st.entity)
      .await(
          [self](std::uint64_t epoch) {
            auto& st = self->state;
            st.engine =
                std::make_unique<OrderManagerEngine>(st.deps.config, epoch, st.context->clock);
            replay_order_journal(
                self, st.deps.journal, st.deps.config.account,
                [self](persistence::JournalEvent& event) {
                  if (auto e = to_oms_event(event)) self->state.engine->replay(*e);
                },
                [self, epoch](std::size_t count) {
                  auto& st = self->state;
                  spdlog::info("oms {}: epoch {}, replayed {} events, {} open orders", st.entity,
                               epoch, count, st.engine->open_orders().size());
                });
          },
          [self](caf::error& err) {
            spdlog::error("oms {}: cannot bump epoch: {}", self->state.entity, caf::to_string(err));
            self->quit(err);
          });
}

OmsActor::behavior_type oms_behavior(OmsPointer self, const NodeContext* context,
                                     OmsDependencies deps) {
  auto& st = self->state;
  st.context = context;
  st.deps = std::move(deps);
  st.entity = order_journal_entity(st.deps.config.account);
  st.topic = topics::order_events(st.deps.config.account);
  Labels labels{{"account", st.deps.config.account.value}};
  auto& m = context->metrics;
  st.submitted = &m.counter("troupe_orders_submitted_total", "Orders journaled and sent", labels);
  st.accepted = &m.counter("troupe_orders_accepted_total", "Orders the venue accepted", labels);
  st.fills = &m.counter("troupe_fills_total", "Executions applied to orders", labels);
  st.canceled = &m.counter("troupe_orders_canceled_total", "Orders canceled or expired", labels);
  st.rejected = &m.counter("troupe_orders_rejected_total", "Orders the venue rejected", labels);
  st.journal_failures =
      &m.counter("troupe_journal_failures_total", "Journal appends that failed", labels);
  recover(self);
  return {
      [self](SubmitOrder& command) { return on_submit(self, command); },
      [self](const CancelOrder& command) {
        auto& st = self->state;
        auto cancel = st.engine->request_cancel(command);
        if (!cancel) {
          spdlog::info("oms {}: cancel of {} refused: {}", st.entity, command.client_order_id.value,
                       cancel.error().reason);
          return;
        }
        // Journal the PendingCancel first so that a restart knows a cancel is in flight.
        const CancelOrder pending = *cancel;
        journal(
            self, pending,
            [self, pending] {
              if (auto session = self->state.order_session()) caf::anon_send(session, pending);
            },
            [](const caf::error&) {});
      },
      [self](const OrderAccepted& e) { on_report(self, e, self->state.accepted); },
      [self](const OrderFilled& e) { on_report(self, e, self->state.fills); },
      [self](const OrderCanceled& e) { on_report(self, e, self->state.canceled); },
      [self](const OrderRejected& e) { on_report(self, e, self->state.rejected); },
      [self](orders_atom) { return self->state.engine->orders(); },
  };
}

}  // namespace

OmsActor spawn_oms_actor(const NodeContext& context, OmsDependencies dependencies) {
  return context.system.spawn(oms_behavior, &context, std::move(dependencies));
}

}  // namespace troupe
