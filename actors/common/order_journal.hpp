#pragma once
// Recovery of T1 actors from the account's journaled order events. The order manager journals
// every order event of an account under one entity; the OMS, risk guard, portfolio and
// strategies all rebuild their state at start by replaying that stream (architecture §5).

#include "messages/ids.hpp"
#include "runtime/persistence/event_codec.hpp"
#include "runtime/persistence/journal_actor.hpp"

#include <caf/error.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace troupe {

/// Journal entity holding an account's order events ("oms/<account>").
inline std::string order_journal_entity(const AccountId& account) { return "oms/" + account.value; }

/// How long a recovering actor waits for the journal before giving up (and failing, so that
/// its supervisor retries).
inline constexpr std::chrono::seconds kJournalTimeout{10};

/// Reads the account's journaled order events and calls `on_event(const JournalEvent&)` for
/// each in order, before `self` handles any other message (request(...).await). An
/// undecodable record stops the replay and fails the actor (its supervisor retries, then
/// escalates): acting on a partial order history could double-send or mis-state positions.
/// `done()` runs after the last event.
template <class Self, class OnEvent, class Done>
void replay_order_journal(Self* self, const persistence::journal_actor& journal,
                          const AccountId& account, OnEvent on_event, Done done) {
  auto entity = order_journal_entity(account);
  self->request(journal, kJournalTimeout, persistence::read_atom_v, entity, std::uint64_t{0})
      .await(
          [entity, on_event,
           done](std::vector<std::pair<std::uint64_t, std::string>>& events) mutable {
            for (auto& [seq, bytes] : events) {
              auto decoded = persistence::decode(bytes);
              if (!decoded) {
                spdlog::error("journal {} seq {}: cannot decode event: {}", entity, seq,
                              decoded.error().message);
                continue;
              }
              on_event(*decoded);
            }
            done(events.size());
          },
          [self, entity](caf::error& err) {
            spdlog::error("journal {}: replay failed: {}", entity, caf::to_string(err));
            self->quit(err);
          });
}

}  // namespace troupe
