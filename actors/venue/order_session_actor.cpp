#include "actors/venue/order_session_actor.hpp"

#include "runtime/actor_directory.hpp"
#include "runtime/metrics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <memory>

namespace troupe {
namespace {

// Runs on the port's I/O thread (or inline in backtests): forwards reports to the OMS.
class ForwardingListener final : public OrderListener {
 public:
  ForwardingListener(const NodeContext& context, VenueId venue, std::string oms_name,
                     caf::actor session)
      : context_(context),
        venue_(std::move(venue)),
        oms_name_(std::move(oms_name)),
        session_(std::move(session)) {
    frame_errors_ = &context_.metrics.counter("troupe_order_session_errors_total",
                                              "Order responses or reports that could not be used",
                                              {{"venue", venue_.value}});
    state_ = &context_.metrics.gauge("troupe_venue_session_state",
                                     "0 connecting, 1 syncing, 2 live, 3 disconnected",
                                     {{"venue", venue_.value}, {"session", "orders"}});
  }

  void on_accepted(OrderAccepted event) override { forward(std::move(event)); }
  void on_rejected(OrderRejected event) override { forward(std::move(event)); }
  void on_filled(OrderFilled event) override { forward(std::move(event)); }
  void on_canceled(OrderCanceled event) override { forward(std::move(event)); }
  void on_state(SessionState state, std::string detail) override {
    state_->set(static_cast<double>(state));
    spdlog::info("venue {} orders: {} ({})", venue_.value, to_string(state), detail);
    caf::anon_send(session_, SessionStateChanged{venue_, "orders", state, std::move(detail),
                                                 context_.clock.now_ns()});
  }
  void on_frame_error(std::string reason) override {
    frame_errors_->inc();
    spdlog::warn("venue {} orders: {}", venue_.value, reason);
  }

 private:
  template <class Event>
  void forward(Event event) {
    auto oms = context_.directory.get(oms_name_);
    if (!oms) {
      spdlog::error("venue {} orders: {} for {} dropped: {} is not running", venue_.value,
                    typeid(Event).name(), event.client_order_id.value, oms_name_);
      return;
    }
    caf::anon_send(oms, std::move(event));
  }

  const NodeContext& context_;
  VenueId venue_;
  std::string oms_name_;
  caf::actor session_;
  Counter* frame_errors_;
  Gauge* state_;
};

struct OrderSessionState {
  std::unique_ptr<ForwardingListener> listener;
  std::unique_ptr<OrderPort> port;
  SessionState state = SessionState::Connecting;
  static inline const char* name = "order_session";

  OrderSessionState() = default;
  OrderSessionState(const OrderSessionState&) = delete;
  OrderSessionState& operator=(const OrderSessionState&) = delete;
  ~OrderSessionState() {
    if (port) port->stop();
  }
};

OrderSessionActor::behavior_type order_session_behavior(
    OrderSessionActor::stateful_pointer<OrderSessionState> self, const NodeContext* context,
    VenueId venue, std::string oms_name, OrderPortFactory make_port) {
  auto& st = self->state;
  st.listener = std::make_unique<ForwardingListener>(*context, venue, std::move(oms_name),
                                                     caf::actor_cast<caf::actor>(self));
  st.port = make_port();
  st.port->start(*st.listener);
  return {
      [self](const SubmitOrder& order) { self->state.port->submit(order); },
      [self](const CancelOrder& cancel) { self->state.port->cancel(cancel); },
      [self](const SessionStateChanged& changed) { self->state.state = changed.state; },
      [self](status_atom) { return to_string(self->state.state); },
  };
}

}  // namespace

OrderSessionActor spawn_order_session_actor(const NodeContext& context, VenueId venue,
                                            std::string oms_name, OrderPortFactory make_port) {
  return context.system.spawn(order_session_behavior, &context, std::move(venue),
                              std::move(oms_name), std::move(make_port));
}

}  // namespace troupe
