#pragma once
// CAF type registration of every message type (architecture §4: messages are registered in
// runtime/ only). CAF 0.17 uses the type-ID block only as names for add_message_type; 0.18+
// requires it, so the block is declared here once, ready for the upgrade.

#include "messages/commands.hpp"
#include "messages/consolidated.hpp"
#include "messages/data.hpp"
#include "messages/enums.hpp"
#include "messages/events.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"
#include "messages/instrument.hpp"
#include "messages/queries.hpp"
#include "runtime/supervisor.hpp"

#include <caf/fwd.hpp>
#include <caf/type_id.hpp>

#include <string>
#include <vector>

CAF_BEGIN_TYPE_ID_BLOCK(troupe, caf::first_custom_type_id)

// Identifiers and values.
CAF_ADD_TYPE_ID(troupe, (troupe::VenueId))
CAF_ADD_TYPE_ID(troupe, (troupe::AccountId))
CAF_ADD_TYPE_ID(troupe, (troupe::StrategyId))
CAF_ADD_TYPE_ID(troupe, (troupe::ClientOrderId))
CAF_ADD_TYPE_ID(troupe, (troupe::VenueOrderId))
CAF_ADD_TYPE_ID(troupe, (troupe::TradeId))
CAF_ADD_TYPE_ID(troupe, (troupe::InstrumentId))
CAF_ADD_TYPE_ID(troupe, (troupe::Price))
CAF_ADD_TYPE_ID(troupe, (troupe::Quantity))
CAF_ADD_TYPE_ID(troupe, (troupe::Money))
CAF_ADD_TYPE_ID(troupe, (troupe::Instrument))

// Enums (CAF 0.17 serializes them as their underlying type).
CAF_ADD_TYPE_ID(troupe, (troupe::Side))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderType))
CAF_ADD_TYPE_ID(troupe, (troupe::TimeInForce))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderStatus))
CAF_ADD_TYPE_ID(troupe, (troupe::LiquiditySide))
CAF_ADD_TYPE_ID(troupe, (troupe::DenyReason))
CAF_ADD_TYPE_ID(troupe, (troupe::TradingState))
CAF_ADD_TYPE_ID(troupe, (troupe::ResyncReason))
CAF_ADD_TYPE_ID(troupe, (troupe::SessionState))

// Market data.
CAF_ADD_TYPE_ID(troupe, (troupe::QuoteTick))
CAF_ADD_TYPE_ID(troupe, (troupe::TradeTick))
CAF_ADD_TYPE_ID(troupe, (troupe::BookDelta))
CAF_ADD_TYPE_ID(troupe, (troupe::BookDeltas))
CAF_ADD_TYPE_ID(troupe, (troupe::BookLevel))
CAF_ADD_TYPE_ID(troupe, (troupe::BookSnapshot))

// Commands and events.
CAF_ADD_TYPE_ID(troupe, (troupe::SubmitOrder))
CAF_ADD_TYPE_ID(troupe, (troupe::CancelOrder))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderSubmitted))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderAccepted))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderRejected))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderDenied))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderFilled))
CAF_ADD_TYPE_ID(troupe, (troupe::OrderCanceled))
CAF_ADD_TYPE_ID(troupe, (troupe::BookResyncStarted))
CAF_ADD_TYPE_ID(troupe, (troupe::SessionStateChanged))

// Query replies.
CAF_ADD_TYPE_ID(troupe, (troupe::OrderRecord))
CAF_ADD_TYPE_ID(troupe, (troupe::PositionRecord))
CAF_ADD_TYPE_ID(troupe, (troupe::CashBalance))
CAF_ADD_TYPE_ID(troupe, (troupe::PortfolioSnapshot))
CAF_ADD_TYPE_ID(troupe, (troupe::SubmitOrderResponse))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::OrderRecord>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::Instrument>))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::PositionRecord>))

// Runtime replies.
CAF_ADD_TYPE_ID(troupe, (troupe::ChildStatus))
CAF_ADD_TYPE_ID(troupe, (std::vector<troupe::ChildStatus>))
CAF_ADD_TYPE_ID(troupe, (std::vector<std::string>))

// Added after the first release of the block (appended to keep existing ids stable).
CAF_ADD_TYPE_ID(troupe, (troupe::Bar))
CAF_ADD_TYPE_ID(troupe, (troupe::VenueTop))
CAF_ADD_TYPE_ID(troupe, (troupe::ConsolidatedBook))

CAF_END_TYPE_ID_BLOCK(troupe)

namespace troupe {

/// Registers every type of the block above (and the supervisor's error category) with `cfg`.
/// Call it in every node's actor_system_config before the system starts: nodes exchanging a
/// type must register it under the same name.
void register_message_types(caf::actor_system_config& cfg);

}  // namespace troupe
