// Transactions: visibility, isolation anomalies per level, locks, deadlocks, savepoints,
// durability modes and group commit.
#include "plexus/txn/transaction.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "plexus/base/metrics.h"
#include "plexus/base/temp_dir.h"
#include "plexus/storage/key_codec.h"
#include "plexus/storage/store.h"

namespace plexus::txn {
namespace {

constexpr Family kRows = Family::kRows;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(Options()); }

  void Reopen(const Options& options) {
    manager_.reset();
    store_.reset();
    auto store = storage::Store::Open(temp_.path(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    manager_ = std::make_unique<TransactionManager>(store_.get());
  }

  std::unique_ptr<Transaction> Begin(IsolationLevel isolation,
                                     std::optional<uint32_t> lock_timeout_ms = {}) {
    TransactionOptions options;
    options.isolation = isolation;
    options.lock_timeout_ms = lock_timeout_ms;
    return manager_->Begin(options);
  }

  // The committed value of `key`, or "<none>".
  std::string Committed(std::string_view key) {
    std::string value;
    Status status = manager_->Get(kRows, key, &value);
    if (status.IsNotFound()) return "<none>";
    EXPECT_TRUE(status.ok()) << status.ToString();
    return value;
  }

  static std::string Read(Transaction* transaction, std::string_view key) {
    std::string value;
    Status status = transaction->Get(kRows, key, &value);
    if (status.IsNotFound()) return "<none>";
    EXPECT_TRUE(status.ok()) << status.ToString();
    return value;
  }

  static std::vector<std::string> ScanKeys(Result<std::unique_ptr<Iterator>> iterator) {
    EXPECT_TRUE(iterator.ok()) << iterator.status().ToString();
    std::vector<std::string> keys;
    for (; (*iterator)->Valid(); (*iterator)->Next()) keys.emplace_back((*iterator)->key());
    EXPECT_TRUE((*iterator)->status().ok());
    return keys;
  }

  base::TempDir temp_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<TransactionManager> manager_;
};

TEST_F(TransactionTest, CommitMakesWritesVisible) {
  auto writer = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(writer->Put(kRows, "a", "1").ok());
  EXPECT_EQ(Read(writer.get(), "a"), "1");  // own write
  EXPECT_EQ(Committed("a"), "<none>");
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(Committed("a"), "1");
  EXPECT_EQ(manager_->commit_count(), 1u);
}

TEST_F(TransactionTest, OutcomesAreCountedInTheMetrics) {
  base::Registry& registry = base::DefaultRegistry();
  const base::Counter& committed =
      registry.RegisterCounter("plexus_transactions_committed_total", "");
  const base::Counter& aborted = registry.RegisterCounter("plexus_transactions_aborted_total", "");
  const uint64_t committed_before = committed.value();
  const uint64_t aborted_before = aborted.value();
  auto writer = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(writer->Put(kRows, "a", "1").ok());
  ASSERT_TRUE(writer->Commit().ok());
  auto reader = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(reader->Commit().ok());  // read-only: committed without a WAL write, still counted
  auto rolled_back = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(rolled_back->Put(kRows, "b", "2").ok());
  ASSERT_TRUE(rolled_back->Rollback().ok());
  { auto dropped = Begin(IsolationLevel::kRepeatableRead); }  // rolled back by its destructor
  EXPECT_EQ(committed.value() - committed_before, 2u);
  EXPECT_EQ(aborted.value() - aborted_before, 2u);
}

TEST_F(TransactionTest, DirtyReadIsImpossibleAtEveryLevel) {
  auto writer = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(writer->Put(kRows, "x", "dirty").ok());
  for (IsolationLevel level : {IsolationLevel::kReadCommitted, IsolationLevel::kRepeatableRead}) {
    auto reader = Begin(level);
    EXPECT_EQ(Read(reader.get(), "x"), "<none>");
    EXPECT_TRUE(ScanKeys(reader->Scan(kRows, "", "")).empty());
  }
  ASSERT_TRUE(writer->Rollback().ok());
}

TEST_F(TransactionTest, ReadCommittedSeesNewCommitsRepeatableReadDoesNot) {
  ASSERT_TRUE(manager_->Put(kRows, "x", "1").ok());
  auto read_committed = Begin(IsolationLevel::kReadCommitted);
  auto repeatable_read = Begin(IsolationLevel::kRepeatableRead);
  EXPECT_EQ(Read(read_committed.get(), "x"), "1");
  EXPECT_EQ(Read(repeatable_read.get(), "x"), "1");

  ASSERT_TRUE(manager_->Put(kRows, "x", "2").ok());
  ASSERT_TRUE(manager_->Put(kRows, "y", "new").ok());
  EXPECT_EQ(Read(read_committed.get(), "x"), "2");  // non-repeatable read allowed
  EXPECT_EQ(Read(repeatable_read.get(), "x"), "1");  // not at REPEATABLE READ
  EXPECT_EQ(ScanKeys(read_committed->Scan(kRows, "", "")), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(ScanKeys(repeatable_read->Scan(kRows, "", "")), (std::vector<std::string>{"x"}));
}

TEST_F(TransactionTest, ReadCommittedStatementSnapshotIsStable) {
  ASSERT_TRUE(manager_->Put(kRows, "x", "1").ok());
  auto transaction = Begin(IsolationLevel::kReadCommitted);
  transaction->BeginStatement();
  ASSERT_TRUE(manager_->Put(kRows, "x", "2").ok());
  EXPECT_EQ(Read(transaction.get(), "x"), "1");  // same statement
  transaction->BeginStatement();
  EXPECT_EQ(Read(transaction.get(), "x"), "2");  // next statement
}

TEST_F(TransactionTest, LostUpdateIsPreventedAtRepeatableRead) {
  ASSERT_TRUE(manager_->Put(kRows, "counter", "0").ok());
  auto first = Begin(IsolationLevel::kRepeatableRead);
  auto second = Begin(IsolationLevel::kRepeatableRead);
  EXPECT_EQ(Read(first.get(), "counter"), "0");
  EXPECT_EQ(Read(second.get(), "counter"), "0");
  ASSERT_TRUE(first->Put(kRows, "counter", "1").ok());
  ASSERT_TRUE(first->Commit().ok());
  Status status = second->Put(kRows, "counter", "1");
  EXPECT_TRUE(status.IsSerializationFailure()) << status.ToString();
  ASSERT_TRUE(second->Rollback().ok());
  EXPECT_EQ(Committed("counter"), "1");
}

TEST_F(TransactionTest, GetForUpdateFailsOnKeyChangedAfterSnapshot) {
  ASSERT_TRUE(manager_->Put(kRows, "k", "0").ok());
  auto transaction = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(manager_->Put(kRows, "k", "1").ok());
  std::string value;
  Status status = transaction->GetForUpdate(kRows, "k", &value);
  EXPECT_TRUE(status.IsSerializationFailure()) << status.ToString();
}

// Read-modify-write with GetForUpdate at READ COMMITTED: the second increment waits for the
// first, then reads its result. Two increments give 2, never 1.
TEST_F(TransactionTest, LostUpdateIsPreventedWithGetForUpdateAtReadCommitted) {
  ASSERT_TRUE(manager_->Put(kRows, "counter", "0").ok());
  auto increment = [this] {
    auto transaction = Begin(IsolationLevel::kReadCommitted, 10000);
    std::string value;
    ASSERT_TRUE(transaction->GetForUpdate(kRows, "counter", &value).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(transaction->Put(kRows, "counter", std::to_string(std::stoi(value) + 1)).ok());
    ASSERT_TRUE(transaction->Commit().ok());
  };
  std::thread first(increment);
  std::thread second(increment);
  first.join();
  second.join();
  EXPECT_EQ(Committed("counter"), "2");
}

TEST_F(TransactionTest, LockWaitTimesOut) {
  auto holder = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(holder->Put(kRows, "k", "held").ok());
  auto waiter = Begin(IsolationLevel::kReadCommitted, 50);
  Status status = waiter->Put(kRows, "k", "waiting");
  EXPECT_TRUE(status.IsLockTimeout()) << status.ToString();
  ASSERT_TRUE(holder->Commit().ok());
  EXPECT_TRUE(waiter->Put(kRows, "k", "after").ok());
  ASSERT_TRUE(waiter->Commit().ok());
  EXPECT_EQ(Committed("k"), "after");
}

TEST_F(TransactionTest, DeadlockIsDetectedAndOneVictimAborts) {
  auto first = Begin(IsolationLevel::kReadCommitted, 20000);
  auto second = Begin(IsolationLevel::kReadCommitted, 20000);
  ASSERT_TRUE(first->Put(kRows, "a", "first").ok());
  ASSERT_TRUE(second->Put(kRows, "b", "second").ok());
  Status first_status;
  // A victim rolls back at once, which lets the other transaction's lock wait end.
  std::thread blocked([&] {
    first_status = first->Put(kRows, "b", "first");
    if (first_status.IsDeadlock()) {
      EXPECT_TRUE(first->Rollback().ok());
    }
  });
  // Let `first` start waiting for b; if it has not yet, the detector finds the cycle from its
  // side instead, and exactly one of the two still fails with kDeadlock.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Status second_status = second->Put(kRows, "a", "second");
  if (second_status.IsDeadlock()) {
    ASSERT_TRUE(second->Rollback().ok());
  }
  blocked.join();
  EXPECT_NE(first_status.IsDeadlock(), second_status.IsDeadlock())
      << first_status.ToString() << " / " << second_status.ToString();
  EXPECT_FALSE(first_status.IsLockTimeout());
  EXPECT_FALSE(second_status.IsLockTimeout());
  if (second->is_open()) {
    ASSERT_TRUE(second->Commit().ok());
  }
  if (first->is_open()) {
    ASSERT_TRUE(first->Commit().ok());
  }
}

TEST_F(TransactionTest, RollbackLeavesNoTrace) {
  ASSERT_TRUE(manager_->Put(kRows, "keep", "v").ok());
  auto transaction = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(transaction->Put(kRows, "a", "1").ok());
  ASSERT_TRUE(transaction->Put(kRows, "b", "2").ok());
  ASSERT_TRUE(transaction->Delete(kRows, "keep").ok());
  ASSERT_TRUE(transaction->Rollback().ok());
  EXPECT_EQ(Committed("a"), "<none>");
  EXPECT_EQ(Committed("keep"), "v");
  EXPECT_EQ(ScanKeys(manager_->Scan(kRows, "", "")), (std::vector<std::string>{"keep"}));
  // Its locks are gone too.
  auto other = Begin(IsolationLevel::kReadCommitted, 10);
  EXPECT_TRUE(other->Put(kRows, "a", "x").ok());
  // And so is it, after a restart.
  ASSERT_TRUE(other->Rollback().ok());
  Reopen(Options());
  EXPECT_EQ(ScanKeys(manager_->Scan(kRows, "", "")), (std::vector<std::string>{"keep"}));
}

TEST_F(TransactionTest, SavepointsFollowSqlSemantics) {
  auto transaction = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(transaction->Put(kRows, "a", "1").ok());
  ASSERT_TRUE(transaction->Savepoint("s1").ok());
  ASSERT_TRUE(transaction->Put(kRows, "b", "2").ok());
  ASSERT_TRUE(transaction->Savepoint("s2").ok());
  ASSERT_TRUE(transaction->Put(kRows, "c", "3").ok());
  ASSERT_TRUE(transaction->Put(kRows, "a", "changed").ok());

  ASSERT_TRUE(transaction->RollbackToSavepoint("s1").ok());
  EXPECT_EQ(ScanKeys(transaction->Scan(kRows, "", "")), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Read(transaction.get(), "a"), "1");
  // s2 went with the rollback; s1 stays and can be rolled back to again.
  EXPECT_TRUE(transaction->RollbackToSavepoint("s2").IsNotFound());
  ASSERT_TRUE(transaction->Put(kRows, "d", "4").ok());
  ASSERT_TRUE(transaction->RollbackToSavepoint("s1").ok());
  EXPECT_EQ(Read(transaction.get(), "d"), "<none>");

  ASSERT_TRUE(transaction->Put(kRows, "e", "5").ok());
  ASSERT_TRUE(transaction->ReleaseSavepoint("s1").ok());
  EXPECT_TRUE(transaction->RollbackToSavepoint("s1").IsNotFound());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(ScanKeys(manager_->Scan(kRows, "", "")), (std::vector<std::string>{"a", "e"}));
}

TEST_F(TransactionTest, ScanSeesOwnWritesWithinBounds) {
  for (std::string key : {"a", "b", "c", "d"}) ASSERT_TRUE(manager_->Put(kRows, key, key).ok());
  auto transaction = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(transaction->Put(kRows, "bb", "new").ok());
  ASSERT_TRUE(transaction->Delete(kRows, "c").ok());
  EXPECT_EQ(ScanKeys(transaction->Scan(kRows, "b", "d")), (std::vector<std::string>{"b", "bb"}));
  EXPECT_EQ(ScanKeys(transaction->Scan(kRows, "b", "")),
            (std::vector<std::string>{"b", "bb", "d"}));
  // Other families are separate key spaces.
  EXPECT_TRUE(ScanKeys(transaction->Scan(Family::kIndex, "", "")).empty());
}

TEST_F(TransactionTest, ScanStopsAtItsBoundsAmongItsOwnWrites) {
  ASSERT_TRUE(manager_->Put(kRows, "a1", "committed").ok());
  auto transaction = Begin(IsolationLevel::kReadCommitted);
  // Own writes on both sides of the range [a, b): the batch's iterator ignores the bound.
  for (std::string key : {"a2", "b1", "b2", "c"}) ASSERT_TRUE(transaction->Put(kRows, key, key).ok());
  EXPECT_EQ(ScanKeys(transaction->Scan(kRows, "a", "b")), (std::vector<std::string>{"a1", "a2"}));
  auto last = transaction->Scan(kRows, "a", "b");
  ASSERT_TRUE(last.ok());
  (*last)->SeekToLast();
  ASSERT_TRUE((*last)->Valid());
  EXPECT_EQ((*last)->key(), "a2");
  auto empty = transaction->Scan(kRows, "a3", "b");
  ASSERT_TRUE(empty.ok());
  (*empty)->SeekToLast();
  EXPECT_FALSE((*empty)->Valid());
}

TEST_F(TransactionTest, ScanOfATransactionWithoutWritesReadsItsSnapshotWithinBounds) {
  for (std::string key : {"a", "b", "c", "d"}) ASSERT_TRUE(manager_->Put(kRows, key, key).ok());
  auto reader = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(manager_->Put(kRows, "bb", "after the snapshot").ok());
  EXPECT_EQ(ScanKeys(reader->Scan(kRows, "b", "d")), (std::vector<std::string>{"b", "c"}));
  auto scan = reader->Scan(kRows, "b", "d");
  ASSERT_TRUE(scan.ok());
  (*scan)->Seek("a");  // clamped to the lower bound
  ASSERT_TRUE((*scan)->Valid());
  EXPECT_EQ((*scan)->key(), "b");
  (*scan)->SeekToLast();
  ASSERT_TRUE((*scan)->Valid());
  EXPECT_EQ((*scan)->key(), "c");
  (*scan)->Next();
  EXPECT_FALSE((*scan)->Valid());  // "d" is the upper bound
  // Once it writes, its scans merge its own writes again.
  ASSERT_TRUE(reader->Put(kRows, "cc", "own").ok());
  EXPECT_EQ(ScanKeys(reader->Scan(kRows, "b", "d")), (std::vector<std::string>{"b", "c", "cc"}));
  std::string value;
  EXPECT_TRUE(reader->Get(kRows, "bb", &value).IsNotFound());
  ASSERT_TRUE(reader->Get(kRows, "cc", &value).ok());
  EXPECT_EQ(value, "own");
  ASSERT_TRUE(reader->Rollback().ok());
}

TEST_F(TransactionTest, FinishedTransactionRejectsFurtherWork) {
  auto transaction = Begin(IsolationLevel::kRepeatableRead);
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_TRUE(transaction->Put(kRows, "a", "1").IsAborted());
  EXPECT_TRUE(transaction->Commit().IsAborted());
  std::string value;
  EXPECT_TRUE(transaction->Get(kRows, "a", &value).IsAborted());
}

TEST_F(TransactionTest, ScanOfAnEndedTransactionIsEmptyAndMayOutliveIt) {
  for (std::string key : {"a", "b"}) ASSERT_TRUE(manager_->Put(kRows, key, key).ok());
  auto transaction = Begin(IsolationLevel::kReadCommitted);
  auto scan = transaction->Scan(kRows, "", "");
  ASSERT_TRUE(scan.ok());
  std::unique_ptr<Iterator> iterator = std::move(scan).value();
  ASSERT_TRUE(iterator->Valid());
  EXPECT_EQ(manager_->open_iterator_count(), 1);
  ASSERT_TRUE(transaction->Commit().ok());
  // The transaction's end released the RocksDB iterator: the scan is empty from now on.
  EXPECT_FALSE(iterator->Valid());
  EXPECT_TRUE(iterator->status().ok());
  iterator->Seek("a");
  EXPECT_FALSE(iterator->Valid());
  EXPECT_EQ(manager_->open_iterator_count(), 0);
  transaction.reset();
  iterator.reset();  // after its transaction is gone: no use of freed memory (ASan checks)
  EXPECT_EQ(manager_->open_iterator_count(), 0);
}

TEST_F(TransactionTest, PrivatePrefixWritesTakeNoLocksAndStillRollBack) {
  auto owner = Begin(IsolationLevel::kReadCommitted);
  owner->AddPrivatePrefix(kRows, "new/");
  std::string value;
  EXPECT_TRUE(owner->GetForUpdate(kRows, "new/1", &value).IsNotFound());
  ASSERT_TRUE(owner->Put(kRows, "new/1", "a").ok());
  ASSERT_TRUE(owner->Put(kRows, "old/1", "b").ok());
  // Its own writes are visible to it, locked or not.
  ASSERT_TRUE(owner->GetForUpdate(kRows, "new/1", &value).ok());
  EXPECT_EQ(value, "a");
  // No lock was taken under the private prefix (another writer is not kept waiting); the
  // ordinary key stays locked.
  auto other = Begin(IsolationLevel::kReadCommitted, 50);
  Status unlocked = other->Put(kRows, "new/1", "c");
  EXPECT_TRUE(unlocked.ok()) << unlocked.ToString();
  EXPECT_TRUE(other->Put(kRows, "old/1", "d").IsLockTimeout());
  ASSERT_TRUE(other->Rollback().ok());
  ASSERT_TRUE(owner->Delete(kRows, "new/1").ok());
  ASSERT_TRUE(owner->Put(kRows, "new/3", "e").ok());
  ASSERT_TRUE(owner->Rollback().ok());
  for (std::string key : {"new/1", "new/3", "old/1"}) {
    EXPECT_TRUE(manager_->Get(kRows, key, &value).IsNotFound()) << key;
  }
}

// A key of group `group` (a table's rows: the group is the key's first part).
std::string GroupKey(uint64_t group, uint64_t row) {
  std::string key;
  storage::AppendUint(&key, group, SortOrder::kAscending);
  storage::AppendUint(&key, row, SortOrder::kAscending);
  return key;
}

// Writes rows [first, first + count) of `group`.
void WriteRows(Transaction* transaction, uint64_t group, uint64_t first, uint64_t count) {
  for (uint64_t row = first; row < first + count; ++row) {
    std::string ignored;
    ASSERT_TRUE(transaction->GetForUpdate(kRows, GroupKey(group, row), &ignored).IsNotFound());
    ASSERT_TRUE(transaction->Put(kRows, GroupKey(group, row), "v").ok());
  }
}

TEST_F(TransactionTest, ManyWritesToOneGroupTakeItExclusivelyUntilTheEnd) {
  auto owner = Begin(IsolationLevel::kReadCommitted);
  WriteRows(owner.get(), 7, 0, Transaction::kEscalateAfter + 10);
  EXPECT_EQ(owner->exclusive_object_count(), 1u);
  // Other writers of the group wait for the owner; other groups and plain reads are free.
  auto other = Begin(IsolationLevel::kReadCommitted, 50);
  EXPECT_TRUE(other->Put(kRows, GroupKey(7, 1'000'000), "x").IsLockTimeout());
  std::string value;
  EXPECT_TRUE(other->GetForUpdate(kRows, GroupKey(7, 0), &value).IsLockTimeout());
  EXPECT_TRUE(other->Put(kRows, GroupKey(8, 0), "y").ok());
  EXPECT_TRUE(other->Get(kRows, GroupKey(7, 0), &value).IsNotFound());
  ASSERT_TRUE(other->Commit().ok());
  // Unlocked writes still see the owner's own and the committed data.
  ASSERT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 3), &value).ok());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(7, 3), "w").ok());
  ASSERT_TRUE(owner->Commit().ok());
  EXPECT_EQ(Committed(GroupKey(7, 3)), "w");
  EXPECT_EQ(Committed(GroupKey(7, Transaction::kEscalateAfter + 9)), "v");
  EXPECT_EQ(Committed(GroupKey(8, 0)), "y");
  auto after = Begin(IsolationLevel::kReadCommitted, 50);
  EXPECT_TRUE(after->Put(kRows, GroupKey(7, 1'000'000), "z").ok());
  ASSERT_TRUE(after->Commit().ok());
}

TEST_F(TransactionTest, AWriterWaitingForAnExclusiveGroupGoesOnWhenItsOwnerEnds) {
  auto owner = Begin(IsolationLevel::kReadCommitted);
  WriteRows(owner.get(), 7, 0, Transaction::kEscalateAfter);
  ASSERT_EQ(owner->exclusive_object_count(), 1u);
  auto waiter = Begin(IsolationLevel::kReadCommitted, 60'000);
  Status waited;
  std::thread thread([&] { waited = waiter->Put(kRows, GroupKey(7, 0), "second"); });
  ASSERT_TRUE(owner->Commit().ok());
  thread.join();
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  ASSERT_TRUE(waiter->Commit().ok());
  EXPECT_EQ(Committed(GroupKey(7, 0)), "second");
}

TEST_F(TransactionTest, AnExclusiveGroupStillFindsCommittedKeysBetweenItsWrites) {
  // Committed before the owner: its uniqueness checks must find them, however they read.
  ASSERT_TRUE(manager_->Put(kRows, GroupKey(7, 5000), "old").ok());
  ASSERT_TRUE(manager_->Put(kRows, GroupKey(7, 9000), "older").ok());
  ASSERT_TRUE(manager_->Put(kRows, GroupKey(8, 0), "next group").ok());
  auto owner = Begin(IsolationLevel::kReadCommitted);
  WriteRows(owner.get(), 7, 0, Transaction::kEscalateAfter + 10);
  ASSERT_EQ(owner->exclusive_object_count(), 1u);
  std::string value;
  for (uint64_t row : {4200, 4201, 4999}) {
    EXPECT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, row), &value).IsNotFound()) << row;
  }
  ASSERT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 5000), &value).ok());
  EXPECT_EQ(value, "old");
  EXPECT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 5001), &value).IsNotFound());
  ASSERT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 9000), &value).ok());
  EXPECT_EQ(value, "older");
  // Past the group's last committed key: nothing, up to the group's end (not the next group's).
  EXPECT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 9001), &value).IsNotFound());
  EXPECT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 1'000'000), &value).IsNotFound());
  // Its own writes, below and inside what it learnt of the committed keys, come first.
  ASSERT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 3), &value).ok());
  EXPECT_EQ(value, "v");
  ASSERT_TRUE(owner->Put(kRows, GroupKey(7, 9500), "mine").ok());
  ASSERT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 9500), &value).ok());
  EXPECT_EQ(value, "mine");
  ASSERT_TRUE(owner->Delete(kRows, GroupKey(7, 5000)).ok());
  EXPECT_TRUE(owner->GetForUpdate(kRows, GroupKey(7, 5000), &value).IsNotFound());
  ASSERT_TRUE(owner->Commit().ok());
  EXPECT_EQ(Committed(GroupKey(7, 5000)), "<none>");
  EXPECT_EQ(Committed(GroupKey(7, 9500)), "mine");
}

TEST_F(TransactionTest, StatementsWithoutCommitsBetweenThemShareASnapshot) {
  ASSERT_TRUE(manager_->Put(kRows, "x", "1").ok());
  auto transaction = Begin(IsolationLevel::kReadCommitted);
  transaction->BeginStatement();
  EXPECT_EQ(Read(transaction.get(), "x"), "1");
  ASSERT_TRUE(transaction->Put(kRows, "x", "own").ok());  // its own writes are no commit
  transaction->BeginStatement();
  EXPECT_EQ(Read(transaction.get(), "x"), "own");
  ASSERT_TRUE(manager_->Put(kRows, "y", "2").ok());
  EXPECT_EQ(Read(transaction.get(), "y"), "<none>");  // same statement
  transaction->BeginStatement();
  EXPECT_EQ(Read(transaction.get(), "y"), "2");  // a commit came between: a new snapshot
}

TEST_F(TransactionTest, AGroupWithAnotherWriterIsNotTakenExclusively) {
  auto other = Begin(IsolationLevel::kReadCommitted, 50);
  ASSERT_TRUE(other->Put(kRows, GroupKey(7, 0), "other").ok());
  auto owner = Begin(IsolationLevel::kReadCommitted, 50);
  WriteRows(owner.get(), 7, 1, 2 * Transaction::kEscalateAfter);
  EXPECT_EQ(owner->exclusive_object_count(), 0u);
  // Row locks still keep the two apart.
  EXPECT_TRUE(owner->Put(kRows, GroupKey(7, 0), "owner").IsLockTimeout());
  EXPECT_TRUE(other->Put(kRows, GroupKey(7, 1), "other").IsLockTimeout());
  ASSERT_TRUE(other->Commit().ok());
  // Once alone, the owner takes the group at its next multiple of kEscalateAfter keys.
  WriteRows(owner.get(), 7, 1'000'000, Transaction::kEscalateAfter);
  EXPECT_EQ(owner->exclusive_object_count(), 1u);
  ASSERT_TRUE(owner->Commit().ok());
}

TEST_F(TransactionTest, RepeatableReadKeepsLockingRows) {
  auto owner = Begin(IsolationLevel::kRepeatableRead);
  WriteRows(owner.get(), 7, 0, 2 * Transaction::kEscalateAfter);
  EXPECT_EQ(owner->exclusive_object_count(), 0u);
  ASSERT_TRUE(owner->Commit().ok());
}

TEST_F(TransactionTest, WritesUnderAnExclusiveGroupRollBack) {
  auto owner = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(owner->Savepoint("s").ok());
  WriteRows(owner.get(), 7, 0, Transaction::kEscalateAfter + 5);
  ASSERT_EQ(owner->exclusive_object_count(), 1u);
  ASSERT_TRUE(owner->RollbackToSavepoint("s").ok());
  std::string value;
  EXPECT_TRUE(owner->Get(kRows, GroupKey(7, Transaction::kEscalateAfter + 4), &value).IsNotFound());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(7, 1), "kept").ok());
  ASSERT_TRUE(owner->Delete(kRows, GroupKey(7, 1)).ok());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(7, 2), "kept").ok());
  ASSERT_TRUE(owner->Rollback().ok());
  EXPECT_EQ(Committed(GroupKey(7, 2)), "<none>");
  EXPECT_EQ(Committed(GroupKey(7, 0)), "<none>");
}

TEST_F(TransactionTest, AppendedWritesAreSeenByReadsScansAndCommit) {
  const std::string prefix = GroupKey(9, 0).substr(0, 2);  // group 9
  auto owner = Begin(IsolationLevel::kReadCommitted);
  owner->AddPrivatePrefix(kRows, prefix);
  WriteRows(owner.get(), 9, 10, 100);  // ascending: appended
  std::string value;
  ASSERT_TRUE(owner->Get(kRows, GroupKey(9, 50), &value).ok());
  EXPECT_EQ(value, "v");
  EXPECT_TRUE(owner->GetForUpdate(kRows, GroupKey(9, 5), &value).IsNotFound());
  // A write below them, an overwrite and a delete keep the newest value of each key.
  ASSERT_TRUE(owner->Put(kRows, GroupKey(9, 20), "new").ok());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(9, 5), "low").ok());
  ASSERT_TRUE(owner->Delete(kRows, GroupKey(9, 30)).ok());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(9, 200), "high").ok());
  ASSERT_TRUE(owner->Get(kRows, GroupKey(9, 20), &value).ok());
  EXPECT_EQ(value, "new");
  EXPECT_TRUE(owner->Get(kRows, GroupKey(9, 30), &value).IsNotFound());
  std::vector<std::string> keys = ScanKeys(owner->Scan(kRows, prefix, ""));
  ASSERT_EQ(keys.size(), 101u);
  EXPECT_EQ(keys.front(), GroupKey(9, 5));
  EXPECT_EQ(keys.back(), GroupKey(9, 200));
  // Writes after a savepoint roll back; those before it stay.
  ASSERT_TRUE(owner->Savepoint("s").ok());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(9, 300), "gone").ok());
  ASSERT_TRUE(owner->RollbackToSavepoint("s").ok());
  ASSERT_TRUE(owner->Put(kRows, GroupKey(9, 400), "kept").ok());
  ASSERT_TRUE(owner->Commit().ok());
  EXPECT_EQ(Committed(GroupKey(9, 5)), "low");
  EXPECT_EQ(Committed(GroupKey(9, 20)), "new");
  EXPECT_EQ(Committed(GroupKey(9, 30)), "<none>");
  EXPECT_EQ(Committed(GroupKey(9, 109)), "v");
  EXPECT_EQ(Committed(GroupKey(9, 300)), "<none>");
  EXPECT_EQ(Committed(GroupKey(9, 400)), "kept");
}

TEST_F(TransactionTest, WritesOfKeysJustLockedInASharedGroupKeepOrderLocksAndSavepoints) {
  // Group 8 is written by another transaction too, so it is never held exclusively: a write of
  // the key the latest GetForUpdate locked skips RocksDB's second lock (and may be appended).
  auto other = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(other->Put(kRows, GroupKey(8, 1000), "other").ok());
  auto writer = Begin(IsolationLevel::kReadCommitted, /*lock_timeout_ms=*/50);
  std::string value;
  auto lock_and_put = [&](uint64_t id, std::string_view text) {
    EXPECT_TRUE(writer->GetForUpdate(kRows, GroupKey(8, id), &value).IsNotFound());
    EXPECT_TRUE(writer->Put(kRows, GroupKey(8, id), text).ok());
  };
  lock_and_put(20, "a");  // appended
  lock_and_put(10, "b");  // below it: the batch, after what was appended
  ASSERT_TRUE(writer->Put(kRows, GroupKey(8, 20), "c").ok());  // not the last locked key
  lock_and_put(30, "d");
  ASSERT_TRUE(writer->Delete(kRows, GroupKey(8, 30)).ok());
  ASSERT_TRUE(writer->Savepoint("s").ok());
  lock_and_put(40, "gone");
  ASSERT_TRUE(writer->RollbackToSavepoint("s").ok());
  // The savepoint's rollback released that lock: the write locks again.
  ASSERT_TRUE(writer->Put(kRows, GroupKey(8, 40), "e").ok());
  lock_and_put(50, "f");
  EXPECT_EQ(Read(writer.get(), GroupKey(8, 20)), "c");
  EXPECT_EQ(Read(writer.get(), GroupKey(8, 50)), "f");
  EXPECT_EQ(ScanKeys(writer->Scan(kRows, GroupKey(8, 0), GroupKey(8, 100))).size(), 4u);
  // The keys stay locked until the commit.
  auto blocked = Begin(IsolationLevel::kReadCommitted, /*lock_timeout_ms=*/10);
  EXPECT_TRUE(blocked->Put(kRows, GroupKey(8, 50), "x").IsLockTimeout());
  ASSERT_TRUE(blocked->Rollback().ok());
  ASSERT_TRUE(writer->Commit().ok());
  ASSERT_TRUE(other->Commit().ok());
  EXPECT_EQ(Committed(GroupKey(8, 10)), "b");
  EXPECT_EQ(Committed(GroupKey(8, 20)), "c");
  EXPECT_EQ(Committed(GroupKey(8, 30)), "<none>");
  EXPECT_EQ(Committed(GroupKey(8, 40)), "e");
  EXPECT_EQ(Committed(GroupKey(8, 50)), "f");
  EXPECT_EQ(Committed(GroupKey(8, 1000)), "other");
}

TEST_F(TransactionTest, LockModesShareWaitOrNotAndAreTakenBack) {
  auto seed = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(seed->Put(kRows, GroupKey(6, 1), "one").ok() && seed->Commit().ok());
  std::string value;
  auto a = Begin(IsolationLevel::kReadCommitted, /*lock_timeout_ms=*/5000);
  auto b = Begin(IsolationLevel::kReadCommitted, /*lock_timeout_ms=*/5000);
  const LockMode shared{.exclusive = false, .wait = false}, no_wait{.exclusive = true, .wait = false};
  // Shared locks share; an exclusive one that does not wait fails at once.
  ASSERT_TRUE(a->GetForUpdate(kRows, GroupKey(6, 1), &value, shared).ok() && value == "one");
  ASSERT_TRUE(b->GetForUpdate(kRows, GroupKey(6, 1), &value, shared).ok());
  EXPECT_TRUE(b->GetForUpdate(kRows, GroupKey(6, 2), &value).IsNotFound());
  EXPECT_TRUE(a->GetForUpdate(kRows, GroupKey(6, 2), &value, no_wait).IsLockTimeout());
  // b takes back its lock of key 2 (never written): a gets it without waiting. A key written
  // after its lock stays locked whatever is taken back.
  b->UndoGetForUpdate(kRows, GroupKey(6, 2));
  EXPECT_TRUE(a->GetForUpdate(kRows, GroupKey(6, 2), &value, no_wait).IsNotFound());
  ASSERT_TRUE(a->Put(kRows, GroupKey(6, 2), "two").ok());
  a->UndoGetForUpdate(kRows, GroupKey(6, 2));
  EXPECT_TRUE(b->GetForUpdate(kRows, GroupKey(6, 2), &value, no_wait).IsLockTimeout());
  // A shared lock shared with another keeps writes out.
  auto c = Begin(IsolationLevel::kReadCommitted, /*lock_timeout_ms=*/10);
  EXPECT_TRUE(c->Put(kRows, GroupKey(6, 1), "x").IsLockTimeout());
  ASSERT_TRUE(c->Rollback().ok() && a->Commit().ok() && b->Commit().ok());
  EXPECT_EQ(Committed(GroupKey(6, 2)), "two");
}

TEST_F(TransactionTest, AnInsertAfterItsUniquenessCheckAloneIsACommittedWrite) {
  // An autocommit INSERT's shape: the lock alone, then one write, then the commit (which must
  // not take it for a transaction that wrote nothing).
  auto insert = Begin(IsolationLevel::kReadCommitted);
  std::string value;
  EXPECT_TRUE(insert->GetForUpdate(kRows, GroupKey(7, 1), &value).IsNotFound());
  ASSERT_TRUE(insert->Put(kRows, GroupKey(7, 1), "row").ok());
  const uint64_t syncs = store_->WalSyncCount();
  ASSERT_TRUE(insert->Commit().ok());
  EXPECT_GT(store_->WalSyncCount(), syncs);
  EXPECT_EQ(Committed(GroupKey(7, 1)), "row");
}

TEST_F(TransactionTest, ReadOnlyCommitDoesNotSyncTheWal) {
  ASSERT_TRUE(manager_->Put(kRows, "a", "1").ok());
  uint64_t syncs = store_->WalSyncCount();
  auto transaction = Begin(IsolationLevel::kRepeatableRead);
  EXPECT_EQ(Read(transaction.get(), "a"), "1");
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(store_->WalSyncCount(), syncs);
}

// Group commit: concurrent sync committers share fsyncs, so there are fewer syncs than commits.
TEST_F(TransactionTest, SyncCommitsShareFsyncs) {
  constexpr int kThreads = 8;
  constexpr int kCommitsPerThread = 50;
  uint64_t syncs_before = store_->WalSyncCount();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kCommitsPerThread; ++i) {
        auto transaction = Begin(IsolationLevel::kReadCommitted);
        ASSERT_TRUE(transaction->Put(kRows, std::to_string(t) + "/" + std::to_string(i), "v").ok());
        ASSERT_TRUE(transaction->Commit().ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  uint64_t syncs = store_->WalSyncCount() - syncs_before;
  EXPECT_GT(syncs, 0u);
  EXPECT_LT(syncs, uint64_t{kThreads * kCommitsPerThread});
}

// A sync commit returns only once the WAL holding it was synced — after its locks went, so a
// waiter for the same row gets it while the first commit waits for its fsync.
TEST_F(TransactionTest, SyncCommitIsDurableWhenItReturnsAndReleasesLocksFirst) {
  uint64_t syncs_before = store_->WalSyncCount();
  auto first = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(first->Put(kRows, "row", "first").ok());
  ASSERT_TRUE(first->Commit().ok());
  EXPECT_GT(store_->WalSyncCount(), syncs_before);
  // Durable up to the latest write: a reader finds nothing left to sync.
  syncs_before = store_->WalSyncCount();
  auto reader = Begin(IsolationLevel::kReadCommitted);
  EXPECT_EQ(Read(reader.get(), "row"), "first");
  ASSERT_TRUE(reader->Commit().ok());
  EXPECT_EQ(store_->WalSyncCount(), syncs_before);
}

// A read-only commit that saw an unsynced commit (here one of `periodic` durability) answers only
// once that commit is durable.
TEST_F(TransactionTest, ReadOnlySyncCommitWaitsForWhatItSawToBeDurable) {
  Options options;
  options.durability = Durability::kSync;
  options.periodic_sync_ms = 600000;  // the background syncer stays out of the way
  Reopen(options);
  auto writer = Begin(IsolationLevel::kReadCommitted);
  writer->SetDurability(Durability::kPeriodic);
  ASSERT_TRUE(writer->Put(kRows, "lazy", "v").ok());
  ASSERT_TRUE(writer->Commit().ok());
  const uint64_t syncs_before = store_->WalSyncCount();
  auto reader = Begin(IsolationLevel::kReadCommitted);
  EXPECT_EQ(Read(reader.get(), "lazy"), "v");
  ASSERT_TRUE(reader->Commit().ok());
  EXPECT_GT(store_->WalSyncCount(), syncs_before);
}

TEST_F(TransactionTest, DurabilityOffNeverSyncs) {
  Options options;
  options.durability = Durability::kOff;
  Reopen(options);
  uint64_t syncs_before = store_->WalSyncCount();
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(manager_->Put(kRows, std::to_string(i), "v").ok());
  auto transaction = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(transaction->Put(kRows, "t", "v").ok());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(store_->WalSyncCount(), syncs_before);
}

TEST_F(TransactionTest, PeriodicDurabilitySyncsInTheBackground) {
  Options options;
  options.durability = Durability::kPeriodic;
  options.periodic_sync_ms = 5;
  Reopen(options);
  uint64_t syncs_before = store_->WalSyncCount();
  ASSERT_TRUE(manager_->Put(kRows, "a", "1").ok());
  // The commit returned without a sync; the syncer makes it durable shortly after.
  for (int i = 0; i < 1000 && store_->WalSyncCount() == syncs_before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(store_->WalSyncCount(), syncs_before);
}

TEST_F(TransactionTest, PerTransactionDurabilityOverridesTheDatabase) {
  Options options;
  options.durability = Durability::kOff;
  Reopen(options);
  uint64_t syncs_before = store_->WalSyncCount();
  TransactionOptions transaction_options;
  transaction_options.durability = Durability::kSync;
  auto transaction = manager_->Begin(transaction_options);
  ASSERT_TRUE(transaction->Put(kRows, "a", "1").ok());
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(store_->WalSyncCount(), syncs_before + 1);

  auto unsynced = manager_->Begin();
  unsynced->SetDurability(Durability::kOff);
  ASSERT_TRUE(unsynced->Put(kRows, "b", "1").ok());
  ASSERT_TRUE(unsynced->Commit().ok());
  EXPECT_EQ(store_->WalSyncCount(), syncs_before + 1);
}

// READ COMMITTED begins its RocksDB transaction at the first lock, write or savepoint: reads
// before it still see their statement's snapshot, and what comes after locks, rolls back to
// savepoints and commits as usual.
TEST_F(TransactionTest, ReadCommittedReadsBeforeItsFirstWriteThenWritesAsUsual) {
  ASSERT_TRUE(manager_->Put(kRows, "a", "1").ok());
  auto transaction = Begin(IsolationLevel::kReadCommitted, 50);
  transaction->BeginStatement();
  EXPECT_EQ(Read(transaction.get(), "a"), "1");
  ASSERT_TRUE(manager_->Put(kRows, "a", "2").ok());
  EXPECT_EQ(Read(transaction.get(), "a"), "1");  // the statement's snapshot
  EXPECT_EQ(ScanKeys(transaction->Scan(kRows, "", "")), (std::vector<std::string>{"a"}));
  transaction->BeginStatement();
  EXPECT_EQ(Read(transaction.get(), "a"), "2");

  // Its first lock: another writer of the key waits for it.
  std::string value;
  ASSERT_TRUE(transaction->GetForUpdate(kRows, "a", &value).ok());
  EXPECT_EQ(value, "2");
  auto other = Begin(IsolationLevel::kReadCommitted, 50);
  EXPECT_TRUE(other->Put(kRows, "a", "other").IsLockTimeout());
  ASSERT_TRUE(other->Rollback().ok());

  ASSERT_TRUE(transaction->Put(kRows, "b", "3").ok());
  ASSERT_TRUE(transaction->Savepoint("s").ok());
  ASSERT_TRUE(transaction->Put(kRows, "a", "4").ok());
  ASSERT_TRUE(transaction->RollbackToSavepoint("s").ok());
  EXPECT_EQ(Read(transaction.get(), "a"), "2");
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(Committed("a"), "2");
  EXPECT_EQ(Committed("b"), "3");
}

TEST_F(TransactionTest, ASavepointBeforeAnyWriteRollsBackToNothing) {
  auto transaction = Begin(IsolationLevel::kReadCommitted);
  ASSERT_TRUE(transaction->Savepoint("s").ok());
  ASSERT_TRUE(transaction->Put(kRows, "a", "1").ok());
  ASSERT_TRUE(transaction->RollbackToSavepoint("s").ok());
  EXPECT_EQ(Read(transaction.get(), "a"), "<none>");
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_EQ(Committed("a"), "<none>");
  EXPECT_EQ(manager_->commit_count(), 0u);  // nothing to log
}

TEST_F(TransactionTest, AReadOnlyReadCommittedTransactionCommitsAndRollsBack) {
  ASSERT_TRUE(manager_->Put(kRows, "a", "1").ok());
  const uint64_t commits = manager_->commit_count();
  auto reader = Begin(IsolationLevel::kReadCommitted);
  reader->BeginStatement();
  EXPECT_EQ(Read(reader.get(), "a"), "1");
  ASSERT_TRUE(reader->Commit().ok());
  EXPECT_FALSE(reader->is_open());
  EXPECT_FALSE(reader->Commit().ok());
  auto other = Begin(IsolationLevel::kReadCommitted);
  EXPECT_EQ(Read(other.get(), "a"), "1");
  ASSERT_TRUE(other->Rollback().ok());
  EXPECT_EQ(manager_->commit_count(), commits);
  EXPECT_EQ(manager_->open_transaction_count(), 0);
}

}  // namespace
}  // namespace plexus::txn
