// The kv data model: metadata codec, ops (atomic writes, own-write visibility), key counts,
// lazy and active expiry, versions across reopen.
#include "plexus/kv/keyspace.h"

#include <gtest/gtest.h>
#include <rocksdb/utilities/transaction_db.h>

#include <thread>
#include <vector>

#include "plexus/base/temp_dir.h"
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

TEST_F(KeyspaceTest, CompactionDropsListElementsOutsideTheLiveRange) {
  auto index_key = [](uint64_t index) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) {
      bytes[static_cast<size_t>(i)] = static_cast<char>(index >> (56 - 8 * i));
    }
    return bytes;
  };
  Meta meta;
  meta.type = Type::kList;
  {
    auto op = keyspace_->Begin({{0, "queue"}});
    meta.version = op->NewVersion();
    const std::string prefix = DataPrefix(0, "queue", meta.version);
    // Ten elements were pushed at [kListMiddle - 5, kListMiddle + 5); pops left four of them.
    for (uint64_t i = kListMiddle - 5; i < kListMiddle + 5; ++i) {
      ASSERT_TRUE(op->PutElement(prefix, index_key(i), "v" + std::to_string(i)).ok());
    }
    meta.list_head = kListMiddle - 1;
    meta.size = 4;
    ASSERT_TRUE(op->Put(0, "queue", meta, false, 0).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE(store_->Compact(storage::Family::kKvData).ok());
  auto iterator = transactions_->Scan(storage::Family::kKvData, "", "");
  ASSERT_TRUE(iterator.ok());
  const std::string prefix = DataPrefix(0, "queue", meta.version);
  std::vector<std::string> kept;
  for (; (*iterator)->Valid(); (*iterator)->Next()) {
    const std::string_view key = (*iterator)->key();
    ASSERT_EQ(key.substr(0, prefix.size()), prefix);
    kept.emplace_back(key.substr(prefix.size()));
  }
  EXPECT_EQ(kept, (std::vector<std::string>{index_key(kListMiddle - 1), index_key(kListMiddle),
                                            index_key(kListMiddle + 1),
                                            index_key(kListMiddle + 2)}));
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

// List pushes stay out of the indexed batch: every other access to their list's elements in
// the same op sees them, and a later write of the same element wins over them, as does a later
// push of an element pushed before (LTRIM moved the end back in between).
TEST_F(KeyspaceTest, AppendedElementsAreSeenAndOrderedWithTheOpsOtherWrites) {
  const std::string prefix = DataPrefix(0, "l", 5);
  const std::string other = DataPrefix(0, "m", 6);
  {
    auto op = keyspace_->Begin({{0, "l"}, {0, "m"}});
    ASSERT_TRUE(op->PutElement(prefix, "c", "indexed-c").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "a", "pushed-a").ok());
    ASSERT_TRUE(op->AppendElement(other, "x", "pushed-x").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "b", "pushed-b").ok());
    std::string value;
    ASSERT_TRUE(op->GetElement(prefix, "b", &value).ok());  // moves them into the batch
    EXPECT_EQ(value, "pushed-b");
    ASSERT_TRUE(op->AppendElement(prefix, "d", "first-d").ok());
    ASSERT_TRUE(op->PutElement(prefix, "d", "set-d").ok());  // LSET after LPUSH: the set wins
    ASSERT_TRUE(op->AppendElement(prefix, "e", "first-e").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "e", "second-e").ok());  // pushed again: the last wins
    ASSERT_TRUE(op->AppendElement(prefix, "f", "pushed-f").ok());
    ASSERT_TRUE(op->DeleteElement(prefix, "f").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "f", "again-f").ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  {
    // Pushes alone, out of key order and one key twice (written sorted, the last write kept).
    auto op = keyspace_->Begin({{0, "l"}});
    ASSERT_TRUE(op->AppendElement(prefix, "h2", "first-h2").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "h1", "pushed-h1").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "h3", "pushed-h3").ok());
    ASSERT_TRUE(op->AppendElement(prefix, "h2", "second-h2").ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  auto op = keyspace_->Begin({{0, "l"}, {0, "m"}});
  std::string h2;
  ASSERT_TRUE(op->GetElement(prefix, "h2", &h2).ok());
  EXPECT_EQ(h2, "second-h2");
  ASSERT_TRUE(op->GetElement(prefix, "h1", &h2).ok());
  EXPECT_EQ(h2, "pushed-h1");
  std::vector<std::string> seen;
  auto iterator = op->Elements(prefix);
  ASSERT_TRUE(iterator.ok());
  for (; (*iterator)->Valid(); (*iterator)->Next()) {
    seen.push_back(std::string((*iterator)->key().substr(prefix.size())) + "=" +
                   std::string((*iterator)->value()));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a=pushed-a", "b=pushed-b", "c=indexed-c", "d=set-d",
                                            "e=second-e", "f=again-f", "h1=pushed-h1",
                                            "h2=second-h2", "h3=pushed-h3"}));
  std::string value;
  ASSERT_TRUE(op->GetElement(other, "x", &value).ok());
  EXPECT_EQ(value, "pushed-x");
  // Within one op, a scan sees pushes made before it; an abandoned op writes none.
  ASSERT_TRUE(op->AppendElement(prefix, "g", "pushed-g").ok());
  auto scan = op->Elements(prefix, "g");
  ASSERT_TRUE(scan.ok());
  ASSERT_TRUE((*scan)->Valid());
  EXPECT_EQ((*scan)->value(), "pushed-g");
  scan->reset();
  ASSERT_TRUE(op->AppendElement(other, "y", "abandoned").ok());
  op.reset();
  EXPECT_TRUE(keyspace_->Begin({{0, "m"}})->GetElement(other, "y", &value).IsNotFound());
}

// Pops read ahead into a cache shared by ops; every element write must keep it exact: a write
// in a later op, a write earlier in the same op (the cache holds committed values only), an
// abandoned op's pop.
TEST_F(KeyspaceTest, PopReadAheadStaysExactAcrossWrites) {
  const std::string prefix = DataPrefix(0, "list", 7);
  auto sub = [](uint64_t index) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) {
      bytes[static_cast<size_t>(i)] = static_cast<char>(index >> (56 - 8 * i));
    }
    return bytes;
  };
  {
    auto op = keyspace_->Begin({{0, "list"}});
    for (uint64_t i = 0; i < 10; ++i) {
      ASSERT_TRUE(op->PutElement(prefix, sub(i), "v" + std::to_string(i)).ok());
    }
    ASSERT_TRUE(op->Commit().ok());
  }
  std::string value;
  {
    // Reads 0..9 ahead; takes 9.
    auto op = keyspace_->Begin({{0, "list"}});
    ASSERT_TRUE(op->PopElement(prefix, sub(9), sub(0), sub(10), &value).ok());
    EXPECT_EQ(value, "v9");
    ASSERT_TRUE(op->Commit().ok());
  }
  {
    // A later op overwrites 8 and deletes 7: the cached values must not come back.
    auto op = keyspace_->Begin({{0, "list"}});
    ASSERT_TRUE(op->PutElement(prefix, sub(8), "new8").ok());
    ASSERT_TRUE(op->DeleteElement(prefix, sub(7)).ok());
    ASSERT_TRUE(op->Commit().ok());
  }
  {
    auto op = keyspace_->Begin({{0, "list"}});
    ASSERT_TRUE(op->PopElement(prefix, sub(8), sub(0), sub(9), &value).ok());
    EXPECT_EQ(value, "new8");
    EXPECT_TRUE(op->PopElement(prefix, sub(7), sub(0), sub(8), &value).IsNotFound());
    // Cached (read ahead above) and then taken in an op that is abandoned: read again.
    ASSERT_TRUE(op->PopElement(prefix, sub(6), sub(0), sub(7), &value).ok());
    EXPECT_EQ(value, "v6");
  }
  {
    auto op = keyspace_->Begin({{0, "list"}});
    ASSERT_TRUE(op->PopElement(prefix, sub(6), sub(0), sub(7), &value).ok());
    EXPECT_EQ(value, "v6");
    // The op's own write of 5 before its pop: the pop sees it, and reads nothing ahead.
    ASSERT_TRUE(op->PutElement(prefix, sub(5), "own5").ok());
    ASSERT_TRUE(op->PopElement(prefix, sub(5), sub(0), sub(6), &value).ok());
    EXPECT_EQ(value, "own5");
    ASSERT_TRUE(op->PutElement(prefix, sub(4), "own4").ok());
    ASSERT_TRUE(op->PopElement(prefix, sub(4), sub(0), sub(5), &value).ok());
    EXPECT_EQ(value, "own4");
    ASSERT_TRUE(op->Commit().ok());
  }
  {
    auto op = keyspace_->Begin({{0, "list"}});
    ASSERT_TRUE(op->PopElement(prefix, sub(5), sub(0), sub(6), &value).ok());
    EXPECT_EQ(value, "own5");
    ASSERT_TRUE(op->PopElement(prefix, sub(3), sub(0), sub(4), &value).ok());
    EXPECT_EQ(value, "v3");
  }
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
