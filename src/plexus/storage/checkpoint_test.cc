// Checkpoints: a copy that opens as a data directory of its own, with the data of its moment.
#include "plexus/storage/checkpoint.h"

#include <gtest/gtest.h>
#include <rocksdb/utilities/transaction_db.h>

#include "plexus/base/temp_dir.h"

namespace plexus::storage {
namespace {

std::string Read(Store& store, std::string_view key) {
  std::string value;
  const rocksdb::Status status = store.db()->Get(
      rocksdb::ReadOptions(), store.handle(Family::kKvMeta), rocksdb::Slice(key.data(), key.size()),
      &value);
  return status.ok() ? value : "<" + status.ToString() + ">";
}

void Write(Store& store, std::string_view key, std::string_view value) {
  ASSERT_TRUE(store.db()
                  ->Put(rocksdb::WriteOptions(), store.handle(Family::kKvMeta),
                        rocksdb::Slice(key.data(), key.size()),
                        rocksdb::Slice(value.data(), value.size()))
                  .ok());
}

TEST(CheckpointTest, OpensAsADataDirectoryWithTheDataOfItsMoment) {
  base::TempDir temp;
  const std::string copy = temp.path() + "/checkpoints/one";
  std::string node_id;
  {
    auto store = Store::Open(temp.path() + "/data", Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Write(**store, "k", "before");
    ASSERT_TRUE(CreateCheckpoint(**store, copy).ok());
    Write(**store, "k", "after");
    EXPECT_EQ(Read(**store, "k"), "after");
    node_id = (*store)->manifest().node_id;
    const Status again = CreateCheckpoint(**store, copy);
    EXPECT_EQ(again.code(), StatusCode::kInvalidArgument) << again.ToString();
  }
  auto opened = Store::Open(copy, Options());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(Read(**opened, "k"), "before");
  EXPECT_EQ((*opened)->manifest().node_id, node_id);
}

}  // namespace
}  // namespace plexus::storage
