// Tuning: one block cache shared by every family, for data blocks; each open table holds its
// index and bloom filter, and data blocks carry a hash index for point reads; LZ4 on the upper
// levels and ZSTD on the bottom level, where most data lives; dynamic level sizes so the bottom
// level holds ~90% of the data.
#include "plexus/storage/rocksdb_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>

#include <algorithm>

#include "plexus/storage/wal_file_system.h"

namespace plexus::storage {

namespace {

bool Supported(rocksdb::CompressionType type) {
  static const std::vector<rocksdb::CompressionType> supported =
      rocksdb::GetSupportedCompressions();
  return std::find(supported.begin(), supported.end(), type) != supported.end();
}

rocksdb::BlockBasedTableOptions MakeTableOptions(const Options& options) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.block_size = 16 * 1024;
  table.format_version = 5;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.whole_key_filtering = true;
  // Point reads (a primary-key lookup, a Redis GET) dominate: whole index and filter blocks
  // held by each open table (max_open_files = -1 keeps them all open), so a read looks up only
  // its data block in the cache, and a hash index inside data blocks finds the key without a
  // binary search. Memory: about 1.5 bytes per key plus an index entry per 16 KiB block.
  table.index_type = rocksdb::BlockBasedTableOptions::kBinarySearch;
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  table.data_block_hash_table_util_ratio = 0.75;
  table.cache_index_and_filter_blocks = false;
  table.optimize_filters_for_memory = true;
  return table;
}

}  // namespace

RocksDBOptions MakeRocksDBOptions(const Options& options) {
  RocksDBOptions result;

  rocksdb::DBOptions& db = result.db;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  db.max_background_jobs = static_cast<int>(options.background_jobs);
  db.bytes_per_sync = 1 << 20;
  db.wal_bytes_per_sync = 0;  // commits sync the WAL themselves (or the periodic syncer does)
  db.max_open_files = -1;
  db.keep_log_file_num = 5;
  db.statistics = rocksdb::CreateDBStatistics();
  // Tickers only (what store_metrics.cc exports): histograms read the clock twice per Get and
  // per write (2% of a bulk INSERT).
  db.statistics->set_stats_level(rocksdb::StatsLevel::kExceptHistogramOrTimers);
  db.avoid_unnecessary_blocking_io = true;
  // Reuse WAL files instead of growing new ones: a synced commit then overwrites blocks that are
  // already allocated, so fdatasync has no inode (file size) to update — 3-4x the rate of
  // durable single-row commits on this machine. Compatible with the default point-in-time WAL
  // recovery: recycled records carry their log number, so stale tails are told apart.
  db.recycle_log_file_num = 4;
  // New WAL files too (a fresh directory's first logs, or any log while none is obsolete yet):
  // zeros written ahead of the commits keep their syncs free of inode writes.
  db.env = WalFillingEnv();
  // RocksDB 7.8 rewrites every file of the bottom sorted run whose keys still carry sequence
  // numbers once no snapshot needs them (compaction reason BottommostFiles), only to zero those
  // numbers: a fresh table's first flush lands in an empty tree, so each bulk load was written
  // twice, and the first reads after it found the rewritten file cold in the block cache.
  // Reserving the bottom level for ingestion is the one switch for that marking in 7.8 (8.6
  // has bottommost_file_compaction_delay); we ingest nothing, and leveled compaction still
  // compacts into the last level. Compactions then keep sequence numbers (7 bytes of each
  // internal key, which LZ4/ZSTD mostly absorb) and still drop overwritten versions and
  // tombstones no snapshot needs.
  db.allow_ingest_behind = true;

  rocksdb::ColumnFamilyOptions& family = result.family;
  family.write_buffer_size = options.write_buffer_bytes;
  family.max_write_buffer_number = 4;
  // A bloom filter over each memtable's whole keys: a point read of an absent key (every
  // INSERT's uniqueness check, SET of a new Redis key) skips the memtable's skiplist search.
  family.memtable_whole_key_filtering = true;
  family.memtable_prefix_bloom_size_ratio = 0.02;
  family.level_compaction_dynamic_level_bytes = true;
  family.compression = Supported(rocksdb::kLZ4Compression) ? rocksdb::kLZ4Compression
                                                           : rocksdb::kSnappyCompression;
  family.bottommost_compression =
      Supported(rocksdb::kZSTD) ? rocksdb::kZSTD : family.compression;
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(MakeTableOptions(options)));
  family.max_bytes_for_level_base = 256 << 20;
  family.target_file_size_base = 64 << 20;

  rocksdb::TransactionDBOptions& transaction_db = result.transaction_db;
  transaction_db.transaction_lock_timeout = options.lock_timeout_ms;
  transaction_db.default_lock_timeout = options.lock_timeout_ms;
  return result;
}

rocksdb::WriteOptions WriteOptionsFor(Durability durability) {
  rocksdb::WriteOptions write;
  write.sync = durability == Durability::kSync;
  return write;
}

rocksdb::WriteOptions TransactionWriteOptions() { return rocksdb::WriteOptions(); }

}  // namespace plexus::storage
