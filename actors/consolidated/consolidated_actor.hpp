#pragma once
// The consolidated per-asset actor (T0, rebuilt from the books on restart): subscribes to the
// published tops (topics::book) and validity notices (topics::book_status) of every member
// instrument, keeps a ConsolidatedEngine and publishes the view on topics::consolidated(asset)
// after each change. The API and the arbitrage scanner read it.

#include "actors/consolidated/consolidated_engine.hpp"
#include "messages/consolidated.hpp"
#include "messages/events.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace troupe {

using ConsolidatedActor =
    caf::typed_actor<caf::reacts_to<BookSnapshot>,       ///< a member book's top
                     caf::reacts_to<BookResyncStarted>,  ///< a member book lost sync
                     caf::replies_to<snapshot_atom>::with<ConsolidatedBook>>;  ///< current view

/// Spawns the view of `config.asset`; `context` must outlive the actor.
ConsolidatedActor spawn_consolidated_actor(const NodeContext& context, ConsolidatedConfig config);

}  // namespace troupe
