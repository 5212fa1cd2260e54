#pragma once
// The node's RocksDB journal: per-entity event logs, entity meta (epoch, last seq, snapshot seq,
// status), the last two snapshots per entity and the outbox of pending venue side effects.
// On-disk layout and recovery: docs/persistence.md. Owned by the journal actor (one per node),
// which calls it from its own thread; a Journal is not thread-safe.

#include <tl/expected.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace troupe::persistence {

/// What kind of journal failure happened.
enum class JournalErrorCode : std::uint8_t {
  Io,               ///< RocksDB could not open, read or write (includes "already open")
  Corruption,       ///< stored bytes could not be decoded (meta record, key layout)
  InvalidArgument,  ///< the caller passed something the journal cannot store
};

/// A journal failure. `message` names the path or entity, the key and what was wrong, e.g.
/// "meta of entity 'oms/acct-1': format version 9 is not supported".
struct JournalError {
  JournalErrorCode code = JournalErrorCode::Io;  ///< the kind of failure
  std::string message;                           ///< human-readable details
};

/// Short name of a JournalErrorCode ("io", "corruption", "invalid_argument").
std::string to_string(JournalErrorCode code);

/// Where an entity stands in the cluster's placement protocol (architecture §6).
enum class EntityStatus : std::uint8_t {
  Active,      ///< this node runs the entity
  HandingOff,  ///< a planned migration is flushing it to another node
  Fenced,      ///< this node must not produce side effects for it any more
};

/// Per-entity bookkeeping, stored in the `meta` column family.
struct EntityMeta {
  std::uint64_t epoch = 0;         ///< bumped at each start of the entity; 0 = never started
  std::uint64_t last_seq = 0;      ///< seq of the newest event; 0 = no events
  std::uint64_t snapshot_seq = 0;  ///< seq covered by the newest snapshot; 0 = none
  EntityStatus status = EntityStatus::Active;  ///< placement status

  friend bool operator==(const EntityMeta&, const EntityMeta&) = default;
};

/// One event to append: the entity's key ("oms/paper-binance") and its encoded bytes (see
/// event_codec.hpp; the journal treats them as opaque).
struct AppendRequest {
  std::string entity;  ///< non-empty, no NUL byte
  std::string bytes;   ///< the encoded event
};

/// One stored event.
struct StoredEvent {
  std::uint64_t seq = 0;  ///< per-entity sequence number, from 1, consecutive
  std::string bytes;      ///< as appended
};

/// One stored snapshot: the entity's encoded state after applying events up to `seq`.
struct Snapshot {
  std::uint64_t seq = 0;  ///< last event seq the snapshot covers
  std::string bytes;      ///< the entity's own encoding
};

/// One pending venue side effect, keyed by its deterministic client order id.
struct OutboxEntry {
  std::string key;    ///< client order id
  std::string bytes;  ///< the command to (re)send, in the owner's encoding
};

/// The RocksDB journal of one node. Closes the database on destruction.
class Journal {
 public:
  /// Opens (creating directories and column families as needed) the journal at `path`. Fails
  /// with a message naming the path and RocksDB's status, e.g. when the path is already open in
  /// this or another process (RocksDB's LOCK file).
  static tl::expected<std::unique_ptr<Journal>, JournalError> open(const std::string& path);

  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Appends all events of `batch` in one atomic WriteBatch together with the updated meta of
  /// each entity, and returns the seq assigned to each request (same order). Seqs are
  /// consecutive per entity, continuing from the entity's last seq. `sync` makes the write
  /// durable (fsync of the WAL) before returning. On failure nothing is written.
  tl::expected<std::vector<std::uint64_t>, JournalError> append_batch(
      const std::vector<AppendRequest>& batch, bool sync);

  /// The entity's events with seq >= from_seq, in seq order.
  tl::expected<std::vector<StoredEvent>, JournalError> read_events(std::string_view entity,
                                                                   std::uint64_t from_seq);

  /// All entities with a meta record (anything ever appended, snapshotted or epoch-bumped), in
  /// byte order.
  tl::expected<std::vector<std::string>, JournalError> entities();

  /// The entity's meta; an all-zero EntityMeta for an entity never seen.
  tl::expected<EntityMeta, JournalError> meta(std::string_view entity);

  /// Increments and durably stores (synced) the entity's epoch; returns the new epoch (1 on the
  /// first call). The order manager calls this at each start so that client order ids
  /// `account-epoch-seq` never repeat across restarts.
  tl::expected<std::uint64_t, JournalError> bump_epoch(std::string_view entity);

  /// Durably stores (synced) the entity's placement status.
  tl::expected<void, JournalError> set_status(std::string_view entity, EntityStatus status);

  /// Durably stores (synced) a snapshot covering events up to `seq` and deletes all but the two
  /// newest. A snapshot ahead of the entity's last seq (installed by a migration target) moves
  /// last_seq up to it, so the next append continues after it. Storing a seq older than the
  /// newest snapshot is an InvalidArgument error; the same seq replaces it.
  tl::expected<void, JournalError> put_snapshot(std::string_view entity, std::uint64_t seq,
                                                std::string_view bytes);

  /// The newest snapshot, or nullopt when the entity has none.
  tl::expected<std::optional<Snapshot>, JournalError> latest_snapshot(std::string_view entity);

  /// All kept snapshots (at most two), oldest first. Recovery falls back to the older one when
  /// the newest cannot be decoded.
  tl::expected<std::vector<Snapshot>, JournalError> snapshots(std::string_view entity);

  /// Durably stores (synced) a pending side effect under `key`, replacing any previous one.
  tl::expected<void, JournalError> outbox_put(std::string_view key, std::string_view bytes);

  /// Durably removes (synced) the side effect under `key`; removing a missing key succeeds.
  tl::expected<void, JournalError> outbox_erase(std::string_view key);

  /// All pending side effects, in key order.
  tl::expected<std::vector<OutboxEntry>, JournalError> outbox_list();

  /// The directory the journal lives in.
  const std::string& path() const { return path_; }

 private:
  struct Handles;
  Journal(std::string path, std::unique_ptr<Handles> handles);

  tl::expected<EntityMeta, JournalError> cached_meta(std::string_view entity);
  tl::expected<void, JournalError> write_meta_synced(std::string_view entity,
                                                     const EntityMeta& meta);

  std::string path_;
  std::unique_ptr<Handles> handles_;
  // The journal is the only writer (RocksDB's LOCK), so meta read once stays current; entries
  // change only after a write succeeded.
  std::unordered_map<std::string, EntityMeta> meta_cache_;
};

}  // namespace troupe::persistence
