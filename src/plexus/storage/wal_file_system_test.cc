// WAL files zero-filled ahead of their syncs: the file stops growing with each commit, and a copy
// of the directory taken while the store is open (what kill -9 leaves) recovers every commit.
#include "plexus/storage/wal_file_system.h"

#include <gtest/gtest.h>
#include <rocksdb/utilities/transaction_db.h>

#include <filesystem>
#include <string>

#include "plexus/base/temp_dir.h"
#include "plexus/storage/rocksdb_options.h"
#include "plexus/storage/store.h"

namespace plexus::storage {
namespace {

// The size of the newest WAL file in `dir` (the one commits go to).
uint64_t NewestWalBytes(const std::string& dir) {
  std::string newest;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (IsWalFileName(name) && (newest.empty() || name > newest)) newest = name;
  }
  EXPECT_FALSE(newest.empty()) << "no WAL file in " << dir;
  return newest.empty() ? 0 : std::filesystem::file_size(dir + "/" + newest);
}

std::string Key(int i) { return "key" + std::to_string(100000 + i); }
std::string Value(int i) { return std::string(100, static_cast<char>('a' + i % 26)); }

void PutSynced(Store& store, int i) {
  rocksdb::Status status = store.db()->Put(WriteOptionsFor(Durability::kSync),
                                           store.handle(Family::kApp), Key(i), Value(i));
  ASSERT_TRUE(status.ok()) << status.ToString();
}

// The directory as a crash leaves it: the files' current contents, no close.
void CopyDirectory(const std::string& from, const std::string& to) {
  std::filesystem::create_directories(to);
  for (const auto& entry : std::filesystem::directory_iterator(from)) {
    std::filesystem::copy_file(entry.path(), to + "/" + entry.path().filename().string());
  }
}

void ExpectAllCommits(Store& store, int commits) {
  for (int i = 0; i < commits; ++i) {
    std::string value;
    rocksdb::Status status =
        store.db()->Get(rocksdb::ReadOptions(), store.handle(Family::kApp), Key(i), &value);
    ASSERT_TRUE(status.ok()) << Key(i) << ": " << status.ToString();
    EXPECT_EQ(value, Value(i));
  }
}

TEST(WalFileSystemTest, RecognisesWalFileNames) {
  EXPECT_TRUE(IsWalFileName("000012.log"));
  EXPECT_TRUE(IsWalFileName("/data/dir/000012.log"));
  EXPECT_FALSE(IsWalFileName("LOG"));
  EXPECT_FALSE(IsWalFileName("/data/LOG.old.1234"));
  EXPECT_FALSE(IsWalFileName(".log"));
  EXPECT_FALSE(IsWalFileName("/data/.log"));
  EXPECT_FALSE(IsWalFileName("000012.sst"));
  EXPECT_FALSE(IsWalFileName("x12.log"));
  EXPECT_FALSE(IsWalFileName("/data/000012.log/"));
}

TEST(WalFileSystemTest, SyncedCommitsOverwriteZerosWrittenAhead) {
  base::TempDir temp;
  auto store = Store::Open(temp.path(), Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  PutSynced(**store, 0);
  const uint64_t filled_bytes = NewestWalBytes(temp.path());
  EXPECT_GE(filled_bytes, kWalFillBytesMin);
  // ~120 bytes per commit: 200 commits stay within the first half of the zeros.
  for (int i = 1; i < 200; ++i) PutSynced(**store, i);
  EXPECT_EQ(NewestWalBytes(temp.path()), filled_bytes);
}

TEST(WalFileSystemTest, LargeTransactionSyncsWithoutZerosAndTheNextCommitFills) {
  base::TempDir temp;
  auto store = Store::Open(temp.path(), Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // One synced batch of more than kWalFillBytesMax: its sync does not wait for zeros as well.
  rocksdb::WriteBatch batch;
  const std::string large(100 << 10, 'x');
  constexpr int kLargeValues = 48;
  static_assert(uint64_t{kLargeValues} * (100 << 10) > kWalFillBytesMax);
  for (int i = 0; i < kLargeValues; ++i) {
    ASSERT_TRUE(batch.Put((*store)->handle(Family::kApp), "large" + std::to_string(i), large).ok());
  }
  ASSERT_TRUE((*store)->db()->Write(WriteOptionsFor(Durability::kSync), &batch).ok());
  const uint64_t data_bytes = NewestWalBytes(temp.path());
  EXPECT_GT(data_bytes, uint64_t{kLargeValues} * (100 << 10));
  EXPECT_LT(data_bytes, uint64_t{kLargeValues} * (100 << 10) + kWalFillBytesMin);
  // The next small commit writes the zeros ahead.
  PutSynced(**store, 0);
  EXPECT_GE(NewestWalBytes(temp.path()), data_bytes + kWalFillBytesMax);
}

TEST(WalFileSystemTest, CopyOfOpenStoreRecoversEveryCommitPastSeveralFills) {
  base::TempDir temp;
  const std::string dir = temp.path() + "/data";
  const std::string copy = temp.path() + "/copy";
  // ~120 bytes per commit: 3000 commits cross several fills of growing size.
  constexpr int kCommits = 3000;
  {
    auto store = Store::Open(dir, Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < kCommits; ++i) PutSynced(**store, i);
    EXPECT_GT(NewestWalBytes(dir), uint64_t{kCommits} * 100);
    CopyDirectory(dir, copy);
  }
  auto recovered = Store::Open(copy, Options());
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  ExpectAllCommits(**recovered, kCommits);
  // The recovered store takes new commits, and a second reopen finds them.
  PutSynced(**recovered, kCommits);
  ASSERT_TRUE((*recovered)->Close().ok());
  auto reopened = Store::Open(copy, Options());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  std::string value;
  ASSERT_TRUE((*reopened)
                  ->db()
                  ->Get(rocksdb::ReadOptions(), (*reopened)->handle(Family::kApp), Key(kCommits),
                        &value)
                  .ok());
  EXPECT_EQ(value, Value(kCommits));
}

TEST(WalFileSystemTest, CopyOfOpenStoreRecoversCommitsInRecycledWalFiles) {
  base::TempDir temp;
  const std::string dir = temp.path() + "/data";
  const std::string copy = temp.path() + "/copy";
  // Each flush switches to a new WAL file and makes older ones obsolete: from the third switch
  // on, RocksDB reuses an obsolete file (recycle_log_file_num), old records and all.
  constexpr int kFlushes = 6;
  constexpr int kCommitsPerFlush = 300;
  int commits = 0;
  {
    auto store = Store::Open(dir, Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int flush = 0; flush < kFlushes; ++flush) {
      for (int i = 0; i < kCommitsPerFlush; ++i) PutSynced(**store, commits++);
      ASSERT_TRUE((*store)->Flush().ok());
    }
    for (int i = 0; i < kCommitsPerFlush; ++i) PutSynced(**store, commits++);
    CopyDirectory(dir, copy);
  }
  auto recovered = Store::Open(copy, Options());
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  ExpectAllCommits(**recovered, commits);
}

}  // namespace
}  // namespace plexus::storage
