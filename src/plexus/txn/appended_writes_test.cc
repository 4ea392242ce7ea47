// AppendedWrites: ascending appends only, lookups by key, and data kept in chunks across growth.
#include "plexus/txn/appended_writes.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace plexus::txn {
namespace {

std::string Key(int i) {
  char key[16];
  std::snprintf(key, sizeof key, "k%08d", i);
  return key;
}

TEST(AppendedWritesTest, AppendsOnlyAscendingKeys) {
  AppendedWrites writes;
  EXPECT_TRUE(writes.TryAppend("b", "1"));
  EXPECT_FALSE(writes.TryAppend("b", "2"));  // not above the last key
  EXPECT_FALSE(writes.TryAppend("a", "3"));
  EXPECT_TRUE(writes.TryAppend("c", ""));
  EXPECT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes.bytes(), 3u);
  std::string value;
  ASSERT_TRUE(writes.Find("b", &value));
  EXPECT_EQ(value, "1");
  ASSERT_TRUE(writes.Find("c", &value));
  EXPECT_EQ(value, "");
  EXPECT_FALSE(writes.Find("a", &value));
  EXPECT_FALSE(writes.Find("bb", &value));
  EXPECT_FALSE(writes.Find("d", &value));
}

// Many rows (several chunks, of growing sizes) and values larger than a chunk keep every key and
// value, in order, where they were written.
TEST(AppendedWritesTest, KeepsEveryWriteAcrossChunks) {
  AppendedWrites writes;
  constexpr int kRows = 40'000;
  const std::string large(3 << 20, 'x');  // larger than the biggest chunk
  size_t bytes = 0;
  for (int i = 0; i < kRows; ++i) {
    const std::string value = i % 10'000 == 7 ? large : "value-" + std::to_string(i);
    ASSERT_TRUE(writes.TryAppend(Key(i), value));
    bytes += Key(i).size() + value.size();
  }
  EXPECT_EQ(writes.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(writes.bytes(), bytes);
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
  // Moving the object moves no data: what it found stays found.
  AppendedWrites moved = std::move(writes);
  ASSERT_TRUE(moved.Find(Key(12'345), &value));
  EXPECT_EQ(value, "value-12345");
  moved.Clear();
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.bytes(), 0u);
  EXPECT_FALSE(moved.Find(Key(1), &value));
  EXPECT_TRUE(moved.TryAppend(Key(0), "again"));
  ASSERT_TRUE(moved.Find(Key(0), &value));
  EXPECT_EQ(value, "again");
}

}  // namespace
}  // namespace plexus::txn
