// AppendedWrites: ascending appends only, lookups by key, data kept across growth, and bytes
// that RocksDB reads as its own write batch.
#include "plexus/txn/appended_writes.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

namespace plexus::txn {
namespace {

std::string Key(int i) {
  char key[16];
  std::snprintf(key, sizeof key, "k%08d", i);
  return key;
}

TEST(AppendedWritesTest, AppendsOnlyAscendingKeys) {
  AppendedWrites writes;
  EXPECT_TRUE(writes.TryAppend(2, "b", "1"));
  EXPECT_FALSE(writes.TryAppend(2, "b", "2"));  // not above the last key
  EXPECT_FALSE(writes.TryAppend(2, "a", "3"));
  EXPECT_TRUE(writes.TryAppend(2, "c", ""));
  EXPECT_EQ(writes.size(), 2u);
  // Per record: tag and family id, two one-byte lengths, then the key and the value.
  EXPECT_EQ(writes.bytes(), 2 * (2 + 2) + 3u);
  std::string value;
  ASSERT_TRUE(writes.Find("b", &value));
  EXPECT_EQ(value, "1");
  ASSERT_TRUE(writes.Find("c", &value));
  EXPECT_EQ(value, "");
  EXPECT_FALSE(writes.Find("a", &value));
  EXPECT_FALSE(writes.Find("bb", &value));
  EXPECT_FALSE(writes.Find("d", &value));
}

// Many rows (the batch grows many times) and values larger than a growth step keep every key and
// value, in order.
TEST(AppendedWritesTest, KeepsEveryWriteAcrossChunks) {
  AppendedWrites writes;
  constexpr int kRows = 40'000;
  const std::string large(3 << 20, 'x');  // larger than the biggest chunk
  for (int i = 0; i < kRows; ++i) {
    const std::string value = i % 10'000 == 7 ? large : "value-" + std::to_string(i);
    ASSERT_TRUE(writes.TryAppend(2, Key(i), value));
  }
  EXPECT_EQ(writes.size(), static_cast<size_t>(kRows));
  std::string value;
  for (int i : {0, 1, 7, 4'095, 10'007, 23'456, kRows - 1}) {
    ASSERT_TRUE(writes.Find(Key(i), &value)) << i;
    EXPECT_EQ(value, i % 10'000 == 7 ? large : "value-" + std::to_string(i)) << i;
  }
  int seen = 0;
  writes.ForEach([&](std::string_view key, std::string_view row) {
    EXPECT_EQ(key, Key(seen));
    if (seen % 10'000 != 7) {
      EXPECT_EQ(row, "value-" + std::to_string(seen));
    }
    ++seen;
  });
  EXPECT_EQ(seen, kRows);
  // Moved, it still finds what it holds.
  AppendedWrites moved = std::move(writes);
  ASSERT_TRUE(moved.Find(Key(12'345), &value));
  EXPECT_EQ(value, "value-12345");
  moved.Clear();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.bytes(), 0u);
  EXPECT_FALSE(moved.Find(Key(1), &value));
  EXPECT_TRUE(moved.TryAppend(2, Key(0), "again"));
  ASSERT_TRUE(moved.Find(Key(0), &value));
  EXPECT_EQ(value, "again");
}

// What RocksDB reads back from a write batch: (column family, key, value) per Put.
class PutCollector : public rocksdb::WriteBatch::Handler {
 public:
  rocksdb::Status PutCF(uint32_t column_family, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    puts.emplace_back(column_family, key.ToString(), value.ToString());
    return rocksdb::Status::OK();
  }
  // The Noop a transaction's batch begins with.
  rocksdb::Status MarkNoop(bool /*empty_batch*/) override { return rocksdb::Status::OK(); }
  std::vector<std::tuple<uint32_t, std::string, std::string>> puts;
};

// The swapped-out bytes are a write batch RocksDB parses: its count, and every record in order,
// in the default family (no family id in the record) and in a named one.
TEST(AppendedWritesTest, SwapsOutRocksDBWriteBatch) {
  for (uint32_t family : {0u, 3u, 300u}) {
    AppendedWrites writes;
    const std::string long_value(200, 'v');  // a two-byte length
    ASSERT_TRUE(writes.TryAppend(family, Key(1), "one"));
    ASSERT_TRUE(writes.TryAppend(family, Key(2), long_value));
    ASSERT_TRUE(writes.TryAppend(family, Key(3), ""));
    std::string bytes;
    writes.SwapBatch(&bytes);
    EXPECT_TRUE(writes.empty());
    EXPECT_EQ(writes.bytes(), 0u);
    rocksdb::WriteBatch batch(std::move(bytes));
    EXPECT_EQ(batch.Count(), 3u);
    PutCollector collector;
    ASSERT_TRUE(batch.Iterate(&collector).ok());
    ASSERT_EQ(collector.puts.size(), 3u);
    EXPECT_EQ(collector.puts[0], std::make_tuple(family, Key(1), std::string("one")));
    EXPECT_EQ(collector.puts[1], std::make_tuple(family, Key(2), long_value));
    EXPECT_EQ(collector.puts[2], std::make_tuple(family, Key(3), std::string()));
  }
}

// The records after the first, appended to a batch that holds RocksDB's own records, read back
// as records of that batch.
TEST(AppendedWritesTest, RecordsAfterFirstAreWriteBatchRecords) {
  AppendedWrites writes;
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(writes.TryAppend(0, Key(i), "v" + std::to_string(i)));
  EXPECT_EQ(writes.first_key(), Key(0));
  EXPECT_EQ(writes.first_value(), "v0");
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put("other", "x").ok());
  ASSERT_TRUE(batch.Put(writes.first_key(), writes.first_value()).ok());
  std::string bytes = batch.Data();
  bytes.append(writes.records_after_first());
  AppendedWrites::SetBatchCount(&bytes, 41);  // the caller's to set
  rocksdb::WriteBatch joined(std::move(bytes));
  EXPECT_EQ(joined.Count(), 41u);
  PutCollector collector;
  ASSERT_TRUE(joined.Iterate(&collector).ok());
  ASSERT_EQ(collector.puts.size(), 41u);
  EXPECT_EQ(std::get<1>(collector.puts[0]), "other");
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(std::get<1>(collector.puts[i + 1]), Key(i));
    EXPECT_EQ(std::get<2>(collector.puts[i + 1]), "v" + std::to_string(i));
  }
}

}  // namespace
}  // namespace plexus::txn
