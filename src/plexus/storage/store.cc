// Opening a data directory: take the lock, read or create the manifest, open RocksDB with every
// family (ours plus any a newer build added), and start the periodic WAL syncer.
#include "plexus/storage/store.h"

#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/statistics.h>
#include <rocksdb/utilities/transaction.h>
#include <rocksdb/utilities/transaction_db.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "plexus/base/assert.h"
#include "plexus/storage/directory_lock.h"
#include "plexus/storage/file_util.h"
#include "plexus/storage/garbage_filter.h"
#include "plexus/storage/rocksdb_options.h"
#include "plexus/storage/rocksdb_status.h"
#include "plexus/storage/wal_syncer.h"

namespace plexus::storage {

namespace {

// Reads the manifest, or writes a new one when the directory is new. A directory that holds
// files but no manifest is not ours, and we refuse to write into it.
Result<Manifest> LoadOrCreateManifest(const std::string& dir, bool create_if_missing) {
  auto manifest = ReadManifest(dir);
  if (manifest.ok()) {
    if (manifest->format_version > kFormatVersion) {
      return Status::NotSupported(
          "data directory " + dir + " was written by a newer Plexus (format version " +
          std::to_string(manifest->format_version) + "; this build reads up to " +
          std::to_string(kFormatVersion) + ")");
    }
    return manifest;
  }
  if (!manifest.status().IsNotFound()) return manifest.status();

  PLEXUS_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(dir));
  bool empty = std::all_of(names.begin(), names.end(), [](const std::string& name) {
    return name == kLockFileName || name == std::string(kManifestFileName) + ".tmp";
  });
  if (!empty) {
    return Status::InvalidArgument(dir + " is not a Plexus data directory (it has files but no " +
                                   std::string(kManifestFileName) + ")");
  }
  if (!create_if_missing) return Status::NotFound(dir + " is not initialised");
  Manifest created = NewManifest();
  PLEXUS_RETURN_IF_ERROR(WriteManifest(dir, created));
  spdlog::info("initialised data directory {} (node id {})", dir, created.node_id);
  return created;
}

}  // namespace

// Keeps the background error that stopped writes (severity hard or worse: RocksDB is read-only
// until it recovers), cleared when a recovery ends well. Callbacks run on RocksDB's threads.
class BackgroundErrorListener final : public rocksdb::EventListener {
 public:
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override {
    if (error == nullptr || error->ok() || error->severity() < rocksdb::Status::kHardError) return;
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::string(ReasonName(reason)) + ": " + error->ToString();
  }
  void OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) override {
    if (!info.new_bg_error.ok()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    error_.clear();
  }
  // Empty while writes are not stopped by an error.
  std::string error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }

 private:
  static std::string_view ReasonName(rocksdb::BackgroundErrorReason reason) {
    switch (reason) {
      case rocksdb::BackgroundErrorReason::kFlush:
      case rocksdb::BackgroundErrorReason::kFlushNoWAL:
        return "flush";
      case rocksdb::BackgroundErrorReason::kCompaction:
        return "compaction";
      case rocksdb::BackgroundErrorReason::kWriteCallback:
      case rocksdb::BackgroundErrorReason::kMemTable:
        return "write";
      case rocksdb::BackgroundErrorReason::kManifestWrite:
      case rocksdb::BackgroundErrorReason::kManifestWriteNoWAL:
        return "manifest write";
    }
    return "background work";
  }

  mutable std::mutex mutex_;
  std::string error_;
};

// WaitDurable's state: whether a sync runs, and how far the last one reached.
struct SyncGroup {
  std::mutex mutex;
  std::condition_variable done;
  bool syncing = false;
  std::atomic<uint64_t> synced{0};
};

Store::Store(std::string dir, const Options& options)
    : dir_(std::move(dir)),
      options_(options),
      kv_data_garbage_(std::make_shared<GarbageSlot>()),
      background_errors_(std::make_shared<BackgroundErrorListener>()) {}

Store::~Store() {
  // Errors were logged by Close(); a destructor has nobody to return them to.
  [[maybe_unused]] Status status = Close();
}

Result<std::unique_ptr<Store>> Store::Open(std::string_view dir, const Options& options) {
  std::unique_ptr<Store> store(new Store(std::string(dir), options));
  store->sync_group_ = std::make_unique<SyncGroup>();
  if (options.create_if_missing) PLEXUS_RETURN_IF_ERROR(CreateDirectories(store->dir_));
  PLEXUS_ASSIGN_OR_RETURN(store->lock_, DirectoryLock::Acquire(store->dir_));
  PLEXUS_ASSIGN_OR_RETURN(store->manifest_,
                          LoadOrCreateManifest(store->dir_, options.create_if_missing));
  PLEXUS_RETURN_IF_ERROR(store->OpenRocksDB());
  // What recovery found is durable from here on (IsDurable starts true for it).
  PLEXUS_RETURN_IF_ERROR(store->SyncWal());
  Store* raw = store.get();
  store->syncer_ = std::make_unique<WalSyncer>(options.periodic_sync_ms,
                                               [raw] { return raw->SyncWal(); });
  return store;
}

Status Store::OpenRocksDB() {
  RocksDBOptions rocks = MakeRocksDBOptions(options_);
  statistics_ = rocks.db.statistics;
  rocks.db.listeners.push_back(background_errors_);

  std::vector<std::string> existing;
  // A new directory has no families yet; that is the only expected failure here.
  if (!rocksdb::DB::ListColumnFamilies(rocks.db, dir_, &existing).ok()) existing.clear();

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocks.family);
  for (std::string_view name : kFamilyNames) {
    rocksdb::ColumnFamilyOptions family = rocks.family;
    if (name == FamilyName(Family::kKvData)) {
      family.compaction_filter_factory = NewGarbageFilterFactory(kv_data_garbage_);
      // No memtable bloom filter: most element reads find their element (HGET, SISMEMBER of
      // a member, pops), and each insert's filter update was a cache miss (7% of LPUSH -P16).
      family.memtable_whole_key_filtering = false;
      family.memtable_prefix_bloom_size_ratio = 0;
    }
    descriptors.emplace_back(std::string(name), family);
  }
  for (const std::string& name : existing) {
    bool known = std::any_of(descriptors.begin(), descriptors.end(),
                             [&](const auto& descriptor) { return descriptor.name == name; });
    if (!known) descriptors.emplace_back(name, rocks.family);
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status status = rocksdb::TransactionDB::Open(rocks.db, rocks.transaction_db, dir_,
                                                        descriptors, &handles, &db_);
  if (!status.ok()) return FromRocksDB(status).WithContext("opening RocksDB in " + dir_);
  PLEXUS_ASSERT(handles.size() == descriptors.size());
  for (size_t i = 0; i < handles.size(); ++i) {
    if (i >= 1 && i <= kFamilyCount) {
      handles_[i - 1] = handles[i];
    } else {
      other_handles_.push_back(handles[i]);
    }
  }
  std::lock_guard<std::mutex> lock(kv_data_garbage_->mutex);
  kv_data_garbage_->db = db_;
  kv_data_garbage_->handles = handles_;
  return Status::Ok();
}

Status Store::Compact(Family family) {
  if (db_ == nullptr) return Status::Aborted("store is closed");
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  return FromRocksDB(db_->CompactRange(compact, handle(family), nullptr, nullptr));
}

void Store::SetGarbageCheck(Family family, std::shared_ptr<const GarbageCheck> check) {
  PLEXUS_ASSERT(family == Family::kKvData);
  std::lock_guard<std::mutex> lock(kv_data_garbage_->mutex);
  kv_data_garbage_->check = std::move(check);
}

Status Store::Flush() {
  if (db_ == nullptr) return Status::Aborted("store is closed");
  rocksdb::FlushOptions flush;
  flush.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin(), handles_.end());
  return FromRocksDB(db_->Flush(flush, families));
}

Status Store::SyncWal() {
  if (db_ == nullptr) return Status::Aborted("store is closed");
  return WaitDurable(db_->GetLatestSequenceNumber());
}

uint64_t Store::LatestSequence() const { return db_->GetLatestSequenceNumber(); }

bool Store::IsDurable(uint64_t sequence) const {
  return sync_group_->synced.load(std::memory_order_acquire) >= sequence;
}

Status Store::WaitDurable(uint64_t sequence) {
  if (db_ == nullptr) return Status::Aborted("store is closed");
  SyncGroup& group = *sync_group_;
  if (group.synced.load(std::memory_order_acquire) >= sequence) return Status::Ok();
  std::unique_lock<std::mutex> lock(group.mutex);
  while (group.synced.load(std::memory_order_relaxed) < sequence) {
    if (group.syncing) {
      group.done.wait(lock);
      continue;
    }
    group.syncing = true;
    // Every write readers can see is in the WAL file already (RocksDB writes the log before it
    // publishes the sequence), so the sync covers all of them.
    const uint64_t target = db_->GetLatestSequenceNumber();
    lock.unlock();
    const rocksdb::Status status = db_->SyncWAL();
    lock.lock();
    group.syncing = false;
    if (status.ok() && target > group.synced.load(std::memory_order_relaxed)) {
      group.synced.store(target, std::memory_order_release);
    }
    group.done.notify_all();
    if (!status.ok()) return FromRocksDB(status);
  }
  return Status::Ok();
}

void Store::NoteUnsyncedCommit(Durability durability) {
  if (durability == Durability::kPeriodic) syncer_->MarkDirty();
}

uint64_t Store::WalSyncCount() const {
  uint64_t commits = statistics_ ? statistics_->getTickerCount(rocksdb::WAL_FILE_SYNCED) : 0;
  return commits + (syncer_ ? syncer_->sync_count() : 0);
}

WriteState Store::CheckWrites() const {
  WriteState state;
  state.accepting = false;
  if (db_ == nullptr) {
    state.reason = "closed";
    state.detail = "the store is closed";
    return state;
  }
  if (shutting_down_.load(std::memory_order_relaxed)) {
    state.reason = "shutting_down";
    state.detail = "the server is shutting down";
    return state;
  }
  if (std::string error = background_errors_->error(); !error.empty()) {
    state.reason = "background_error";
    state.detail = "RocksDB stopped writes after a background error (" + error + ")";
    return state;
  }
  uint64_t stopped = 0;
  if (db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &stopped) && stopped != 0) {
    state.reason = "write_stopped";
    state.detail =
        "RocksDB has stopped writes until compaction catches up (too many memtables, level-0 "
        "files or pending compaction bytes)";
    return state;
  }
  state.accepting = true;
  uint64_t rate = 0;
  if (db_->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate, &rate)) {
    state.delayed_write_rate = rate;
  }
  return state;
}

rocksdb::EventListener* Store::background_error_listener_for_testing() const {
  return background_errors_.get();
}

std::unique_ptr<rocksdb::Transaction> Store::BeginTransaction(
    const rocksdb::TransactionOptions& options) {
  rocksdb::Transaction* spare = spare_transaction_.exchange(nullptr, std::memory_order_acquire);
  // With a spare, RocksDB reinitialises it (new id, options, empty batch) and returns it.
  return std::unique_ptr<rocksdb::Transaction>(
      db_->BeginTransaction(TransactionWriteOptions(), options, spare));
}

void Store::RecycleTransaction(std::unique_ptr<rocksdb::Transaction> transaction) {
  // A bulk load's batch keeps its capacity through RocksDB's Clear(): not worth holding on to.
  constexpr size_t kKeptBatchBytesMax = 64 * 1024;
  if (transaction == nullptr) return;
  const rocksdb::Transaction::TransactionState state = transaction->GetState();
  if (state != rocksdb::Transaction::COMMITTED && state != rocksdb::Transaction::ROLLEDBACK) return;
  if (transaction->GetWriteBatch()->GetWriteBatch()->Data().capacity() > kKeptBatchBytesMax) return;
  rocksdb::Transaction* expected = nullptr;
  if (spare_transaction_.compare_exchange_strong(expected, transaction.get(),
                                                 std::memory_order_release)) {
    transaction.release();
  }
}

Status Store::Close() {
  if (db_ == nullptr) return Status::Ok();
  if (syncer_) syncer_->Stop();
  // Transactions end before their database closes (the caller's have: see TransactionManager).
  delete spare_transaction_.exchange(nullptr, std::memory_order_acquire);
  {
    // Compactions started from here on keep everything (the handles are about to go).
    std::lock_guard<std::mutex> lock(kv_data_garbage_->mutex);
    kv_data_garbage_->db = nullptr;
  }
  Status result = Flush();
  Status synced = SyncWal();
  if (result.ok()) result = synced;
  // A running compaction's garbage filter reads through the handles destroyed below.
  rocksdb::CancelAllBackgroundWork(db_, /*wait=*/true);
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
  for (rocksdb::ColumnFamilyHandle* handle : other_handles_) db_->DestroyColumnFamilyHandle(handle);
  handles_.fill(nullptr);
  other_handles_.clear();
  Status closed = FromRocksDB(db_->Close());
  if (result.ok()) result = closed;
  delete db_;
  db_ = nullptr;
  lock_.reset();
  if (!result.ok()) spdlog::error("closing store {}: {}", dir_, result.ToString());
  return result;
}

}  // namespace plexus::storage
