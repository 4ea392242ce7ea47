// Transactions over the store: snapshot reads, locked writes, range scans that see the
// transaction's own writes, savepoints, commit under a durability mode. RocksDB's
// TransactionDB (pessimistic locking, deadlock detection) does the work; its types stay out of
// this interface so that the snapshot mechanism can change without touching the layers above.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/options.h"
#include "plexus/storage/family.h"
#include "plexus/txn/appended_writes.h"
#include "plexus/txn/object_locks.h"

namespace rocksdb {
class Iterator;
class ManagedSnapshot;
class Snapshot;
class Transaction;
}  // namespace rocksdb

namespace plexus::storage {
class Store;
}  // namespace plexus::storage

namespace plexus::txn {

using storage::Family;

class Transaction;
class TransactionManager;

// How Transaction::GetForUpdate locks: exclusively (to write the key) or shared (others may
// share it, none write), and whether it waits for a conflicting holder up to the lock timeout
// or fails at once with kLockTimeout.
struct LockMode {
  bool exclusive = true;
  bool wait = true;
};

// A forward scan over [lower, upper) of one family. REQUIRES: does not outlive the store it
// came from. An iterator of a transaction that has ended is empty (Valid() is false), so an
// operator tree kept for the next execution of a prepared statement may still hold one.
class Iterator {
 public:
  ~Iterator();
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;

  bool Valid() const;
  void Next();
  // Positions at the first key >= target (clamped to the scan's bounds).
  void Seek(std::string_view target);
  // Positions at the last key of the scan's range.
  void SeekToLast();
  // REQUIRES: Valid(). Valid until the next move.
  std::string_view key() const;
  std::string_view value() const;
  Status status() const;

 private:
  friend class Transaction;
  friend class TransactionManager;
  struct Bounds;
  Iterator(std::atomic<int64_t>* open_count, std::unique_ptr<Bounds> bounds,
           std::unique_ptr<rocksdb::Iterator> iterator, Transaction* owner);
  // Releases the RocksDB iterator: its transaction has ended.
  void Detach();

  std::atomic<int64_t>* open_count_;  // the manager's count of live iterators
  Transaction* owner_;                // null for a scan outside a transaction, or once detached
  std::unique_ptr<Bounds> bounds_;  // before iterator_: the iterator points into it
  std::unique_ptr<rocksdb::Iterator> iterator_;
};

class Transaction {
 public:
  ~Transaction();  // rolls back when still open
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // kNotFound when the key does not exist. Reads see this transaction's own writes and, under
  // REPEATABLE READ, the snapshot taken at begin; under READ COMMITTED the latest commit (or
  // the snapshot of the current statement, see BeginStatement).
  Status Get(Family family, std::string_view key, std::string* value);
  // As Get, and locks the key until the transaction ends. Under REPEATABLE READ fails with
  // kSerializationFailure when another transaction wrote the key after the snapshot; under READ
  // COMMITTED reads the latest commit (not the statement's snapshot), as PostgreSQL's row locks.
  Status GetForUpdate(Family family, std::string_view key, std::string* value,
                      LockMode mode = {});
  // Takes back one GetForUpdate of `key` (RocksDB counts them): once every one is taken back the
  // key is unlocked, unless this transaction wrote it or set a savepoint since. For a row a
  // locking SELECT locked and then passed over.
  void UndoGetForUpdate(Family family, std::string_view key);
  // Lock the key (waiting up to the lock timeout) and buffer the write until commit.
  Status Put(Family family, std::string_view key, std::string_view value);
  Status Delete(Family family, std::string_view key);
  // Keys in [lower, upper) of `family`; an empty upper means the end of the family.
  Result<std::unique_ptr<Iterator>> Scan(Family family, std::string_view lower,
                                         std::string_view upper);

  Status Commit();
  Status Rollback();

  Status Savepoint(std::string_view name);
  // Undoes every write since the savepoint and keeps it (SQL's ROLLBACK TO SAVEPOINT).
  Status RollbackToSavepoint(std::string_view name);
  // Forgets the savepoint and every later one, keeping their writes (RELEASE SAVEPOINT).
  Status ReleaseSavepoint(std::string_view name);

  // READ COMMITTED: the reads of a new statement see one snapshot taken now. No-op under
  // REPEATABLE READ, whose snapshot lasts the whole transaction.
  void BeginStatement();

  // Declares the keys of `family` starting with `prefix` private to this transaction: nobody
  // else can write them before it commits (the rows of a table it created, the entries of an
  // index it created: their ids are unknown elsewhere). Writes there take no lock and are not
  // tracked for conflicts, and GetForUpdate reads without locking — a bulk load into a new
  // table pays no lock per key. REQUIRES: the transaction has written nothing under `prefix`.
  void AddPrivatePrefix(Family family, std::string prefix);

  // Keys of the rows and index families are grouped by their first key part (a table's rows,
  // an index's entries). Each group a transaction locks or writes takes its intent lock
  // (ObjectLocks) first; after kEscalateAfter locked keys in one group, a READ COMMITTED
  // transaction that is the group's only writer takes it exclusively and locks no more keys
  // there. (Under REPEATABLE READ another writer may have committed since the snapshot, which
  // only a row lock's validation notices, so it keeps locking rows.) Writes to a group nobody
  // else writes (held exclusively, or private) that come in ascending key order are kept out
  // of RocksDB's indexed write batch (AppendedWrites) until a scan of the group, a savepoint or
  // the commit; so are writes to a group others write, of the key the latest locking read
  // locked (an INSERT after its uniqueness check).
  static constexpr uint32_t kEscalateAfter = 4096;
  // Groups held exclusively (for tests).
  size_t exclusive_object_count() const;

  void SetDurability(Durability durability);
  IsolationLevel isolation() const { return isolation_; }
  Durability durability() const { return durability_; }
  bool is_open() const { return state_ == State::kOpen; }

 private:
  friend class TransactionManager;
  friend class Iterator;
  enum class State : uint8_t { kOpen, kCommitted, kRolledBack };

  // A group of keys (see kEscalateAfter) this transaction has locked or written, or declared
  // private.
  struct HeldObject {
    Family family;
    std::string prefix;
    bool registered = false;  // holds the group's intent lock in ObjectLocks
    bool exclusive = false;   // nobody else writes here: its keys take no locks
    bool appending = true;    // writes in ascending key order may still go to `appended`
    uint32_t locked_keys = 0;
    // Writes newer than every write of the group in RocksDB's indexed batch.
    AppendedWrites appended;
    // The greatest key of the group written to the indexed batch (when `indexed`): a read of
    // a key above it needs no search of the batch.
    bool indexed = false;
    std::string indexed_max;

    // While the group is exclusive nobody else commits there, so what one seek learnt of its
    // committed keys stays true: none lies in [absent_lower, absent_upper) (an empty upper: up
    // to the group's end). The uniqueness checks of rows loaded in key order read nothing more.
    bool absent_known = false;
    std::string absent_lower;
    std::string absent_upper;

    void NoteIndexed(std::string_view key) {
      if (!indexed || key > indexed_max) indexed_max = key;
      indexed = true;
    }
    bool MayBeIndexed(std::string_view key) const { return indexed && key <= indexed_max; }
    bool KnownAbsent(std::string_view key) const {
      return absent_known && key >= absent_lower && (absent_upper.empty() || key < absent_upper);
    }
  };

  Transaction(TransactionManager* manager, std::unique_ptr<rocksdb::Transaction> transaction,
              IsolationLevel isolation, Durability durability, uint32_t lock_timeout_ms);
  // Releases the RocksDB transaction (its locks and snapshot) once it has ended.
  void Finish(State state);
  // The RocksDB transaction, begun now if it was not (READ COMMITTED begins it at the first
  // lock, write or savepoint). REQUIRES: open.
  rocksdb::Transaction* Writer();
  // Whether the transaction has no writes of its own in RocksDB's indexed batch: reads and
  // scans go to the database directly.
  bool WritesNothing() const;
  Status CheckOpen() const;
  // What reads see: the transaction's snapshot (REPEATABLE READ), the statement's (READ
  // COMMITTED after BeginStatement) or, when null, the latest commit.
  const rocksdb::Snapshot* ReadSnapshot() const;
  Status Read(Family family, std::string_view key, std::string* value, bool for_update,
              LockMode mode = {});
  // The latest committed value of `key` in `group`. REQUIRES: group.exclusive.
  Status ReadExclusiveGroup(HeldObject& group, std::string_view key, std::string* value);
  // Index of the newest savepoint called `name`, or kNotFound.
  Result<size_t> FindSavepoint(std::string_view name) const;

  TransactionManager* manager_;
  storage::Store* store_;
  // Null before the first lock or write under READ COMMITTED, and once the transaction has ended.
  std::unique_ptr<rocksdb::Transaction> transaction_;
  std::vector<Iterator*> iterators_;                   // live scans, detached when it ends
  std::unique_ptr<rocksdb::ManagedSnapshot> statement_snapshot_;
  IsolationLevel isolation_;
  Durability durability_;
  State state_ = State::kOpen;
  std::vector<std::string> savepoints_;  // parallel to RocksDB's savepoint stack
  uint64_t private_writes_ = 0;  // writes past RocksDB's Put (which it does not count)
  // Before a locking read or a write of `key`: takes its group's intent lock (perhaps waiting
  // for an exclusive holder). Returns the key's group (null for a key outside groups); its key
  // needs no lock of its own when the group is `exclusive` (private, or held exclusively).
  Result<HeldObject*> PrepareLockedAccess(Family family, std::string_view key, bool wait = true);
  HeldObject* FindHeldObject(Family family, std::string_view key);
  // Moves the group's appended writes into RocksDB's indexed batch (they become visible to
  // scans, and ordered before later writes of the batch).
  Status IndexAppended(HeldObject& object);
  void ReleaseObjects();

  // The key the latest locking read of a group others write (GetForUpdate) locked: a write of
  // it next (an INSERT after its uniqueness check, an UPDATE of the row it read) needs no second
  // lock, and goes to the group's appended writes when in ascending order (RocksDB's Put locked
  // again and indexed the batch: 4.1K instructions per row, now 0.7K).
  bool last_locked_valid_ = false;
  Family last_locked_family_ = Family::kRows;
  std::string last_locked_key_;
  void NoteLocked(Family family, std::string_view key) {
    last_locked_valid_ = true;
    last_locked_family_ = family;
    last_locked_key_.assign(key);
  }
  bool LockedLast(Family family, std::string_view key) const {
    return last_locked_valid_ && last_locked_family_ == family && last_locked_key_ == key;
  }

  uint32_t lock_timeout_ms_;
  std::vector<HeldObject> objects_;
  size_t last_object_ = 0;  // index in objects_ of the last group used (bulk writes repeat it)
};

// Begins transactions and runs single-operation ones without building a transaction.
class TransactionManager {
 public:
  // REQUIRES: `store` is open and outlives the manager and every transaction it begins.
  explicit TransactionManager(storage::Store* store) : store_(store) {}
  // REQUIRES: every transaction it began has ended (committed, rolled back or destroyed) and
  // every iterator it or its transactions made is destroyed.
  ~TransactionManager();

  std::unique_ptr<Transaction> Begin(const TransactionOptions& options = {});

  // Latest committed value; kNotFound when absent.
  Status Get(Family family, std::string_view key, std::string* value);
  // One-write transactions under the database's durability.
  Status Put(Family family, std::string_view key, std::string_view value);
  Status Delete(Family family, std::string_view key);
  // A scan of the latest committed data, as of the call.
  Result<std::unique_ptr<Iterator>> Scan(Family family, std::string_view lower,
                                         std::string_view upper);

  uint64_t commit_count() const { return commit_count_.load(std::memory_order_relaxed); }
  // Transactions begun and not yet ended.
  int64_t open_transaction_count() const {
    return open_transactions_.load(std::memory_order_relaxed);
  }
  int64_t open_iterator_count() const { return open_iterators_.load(std::memory_order_relaxed); }

 private:
  friend class Transaction;
  Status FinishWrite(Status written);

  storage::Store* store_;
  ObjectLocks object_locks_;
  std::atomic<uint64_t> commit_count_{0};
  std::atomic<int64_t> open_transactions_{0};
  std::atomic<int64_t> open_iterators_{0};
};

}  // namespace plexus::txn
