#pragma once
// The symbol book actor: one per venue × instrument (T0: rebuilt from the venue on restart).
// Subscribes to topics::market_data(instrument) (fed by the venue's market-data session),
// applies snapshots and deltas through BookEngine, and publishes its top-N BookSnapshot on
// topics::book(instrument) after every applied change.

#include "actors/book/book_config.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>

namespace troupe {

using BookActor =
    caf::typed_actor<caf::reacts_to<BookSnapshot>,  ///< venue snapshot: replaces the book
                     caf::reacts_to<BookDeltas>,    ///< level changes continuing the last sequence
                     caf::reacts_to<BookResyncStarted>,  ///< the venue session lost sync: invalid
                                                         ///< until snapshot
                     /// (in sync, top `depth` levels per side); no levels while the book is not in sync.
    caf::replies_to<snapshot_atom, std::uint32_t>::with<bool, BookSnapshot>>;

/// Spawns a book for `config.instrument`; `context` must outlive the actor.
BookActor spawn_book_actor(const NodeContext& context, BookConfig config);

}  // namespace troupe
