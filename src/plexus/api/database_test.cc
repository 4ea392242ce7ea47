// The embedded API end to end: typed keys, single-operation and transactional access, scans,
// persistence across reopen, and the errors a user can provoke.
#include "plexus/database.h"

#include <gtest/gtest.h>

#include "plexus/base/temp_dir.h"

namespace plexus {
namespace {

std::unique_ptr<Database> OpenOrDie(const std::string& dir, const Options& options = {}) {
  auto database = Database::Open(dir, options);
  EXPECT_TRUE(database.ok()) << database.status().ToString();
  return database.ok() ? std::move(database).value() : nullptr;
}

std::vector<int64_t> ScanIds(Result<Iterator> iterator) {
  EXPECT_TRUE(iterator.ok()) << iterator.status().ToString();
  std::vector<int64_t> ids;
  for (; iterator->Valid(); iterator->Next()) {
    auto parts = Key::FromEncoded(std::string(iterator->key())).Decode();
    EXPECT_TRUE(parts.ok());
    ids.push_back(std::get<int64_t>(parts->back().value));
  }
  EXPECT_TRUE(iterator->status().ok());
  return ids;
}

TEST(DatabaseTest, PutGetDeleteAndPersistAcrossReopen) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  ASSERT_TRUE(db->Put(Key().AddText("a").AddInt(1), "one").ok());
  ASSERT_TRUE(db->Put(Key().AddText("a").AddInt(2), "two").ok());
  ASSERT_TRUE(db->Delete(Key().AddText("a").AddInt(2)).ok());
  EXPECT_EQ(db->Get(Key().AddText("a").AddInt(1)).value(), std::optional<std::string>("one"));
  EXPECT_EQ(db->Get(Key().AddText("a").AddInt(2)).value(), std::nullopt);
  std::string node_id(db->node_id());
  ASSERT_TRUE(db->Close().ok());
  EXPECT_TRUE(db->Put(Key().AddInt(1), "x").IsAborted());  // closed

  db = OpenOrDie(temp.path());
  EXPECT_EQ(db->node_id(), node_id);
  EXPECT_EQ(db->Get(Key().AddText("a").AddInt(1)).value(), std::optional<std::string>("one"));
}

TEST(DatabaseTest, ScansFollowTypedKeyOrder) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  for (int64_t id : {5, -3, 1000000, 0, -1000000, 42}) {
    ASSERT_TRUE(db->Put(Key().AddText("t").AddInt(id), "v").ok());
  }
  ASSERT_TRUE(db->Put(Key().AddText("u").AddInt(1), "other prefix").ok());
  EXPECT_EQ(ScanIds(db->ScanPrefix(Key().AddText("t"))),
            (std::vector<int64_t>{-1000000, -3, 0, 5, 42, 1000000}));
  EXPECT_EQ(ScanIds(db->Scan(Key().AddText("t").AddInt(0), Key().AddText("t").AddInt(42))),
            (std::vector<int64_t>{0, 5}));
}

TEST(DatabaseTest, DescendingKeysScanInReverseOrder) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  for (int64_t id : {1, 3, 2}) {
    ASSERT_TRUE(db->Put(Key().AddText("d").AddInt(id, SortOrder::kDescending), "v").ok());
  }
  EXPECT_EQ(ScanIds(db->ScanPrefix(Key().AddText("d"))), (std::vector<int64_t>{3, 2, 1}));
}

TEST(DatabaseTest, TransactionWithSavepointAndScan) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  auto transaction = db->Begin();
  ASSERT_TRUE(transaction.ok());
  Transaction& txn = **transaction;
  ASSERT_TRUE(txn.Put(Key().AddInt(1), "a").ok());
  ASSERT_TRUE(txn.Savepoint("s").ok());
  ASSERT_TRUE(txn.Put(Key().AddInt(2), "b").ok());
  EXPECT_EQ(ScanIds(txn.ScanPrefix(Key())), (std::vector<int64_t>{1, 2}));
  ASSERT_TRUE(txn.RollbackToSavepoint("s").ok());
  EXPECT_EQ(txn.Get(Key().AddInt(2)).value(), std::nullopt);
  EXPECT_EQ(db->Get(Key().AddInt(1)).value(), std::nullopt);  // not committed yet
  ASSERT_TRUE(txn.Commit().ok());
  EXPECT_EQ(db->Get(Key().AddInt(1)).value(), std::optional<std::string>("a"));
  EXPECT_GE(db->commit_count(), 1u);
}

TEST(DatabaseTest, WriteConflictSurfacesAsSerializationFailure) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  auto first = db->Begin();
  auto second = db->Begin();
  ASSERT_TRUE((*first)->Put(Key().AddInt(7), "first").ok());
  ASSERT_TRUE((*first)->Commit().ok());
  Status status = (*second)->Put(Key().AddInt(7), "second");
  EXPECT_TRUE(status.IsSerializationFailure()) << status.ToString();
}

TEST(DatabaseTest, CloseRefusedWhileTransactionsAreOpen) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  auto transaction = db->Begin();
  ASSERT_TRUE(transaction.ok());
  EXPECT_TRUE(db->Close().IsBusy());
  ASSERT_TRUE((*transaction)->Rollback().ok());
  EXPECT_TRUE(db->Close().ok());
  EXPECT_TRUE(db->Begin().status().IsAborted());
}

TEST(DatabaseTest, CloseRefusedWhileIteratorsAreAlive) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  {
    auto iterator = db->ScanPrefix(Key());
    ASSERT_TRUE(iterator.ok());
    EXPECT_TRUE(db->Close().IsBusy());
  }
  EXPECT_TRUE(db->Close().ok());
}

TEST(DatabaseTest, SecondOpenOfSameDirectoryIsBusy) {
  base::TempDir temp;
  auto db = OpenOrDie(temp.path());
  auto again = Database::Open(temp.path());
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsBusy()) << again.status().ToString();
}

TEST(DatabaseTest, OpenWithoutCreateFailsOnMissingDirectory) {
  base::TempDir temp;
  Options options;
  options.create_if_missing = false;
  auto db = Database::Open(temp.path() + "/missing", options);
  EXPECT_FALSE(db.ok());
}

}  // namespace
}  // namespace plexus
