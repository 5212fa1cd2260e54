#pragma once
// The venue market-data session actor (T0): owns one MarketDataPort (created fresh by the
// factory on every start, so a restart reconnects and resyncs every book). The port decodes
// frames on its own I/O thread; this actor's listener publishes what it reports on the topic
// bus (topics::market_data / topics::trades), counts it in metrics and logs problems with the
// venue and reason. Killing this actor stops the port; its supervisor starts a new one.

#include "actors/venue/venue_ports.hpp"
#include "messages/events.hpp"
#include "runtime/atoms.hpp"
#include "runtime/node_context.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace troupe {

using MarketDataActor =
    caf::typed_actor<caf::reacts_to<SessionStateChanged>,  ///< from the port's listener
                     caf::replies_to<status_atom>::with<std::string>>;  ///< "connecting",
                                                                        ///< "syncing", "live", ...

/// Spawns the session for `venue`; `make_port` is called once per incarnation.
MarketDataActor spawn_market_data_actor(const NodeContext& context, VenueId venue,
                                        MarketDataPortFactory make_port);

}  // namespace troupe
