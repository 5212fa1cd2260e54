#pragma once
// Writes bytes into a closed journal behind the Journal's back, to plant corrupt records.

#include <rocksdb/db.h>

#include <memory>
#include <string>
#include <vector>

namespace troupe::persistence::testing {

/// Stores `value` under `key` in column family `family` of the (closed) journal at `path`.
inline bool put_raw(const std::string& path, const std::string& family, const std::string& key,
                    const std::string& value) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "meta", "events", "snapshots", "outbox"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions{});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(rocksdb::DBOptions{}, path, families, &handles, &raw).ok()) return false;
  std::unique_ptr<rocksdb::DB> db{raw};
  rocksdb::ColumnFamilyHandle* target = nullptr;
  for (auto* handle : handles)
    if (handle->GetName() == family) target = handle;
  const bool ok = target != nullptr && db->Put(rocksdb::WriteOptions{}, target, key, value).ok();
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  return ok && db->Close().ok();
}

}  // namespace troupe::persistence::testing
