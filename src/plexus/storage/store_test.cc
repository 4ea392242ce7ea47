// Store: data directory initialisation, manifest, lock, reopen, refusal of foreign directories.
#include "plexus/storage/store.h"

#include <gtest/gtest.h>
#include <rocksdb/utilities/transaction.h>
#include <rocksdb/utilities/transaction_db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <fstream>

#include "plexus/base/temp_dir.h"
#include "plexus/storage/manifest.h"

namespace plexus::storage {
namespace {

TEST(StoreTest, InitialisesMissingDirectoryWithManifest) {
  base::TempDir temp;
  const std::string dir = temp.path() + "/nested/data";
  auto store = Store::Open(dir, Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->manifest().format_version, kFormatVersion);
  EXPECT_EQ((*store)->manifest().node_id.size(), 32u);
  auto manifest = ReadManifest(dir);
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_EQ(manifest->node_id, (*store)->manifest().node_id);
  EXPECT_FALSE(manifest->created_at.empty());
}

TEST(StoreTest, ReopenKeepsNodeId) {
  base::TempDir temp;
  std::string node_id;
  {
    auto store = Store::Open(temp.path(), Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    node_id = (*store)->manifest().node_id;
    ASSERT_TRUE((*store)->Close().ok());
  }
  auto store = Store::Open(temp.path(), Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->manifest().node_id, node_id);
}

// A transaction that committed is begun again by the next BeginTransaction, with nothing of its
// past: no writes, no locks. One still open is not kept (its locks go with it); nor is one rolled
// back (RocksDB 7.8 leaves an unprepared transaction's state STARTED after Rollback).
TEST(StoreTest, EndedTransactionsAreReusedWithNothingOfTheirPast) {
  base::TempDir temp;
  auto opened = Store::Open(temp.path(), Options());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  rocksdb::ColumnFamilyHandle* app = store.handle(Family::kApp);
  rocksdb::TransactionOptions options;
  options.lock_timeout = 10;

  std::unique_ptr<rocksdb::Transaction> first = store.BeginTransaction(options);
  std::string value;
  ASSERT_TRUE(first->GetForUpdate(rocksdb::ReadOptions(), app, "d", &value).IsNotFound());
  ASSERT_TRUE(first->Put(app, "a", "1").ok());
  ASSERT_TRUE(first->Commit().ok());
  const rocksdb::Transaction* ended = first.get();
  store.RecycleTransaction(std::move(first));

  std::unique_ptr<rocksdb::Transaction> second = store.BeginTransaction(options);
  EXPECT_EQ(second.get(), ended);
  EXPECT_EQ(second->GetNumPuts(), 0u);
  EXPECT_EQ(second->GetWriteBatch()->GetWriteBatch()->Count(), 0u);
  ASSERT_TRUE(second->Put(app, "b", "2").ok());
  ASSERT_TRUE(second->Put(app, "d", "4").ok());  // the first's lock on "d" is gone
  ASSERT_TRUE(second->Commit().ok());
  store.RecycleTransaction(std::move(second));
  ASSERT_TRUE(store.db()->Get(rocksdb::ReadOptions(), app, "a", &value).ok());
  EXPECT_EQ(value, "1");
  ASSERT_TRUE(store.db()->Get(rocksdb::ReadOptions(), app, "b", &value).ok());
  EXPECT_EQ(value, "2");

  std::unique_ptr<rocksdb::Transaction> open = store.BeginTransaction(options);
  ASSERT_TRUE(open->GetForUpdate(rocksdb::ReadOptions(), app, "c", &value).IsNotFound());
  store.RecycleTransaction(std::move(open));  // still open: deleted, its lock released
  std::unique_ptr<rocksdb::Transaction> other = store.BeginTransaction(options);
  ASSERT_TRUE(other->Put(app, "c", "3").ok());  // no lock wait
  ASSERT_TRUE(other->Commit().ok());
  store.RecycleTransaction(std::move(other));
  ASSERT_TRUE(store.Close().ok());  // deletes the kept transaction first
}

TEST(StoreTest, SecondOpenFailsWhileFirstIsOpen) {
  base::TempDir temp;
  auto first = Store::Open(temp.path(), Options());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Store::Open(temp.path(), Options());
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsBusy()) << second.status().ToString();
  EXPECT_NE(second.status().message().find("in use by another process"), std::string::npos);
  ASSERT_TRUE((*first)->Close().ok());
  auto third = Store::Open(temp.path(), Options());
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(StoreTest, RefusesNewerFormatVersion) {
  base::TempDir temp;
  Manifest manifest = NewManifest();
  manifest.format_version = kFormatVersion + 1;
  ASSERT_TRUE(WriteManifest(temp.path(), manifest).ok());
  auto store = Store::Open(temp.path(), Options());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotSupported) << store.status().ToString();
  EXPECT_NE(store.status().message().find("newer Plexus"), std::string::npos);
}

TEST(StoreTest, RefusesNonEmptyForeignDirectory) {
  base::TempDir temp;
  std::ofstream(temp.path() + "/somebody_elses_file") << "hello";
  auto store = Store::Open(temp.path(), Options());
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsInvalidArgument()) << store.status().ToString();
}

TEST(StoreTest, CorruptManifestIsReported) {
  base::TempDir temp;
  std::ofstream(temp.path() + "/PLEXUS_MANIFEST") << "this is not a manifest\n";
  auto store = Store::Open(temp.path(), Options());
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsCorruption()) << store.status().ToString();
}

TEST(ManifestTest, FormatParseRoundTrip) {
  Manifest manifest = NewManifest();
  auto parsed = ParseManifest(FormatManifest(manifest));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->format_version, manifest.format_version);
  EXPECT_EQ(parsed->created_at, manifest.created_at);
  EXPECT_EQ(parsed->node_id, manifest.node_id);
}

TEST(ManifestTest, RejectsMissingVersionAndBadLines) {
  EXPECT_TRUE(ParseManifest("node_id = \"x\"\n").status().IsCorruption());
  EXPECT_TRUE(ParseManifest("format_version = one\n").status().IsCorruption());
  EXPECT_TRUE(ParseManifest("garbage\n").status().IsCorruption());
  EXPECT_TRUE(ParseManifest("").status().IsCorruption());
}

}  // namespace
}  // namespace plexus::storage
