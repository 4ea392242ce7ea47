// Transaction and TransactionManager over rocksdb::TransactionDB.
#include "plexus/txn/transaction.h"

#include <rocksdb/snapshot.h>
#include <rocksdb/utilities/transaction.h>
#include <rocksdb/utilities/transaction_db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <algorithm>

#include "plexus/base/assert.h"
#include "plexus/base/metrics.h"
#include "plexus/storage/rocksdb_options.h"
#include "plexus/storage/rocksdb_status.h"
#include "plexus/storage/store.h"

namespace plexus::txn {

using storage::FromRocksDB;

namespace {

rocksdb::Slice ToSlice(std::string_view text) { return {text.data(), text.size()}; }

// Transactions ended, by outcome (base::DefaultRegistry()), resolved once per process.
struct OutcomeCounters {
  base::Counter& committed;
  base::Counter& aborted;
};

const OutcomeCounters& Outcomes() {
  static const OutcomeCounters counters{
      base::DefaultRegistry().RegisterCounter("plexus_transactions_committed_total",
                                              "Transactions committed."),
      base::DefaultRegistry().RegisterCounter(
          "plexus_transactions_aborted_total",
          "Transactions rolled back: by the client, on an error or when their commit failed."),
  };
  return counters;
}

}  // namespace

// The bounds a rocksdb::Iterator reads through pointers: they must live as long as it does.
struct Iterator::Bounds {
  Bounds(std::string_view lower_key, std::string_view upper_key)
      : lower(lower_key), upper(upper_key), lower_slice(lower), upper_slice(upper) {}

  // Options for a scan over these bounds as of `snapshot` (nullptr: as of now).
  rocksdb::ReadOptions ReadOptions(const rocksdb::Snapshot* snapshot) const {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    read.iterate_lower_bound = &lower_slice;
    if (!upper.empty()) read.iterate_upper_bound = &upper_slice;
    return read;
  }

  const std::string lower;
  const std::string upper;
  const rocksdb::Slice lower_slice;
  const rocksdb::Slice upper_slice;
};

Iterator::Iterator(std::atomic<int64_t>* open_count, std::unique_ptr<Bounds> bounds,
                   std::unique_ptr<rocksdb::Iterator> iterator, Transaction* owner)
    : open_count_(open_count),
      owner_(owner),
      bounds_(std::move(bounds)),
      iterator_(std::move(iterator)) {
  open_count_->fetch_add(1, std::memory_order_relaxed);
  if (owner_ != nullptr) owner_->iterators_.push_back(this);
  iterator_->Seek(bounds_->lower_slice);
}

Iterator::~Iterator() {
  if (owner_ != nullptr) {
    std::vector<Iterator*>& live = owner_->iterators_;
    live.erase(std::find(live.begin(), live.end(), this));
  }
  Detach();
}

void Iterator::Detach() {
  if (!iterator_) return;
  iterator_.reset();
  owner_ = nullptr;
  open_count_->fetch_sub(1, std::memory_order_relaxed);
}

// The bounds are checked here too: a transaction's iterator merges its own writes from the
// indexed write batch, whose iterator ignores iterate_upper_bound — without this, a scan of one
// table went on into another table's rows written by the same transaction.
bool Iterator::Valid() const {
  if (!iterator_ || !iterator_->Valid()) return false;
  const rocksdb::Slice key = iterator_->key();
  if (!bounds_->upper.empty() && key.compare(bounds_->upper_slice) >= 0) return false;
  return key.compare(bounds_->lower_slice) >= 0;
}
void Iterator::Next() { iterator_->Next(); }

void Iterator::Seek(std::string_view target) {
  if (!iterator_) return;
  iterator_->Seek(target < bounds_->lower ? bounds_->lower_slice : ToSlice(target));
}

void Iterator::SeekToLast() {
  if (!iterator_) return;
  if (bounds_->upper.empty()) {
    iterator_->SeekToLast();
    return;
  }
  // The last key before the (exclusive) upper bound.
  iterator_->SeekForPrev(bounds_->upper_slice);
  if (iterator_->Valid() && iterator_->key().compare(bounds_->upper_slice) >= 0) iterator_->Prev();
}

std::string_view Iterator::key() const {
  PLEXUS_DCHECK(Valid());
  rocksdb::Slice key = iterator_->key();
  return {key.data(), key.size()};
}

std::string_view Iterator::value() const {
  PLEXUS_DCHECK(Valid());
  rocksdb::Slice value = iterator_->value();
  return {value.data(), value.size()};
}

Status Iterator::status() const {
  return iterator_ ? FromRocksDB(iterator_->status()) : Status::Ok();
}

Transaction::Transaction(TransactionManager* manager,
                         std::unique_ptr<rocksdb::Transaction> transaction,
                         IsolationLevel isolation, Durability durability)
    : manager_(manager),
      store_(manager->store_),
      transaction_(std::move(transaction)),
      isolation_(isolation),
      durability_(durability) {
  manager_->open_transactions_.fetch_add(1, std::memory_order_relaxed);
}

void Transaction::Finish(State state) {
  PLEXUS_ASSERT(state_ == State::kOpen && state != State::kOpen);
  state_ = state;
  (state == State::kCommitted ? Outcomes().committed : Outcomes().aborted).Increment();
  for (Iterator* iterator : iterators_) iterator->Detach();
  iterators_.clear();
  statement_snapshot_.reset();
  transaction_.reset();
  manager_->open_transactions_.fetch_sub(1, std::memory_order_relaxed);
}

Transaction::~Transaction() {
  // Nobody is left to hear about a failed rollback; RocksDB releases the locks regardless.
  if (is_open()) [[maybe_unused]] Status status = Rollback();
}

Status Transaction::CheckOpen() const {
  switch (state_) {
    case State::kOpen: return Status::Ok();
    case State::kCommitted: return Status::Aborted("transaction is already committed");
    case State::kRolledBack: return Status::Aborted("transaction is already rolled back");
  }
  return Status::Internal("bad transaction state");
}

const rocksdb::Snapshot* Transaction::ReadSnapshot() const {
  if (isolation_ == IsolationLevel::kRepeatableRead) return transaction_->GetSnapshot();
  return statement_snapshot_ ? statement_snapshot_->snapshot() : nullptr;
}

Status Transaction::Read(Family family, std::string_view key, std::string* value,
                         bool for_update) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  rocksdb::ReadOptions read;
  // A locking read under READ COMMITTED sees the latest commit, whatever the statement's
  // snapshot: the row it locks is the row the statement goes on to change (no lost updates).
  read.snapshot = for_update && isolation_ == IsolationLevel::kReadCommitted ? nullptr
                                                                              : ReadSnapshot();
  rocksdb::ColumnFamilyHandle* handle = store_->handle(family);
  if (for_update && IsPrivate(family, key)) for_update = false;  // nobody else writes there
  rocksdb::Status status =
      for_update ? transaction_->GetForUpdate(read, handle, ToSlice(key), value)
                 : transaction_->Get(read, handle, ToSlice(key), value);
  return FromRocksDB(status);
}

void Transaction::AddPrivatePrefix(Family family, std::string prefix) {
  private_prefixes_.emplace_back(family, std::move(prefix));
}

bool Transaction::IsPrivate(Family family, std::string_view key) const {
  for (const auto& [private_family, prefix] : private_prefixes_) {
    if (private_family == family && key.starts_with(prefix)) return true;
  }
  return false;
}

Status Transaction::Get(Family family, std::string_view key, std::string* value) {
  return Read(family, key, value, /*for_update=*/false);
}

Status Transaction::GetForUpdate(Family family, std::string_view key, std::string* value) {
  return Read(family, key, value, /*for_update=*/true);
}

Status Transaction::Put(Family family, std::string_view key, std::string_view value) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  rocksdb::ColumnFamilyHandle* handle = store_->handle(family);
  if (IsPrivate(family, key)) {
    // Straight into the transaction's indexed write batch: RocksDB's PutUntracked still locks.
    ++private_writes_;
    return FromRocksDB(transaction_->GetWriteBatch()->Put(handle, ToSlice(key), ToSlice(value)));
  }
  return FromRocksDB(transaction_->Put(handle, ToSlice(key), ToSlice(value)));
}

Status Transaction::Delete(Family family, std::string_view key) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  rocksdb::ColumnFamilyHandle* handle = store_->handle(family);
  if (IsPrivate(family, key)) {
    ++private_writes_;
    return FromRocksDB(transaction_->GetWriteBatch()->Delete(handle, ToSlice(key)));
  }
  return FromRocksDB(transaction_->Delete(handle, ToSlice(key)));
}

Result<std::unique_ptr<Iterator>> Transaction::Scan(Family family, std::string_view lower,
                                                    std::string_view upper) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  auto bounds = std::make_unique<Iterator::Bounds>(lower, upper);
  std::unique_ptr<rocksdb::Iterator> iterator(
      transaction_->GetIterator(bounds->ReadOptions(ReadSnapshot()), store_->handle(family)));
  return std::unique_ptr<Iterator>(
      new Iterator(&manager_->open_iterators_, std::move(bounds), std::move(iterator), this));
}

Status Transaction::Commit() {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  // A transaction that wrote nothing has nothing to log: releasing its locks is the commit,
  // and it costs no WAL write or fsync.
  if (transaction_->GetNumPuts() == 0 && transaction_->GetNumDeletes() == 0 &&
      private_writes_ == 0) {
    Status status = FromRocksDB(transaction_->Rollback());
    Finish(State::kCommitted);
    return status;
  }
  rocksdb::Status status = transaction_->Commit();
  if (!status.ok()) {
    // RocksDB leaves a failed commit's transaction unusable; roll back to release its locks.
    [[maybe_unused]] rocksdb::Status ignored = transaction_->Rollback();
    Finish(State::kRolledBack);
    return FromRocksDB(status);
  }
  Finish(State::kCommitted);
  manager_->commit_count_.fetch_add(1, std::memory_order_relaxed);
  store_->NoteUnsyncedCommit(durability_);
  return Status::Ok();
}

Status Transaction::Rollback() {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  Status status = FromRocksDB(transaction_->Rollback());
  Finish(State::kRolledBack);
  return status;
}

Result<size_t> Transaction::FindSavepoint(std::string_view name) const {
  // Searched from the newest: a name used twice refers to the later savepoint, as in SQL.
  for (size_t i = savepoints_.size(); i-- > 0;) {
    if (savepoints_[i] == name) return i;
  }
  return Status::NotFound("savepoint \"" + std::string(name) + "\" does not exist");
}

Status Transaction::Savepoint(std::string_view name) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  transaction_->SetSavePoint();
  savepoints_.emplace_back(name);
  return Status::Ok();
}

Status Transaction::RollbackToSavepoint(std::string_view name) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  PLEXUS_ASSIGN_OR_RETURN(size_t index, FindSavepoint(name));
  // RocksDB rolls back to the newest savepoint and drops it; unwind down to ours, then set it
  // again because SQL keeps the savepoint after ROLLBACK TO.
  for (size_t i = savepoints_.size(); i > index; --i) {
    PLEXUS_RETURN_IF_ERROR(FromRocksDB(transaction_->RollbackToSavePoint()));
  }
  savepoints_.resize(index);
  return Savepoint(name);
}

Status Transaction::ReleaseSavepoint(std::string_view name) {
  PLEXUS_RETURN_IF_ERROR(CheckOpen());
  PLEXUS_ASSIGN_OR_RETURN(size_t index, FindSavepoint(name));
  for (size_t i = savepoints_.size(); i > index; --i) {
    PLEXUS_RETURN_IF_ERROR(FromRocksDB(transaction_->PopSavePoint()));
  }
  savepoints_.resize(index);
  return Status::Ok();
}

void Transaction::BeginStatement() {
  if (isolation_ != IsolationLevel::kReadCommitted || !is_open()) return;
  statement_snapshot_ = std::make_unique<rocksdb::ManagedSnapshot>(store_->db());
}

void Transaction::SetDurability(Durability durability) {
  durability_ = durability;
  if (transaction_) transaction_->SetWriteOptions(storage::WriteOptionsFor(durability));
}

std::unique_ptr<Transaction> TransactionManager::Begin(const TransactionOptions& options) {
  const Options& defaults = store_->options();
  IsolationLevel isolation = options.isolation.value_or(defaults.isolation);
  Durability durability = options.durability.value_or(defaults.durability);

  rocksdb::TransactionOptions transaction_options;
  transaction_options.set_snapshot = isolation == IsolationLevel::kRepeatableRead;
  transaction_options.deadlock_detect = true;
  transaction_options.lock_timeout = options.lock_timeout_ms.value_or(defaults.lock_timeout_ms);
  std::unique_ptr<rocksdb::Transaction> transaction(store_->db()->BeginTransaction(
      storage::WriteOptionsFor(durability), transaction_options));
  PLEXUS_ASSERT(transaction != nullptr);
  return std::unique_ptr<Transaction>(
      new Transaction(this, std::move(transaction), isolation, durability));
}

TransactionManager::~TransactionManager() {
  // A transaction or iterator that outlives its manager would touch a closed store.
  PLEXUS_ASSERT(open_transaction_count() == 0);
  PLEXUS_ASSERT(open_iterator_count() == 0);
}

Status TransactionManager::Get(Family family, std::string_view key, std::string* value) {
  return FromRocksDB(
      store_->db()->Get(rocksdb::ReadOptions(), store_->handle(family), ToSlice(key), value));
}

Status TransactionManager::FinishWrite(Status written) {
  if (!written.ok()) return written;
  commit_count_.fetch_add(1, std::memory_order_relaxed);
  store_->NoteUnsyncedCommit(store_->options().durability);
  return Status::Ok();
}

Status TransactionManager::Put(Family family, std::string_view key, std::string_view value) {
  rocksdb::WriteOptions write = storage::WriteOptionsFor(store_->options().durability);
  return FinishWrite(FromRocksDB(
      store_->db()->Put(write, store_->handle(family), ToSlice(key), ToSlice(value))));
}

Status TransactionManager::Delete(Family family, std::string_view key) {
  rocksdb::WriteOptions write = storage::WriteOptionsFor(store_->options().durability);
  return FinishWrite(
      FromRocksDB(store_->db()->Delete(write, store_->handle(family), ToSlice(key))));
}

Result<std::unique_ptr<Iterator>> TransactionManager::Scan(Family family, std::string_view lower,
                                                           std::string_view upper) {
  auto bounds = std::make_unique<Iterator::Bounds>(lower, upper);
  std::unique_ptr<rocksdb::Iterator> iterator(
      store_->db()->NewIterator(bounds->ReadOptions(nullptr), store_->handle(family)));
  return std::unique_ptr<Iterator>(
      new Iterator(&open_iterators_, std::move(bounds), std::move(iterator), nullptr));
}

}  // namespace plexus::txn
