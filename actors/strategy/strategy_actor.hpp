#pragma once
// A strategy actor (T1): runs one StrategyEngine. Consumes its instrument's top-N book
// (topics::book) and its account's order events (topics::order_events), ticks every 100 ms for
// order time-outs, and sends the engine's SubmitOrder / CancelOrder to the account's risk
// guard. Its position is rebuilt from the journal at start.

#include "actors/strategy/strategy_config.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "messages/queries.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"
#include "runtime/persistence/journal_actor.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace troupe {

using StrategyActor = caf::typed_actor<
    caf::reacts_to<BookSnapshot>, caf::reacts_to<OrderSubmitted>, caf::reacts_to<OrderAccepted>,
    caf::reacts_to<OrderFilled>, caf::reacts_to<OrderCanceled>, caf::reacts_to<OrderRejected>,
    caf::reacts_to<OrderDenied>,
    caf::reacts_to<SubmitOrderResponse>,  ///< the risk guard's answer to our SubmitOrder
    caf::reacts_to<tick_atom>>;

struct StrategyDependencies {
  StrategyConfig config;
  persistence::journal_actor journal;
  std::string risk_name;  ///< directory name of the account's risk guard
};

StrategyActor spawn_strategy_actor(const NodeContext& context, StrategyDependencies dependencies);

}  // namespace troupe
