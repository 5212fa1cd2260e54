#include "runtime/persistence/journal.hpp"

#include "runtime/persistence/byte_io.hpp"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <limits>
#include <system_error>

namespace troupe::persistence {
namespace {

constexpr const char* kMetaFamily = "meta";
constexpr const char* kEventsFamily = "events";
constexpr const char* kSnapshotsFamily = "snapshots";
constexpr const char* kOutboxFamily = "outbox";
constexpr std::uint16_t kMetaFormatVersion = 1;
constexpr std::uint8_t kEntityStatusCount = 3;
constexpr std::size_t kSnapshotsKept = 2;

tl::unexpected<JournalError> fail(JournalErrorCode code, std::string message) {
  return tl::make_unexpected(JournalError{code, std::move(message)});
}

tl::unexpected<JournalError> fail(const std::string& what, const rocksdb::Status& status) {
  const auto code = status.IsCorruption() ? JournalErrorCode::Corruption : JournalErrorCode::Io;
  return fail(code, what + ": " + status.ToString());
}

std::string in_quotes(std::string_view entity) { return "'" + std::string{entity} + "'"; }

// Entities form the key prefix `entity | 0x00`, so a NUL inside one would let two entities'
// key ranges overlap.
std::optional<JournalError> check_entity(std::string_view entity, std::string_view operation) {
  if (entity.empty())
    return JournalError{JournalErrorCode::InvalidArgument,
                        std::string{operation} + ": the entity name is empty"};
  if (entity.find('\0') != std::string_view::npos)
    return JournalError{JournalErrorCode::InvalidArgument,
                        std::string{operation} + " of entity " + in_quotes(entity) +
                            ": the entity name contains a NUL byte"};
  return std::nullopt;
}

std::string entity_prefix(std::string_view entity) {
  std::string key{entity};
  key.push_back('\0');
  return key;
}

// `entity | 0x00 | big-endian seq`: byte order is (entity, seq) order.
std::string sequenced_key(std::string_view entity, std::uint64_t seq) {
  std::string key = entity_prefix(entity);
  append_big_endian_u64(key, seq);
  return key;
}

std::string encode_meta(const EntityMeta& meta) {
  ByteWriter out;
  out.u16(kMetaFormatVersion);
  out.u64(meta.epoch);
  out.u64(meta.last_seq);
  out.u64(meta.snapshot_seq);
  out.u8(static_cast<std::uint8_t>(meta.status));
  return out.take();
}

tl::expected<EntityMeta, JournalError> decode_meta(std::string_view entity,
                                                   std::string_view bytes) {
  ByteReader in{bytes, "meta of entity " + in_quotes(entity)};
  const std::uint16_t version = in.u16("format version");
  if (in.ok() && version != kMetaFormatVersion)
    in.invalid("format version", std::to_string(version) + " is not supported (this build reads " +
                                     std::to_string(kMetaFormatVersion) + ")");
  EntityMeta meta;
  meta.epoch = in.u64("epoch");
  meta.last_seq = in.u64("last_seq");
  meta.snapshot_seq = in.u64("snapshot_seq");
  const std::uint8_t status = in.u8("status");
  if (in.ok() && status >= kEntityStatusCount)
    in.invalid("status", "value " + std::to_string(status) + " is not a known status");
  meta.status = static_cast<EntityStatus>(status);
  if (!in.expect_end()) return fail(JournalErrorCode::Corruption, in.message());
  return meta;
}

// Visits every key/value of one entity's `entity | 0x00 | seq` range from `from_seq` on.
tl::expected<void, JournalError> scan_sequenced(
    rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, std::string_view entity,
    std::uint64_t from_seq, const std::string& what,
    const std::function<void(std::uint64_t, const rocksdb::Slice&)>& visit) {
  std::string upper{entity};
  upper.push_back('\x01');
  const rocksdb::Slice upper_bound{upper};
  rocksdb::ReadOptions options;
  options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it{db.NewIterator(options, family)};
  const std::size_t key_size = entity.size() + 1 + 8;
  for (it->Seek(sequenced_key(entity, from_seq)); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    if (key.size() != key_size)
      return fail(JournalErrorCode::Corruption, what + ": key of " + std::to_string(key.size()) +
                                                    " bytes, expected " + std::to_string(key_size));
    visit(read_big_endian_u64({key.data() + entity.size() + 1, 8}), it->value());
  }
  if (!it->status().ok()) return fail(what, it->status());
  return {};
}

}  // namespace

std::string to_string(JournalErrorCode code) {
  switch (code) {
    case JournalErrorCode::Io:
      return "io";
    case JournalErrorCode::Corruption:
      return "corruption";
    case JournalErrorCode::InvalidArgument:
      return "invalid_argument";
  }
  return "unknown";
}

struct Journal::Handles {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* snapshots = nullptr;
  rocksdb::ColumnFamilyHandle* outbox = nullptr;

  ~Handles() {
    if (!db) return;
    for (auto* handle : all) db->DestroyColumnFamilyHandle(handle);
    // A failed close leaves nothing to recover here: the WAL already holds every synced write.
    db->Close().PermitUncheckedError();
  }
};

tl::expected<std::unique_ptr<Journal>, JournalError> Journal::open(const std::string& path) {
  const std::string what = "journal at '" + path + "'";
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec)
    return fail(JournalErrorCode::Io, what + ": cannot create the directory: " + ec.message());

  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  // Open every family already on disk too (RocksDB refuses to open a subset), so a journal
  // written by a newer build with extra families still opens.
  std::vector<std::string> names;
  rocksdb::DB::ListColumnFamilies(options, path, &names).PermitUncheckedError();
  for (const char* name : {rocksdb::kDefaultColumnFamilyName.c_str(), kMetaFamily, kEventsFamily,
                           kSnapshotsFamily, kOutboxFamily})
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.reserve(names.size());
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions{});

  auto handles = std::make_unique<Handles>();
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(options, path, families, &handles->all, &db);
  if (!status.ok()) return fail(what + ": cannot open", status);
  handles->db.reset(db);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == kMetaFamily) handles->meta = handles->all[i];
    if (names[i] == kEventsFamily) handles->events = handles->all[i];
    if (names[i] == kSnapshotsFamily) handles->snapshots = handles->all[i];
    if (names[i] == kOutboxFamily) handles->outbox = handles->all[i];
  }
  return std::unique_ptr<Journal>{new Journal{path, std::move(handles)}};
}

Journal::Journal(std::string path, std::unique_ptr<Handles> handles)
    : path_(std::move(path)), handles_(std::move(handles)) {}

Journal::~Journal() = default;

tl::expected<std::vector<std::uint64_t>, JournalError> Journal::append_batch(
    const std::vector<AppendRequest>& batch, bool sync) {
  std::unordered_map<std::string, EntityMeta> updated;
  std::vector<std::uint64_t> seqs;
  seqs.reserve(batch.size());
  rocksdb::WriteBatch write;
  for (const auto& request : batch) {
    if (auto error = check_entity(request.entity, "append")) return tl::make_unexpected(*error);
    auto it = updated.find(request.entity);
    if (it == updated.end()) {
      auto meta = cached_meta(request.entity);
      if (!meta) return tl::make_unexpected(meta.error());
      it = updated.emplace(request.entity, *meta).first;
    }
    const std::uint64_t seq = ++it->second.last_seq;
    write.Put(handles_->events, sequenced_key(request.entity, seq), request.bytes);
    seqs.push_back(seq);
  }
  for (const auto& [entity, meta] : updated) write.Put(handles_->meta, entity, encode_meta(meta));
  rocksdb::WriteOptions options;
  options.sync = sync;
  const rocksdb::Status status = handles_->db->Write(options, &write);
  if (!status.ok())
    return fail("append of " + std::to_string(batch.size()) + " events for " +
                    std::to_string(updated.size()) + " entities (first " +
                    in_quotes(batch.front().entity) + ") to journal at '" + path_ + "'",
                status);
  for (auto& [entity, meta] : updated) meta_cache_[entity] = meta;
  return seqs;
}

tl::expected<std::vector<StoredEvent>, JournalError> Journal::read_events(std::string_view entity,
                                                                          std::uint64_t from_seq) {
  if (auto error = check_entity(entity, "read events")) return tl::make_unexpected(*error);
  std::vector<StoredEvent> events;
  auto scanned = scan_sequenced(*handles_->db, handles_->events, entity, from_seq,
                                "events of entity " + in_quotes(entity),
                                [&events](std::uint64_t seq, const rocksdb::Slice& value) {
                                  events.push_back({seq, value.ToString()});
                                });
  if (!scanned) return tl::make_unexpected(scanned.error());
  return events;
}

tl::expected<std::vector<std::string>, JournalError> Journal::entities() {
  std::vector<std::string> names;
  std::unique_ptr<rocksdb::Iterator> it{
      handles_->db->NewIterator(rocksdb::ReadOptions{}, handles_->meta)};
  for (it->SeekToFirst(); it->Valid(); it->Next()) names.push_back(it->key().ToString());
  if (!it->status().ok()) return fail("list entities of journal at '" + path_ + "'", it->status());
  return names;
}

tl::expected<EntityMeta, JournalError> Journal::meta(std::string_view entity) {
  if (auto error = check_entity(entity, "read meta")) return tl::make_unexpected(*error);
  return cached_meta(entity);
}

tl::expected<EntityMeta, JournalError> Journal::cached_meta(std::string_view entity) {
  std::string key{entity};
  if (auto it = meta_cache_.find(key); it != meta_cache_.end()) return it->second;
  std::string bytes;
  const rocksdb::Status status =
      handles_->db->Get(rocksdb::ReadOptions{}, handles_->meta, key, &bytes);
  if (status.IsNotFound()) return meta_cache_[key] = EntityMeta{};
  if (!status.ok()) return fail("read meta of entity " + in_quotes(entity), status);
  auto meta = decode_meta(entity, bytes);
  if (meta) meta_cache_[key] = *meta;
  return meta;
}

tl::expected<void, JournalError> Journal::write_meta_synced(std::string_view entity,
                                                            const EntityMeta& meta) {
  rocksdb::WriteOptions options;
  options.sync = true;
  const rocksdb::Status status =
      handles_->db->Put(options, handles_->meta, std::string{entity}, encode_meta(meta));
  if (!status.ok()) return fail("write meta of entity " + in_quotes(entity), status);
  meta_cache_[std::string{entity}] = meta;
  return {};
}

tl::expected<std::uint64_t, JournalError> Journal::bump_epoch(std::string_view entity) {
  if (auto error = check_entity(entity, "bump epoch")) return tl::make_unexpected(*error);
  auto meta = cached_meta(entity);
  if (!meta) return tl::make_unexpected(meta.error());
  EntityMeta next = *meta;
  ++next.epoch;
  if (auto written = write_meta_synced(entity, next); !written)
    return tl::make_unexpected(written.error());
  return next.epoch;
}

tl::expected<void, JournalError> Journal::set_status(std::string_view entity, EntityStatus status) {
  if (auto error = check_entity(entity, "set status")) return tl::make_unexpected(*error);
  auto meta = cached_meta(entity);
  if (!meta) return tl::make_unexpected(meta.error());
  EntityMeta next = *meta;
  next.status = status;
  return write_meta_synced(entity, next);
}

tl::expected<void, JournalError> Journal::put_snapshot(std::string_view entity, std::uint64_t seq,
                                                       std::string_view bytes) {
  const std::string what =
      "put snapshot of entity " + in_quotes(entity) + " at seq " + std::to_string(seq);
  if (auto error = check_entity(entity, "put snapshot")) return tl::make_unexpected(*error);
  if (seq == 0) return fail(JournalErrorCode::InvalidArgument, what + ": seq must be >= 1");
  auto meta = cached_meta(entity);
  if (!meta) return tl::make_unexpected(meta.error());
  if (seq < meta->snapshot_seq)
    return fail(
        JournalErrorCode::InvalidArgument,
        what + ": older than the newest snapshot at seq " + std::to_string(meta->snapshot_seq));
  auto kept = snapshots(entity);
  if (!kept) return tl::make_unexpected(kept.error());

  rocksdb::WriteBatch write;
  write.Put(handles_->snapshots, sequenced_key(entity, seq), rocksdb::Slice{bytes});
  // `kept` is oldest first and all of it is <= seq; keep the newest one that is not `seq`.
  std::size_t survivors = 1;
  for (auto it = kept->rbegin(); it != kept->rend(); ++it) {
    if (it->seq == seq) continue;
    if (survivors < kSnapshotsKept)
      ++survivors;
    else
      write.Delete(handles_->snapshots, sequenced_key(entity, it->seq));
  }
  EntityMeta next = *meta;
  next.snapshot_seq = seq;
  next.last_seq = std::max(next.last_seq, seq);
  write.Put(handles_->meta, std::string{entity}, encode_meta(next));
  rocksdb::WriteOptions options;
  options.sync = true;
  const rocksdb::Status status = handles_->db->Write(options, &write);
  if (!status.ok()) return fail(what, status);
  meta_cache_[std::string{entity}] = next;
  return {};
}

tl::expected<std::optional<Snapshot>, JournalError> Journal::latest_snapshot(
    std::string_view entity) {
  auto kept = snapshots(entity);
  if (!kept) return tl::make_unexpected(kept.error());
  if (kept->empty()) return std::optional<Snapshot>{};
  return std::optional<Snapshot>{std::move(kept->back())};
}

tl::expected<std::vector<Snapshot>, JournalError> Journal::snapshots(std::string_view entity) {
  if (auto error = check_entity(entity, "read snapshots")) return tl::make_unexpected(*error);
  std::vector<Snapshot> kept;
  auto scanned = scan_sequenced(*handles_->db, handles_->snapshots, entity, 0,
                                "snapshots of entity " + in_quotes(entity),
                                [&kept](std::uint64_t seq, const rocksdb::Slice& value) {
                                  kept.push_back({seq, value.ToString()});
                                });
  if (!scanned) return tl::make_unexpected(scanned.error());
  return kept;
}

tl::expected<void, JournalError> Journal::outbox_put(std::string_view key, std::string_view bytes) {
  if (key.empty()) return fail(JournalErrorCode::InvalidArgument, "outbox put: the key is empty");
  rocksdb::WriteOptions options;
  options.sync = true;
  const rocksdb::Status status =
      handles_->db->Put(options, handles_->outbox, rocksdb::Slice{key}, rocksdb::Slice{bytes});
  if (!status.ok()) return fail("outbox put of key " + in_quotes(key), status);
  return {};
}

tl::expected<void, JournalError> Journal::outbox_erase(std::string_view key) {
  rocksdb::WriteOptions options;
  options.sync = true;
  const rocksdb::Status status =
      handles_->db->Delete(options, handles_->outbox, rocksdb::Slice{key});
  if (!status.ok()) return fail("outbox erase of key " + in_quotes(key), status);
  return {};
}

tl::expected<std::vector<OutboxEntry>, JournalError> Journal::outbox_list() {
  std::vector<OutboxEntry> entries;
  std::unique_ptr<rocksdb::Iterator> it{
      handles_->db->NewIterator(rocksdb::ReadOptions{}, handles_->outbox)};
  for (it->SeekToFirst(); it->Valid(); it->Next())
    entries.push_back({it->key().ToString(), it->value().ToString()});
  if (!it->status().ok()) return fail("list outbox of journal at '" + path_ + "'", it->status());
  return entries;
}

}  // namespace troupe::persistence
