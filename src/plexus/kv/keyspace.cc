// Keyspace: striped key locks, key counts, versions, the garbage check and active expiry
// (ops: keyspace_op.cc).
// Atomicity: an op holds the stripe mutexes of every key it names, so two commands on one key
// run one after the other; their writes go to the store in one write batch (one WAL record),
// committed under the database's durability mode. Old versions' elements are not deleted by
// DEL/overwrite; collecting them is a later item (compaction filter), see docs/architecture.md.
#include "plexus/kv/keyspace.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <span>

#include <rocksdb/utilities/transaction_db.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/kv/keyspace_internal.h"
#include "plexus/kv/list_chunk.h"
#include "plexus/storage/rocksdb_options.h"
#include "plexus/storage/rocksdb_status.h"

namespace plexus::kv {
namespace {

using storage::Family;

constexpr std::string_view kVersionFloorKey = "\xFFversion";
constexpr uint64_t kVersionBlock = uint64_t{1} << 24;

// Elements (kv_data entries) whose key's metadata is gone or names another version are garbage:
// DEL and overwrite leave them behind, and compaction drops them here. So are a list's chunks
// none of whose positions is in [head, head + size) (pops and trims move the bounds without
// deleting anything), and its elements stored apart whose position is not live or whose chunk
// no longer says "apart" for it (an inline value replaced them).
class ElementGarbageCheck final : public storage::GarbageCheck {
 public:
  bool IsGarbage(std::string_view key, const storage::FamilyReader& read) const override {
    if (key.size() < 1 + 4 + 8) return false;  // not ours: keep
    const int db = static_cast<uint8_t>(key[0]);
    uint32_t length = 0;
    for (size_t i = 1; i < 5; ++i) length = (length << 8) | static_cast<uint8_t>(key[i]);
    if (db >= kDatabaseCount || key.size() < 5 + size_t{length} + 8) return false;
    const std::string_view user_key = key.substr(5, length);
    const uint64_t version = GetBigEndian64(key.data() + 5 + length);
    std::string bytes;
    const Status status = read(Family::kKvMeta, MetaKey(db, user_key), &bytes);
    if (status.IsNotFound()) return true;
    Meta meta;
    if (!status.ok() || !DecodeMeta(bytes, &meta).ok()) return false;
    if (meta.type == Type::kString || meta.version != version) return true;
    if (meta.type != Type::kList) return false;
    const std::string_view sub_key = key.substr(5 + length + 8);
    if (sub_key.size() == 8) {
      const uint64_t first = GetBigEndian64(sub_key.data()) * kListChunkSlots;
      // Positions [first, first + 64) against [head, head + size).
      return first + kListChunkSlots <= meta.list_head || first >= meta.list_head + meta.size;
    }
    if (sub_key.size() != 9 || static_cast<uint8_t>(sub_key[8]) >= kListChunkSlots) return false;
    const uint32_t slot = static_cast<uint8_t>(sub_key[8]);
    const uint64_t index = GetBigEndian64(sub_key.data()) * kListChunkSlots + slot;
    if (index - meta.list_head >= meta.size) return true;  // wraps below head
    const Status read_chunk = read(Family::kKvData, key.substr(0, key.size() - 1), &bytes);
    if (read_chunk.IsNotFound()) return true;
    ListChunk chunk;
    if (!read_chunk.ok() || !chunk.Decode(std::move(bytes)).ok()) return false;
    return !chunk.Has(slot) || !chunk.Apart(slot);
  }
};

}  // namespace

// ---- Keyspace ----

Result<std::unique_ptr<Keyspace>> Keyspace::Open(txn::TransactionManager* transactions,
                                                 storage::Store* store) {
  PLEXUS_ASSERT(store != nullptr);
  std::unique_ptr<Keyspace> keyspace(new Keyspace(transactions, store));
  PLEXUS_RETURN_IF_ERROR(keyspace->LoadCounts());
  {
    std::lock_guard<std::mutex> lock(keyspace->version_mutex_);
    PLEXUS_RETURN_IF_ERROR(keyspace->ReserveVersions());
  }
  if (store != nullptr) {
    store->SetGarbageCheck(Family::kKvData, std::make_shared<ElementGarbageCheck>());
  }
  return keyspace;
}

Keyspace::~Keyspace() {
  StopBackground();
  if (store_ != nullptr) store_->SetGarbageCheck(Family::kKvData, nullptr);
}

// REQUIRES: version_mutex_ held.
Status Keyspace::ReserveVersions() {
  if (version_floor_ == 0) {
    std::string bytes;
    Status status = transactions_->Get(Family::kKvMeta, kVersionFloorKey, &bytes);
    if (status.ok() && bytes.size() == 8) version_floor_ = GetFixed64(bytes.data());
    if (!status.ok() && !status.IsNotFound()) return status;
    const uint64_t now_us = static_cast<uint64_t>(NowMs()) * 1000;
    next_version_ = std::max(version_floor_, now_us);
  }
  const uint64_t floor = next_version_ + kVersionBlock;
  std::string bytes;
  PutFixed64(&bytes, floor);
  PLEXUS_RETURN_IF_ERROR(transactions_->Put(Family::kKvMeta, kVersionFloorKey, bytes));
  version_floor_ = floor;
  return Status::Ok();
}

Status Keyspace::LoadCounts() {
  for (int db = 0; db < kDatabaseCount; ++db) {
    PLEXUS_ASSIGN_OR_RETURN(auto iterator, ScanKeys(db));
    int64_t count = 0;
    for (; iterator->Valid(); iterator->Next()) ++count;
    PLEXUS_RETURN_IF_ERROR(iterator->status());
    key_counts_[static_cast<size_t>(db)] = count;
  }
  return Status::Ok();
}

void Keyspace::SetListener(KeyEventListener* listener, uint32_t events) {
  std::lock_guard<std::mutex> lock(listener_mutex_);
  listener_ = listener;
  listener_events_.store(listener == nullptr ? 0 : events);
}

void Keyspace::TellListener(uint32_t event, int db, std::string_view key) {
  std::lock_guard<std::mutex> lock(listener_mutex_);
  if (listener_ == nullptr) return;
  if (event == kKeyExpiredEvents) {
    listener_->KeyExpired(db, key);
  } else {
    listener_->KeyCreated(db, key);
  }
}

size_t Keyspace::StripeOf(int db, std::string_view key) {
  return (std::hash<std::string_view>()(key) * 31 + static_cast<size_t>(db)) % kLockStripes;
}

uint64_t Keyspace::StripeVersion(int db, std::string_view key) const {
  return stripe_versions_[StripeOf(db, key)].load();
}

Status Keyspace::SyncWal() {
  if (store_ == nullptr) return Status::Ok();
  return store_->SyncWal();
}

std::unique_ptr<Op> Keyspace::Begin(const std::vector<KeyRef>& keys, bool defer_sync) {
  std::vector<size_t> stripes;
  stripes.reserve(keys.size());
  for (const KeyRef& key : keys) stripes.push_back(StripeOf(key.db, key.key));
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  return std::unique_ptr<Op>(new Op(this, std::move(stripes), false, defer_sync));
}

std::unique_ptr<Op> Keyspace::BeginExclusive(bool defer_sync) {
  std::vector<size_t> stripes(kLockStripes);
  for (size_t i = 0; i < kLockStripes; ++i) stripes[i] = i;
  return std::unique_ptr<Op>(new Op(this, std::move(stripes), true, defer_sync));
}

Result<std::unique_ptr<txn::Iterator>> Keyspace::ScanKeys(int db, std::string_view start_key) {
  return transactions_->Scan(Family::kKvMeta, MetaKey(db, start_key),
                             std::string(1, static_cast<char>(db + 1)));
}

Status Keyspace::Flush(Op* op, int db) {
  PLEXUS_ASSERT(op->all_stripes_);
  const int first = db < 0 ? 0 : db;
  const int last = db < 0 ? kDatabaseCount - 1 : db;
  // The deletes below bypass Op::Delete: the op's cached metadata of the flushed databases
  // goes; that of the others stays, written or not (MULTI ... SELECT ... FLUSHDB).
  op->has_dirty_metas_ = false;
  for (auto it = op->metas_.begin(); it != op->metas_.end();) {
    const int meta_db = static_cast<uint8_t>(it->first[0]);
    if (meta_db >= first && meta_db <= last) {
      it = op->metas_.erase(it);
      continue;
    }
    op->has_dirty_metas_ = op->has_dirty_metas_ || it->second.dirty;
    ++it;
  }
  op->elements_.clear();
  // The op's written list chunks go to its batch first: those of databases not flushed must
  // stay (MULTI ... SELECT ... FLUSHDB); the cache is rebuilt from the batch as needed.
  PLEXUS_RETURN_IF_ERROR(op->IndexChunks(""));
  op->ForgetChunks();
  // Metadata and expiry entries the op wrote itself before (MULTI ... FLUSHDB: strings over
  // 1 KB go through its batch) are not among the committed keys the scans below find.
  if (op->batch_) {
    std::vector<std::string> written;
    std::unique_ptr<rocksdb::WBWIIterator> entries(
        op->batch_->NewIterator(store_->handle(Family::kKvMeta)));
    for (entries->SeekToFirst(); entries->Valid(); entries->Next()) {
      const std::string_view key(entries->Entry().key.data(), entries->Entry().key.size());
      int entry_db = -1;
      if (key.size() > 9 && key[0] == kExpiryPrefix) {
        entry_db = static_cast<uint8_t>(key[9]);
      } else if (!key.empty() && static_cast<uint8_t>(key[0]) < kDatabaseCount) {
        entry_db = static_cast<uint8_t>(key[0]);
      }
      if (entry_db >= first && entry_db <= last) written.emplace_back(key);
    }
    for (const std::string& key : written) {
      PLEXUS_RETURN_IF_ERROR(op->WriteDelete(Family::kKvMeta, key));
    }
  }
  for (int d = first; d <= last; ++d) {
    PLEXUS_ASSIGN_OR_RETURN(auto iterator, ScanKeys(d));
    for (; iterator->Valid(); iterator->Next()) {
      PLEXUS_RETURN_IF_ERROR(op->WriteDelete(Family::kKvMeta, iterator->key()));
      ++op->changes_;
    }
    PLEXUS_RETURN_IF_ERROR(iterator->status());
    op->key_count_delta_[static_cast<size_t>(d)] = -KeyCount(d);
  }
  // Expiry index entries of the flushed databases.
  PLEXUS_ASSIGN_OR_RETURN(
      auto entries,
      transactions_->Scan(Family::kKvMeta, std::string(1, kExpiryPrefix), std::string(1, '\xFF')));
  for (; entries->Valid(); entries->Next()) {
    const std::string_view key = entries->key();
    if (key.size() < 10) continue;
    const int entry_db = static_cast<uint8_t>(key[9]);
    if (entry_db >= first && entry_db <= last) {
      PLEXUS_RETURN_IF_ERROR(op->WriteDelete(Family::kKvMeta, key));
    }
  }
  return entries->status();
}

Result<size_t> Keyspace::ExpireCycle(size_t keys_max) {
  const int64_t now = NowMs();
  std::string upper(1, kExpiryPrefix);
  PutBigEndian64(&upper, static_cast<uint64_t>(now) + 1);
  struct Entry {
    std::string index_key;
    int64_t expire_at_ms;
    int db;
    std::string key;
  };
  std::vector<Entry> due;
  {
    PLEXUS_ASSIGN_OR_RETURN(
        auto iterator, transactions_->Scan(Family::kKvMeta, std::string(1, kExpiryPrefix), upper));
    for (; iterator->Valid() && due.size() < keys_max; iterator->Next()) {
      const std::string_view key = iterator->key();
      if (key.size() < 10) continue;
      due.push_back({std::string(key), static_cast<int64_t>(GetBigEndian64(key.data() + 1)),
                     static_cast<uint8_t>(key[9]), std::string(key.substr(10))});
    }
    PLEXUS_RETURN_IF_ERROR(iterator->status());
  }
  size_t deleted = 0;
  for (const Entry& entry : due) {
    if (entry.db >= kDatabaseCount) continue;
    std::unique_ptr<Op> op = Begin({{entry.db, entry.key}});
    std::string bytes;
    Status status = op->Read(Family::kKvMeta, MetaKey(entry.db, entry.key), &bytes);
    Meta meta;
    if (status.ok()) PLEXUS_RETURN_IF_ERROR(DecodeMeta(bytes, &meta));
    if (status.ok() && meta.expire_at_ms == entry.expire_at_ms) {
      // Get deletes the expired key (and its index entry).
      PLEXUS_ASSIGN_OR_RETURN(std::optional<Meta> live, op->Get(entry.db, entry.key));
      if (!live) ++deleted;
    } else if (status.ok() || status.IsNotFound()) {
      PLEXUS_RETURN_IF_ERROR(op->WriteDelete(Family::kKvMeta, entry.index_key));
    } else {
      return status;
    }
    PLEXUS_RETURN_IF_ERROR(op->Commit());
  }
  return deleted;
}

void Keyspace::StartBackground() {
  std::lock_guard<std::mutex> lock(background_mutex_);
  if (background_.joinable()) return;
  background_stop_ = false;
  background_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(background_mutex_);
    while (!background_stop_) {
      background_wake_.wait_for(lock, std::chrono::milliseconds(kExpireCyclePeriodMs));
      if (background_stop_) break;
      lock.unlock();
      Result<size_t> deleted = ExpireCycle(kExpireCycleKeysMax);
      if (!deleted.ok()) base::LogWarn("kv active expiry: {}", deleted.status().ToString());
      lock.lock();
    }
  });
}

void Keyspace::StopBackground() {
  {
    std::lock_guard<std::mutex> lock(background_mutex_);
    background_stop_ = true;
  }
  background_wake_.notify_all();
  if (background_.joinable()) background_.join();
}

}  // namespace plexus::kv
