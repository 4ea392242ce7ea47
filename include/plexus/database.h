// The embedded API: open a data directory, run transactions over an ordered key-value space with
// typed composite keys (plexus::Key), scan ranges. Every call returns Status/Result; nothing throws.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "plexus/key.h"
#include "plexus/options.h"
#include "plexus/status.h"

namespace plexus {

namespace txn {
class Transaction;
class Iterator;
}  // namespace txn

// A forward range scan over a consistent view. Usage:
//   for (; it.Valid(); it.Next()) use(it.key(), it.value());
//   if (!it.status().ok()) ...
class Iterator {
 public:
  explicit Iterator(std::unique_ptr<txn::Iterator> impl);
  Iterator(Iterator&&) noexcept;
  Iterator& operator=(Iterator&&) noexcept;
  ~Iterator();

  bool Valid() const;
  void Next();
  // REQUIRES: Valid(). The encoded key (Key::FromEncoded(...).Decode() gives its parts) and value;
  // both stay valid until the next call to Next().
  std::string_view key() const;
  std::string_view value() const;
  // Why the iteration stopped early, if it did.
  Status status() const;

 private:
  std::unique_ptr<txn::Iterator> impl_;
};

class Transaction {
 public:
  explicit Transaction(std::unique_ptr<txn::Transaction> impl);
  ~Transaction();  // rolls back if neither committed nor rolled back
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // nullopt when the key does not exist. Sees this transaction's own writes.
  Result<std::optional<std::string>> Get(const Key& key);
  // As Get, and locks the key until the transaction ends (SELECT ... FOR UPDATE). Under
  // REPEATABLE READ it fails with kSerializationFailure if the key changed after the snapshot.
  Result<std::optional<std::string>> GetForUpdate(const Key& key);
  Status Put(const Key& key, std::string_view value);
  Status Delete(const Key& key);

  // Keys in [lower, upper); an empty upper means no upper bound.
  Result<Iterator> Scan(const Key& lower, const Key& upper);
  // Keys that start with `prefix`.
  Result<Iterator> ScanPrefix(const Key& prefix);

  Status Commit();
  Status Rollback();

  // SQL savepoints: ROLLBACK TO keeps the savepoint, RELEASE removes it and every later one.
  Status Savepoint(std::string_view name);
  Status RollbackToSavepoint(std::string_view name);
  Status ReleaseSavepoint(std::string_view name);

  // Overrides the durability of this transaction's commit.
  void SetDurability(Durability durability);

 private:
  std::unique_ptr<txn::Transaction> impl_;
};

class Database {
 public:
  // Opens (creating when missing and options.create_if_missing) the data directory `dir`.
  // Fails with kBusy if another process has it open, kNotSupported if a newer Plexus wrote it.
  static Result<std::unique_ptr<Database>> Open(std::string_view dir, const Options& options = {});
  ~Database();  // Close()
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<std::unique_ptr<Transaction>> Begin(const TransactionOptions& options = {});

  // Single-operation transactions.
  Result<std::optional<std::string>> Get(const Key& key);
  Status Put(const Key& key, std::string_view value);
  Status Delete(const Key& key);
  Result<Iterator> Scan(const Key& lower, const Key& upper);
  Result<Iterator> ScanPrefix(const Key& prefix);

  // Writes memtables to SST files (makes the next open fast). Close() does it too.
  Status Flush();
  // Flushes, syncs the WAL and releases the directory. Further calls fail with kAborted.
  // Fails with kBusy, leaving the database open, while transactions or iterators are alive.
  // REQUIRES (for the destructor): every Transaction and Iterator has been destroyed.
  Status Close();

  // The node id recorded in the data directory's manifest.
  std::string_view node_id() const;
  // Number of WAL fsyncs since open; with group commit it grows slower than commits.
  uint64_t wal_sync_count() const;
  uint64_t commit_count() const;

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace plexus
