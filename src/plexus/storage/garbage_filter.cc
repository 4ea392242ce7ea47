// A compaction filter that drops the entries a GarbageCheck calls dead. It reads other families
// through the DB (the latest committed state): an entry and the metadata that makes it live are
// always committed in one batch, so the check never sees a live entry without its metadata.
#include "plexus/storage/garbage_filter.h"

#include <rocksdb/db.h>

#include "plexus/storage/rocksdb_status.h"

namespace plexus::storage {
namespace {

class GarbageFilter final : public rocksdb::CompactionFilter {
 public:
  GarbageFilter(std::shared_ptr<const GarbageCheck> check, rocksdb::DB* db,
                std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> handles)
      : check_(std::move(check)), db_(db), handles_(handles) {}

  bool Filter(int /*level*/, const rocksdb::Slice& key, const rocksdb::Slice& /*value*/,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    const FamilyReader read = [this](Family family, std::string_view read_key, std::string* value) {
      rocksdb::ColumnFamilyHandle* handle = handles_[static_cast<size_t>(family)];
      if (handle == nullptr) return Status::NotFound("no such family");
      return FromRocksDB(db_->Get(rocksdb::ReadOptions(), handle,
                                  rocksdb::Slice(read_key.data(), read_key.size()), value));
    };
    return check_->IsGarbage(std::string_view(key.data(), key.size()), read);
  }

  const char* Name() const override { return "plexus.GarbageFilter"; }

 private:
  std::shared_ptr<const GarbageCheck> check_;
  rocksdb::DB* db_;
  std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> handles_;
};

class KeepEverything final : public rocksdb::CompactionFilter {
 public:
  bool Filter(int, const rocksdb::Slice&, const rocksdb::Slice&, std::string*,
              bool*) const override {
    return false;
  }
  const char* Name() const override { return "plexus.KeepEverything"; }
};

class GarbageFilterFactory final : public rocksdb::CompactionFilterFactory {
 public:
  explicit GarbageFilterFactory(std::shared_ptr<GarbageSlot> slot) : slot_(std::move(slot)) {}

  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& /*context*/) override {
    std::lock_guard<std::mutex> lock(slot_->mutex);
    if (slot_->check == nullptr || slot_->db == nullptr) {
      return std::make_unique<KeepEverything>();
    }
    return std::make_unique<GarbageFilter>(slot_->check, slot_->db, slot_->handles);
  }

  const char* Name() const override { return "plexus.GarbageFilterFactory"; }

 private:
  std::shared_ptr<GarbageSlot> slot_;
};

}  // namespace

std::shared_ptr<rocksdb::CompactionFilterFactory> NewGarbageFilterFactory(
    std::shared_ptr<GarbageSlot> slot) {
  return std::make_shared<GarbageFilterFactory>(std::move(slot));
}

}  // namespace plexus::storage
