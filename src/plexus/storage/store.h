// Store: one RocksDB TransactionDB in a data directory, with a column family per data family,
// the directory's manifest and lock, and the WAL syncer of the `periodic` durability mode.
// RocksDB types appear here only as forward declarations, for txn/'s implementation.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/options.h"
#include "plexus/storage/family.h"
#include "plexus/storage/garbage_check.h"
#include "plexus/storage/manifest.h"

namespace rocksdb {
class ColumnFamilyHandle;
class EventListener;
class Statistics;
class Transaction;
class TransactionDB;
struct TransactionOptions;
}  // namespace rocksdb

namespace plexus::storage {

class DirectoryLock;
class WalSyncer;
struct GarbageSlot;
class BackgroundErrorListener;

// Whether the store accepts writes now (what HTTP's /ready reports).
struct WriteState {
  bool accepting = true;
  // When !accepting: "closed", "shutting_down", "background_error" (RocksDB turned read-only:
  // a hard or fatal error of a flush, compaction or WAL write) or "write_stopped" (a write
  // stall: too many memtables, L0 files or pending compaction bytes).
  std::string_view reason;
  std::string detail;  // a sentence for people
  // Bytes/s RocksDB delays writes to while it slows them down (a stall short of a stop); 0: none.
  uint64_t delayed_write_rate = 0;
};
struct SyncGroup;

class Store {
 public:
  // Opens the data directory `dir`, initialising it when it is missing or empty.
  static Result<std::unique_ptr<Store>> Open(std::string_view dir, const Options& options);
  ~Store();  // Close(), ignoring its status
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Flushes memtables, syncs the WAL, closes RocksDB and releases the directory lock.
  Status Close();
  // Writes every family's memtable to SST files.
  Status Flush();
  // Makes every write so far durable (fsync of the WAL).
  Status SyncWal();
  // Returns once every write up to `sequence` is durable. Concurrent callers share fsyncs (group
  // commit): one syncs the WAL up to the latest write while the others wait, and those it
  // covered return without a sync of their own.
  Status WaitDurable(uint64_t sequence);
  // The sequence number of the latest write readers can see (RocksDB's).
  uint64_t LatestSequence() const;
  // Whether every write up to `sequence` is durable already: WaitDurable would return at once.
  bool IsDurable(uint64_t sequence) const;

  // Called after a commit that did not sync the WAL itself, so that `periodic` mode syncs it.
  void NoteUnsyncedCommit(Durability durability);

  // A RocksDB transaction begun with `options`, reusing the one RecycleTransaction kept if
  // there is one (building RocksDB's transaction object and its indexed write batch anew was
  // ~3% of an autocommit INSERT's CPU). REQUIRES: the store is open.
  std::unique_ptr<rocksdb::Transaction> BeginTransaction(
      const rocksdb::TransactionOptions& options);
  // Keeps a transaction that committed or rolled back for the next BeginTransaction (one is
  // kept; a large one's write batch memory is let go instead).
  void RecycleTransaction(std::unique_ptr<rocksdb::Transaction> transaction);

  // REQUIRES: the store is open.
  rocksdb::TransactionDB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* handle(Family family) const {
    return handles_[static_cast<size_t>(family)];
  }

  const std::string& dir() const { return dir_; }
  const Options& options() const { return options_; }
  const Manifest& manifest() const { return manifest_; }

  // Compacts every file of `family` (runs its garbage filter over all of it).
  Status Compact(Family family);

  // Registers (null: removes) what compactions of `family` ask before keeping an entry.
  // REQUIRES: family is Family::kKvData (the only family with a garbage filter so far).
  void SetGarbageCheck(Family family, std::shared_ptr<const GarbageCheck> check);

  // WAL fsyncs since open, by commits and by the periodic syncer together.
  uint64_t WalSyncCount() const;

  // Whether writes would be accepted now, and why not: cheap (two properties). Any thread, but
  // not while Close runs.
  WriteState CheckWrites() const;
  // The server's shutdown has begun: CheckWrites reports "shutting_down" from now on.
  void BeginShutdown() { shutting_down_.store(true, std::memory_order_relaxed); }
  // The listener that records RocksDB's background errors (tests call its callbacks).
  rocksdb::EventListener* background_error_listener_for_testing() const;

 private:
  Store(std::string dir, const Options& options);
  Status OpenRocksDB();

  std::string dir_;
  Options options_;
  Manifest manifest_;
  std::unique_ptr<DirectoryLock> lock_;
  std::shared_ptr<rocksdb::Statistics> statistics_;
  rocksdb::TransactionDB* db_ = nullptr;
  std::array<rocksdb::ColumnFamilyHandle*, kFamilyCount> handles_{};
  // Handles of families that some newer build created; opened because RocksDB requires it.
  std::vector<rocksdb::ColumnFamilyHandle*> other_handles_;
  std::unique_ptr<WalSyncer> syncer_;
  std::shared_ptr<GarbageSlot> kv_data_garbage_;
  std::shared_ptr<BackgroundErrorListener> background_errors_;
  std::atomic<bool> shutting_down_{false};
  std::unique_ptr<SyncGroup> sync_group_;
  std::atomic<rocksdb::Transaction*> spare_transaction_{nullptr};  // owned
};

}  // namespace plexus::storage
