#pragma once
// The order manager actor (one per account, T1): runs OrderManagerEngine, journals every event
// through the journal actor and only then acknowledges the command, sends to the venue and
// publishes on topics::order_events(account). At start it bumps the account's epoch (client
// order ids are `account-epoch-seq`) and replays the journal, before handling anything else.

#include "actors/oms/oms_config.hpp"
#include "messages/commands.hpp"
#include "messages/events.hpp"
#include "messages/queries.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"
#include "runtime/persistence/journal_actor.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace troupe {

using OmsActor = caf::typed_actor<
    /// A risk-approved order: journaled, then sent; the reply carries the recorded order.
    caf::replies_to<SubmitOrder>::with<SubmitOrderResponse>,
    caf::reacts_to<CancelOrder>,    ///< cancel a working order
    caf::reacts_to<OrderAccepted>,  ///< venue reports, from the order session
    caf::reacts_to<OrderFilled>, caf::reacts_to<OrderCanceled>, caf::reacts_to<OrderRejected>,
    caf::replies_to<orders_atom>::with<std::vector<OrderRecord>>>;

/// What the order manager talks to besides the bus.
struct OmsDependencies {
  OmsConfig config;
  persistence::journal_actor journal;
  std::string order_session_name;  ///< directory name of the account's order session
};

OmsActor spawn_oms_actor(const NodeContext& context, OmsDependencies dependencies);

}  // namespace troupe
