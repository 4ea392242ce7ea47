// The kv data model: metadata codec, ops (atomic writes, own-write visibility), key counts,
// lazy and active expiry, versions across reopen.
#include "plexus/kv/keyspace.h"

#include <gtest/gtest.h>
#include <rocksdb/utilities/transaction_db.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "plexus/base/temp_dir.h"
#include "plexus/kv/list_chunk.h"
#include "plexus/storage/store.h"

namespace plexus::kv {
namespace {

class KeyspaceTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void TearDown() override { Close(); }

  void Close() {
    keyspace_.reset();
    transactions_.reset();
    store_.reset();
  }

  void Reopen() {
    Close();
    auto store = storage::Store::Open(temp_.path(), Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    transactions_ = std::make_unique<txn::TransactionManager>(store_.get());
    auto keyspace = Keyspace::Open(transactions_.get(), store_.get());
    ASSERT_TRUE(keyspace.ok()) << keyspace.status().ToString();
    keyspace_ = std::move(keyspace).value();
  }

  void PutString(int db, std::string_view key, std::string_view value, int64_t expire_at_ms = 0) {
    auto op = keyspace_->Begin({{db, key}});
    auto old = op->Get(db, key);
    ASSERT_TRUE(old.ok());
    Meta meta;
    meta.value = value;
    meta.expire_at_ms = expire_at_ms;
    ASSERT_TRUE(op->Put(db, key, meta, old->has_value(), *old ? (*old)->expire_at_ms : 0).ok());
    ASSERT_TRUE(op->Commit().ok());
  }

  std::optional<Meta> Read(int db, std::string_view key) {
    auto op = keyspace_->Begin({{db, key}});
    auto meta = op->Get(db, key);
    EXPECT_TRUE(meta.ok());
    EXPECT_TRUE(op->Commit().ok());
    return meta.ok() ? *meta : std::nullopt;
  }

  base::TempDir temp_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<txn::TransactionManager> transactions_;
  std::unique_ptr<Keyspace> keyspace_;
};

TEST(MetaCodecTest, RoundTripsEveryType) {
  for (Type type : {Type::kString, Type::kList, Type::kSet, Type::kZSet, Type::kHash}) {
    Meta meta;
    meta.type = type;
    meta.expire_at_ms = 1234567890123;
    meta.version = 42;
    meta.size = 7;
    meta.list_head = type == Type::kList ? kListMiddle - 3 : 0;
    meta.value = type == Type::kString ? std::string("v\0x", 3) : "";
    Meta decoded;
    ASSERT_TRUE(DecodeMeta(EncodeMeta(meta), &decoded).ok());
    EXPECT_EQ(decoded.type, meta.type);
    EXPECT_EQ(decoded.expire_at_ms, meta.expire_at_ms);
    EXPECT_EQ(decoded.version, meta.version);
    EXPECT_EQ(decoded.size, meta.size);
    EXPECT_EQ(decoded.list_head, meta.list_head);
    EXPECT_EQ(decoded.value, meta.value);
  }
  Meta bad;
  EXPECT_TRUE(DecodeMeta("", &bad).IsCorruption());
  EXPECT_TRUE(DecodeMeta(std::string(25, '\x09'), &bad).IsCorruption());
}

TEST(MetaCodecTest, DataPrefixesOfDifferentKeysNeverNest) {
  // "a" version 1 must not be a prefix of key "a\0..." elements: the length comes first.
  const std::string a = DataPrefix(0, "a", 1);
  const std::string ab = DataPrefix(0, std::string("a\0\0\0\0\0\0\0\1", 9), 1);
  EXPECT_NE(ab.substr(0, a.size()), a);
  EXPECT_EQ(PrefixEnd("ab\xff"), "ac");
  EXPECT_EQ(PrefixEnd("\xff\xff"), "");
}

TEST_F(KeyspaceTest, WritesAreVisibleAndCounted) {
  PutString(0, "k", "v");
  PutString(3, "k", "w");
  EXPECT_EQ(Read(0, "k")->value, "v");
  EXPECT_EQ(Read(3, "k")->value, "w");
  EXPECT_FALSE(Read(1, "k").has_value());
  EXPECT_EQ(keyspace_->KeyCount(0), 1);
  EXPECT_EQ(keyspace_->KeyCount(3), 1);
  PutString(0, "k", "v2");
  EXPECT_EQ(keyspace_->KeyCount(0), 1);
  Reopen();
  EXPECT_EQ(keyspace_->KeyCount(0), 1);
  EXPECT_EQ(Read(0, "k")->value, "v2");
}

TEST_F(KeyspaceTest, AbandonedOpWritesNothing) {
  {
    auto op = keyspace_->Begin({{0, "k"}});
    Meta meta;
    meta.value = "v";
    ASSERT_TRUE(op->Put(0, "k", meta, false, 0).ok());
  }
  EXPECT_FALSE(Read(0, "k").has_value());
  EXPECT_EQ(keyspace_->KeyCount(0), 0);
}

TEST_F(KeyspaceTest, LazyExpiryDeletesOnRead) {
  PutString(0, "gone", "v", NowMs() - 1);
  PutString(0, "stays", "v", NowMs() + 60'000);
  EXPECT_FALSE(Read(0, "gone").has_value());
  EXPECT_TRUE(Read(0, "stays").has_value());
  EXPECT_EQ(keyspace_->KeyCount(0), 1);
}

TEST_F(KeyspaceTest, ActiveExpiryUsesTheIndex) {
  for (int i = 0; i < 50; ++i) PutString(0, "k" + std::to_string(i), "v", NowMs() + 20);
  PutString(0, "forever", "v");
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  auto deleted = keyspace_->ExpireCycle(1000);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 50u);
  EXPECT_EQ(keyspace_->KeyCount(0), 1);
  auto again = keyspace_->ExpireCycle(1000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

TEST_F(KeyspaceTest, ExpiryChangeLeavesNoStaleIndexEntry) {
  PutString(0, "k", "v", NowMs() + 10);
  PutString(0, "k", "v", 0);  // persisted
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto deleted = keyspace_->ExpireCycle(1000);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 0u);
  EXPECT_TRUE(Read(0, "k").has_value());
}

TEST_F(KeyspaceTest, VersionsGrowAcrossReopen) {
  uint64_t before = 0;
  {
    auto op = keyspace_->Begin({});
    before = op->NewVersion();
    EXPECT_GT(op->NewVersion(), before);
  }
  Reopen();
  auto op = keyspace_->Begin({});
  EXPECT_GT(op->NewVersion(), before);
}

TEST_F(KeyspaceTest, ConcurrentIncrementsAreAtomic) {
  constexpr int kThreads = 4;
  constexpr int kIncrements = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto op = keyspace_->Begin({{0, "counter"}});
        auto old = op->Get(0, "counter");
        ASSERT_TRUE(old.ok());
        Meta meta;
        meta.value = std::to_string((*old ? std::stoll((*old)->value) : 0) + 1);
        ASSERT_TRUE(op->Put(0, "counter", meta, old->has_value(), 0).ok());
        ASSERT_TRUE(op->Commit().ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(Read(0, "counter")->value, std::to_string(kThreads * kIncrements));
}

TEST_F(KeyspaceTest, FlushDeletesOneDatabaseOrAll) {
  PutString(0, "a", "1", NowMs() + 60'000);
  PutString(1, "b", "2");
  {
    auto op = keyspace_->BeginExclusive();
    ASSERT_TRUE(keyspace_->Flush(op.get(), 0).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(keyspace_->KeyCount(0), 0);
  EXPECT_EQ(keyspace_->KeyCount(1), 1);
  {
    auto op = keyspace_->BeginExclusive();
    ASSERT_TRUE(keyspace_->Flush(op.get(), -1).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(keyspace_->KeyCount(1), 0);
  Reopen();
  EXPECT_EQ(keyspace_->KeyCount(0), 0);
  EXPECT_EQ(keyspace_->KeyCount(1), 0);
}

TEST_F(KeyspaceTest, CompactionDropsElementsOfDeadVersions) {
  auto write_hash = [&](std::string_view key, int fields) {
    auto op = keyspace_->Begin({{0, key}});
    auto old = op->Get(0, key);
    ASSERT_TRUE(old.ok());
    Meta meta;
    meta.type = Type::kHash;
    meta.version = op->NewVersion();
    meta.size = static_cast<uint64_t>(fields);
    const std::string prefix = DataPrefix(0, key, meta.version);
    for (int i = 0; i < fields; ++i) {
      ASSERT_TRUE(op->PutElement(prefix, "f" + std::to_string(i), "v").ok());
    }
    ASSERT_TRUE(op->Put(0, key, meta, old->has_value(), 0).ok());
    ASSERT_TRUE(op->Commit().ok());
  };
  auto count_elements = [&] {
    auto iterator = transactions_->Scan(storage::Family::kKvData, "", "");
    EXPECT_TRUE(iterator.ok());
    int count = 0;
    for (; (*iterator)->Valid(); (*iterator)->Next()) ++count;
    return count;
  };
  write_hash("deleted", 100);
  write_hash("overwritten", 50);
  write_hash("overwritten", 10);  // a new version: the first 50 elements are garbage
  write_hash("live", 20);
  {
    auto op = keyspace_->Begin({{0, "deleted"}});
    auto meta = op->Get(0, "deleted");
    ASSERT_TRUE(meta.ok() && meta->has_value());
    ASSERT_TRUE(op->Delete(0, "deleted", **meta).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(count_elements(), 180);
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE(store_->Compact(storage::Family::kKvData).ok());
  EXPECT_EQ(count_elements(), 30);
}

// A list of `size` elements "v<index>" from position `head`, written by one op (pushes to the
// right); returns its metadata. Elements whose index is in `big` are 2,000 bytes (stored apart).
Meta WriteList(Keyspace* keyspace, std::string_view key, uint64_t head, uint64_t size,
               const std::vector<uint64_t>& big = {}) {
  auto op = keyspace->Begin({{0, key}});
  Meta meta;
  meta.type = Type::kList;
  meta.version = op->NewVersion();
  meta.list_head = head;
  const std::string prefix = DataPrefix(0, key, meta.version);
  for (uint64_t i = head; i < head + size; ++i) {
    meta.size = i - head + 1;
    std::string value = "v" + std::to_string(i);
    if (std::find(big.begin(), big.end(), i) != big.end()) value.resize(2000, 'x');
    EXPECT_TRUE(op->ListSet(prefix, i, value, head, i + 1).ok());
  }
  EXPECT_TRUE(op->Put(0, key, meta, false, 0).ok());
  EXPECT_TRUE(op->Commit().ok());
  return meta;
}

std::vector<std::string> ReadList(Keyspace* keyspace, std::string_view key, const Meta& meta) {
  auto op = keyspace->Begin({{0, key}});
  std::vector<std::string> values;
  const Status status = op->ListRange(DataPrefix(0, key, meta.version), meta.list_head,
                                      meta.list_head + meta.size, &values);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return values;
}

// The sub-keys (after the list's prefix) of every kv_data entry.
std::vector<std::string> StoredSubKeys(txn::TransactionManager* transactions,
                                       std::string_view prefix) {
  auto iterator = transactions->Scan(storage::Family::kKvData, "", "");
  EXPECT_TRUE(iterator.ok());
  std::vector<std::string> kept;
  for (; (*iterator)->Valid(); (*iterator)->Next()) {
    const std::string_view key = (*iterator)->key();
    EXPECT_EQ(key.substr(0, prefix.size()), prefix);
    kept.emplace_back(key.substr(prefix.size()));
  }
  return kept;
}

// Chunks none of whose positions is live go; a chunk with one live position stays, and so do
// the elements stored apart at live positions whose chunk says so; apart ones that were popped
// or replaced by an inline value go.
TEST_F(KeyspaceTest, CompactionDropsListChunksAndApartElementsOutsideTheLiveRange) {
  const uint64_t head = kListMiddle - 70;  // chunks M-2 (6 positions), M-1 (64), M (30)
  Meta meta = WriteList(keyspace_.get(), "queue", head, 100, {head + 1, head + 10, head + 70});
  const std::string prefix = DataPrefix(0, "queue", meta.version);
  const uint64_t middle = kListMiddle / kListChunkSlots;
  {
    // LPOPs of the first 7 (chunk M-2 empties, apart element head+1 is popped), then the
    // element at head + 10 set inline (its apart entry stays, as garbage).
    auto op = keyspace_->Begin({{0, "queue"}});
    meta.list_head += 7;
    meta.size -= 7;
    ASSERT_TRUE(op->ListSet(prefix, head + 10, "small", meta.list_head,
                            meta.list_head + meta.size).ok());
    ASSERT_TRUE(op->Put(0, "queue", meta, true, 0).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(StoredSubKeys(transactions_.get(), prefix),
            (std::vector<std::string>{ListChunkSubKey(middle - 2), ListApartSubKey(head + 1),
                                      ListChunkSubKey(middle - 1), ListApartSubKey(head + 10),
                                      ListChunkSubKey(middle), ListApartSubKey(head + 70)}));
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE(store_->Compact(storage::Family::kKvData).ok());
  EXPECT_EQ(StoredSubKeys(transactions_.get(), prefix),
            (std::vector<std::string>{ListChunkSubKey(middle - 1), ListChunkSubKey(middle),
                                      ListApartSubKey(head + 70)}));
  std::vector<std::string> values = ReadList(keyspace_.get(), "queue", meta);
  ASSERT_EQ(values.size(), 93u);
  EXPECT_EQ(values[0], "v" + std::to_string(head + 7));
  EXPECT_EQ(values[3], "small");
  EXPECT_EQ(values[63].size(), 2000u);
  EXPECT_EQ(values[92], "v" + std::to_string(head + 99));
}

// Pushes both ways across chunk boundaries, reads of a range mixing chunks the op holds (some
// written by it) with chunks it scans, elements stored apart by size and by the chunk's byte
// cap, and what an abandoned op leaves (nothing).
TEST_F(KeyspaceTest, ListPositionsAcrossChunks) {
  const uint64_t head = kListMiddle - 3;
  Meta meta = WriteList(keyspace_.get(), "l", head, 200, {head + 5});
  const std::string prefix = DataPrefix(0, "l", meta.version);
  std::vector<std::string> expected;
  for (uint64_t i = head; i < head + 200; ++i) expected.push_back("v" + std::to_string(i));
  expected[5].resize(2000, 'x');
  EXPECT_EQ(ReadList(keyspace_.get(), "l", meta), expected);
  {
    auto op = keyspace_->Begin({{0, "l"}});
    std::string value;
    ASSERT_TRUE(op->ListGet(prefix, head + 100, &value).ok());  // caches a middle chunk
    EXPECT_EQ(value, expected[100]);
    // LPUSH of 70 into the chunks below: across two boundaries.
    for (int i = 0; i < 70; ++i) {
      --meta.list_head;
      ++meta.size;
      const std::string pushed = "left" + std::to_string(i);
      ASSERT_TRUE(op->ListSet(prefix, meta.list_head, pushed, meta.list_head,
                              meta.list_head + meta.size).ok());
      expected.insert(expected.begin(), pushed);
    }
    // Inline values up to the cap: 1,000 bytes each, so the ninth in one chunk goes apart.
    for (uint64_t i = 0; i < 12; ++i) {
      const std::string pushed(1000, static_cast<char>('a' + i));
      ASSERT_TRUE(op->ListSet(prefix, meta.list_head + meta.size, pushed, meta.list_head,
                              meta.list_head + meta.size + 1).ok());
      ++meta.size;
      expected.push_back(pushed);
    }
    std::vector<std::string> values;
    ASSERT_TRUE(op->ListRange(prefix, meta.list_head, meta.list_head + meta.size, &values).ok());
    EXPECT_EQ(values, expected);
    values.clear();
    ASSERT_TRUE(op->ListRange(prefix, head + 60, head + 130, &values).ok());
    EXPECT_EQ(values, std::vector<std::string>(expected.begin() + 130, expected.begin() + 200));
    ASSERT_TRUE(op->Put(0, "l", meta, true, 0).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(ReadList(keyspace_.get(), "l", meta), expected);
  {
    // Abandoned: its writes never reach the store.
    auto op = keyspace_->Begin({{0, "l"}});
    ASSERT_TRUE(op->ListSet(prefix, meta.list_head, "lost", meta.list_head,
                            meta.list_head + meta.size).ok());
  }
  Reopen();
  EXPECT_EQ(ReadList(keyspace_.get(), "l", meta), expected);
  // A position whose chunk is missing, or not in a chunk's run, is corruption, not a value.
  auto op = keyspace_->Begin({{0, "l"}});
  std::string value;
  EXPECT_TRUE(op->ListGet(prefix, kListMiddle * 2, &value).IsCorruption());
  EXPECT_TRUE(op->ListSet(prefix, meta.list_head - 2, "gap", meta.list_head - 2,
                          meta.list_head + meta.size).IsCorruption());
}

// Elements of a list prefix (COPY and RENAME copy its entries) see the op's own chunk writes.
TEST_F(KeyspaceTest, ElementsScanSeesTheOpsChunkWrites) {
  Meta meta = WriteList(keyspace_.get(), "l", kListMiddle, 3);
  const std::string prefix = DataPrefix(0, "l", meta.version);
  auto op = keyspace_->Begin({{0, "l"}});
  ASSERT_TRUE(op->ListSet(prefix, kListMiddle + 3, "pushed", kListMiddle, kListMiddle + 4).ok());
  auto iterator = op->Elements(prefix);
  ASSERT_TRUE(iterator.ok());
  ASSERT_TRUE((*iterator)->Valid());
  ListChunk chunk;
  ASSERT_TRUE(chunk.Decode(std::string((*iterator)->value())).ok());
  EXPECT_EQ(chunk.count(), 4u);
  EXPECT_EQ(chunk.Inline(3), "pushed");
  iterator->reset();
  // Still cached after the scan, and written again by Commit once changed again.
  ASSERT_TRUE(op->ListSet(prefix, kListMiddle + 4, "again", kListMiddle, kListMiddle + 5).ok());
  meta.size = 5;
  ASSERT_TRUE(op->Put(0, "l", meta, true, 0).ok());
  ASSERT_TRUE(op->Commit().ok());
  op.reset();
  EXPECT_EQ(ReadList(keyspace_.get(), "l", meta),
            (std::vector<std::string>{"v" + std::to_string(kListMiddle),
                                      "v" + std::to_string(kListMiddle + 1),
                                      "v" + std::to_string(kListMiddle + 2), "pushed", "again"}));
}

class RecordingListener final : public KeyEventListener {
 public:
  void KeyExpired(int db, std::string_view key) override {
    events.push_back("expired " + std::to_string(db) + " " + std::string(key));
  }
  void KeyCreated(int db, std::string_view key) override {
    events.push_back("new " + std::to_string(db) + " " + std::string(key));
  }
  std::vector<std::string> events;
};

TEST_F(KeyspaceTest, ListenerHearsOnlyTheEventsItAskedFor) {
  RecordingListener listener;
  keyspace_->SetListener(&listener, kKeyCreatedEvents);
  PutString(0, "a", "1");
  PutString(0, "a", "2");  // exists: not new
  PutString(3, "b", "1", NowMs() - 1);
  EXPECT_FALSE(Read(3, "b").has_value());  // expired, but those events were not asked for
  EXPECT_EQ(listener.events, (std::vector<std::string>{"new 0 a", "new 3 b"}));
  listener.events.clear();
  keyspace_->SetListenerEvents(kKeyExpiredEvents);
  PutString(1, "c", "1", NowMs() - 1);
  EXPECT_FALSE(Read(1, "c").has_value());
  PutString(1, "d", "1", NowMs() - 1);
  auto deleted = keyspace_->ExpireCycle(10);  // active expiry
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1u);
  EXPECT_EQ(listener.events, (std::vector<std::string>{"expired 1 c", "expired 1 d"}));
  keyspace_->SetListener(nullptr, 0);
  PutString(0, "e", "1");
  EXPECT_EQ(listener.events.size(), 2u);
}

TEST_F(KeyspaceTest, OpReportsTheListsAndSortedSetsItWrote) {
  auto op = keyspace_->Begin({{0, "l"}, {5, "z"}, {0, "s"}});
  Meta list;
  list.type = Type::kList;
  list.size = 1;
  Meta zset;
  zset.type = Type::kZSet;
  zset.size = 1;
  Meta text;
  ASSERT_TRUE(op->Put(0, "l", list, false, 0).ok());
  ASSERT_TRUE(op->Put(5, "z", zset, false, 0).ok());
  ASSERT_TRUE(op->Put(0, "s", text, false, 0).ok());
  ASSERT_TRUE(op->Commit().ok());
  const std::vector<std::pair<int, std::string>> expected{{0, "l"}, {5, "z"}};
  EXPECT_EQ(op->TakePushedKeys(), expected);
  EXPECT_EQ(keyspace_->change_count(), 3u);
}

TEST_F(KeyspaceTest, CommitWritesOnlyTheLastWriteOfEachKey) {
  auto entries = [&](storage::Family family) {
    uint64_t count = 0;
    EXPECT_TRUE(store_->db()->GetIntProperty(store_->handle(family),
                                             "rocksdb.num-entries-active-mem-table", &count));
    return count;
  };
  const uint64_t meta_before = entries(storage::Family::kKvMeta);
  const uint64_t data_before = entries(storage::Family::kKvData);
  const std::string prefix = DataPrefix(0, "k", 3);
  auto op = keyspace_->Begin({{0, "k"}, {0, "j"}});
  std::string read;
  EXPECT_TRUE(op->GetElement(prefix, "field", &read).IsNotFound());  // cached as missing
  EXPECT_TRUE(op->GetElement(prefix, "gone", &read).IsNotFound());
  Meta meta;
  for (int i = 0; i < 5; ++i) {  // a pipeline of five SETs of one key, then one of another
    meta.value = "v" + std::to_string(i);
    ASSERT_TRUE(op->Put(0, "k", meta, i > 0, 0).ok());
    ASSERT_TRUE(op->PutElement(prefix, "field", meta.value).ok());
  }
  ASSERT_TRUE(op->GetElement(prefix, "field", &read).ok());  // the cache follows the writes
  EXPECT_EQ(read, "v4");
  ASSERT_TRUE(op->PutElement(prefix, "gone", "x").ok());
  ASSERT_TRUE(op->GetElement(prefix, "gone", &read).ok());
  EXPECT_EQ(read, "x");
  ASSERT_TRUE(op->PutElement(prefix, "gone", std::string(5000, 'y')).ok());  // too big to cache
  ASSERT_TRUE(op->GetElement(prefix, "gone", &read).ok());
  EXPECT_EQ(read.size(), 5000u);
  ASSERT_TRUE(op->DeleteElement(prefix, "gone").ok());
  EXPECT_TRUE(op->GetElement(prefix, "gone", &read).IsNotFound());
  Meta long_string;
  long_string.value.assign(5000, 'z');  // too long to cache: read back from the batch
  ASSERT_TRUE(op->Put(0, "j", long_string, false, 0).ok());
  auto long_read = op->Get(0, "j");
  ASSERT_TRUE(long_read.ok() && long_read->has_value());
  EXPECT_EQ((*long_read)->value, long_string.value);
  auto cached = op->Get(0, "k");  // from the op's cache: the last write
  ASSERT_TRUE(cached.ok() && cached->has_value());
  EXPECT_EQ((*cached)->value, "v4");
  ASSERT_TRUE(op->Commit().ok());
  op.reset();
  EXPECT_EQ(entries(storage::Family::kKvMeta) - meta_before, 2u);
  EXPECT_EQ(entries(storage::Family::kKvData) - data_before, 2u);  // "field" and the delete
  EXPECT_EQ(Read(0, "k")->value, "v4");
  EXPECT_EQ(keyspace_->KeyCount(0), 2);
  std::string value;
  auto reader = keyspace_->Begin({{0, "k"}});
  ASSERT_TRUE(reader->GetElement(prefix, "field", &value).ok());
  EXPECT_EQ(value, "v4");
  EXPECT_TRUE(reader->GetElement(prefix, "gone", &value).IsNotFound());
}

TEST_F(KeyspaceTest, RewritingAnElementToItsValueWritesNothingButCountsAsAWrite) {
  auto entries = [&] {
    uint64_t count = 0;
    EXPECT_TRUE(store_->db()->GetIntProperty(store_->handle(storage::Family::kKvData),
                                             "rocksdb.num-entries-active-mem-table", &count));
    return count;
  };
  const std::string prefix = DataPrefix(0, "h", 5);
  {
    auto op = keyspace_->Begin({{0, "h"}});
    ASSERT_TRUE(op->PutElement(prefix, "f", "v").ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  const uint64_t entries_before = entries();
  const uint64_t changes_before = keyspace_->change_count();
  const uint64_t version_before = keyspace_->StripeVersion(0, "h");
  {
    auto op = keyspace_->Begin({{0, "h"}});
    std::string value;
    ASSERT_TRUE(op->GetElement(prefix, "f", &value).ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(op->PutElement(prefix, "f", "v").ok());  // HSET h f v
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(entries(), entries_before);
  EXPECT_EQ(keyspace_->change_count(), changes_before + 3);  // as Redis counts them
  EXPECT_GT(keyspace_->StripeVersion(0, "h"), version_before);  // a WATCH of h fails
  {
    // Changed and changed back in one op: the last write is a change from what the op saw.
    auto op = keyspace_->Begin({{0, "h"}});
    std::string value;
    ASSERT_TRUE(op->GetElement(prefix, "f", &value).ok());
    ASSERT_TRUE(op->PutElement(prefix, "f", "w").ok());
    ASSERT_TRUE(op->PutElement(prefix, "f", "v").ok());
    ASSERT_TRUE(op->GetElement(prefix, "f", &value).ok());
    EXPECT_EQ(value, "v");
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(entries(), entries_before + 1);
  auto reader = keyspace_->Begin({{0, "h"}});
  std::string value;
  ASSERT_TRUE(reader->GetElement(prefix, "f", &value).ok());
  EXPECT_EQ(value, "v");
}

TEST_F(KeyspaceTest, ElementScansMergeTheOpsOwnWritesWithinTheirBounds) {
  const std::string prefix = DataPrefix(0, "h", 7);
  const std::string other = DataPrefix(0, "h", 8);  // the next version: outside the scan
  {
    auto op = keyspace_->Begin({{0, "h"}});
    ASSERT_TRUE(op->PutElement(prefix, "b", "committed-b").ok());
    ASSERT_TRUE(op->PutElement(prefix, "d", "committed-d").ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  auto op = keyspace_->Begin({{0, "h"}});
  ASSERT_TRUE(op->PutElement(prefix, "a", "new-a").ok());
  ASSERT_TRUE(op->PutElement(prefix, "d", "new-d").ok());
  ASSERT_TRUE(op->DeleteElement(prefix, "b").ok());
  ASSERT_TRUE(op->PutElement(other, "z", "elsewhere").ok());
  auto collect = [&](std::string_view lower, std::string_view upper) {
    std::vector<std::string> seen;
    auto iterator = op->Elements(prefix, lower, upper);
    EXPECT_TRUE(iterator.ok());
    for (; (*iterator)->Valid(); (*iterator)->Next()) {
      seen.push_back(std::string((*iterator)->key().substr(prefix.size())) + "=" +
                     std::string((*iterator)->value()));
    }
    EXPECT_TRUE((*iterator)->status().ok());
    return seen;
  };
  EXPECT_EQ(collect("", ""), (std::vector<std::string>{"a=new-a", "d=new-d"}));
  EXPECT_EQ(collect("b", "d"), (std::vector<std::string>{}));
  EXPECT_EQ(collect("a", "b"), (std::vector<std::string>{"a=new-a"}));
  auto last = op->Elements(prefix);
  ASSERT_TRUE(last.ok());
  (*last)->SeekToLast();  // the op's write of the next version lies beyond the bound
  ASSERT_TRUE((*last)->Valid());
  EXPECT_EQ((*last)->key().substr(prefix.size()), "d");
  (*last)->Seek("");  // below the lower bound: clamped
  ASSERT_TRUE((*last)->Valid());
  EXPECT_EQ((*last)->key().substr(prefix.size()), "a");
  // Backwards: SeekBefore lands on the last key below its target, Prev stops at the bound.
  (*last)->SeekBefore(prefix + "d");  // "b" was deleted by the op: "a"
  ASSERT_TRUE((*last)->Valid());
  EXPECT_EQ((*last)->key().substr(prefix.size()), "a");
  (*last)->Prev();
  EXPECT_FALSE((*last)->Valid());
  (*last)->SeekBefore(other + "zz");  // beyond the upper bound: clamped
  ASSERT_TRUE((*last)->Valid());
  EXPECT_EQ((*last)->key().substr(prefix.size()), "d");
  (*last)->SeekBefore(prefix + "d\x01");
  ASSERT_TRUE((*last)->Valid());
  EXPECT_EQ((*last)->value(), "new-d");
  last->reset();
  ASSERT_TRUE(op->Commit().ok());
  op.reset();  // releases the stripe
  std::string value;
  EXPECT_TRUE(keyspace_->Begin({{0, "h"}})->GetElement(prefix, "b", &value).IsNotFound());
}

// Metadata writes wait in the op until Commit, strings too long to cache go to the batch: the
// last write of a key wins either way.
TEST_F(KeyspaceTest, LastMetadataWriteWinsAcrossLongStrings) {
  const std::string long_value(5000, 'z');
  {
    auto op = keyspace_->Begin({{0, "a"}, {0, "b"}, {0, "c"}});
    Meta meta;
    meta.value = long_value;
    ASSERT_TRUE(op->Put(0, "a", meta, false, 0).ok());  // long, then short
    meta.value = "short";
    ASSERT_TRUE(op->Put(0, "a", meta, true, 0).ok());
    ASSERT_TRUE(op->Put(0, "b", meta, false, 0).ok());  // short, then long
    meta.value = long_value;
    ASSERT_TRUE(op->Put(0, "b", meta, true, 0).ok());
    ASSERT_TRUE(op->Put(0, "c", meta, false, 0).ok());  // long, then deleted
    auto c = op->Get(0, "c");
    ASSERT_TRUE(c.ok() && c->has_value());
    ASSERT_TRUE(op->Delete(0, "c", **c).ok());
    auto a = op->Get(0, "a");
    ASSERT_TRUE(a.ok() && a->has_value());
    EXPECT_EQ((*a)->value, "short");
    auto b = op->Get(0, "b");
    ASSERT_TRUE(b.ok() && b->has_value());
    EXPECT_EQ((*b)->value, long_value);
    c = op->Get(0, "c");
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->has_value());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_EQ(Read(0, "a")->value, "short");
  EXPECT_EQ(Read(0, "b")->value, long_value);
  EXPECT_FALSE(Read(0, "c").has_value());
  EXPECT_EQ(keyspace_->KeyCount(0), 2);
  {
    // An op that only deletes writes no batch entry for it, and still commits it.
    auto op = keyspace_->Begin({{0, "a"}});
    auto a = op->Get(0, "a");
    ASSERT_TRUE(a.ok() && a->has_value());
    ASSERT_TRUE(op->Delete(0, "a", **a).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  EXPECT_FALSE(Read(0, "a").has_value());
  Reopen();
  EXPECT_FALSE(Read(0, "a").has_value());
  EXPECT_EQ(Read(0, "b")->value, long_value);
  EXPECT_EQ(keyspace_->KeyCount(0), 1);
}

}  // namespace
}  // namespace plexus::kv
