#pragma once
// The venue order session actor (one per account): owns one OrderPort (fresh on every start),
// sends the order manager's SubmitOrder / CancelOrder to the venue and forwards the venue's
// reports (OrderAccepted, OrderFilled, OrderCanceled, OrderRejected) to the account's order
// manager, looked up by name in the actor directory at send time.

#include "actors/venue/venue_ports.hpp"
#include "messages/commands.hpp"
#include "messages/events.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace troupe {

using OrderSessionActor =
    caf::typed_actor<caf::reacts_to<SubmitOrder>,  ///< journaled by the OMS; send to the venue
                     caf::reacts_to<CancelOrder>,  ///< send a cancel to the venue
                     caf::reacts_to<SessionStateChanged>,  ///< from the port's listener
                     caf::replies_to<status_atom>::with<std::string>>;

/// Spawns the session of `account`; venue reports go to the directory entry `oms_name`.
OrderSessionActor spawn_order_session_actor(const NodeContext& context, VenueId venue,
                                            std::string oms_name, OrderPortFactory make_port);

}  // namespace troupe
