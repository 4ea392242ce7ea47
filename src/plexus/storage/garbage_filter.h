// The RocksDB compaction filter behind storage/garbage_check.h.
#pragma once

#include <rocksdb/compaction_filter.h>

#include <array>
#include <memory>
#include <mutex>

#include "plexus/storage/garbage_check.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace plexus::storage {

// What compactions of one family consult: the registered check and how to read other families.
// Shared by the store and the filter factory, so either may go first.
struct GarbageSlot {
  std::mutex mutex;
  std::shared_ptr<const GarbageCheck> check;  // null: keep everything
  rocksdb::DB* db = nullptr;                  // null while the store is not open
  std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> handles{};
};

std::shared_ptr<rocksdb::CompactionFilterFactory> NewGarbageFilterFactory(
    std::shared_ptr<GarbageSlot> slot);

}  // namespace plexus::storage
