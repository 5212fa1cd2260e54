#pragma once
// Atoms of the journal actor's interface (journal_actor.hpp). CAF 0.17 atoms: at most 10
// characters of text; `_v` constants as in CAF 0.17.5+ for an easy move to 0.18.

#include <caf/atom.hpp>

namespace troupe::persistence {

/// Append one event to an entity's log.
using append_atom = caf::atom_constant<caf::atom("j_append")>;
constexpr append_atom append_atom_v{};

/// Read an entity's events.
using read_atom = caf::atom_constant<caf::atom("j_read")>;
constexpr read_atom read_atom_v{};

/// Bump an entity's epoch.
using epoch_atom = caf::atom_constant<caf::atom("j_epoch")>;
constexpr epoch_atom epoch_atom_v{};

/// Store or fetch an entity's snapshot (with caf::put_atom / caf::get_atom).
using snapshot_atom = caf::atom_constant<caf::atom("j_snapshot")>;
constexpr snapshot_atom snapshot_atom_v{};

/// Store, erase or list pending venue side effects (with caf::put_atom / caf::delete_atom /
/// caf::get_atom).
using outbox_atom = caf::atom_constant<caf::atom("j_outbox")>;
constexpr outbox_atom outbox_atom_v{};

/// Commit the appends collected so far (the actor sends it to itself for group commit).
using commit_atom = caf::atom_constant<caf::atom("j_commit")>;
constexpr commit_atom commit_atom_v{};

/// Ask for the journal actor's counters.
using status_atom = caf::atom_constant<caf::atom("j_status")>;
constexpr status_atom status_atom_v{};

}  // namespace troupe::persistence
