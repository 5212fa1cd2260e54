#pragma once
// The journal actor: one per node, owns the node's Journal and group-commits appends from many
// entities into one synced RocksDB WriteBatch (architecture §5, docs/persistence.md).
//
// Every reply comes after the write it acknowledges is durable. Requests are served in mailbox
// order: a read, epoch, snapshot or outbox request first commits the appends queued before it.
// Failures reply with a caf::error of category "journal" (JournalErrc, the journal's text as
// context); the actor logs them and keeps running.

#include "runtime/persistence/journal.hpp"
#include "runtime/persistence/journal_atoms.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace troupe::persistence {

/// Counters of one journal actor since it started.
struct JournalStatus {
  std::uint64_t batches = 0;         ///< append WriteBatches committed (failed ones included)
  std::uint64_t appends = 0;         ///< appends acknowledged with a seq
  std::uint64_t failed_appends = 0;  ///< appends answered with an error
  std::uint64_t largest_batch = 0;   ///< most appends committed in one WriteBatch

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, JournalStatus& x) {
    return f(caf::meta::type_name("JournalStatus"), x.batches, x.appends, x.failed_appends,
             x.largest_batch);
  }
};

/// The journal actor's interface. Entities are keys like "oms/paper-binance"; bytes are opaque
/// (event_codec.hpp for order events).
using journal_actor = caf::typed_actor<
    // (entity, bytes) -> the event's per-entity seq, once its batch is synced.
    caf::replies_to<append_atom, std::string, std::string>::with<std::uint64_t>,
    // (entity, from_seq) -> (seq, bytes) of the events with seq >= from_seq, in seq order.
    caf::replies_to<read_atom, std::string,
                    std::uint64_t>::with<std::vector<std::pair<std::uint64_t, std::string>>>,
    // entity -> the entity's new epoch (bumped and synced; 1 on the first start).
    caf::replies_to<epoch_atom, std::string>::with<std::uint64_t>,
    // (entity, seq, bytes) -> stores a snapshot covering events up to seq (synced; the two
    // newest are kept).
    caf::replies_to<snapshot_atom, caf::put_atom, std::string, std::uint64_t,
                    std::string>::with<void>,
    // entity -> (seq, bytes) of the newest snapshot; (0, "") when there is none.
    caf::replies_to<snapshot_atom, caf::get_atom, std::string>::with<std::uint64_t, std::string>,
    // (client order id, bytes) -> stores a pending venue side effect (synced).
    caf::replies_to<outbox_atom, caf::put_atom, std::string, std::string>::with<void>,
    // client order id -> removes its pending side effect (synced).
    caf::replies_to<outbox_atom, caf::delete_atom, std::string>::with<void>,
    // -> (client order id, bytes) of every pending side effect, in key order.
    caf::replies_to<outbox_atom,
                    caf::get_atom>::with<std::vector<std::pair<std::string, std::string>>>,
    // -> the actor's counters.
    caf::replies_to<status_atom>::with<JournalStatus>,
    // Commits the appends collected so far (sent by the actor to itself).
    caf::reacts_to<commit_atom>>;

/// Error codes of the "journal" caf::error category (the caf::error's code() byte).
enum class JournalErrc : std::uint8_t {
  WriteFailed = 1,  ///< RocksDB refused a write; nothing of that request was stored
  ReadFailed,       ///< RocksDB refused a read
  CorruptData,      ///< stored bytes could not be decoded
  InvalidRequest,   ///< the request itself cannot be stored (empty entity, NUL byte, ...)
};

/// The caf::error category atom of JournalErrc ("journal").
inline constexpr caf::atom_value journal_error_category = caf::atom("journal");

/// Name of a JournalErrc ("write_failed", ...).
std::string to_string(JournalErrc code);

/// Renders a "journal" caf::error as "journal: corrupt_data (meta of entity 'x' ...)". The
/// composition root registers it with
/// `cfg.add_error_category(journal_error_category, render_journal_error)` (CAF 0.17's
/// `add_error_category<T>` template does not compile).
std::string render_journal_error(std::uint8_t code, caf::atom_value category,
                                 const caf::message& context);

/// A caf::error of category "journal" without context.
caf::error make_error(JournalErrc code);

/// A caf::error of category "journal" whose context is `message` (the journal's text, naming
/// the entity and what was wrong).
caf::error make_error(JournalErrc code, std::string message);

/// Group-commit tuning of the journal actor.
struct JournalActorOptions {
  std::size_t max_batch = 256;  ///< most appends per WriteBatch
  /// Longest time the first queued append waits for more to join its batch.
  std::chrono::microseconds max_delay{1000};
  /// Whether commits fsync the WAL. Only backtests, where durability is moot, turn this off.
  bool sync = true;
};

/// Spawns the node's journal actor owning `journal` (not null). `detached` (live and paper modes)
/// gives it its own thread, so fsync never blocks a scheduler thread; `false` spawns it
/// cooperatively for deterministic backtests and tests.
journal_actor spawn_journal(caf::actor_system& system, std::unique_ptr<Journal> journal,
                            bool detached, JournalActorOptions options = {});

}  // namespace troupe::persistence
