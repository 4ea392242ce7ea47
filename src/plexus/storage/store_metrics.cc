// StoreMetrics: RocksDB tickers (from the store's Statistics object) as counters, RocksDB
// properties summed over the column families as gauges.
#include "plexus/storage/store_metrics.h"

#include <rocksdb/statistics.h>
#include <rocksdb/utilities/transaction_db.h>

#include <memory>
#include <string_view>

#include "plexus/base/metrics.h"

namespace plexus::storage {
namespace {

struct TickerMetric {
  std::string_view name;
  std::string_view help;
  rocksdb::Tickers ticker;
  double scale;  // multiplies the ticker's value (microseconds to seconds)
};

constexpr TickerMetric kTickerMetrics[] = {
    {"plexus_rocksdb_block_cache_hits_total", "Block cache lookups that found the block.",
     rocksdb::BLOCK_CACHE_HIT, 1},
    {"plexus_rocksdb_block_cache_misses_total", "Block cache lookups that read the block from disk.",
     rocksdb::BLOCK_CACHE_MISS, 1},
    {"plexus_rocksdb_compaction_read_bytes_total", "Bytes read by compactions.",
     rocksdb::COMPACT_READ_BYTES, 1},
    {"plexus_rocksdb_compaction_written_bytes_total", "Bytes written by compactions.",
     rocksdb::COMPACT_WRITE_BYTES, 1},
    {"plexus_rocksdb_flush_written_bytes_total", "Bytes written by memtable flushes.",
     rocksdb::FLUSH_WRITE_BYTES, 1},
    {"plexus_rocksdb_write_stall_seconds_total",
     "Time writers waited for flushes or compactions to catch up (write stalls).",
     rocksdb::STALL_MICROS, 1e-6},
};

struct PropertyMetric {
  std::string_view name;
  std::string_view help;
  std::string_view property;  // an integer property, summed over the column families
};

constexpr PropertyMetric kPropertyMetrics[] = {
    {"plexus_rocksdb_memtable_bytes", "Bytes in active and unflushed immutable memtables.",
     "rocksdb.cur-size-all-mem-tables"},
    {"plexus_rocksdb_block_cache_usage_bytes", "Bytes of blocks held in the block cache.",
     "rocksdb.block-cache-usage"},
    {"plexus_rocksdb_sst_bytes", "Bytes of live SST files.", "rocksdb.live-sst-files-size"},
    {"plexus_rocksdb_pending_compaction_bytes",
     "Bytes compaction estimates it must rewrite to bring every level under its target size.",
     "rocksdb.estimate-pending-compaction-bytes"},
    {"plexus_rocksdb_write_stopped", "1 while writes are stopped (a write stall), else 0.",
     "rocksdb.is-write-stopped"},
};

constexpr std::string_view kWalSyncs = "plexus_wal_syncs_total";

}  // namespace

StoreMetrics::StoreMetrics(Store* store) {
  base::Registry& registry = base::DefaultRegistry();
  // The Statistics object lives as long as the DB; the shared_ptr keeps it for the callbacks.
  std::shared_ptr<rocksdb::Statistics> statistics = store->db()->GetDBOptions().statistics;
  if (statistics) {
    for (const TickerMetric& metric : kTickerMetrics) {
      registry.SetCounterCallback(metric.name, metric.help, {}, [statistics, metric] {
        return static_cast<double>(statistics->getTickerCount(metric.ticker)) * metric.scale;
      });
    }
  }
  for (const PropertyMetric& metric : kPropertyMetrics) {
    registry.SetGaugeCallback(metric.name, metric.help, {}, [store, metric] {
      uint64_t value = 0;
      const rocksdb::Slice property(metric.property.data(), metric.property.size());
      // A property RocksDB does not know reads as 0 rather than failing the export.
      if (!store->db()->GetAggregatedIntProperty(property, &value)) return 0.0;
      return static_cast<double>(value);
    });
  }
  registry.SetCounterCallback(kWalSyncs, "WAL fsyncs, by commits and by the periodic syncer.", {},
                              [store] { return static_cast<double>(store->WalSyncCount()); });
}

StoreMetrics::~StoreMetrics() {
  base::Registry& registry = base::DefaultRegistry();
  for (const TickerMetric& metric : kTickerMetrics) registry.RemoveGaugeCallback(metric.name, {});
  for (const PropertyMetric& metric : kPropertyMetrics) {
    registry.RemoveGaugeCallback(metric.name, {});
  }
  registry.RemoveGaugeCallback(kWalSyncs, {});
}

}  // namespace plexus::storage
