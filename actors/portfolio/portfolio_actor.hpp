#pragma once
// The portfolio actor (one per account, T1): positions, average prices, realized and
// unrealized P&L, fees and cash from the account's fills (replayed from the journal at start,
// then followed on topics::order_events), marked to the books' mid on topics::book. Exports
// position and P&L gauges to metrics.

#include "actors/portfolio/portfolio_config.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "messages/instrument.hpp"
#include "messages/queries.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"
#include "runtime/persistence/journal_actor.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <vector>

namespace troupe {

using PortfolioActor =
    caf::typed_actor<caf::reacts_to<BookSnapshot>,  ///< mark to mid
                     caf::reacts_to<OrderFilled>,   ///< apply a fill (once per trade id)
                     caf::replies_to<portfolio_atom>::with<PortfolioSnapshot>>;

struct PortfolioDependencies {
  PortfolioConfig config;
  std::vector<Instrument> instruments;
  persistence::journal_actor journal;
};

PortfolioActor spawn_portfolio_actor(const NodeContext& context,
                                     PortfolioDependencies dependencies);

}  // namespace troupe
