#include "actors/portfolio/portfolio_actor.hpp"

#include "actors/common/order_journal.hpp"
#include "actors/portfolio/portfolio_engine.hpp"
#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <unordered_set>

namespace troupe {
namespace {

struct PortfolioState {
  const NodeContext* context = nullptr;
  PortfolioDependencies deps;
  std::unique_ptr<PortfolioEngine> engine;
  // A fill can reach us twice when it is journaled while the replay runs at start.
  std::unordered_set<std::string> applied_fills;
  Gauge* realized = nullptr;
  Gauge* unrealized = nullptr;
  static inline const char* name = "portfolio";

  void apply(const OrderFilled& fill) {
    if (!applied_fills.insert(fill.client_order_id.value + '\n' + fill.trade_id.value).second)
      return;
    auto position = engine->apply(fill);
    if (!position) {
      spdlog::error("portfolio {}: fill {} of {} not applied: {}", deps.config.account.value,
                    fill.trade_id.value, fill.client_order_id.value, position.error());
      return;
    }
    context->metrics
        .gauge("troupe_position_quantity", "Signed position by instrument",
               {{"account", deps.config.account.value},
                {"venue", fill.instrument.venue.value},
                {"symbol", fill.instrument.symbol}})
        .set(position->quantity.as_double());
    update_pnl();
  }
  void update_pnl() {
    auto snapshot = engine->snapshot(context->clock.now_ns());
    realized->set(snapshot.realized_pnl.as_double());
    unrealized->set(snapshot.unrealized_pnl.as_double());
  }
};

using PortfolioPointer = PortfolioActor::stateful_pointer<PortfolioState>;

PortfolioActor::behavior_type portfolio_behavior(PortfolioPointer self, const NodeContext* context,
                                                 PortfolioDependencies deps) {
  auto& st = self->state;
  st.context = context;
  st.deps = std::move(deps);
  st.engine = std::make_unique<PortfolioEngine>(st.deps.config, st.deps.instruments);
  Labels labels{{"account", st.deps.config.account.value}};
  st.realized = &context->metrics.gauge("troupe_pnl_realized", "Realized P&L (quote)", labels);
  st.unrealized =
      &context->metrics.gauge("troupe_pnl_unrealized", "Unrealized P&L (quote)", labels);
  auto me = caf::actor_cast<caf::actor>(self);
  context->bus.subscribe(topics::order_events(st.deps.config.account), me);
  for (const auto& instrument : st.deps.instruments)
    context->bus.subscribe(topics::book(instrument.id), me);
  self->attach_functor([context, addr = self->address()] { context->bus.unsubscribe_all(addr); });
  self->set_default_handler(caf::drop);  // other order events on the same topic
  replay_order_journal(
      self, st.deps.journal, st.deps.config.account,
      [self](persistence::JournalEvent& event) {
        if (auto* fill = std::get_if<OrderFilled>(&event)) self->state.apply(*fill);
      },
      [self](std::size_t) {
        spdlog::info("portfolio {}: restored {} fills", self->state.deps.config.account.value,
                     self->state.engine->fill_count());
      });
  return {
      [self](const BookSnapshot& top) {
        if (top.bids.empty() || top.asks.empty()) return;
        auto mid =
            Price::from_raw((top.bids.front().price.raw() + top.asks.front().price.raw()) / 2,
                            top.bids.front().price.precision());
        if (self->state.engine->mark(top.instrument, mid)) self->state.update_pnl();
      },
      [self](const OrderFilled& fill) { self->state.apply(fill); },
      [self](portfolio_atom) {
        return self->state.engine->snapshot(self->state.context->clock.now_ns());
      },
  };
}

}  // namespace

PortfolioActor spawn_portfolio_actor(const NodeContext& context,
                                     PortfolioDependencies dependencies) {
  return context.system.spawn(portfolio_behavior, &context, std::move(dependencies));
}

}  // namespace troupe
