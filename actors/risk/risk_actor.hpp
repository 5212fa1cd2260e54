#pragma once
// The risk guard actor (one per account, T1): every SubmitOrder passes its in-memory pre-trade
// checks before any venue call. A refusal is published as OrderDenied on
// topics::order_events(account) and returned to the sender; an approval is delegated to the
// account's order manager, which replies to the original sender. Positions and open orders are
// rebuilt from the journal at start, then followed from the order events; marks come from the
// books' top-N snapshots.

#include "actors/risk/risk_config.hpp"
#include "messages/commands.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"
#include "messages/queries.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"
#include "runtime/persistence/journal_actor.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace troupe {

using RiskActor = caf::typed_actor<
    caf::replies_to<SubmitOrder>::with<SubmitOrderResponse>,  ///< check, then delegate to OMS
    caf::reacts_to<CancelOrder>,     ///< forwarded to the OMS (cancels are never denied)
    caf::reacts_to<BookSnapshot>,    ///< marks for market-order notional
    caf::reacts_to<OrderSubmitted>,  ///< order events of the account
    caf::reacts_to<OrderAccepted>, caf::reacts_to<OrderFilled>, caf::reacts_to<OrderCanceled>,
    caf::reacts_to<OrderRejected>, caf::reacts_to<OrderDenied>,
    caf::replies_to<halt_atom>::with<TradingState>,     ///< kill switch: stop new orders
    caf::replies_to<resume_atom>::with<TradingState>,   ///< back to active
    caf::replies_to<status_atom>::with<TradingState>>;  ///< current trading state

struct RiskDependencies {
  RiskConfig config;
  std::vector<Instrument> instruments;
  persistence::journal_actor journal;
  std::string oms_name;  ///< directory name of the account's order manager
};

RiskActor spawn_risk_actor(const NodeContext& context, RiskDependencies dependencies);

}  // namespace troupe
