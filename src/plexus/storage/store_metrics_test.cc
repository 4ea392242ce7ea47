#include "plexus/storage/store_metrics.h"

#include <gtest/gtest.h>

#include <rocksdb/utilities/transaction_db.h>

#include <string>

#include "plexus/base/metrics.h"
#include "plexus/base/temp_dir.h"

namespace plexus::storage {
namespace {

// The value of an unlabelled series in Prometheus text, or -1 when it is missing.
double SampleValue(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

TEST(StoreMetricsTest, ExportsRocksDBStatisticsWhileAlive) {
  base::TempDir temp;
  auto store = Store::Open(temp.path(), Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    StoreMetrics metrics(store->get());
    rocksdb::WriteOptions write;
    write.sync = true;  // counts as a WAL sync
    ASSERT_TRUE((*store)->db()->Put(write, (*store)->handle(Family::kKvData), "k", "v").ok());
    const std::string text = base::DefaultRegistry().ExportPrometheus();
    EXPECT_NE(text.find("# TYPE plexus_rocksdb_block_cache_hits_total counter\n"),
              std::string::npos)
        << text;
    EXPECT_GE(SampleValue(text, "plexus_rocksdb_block_cache_misses_total"), 0);
    EXPECT_GE(SampleValue(text, "plexus_rocksdb_compaction_written_bytes_total"), 0);
    EXPECT_GE(SampleValue(text, "plexus_rocksdb_write_stall_seconds_total"), 0);
    EXPECT_GT(SampleValue(text, "plexus_rocksdb_memtable_bytes"), 0);  // holds "k"
    EXPECT_EQ(SampleValue(text, "plexus_rocksdb_write_stopped"), 0);
    EXPECT_GE(SampleValue(text, "plexus_wal_syncs_total"), 1);
  }
  const std::string after = base::DefaultRegistry().ExportPrometheus();
  EXPECT_EQ(after.find("plexus_rocksdb_memtable_bytes"), std::string::npos);
  EXPECT_EQ(after.find("plexus_wal_syncs_total"), std::string::npos);
  ASSERT_TRUE((*store)->Close().ok());
}

}  // namespace
}  // namespace plexus::storage
