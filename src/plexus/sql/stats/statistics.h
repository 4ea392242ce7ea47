// Table statistics (what PostgreSQL's pg_statistic holds, per table): the row count and, per
// column, the null fraction, average width, number of distinct values, most common values with
// their frequencies and an equi-depth histogram of the other values. Computed by ANALYZE from a
// sample (analyze.h), stored as JSON in the `catalog` family under ("statistics", table id),
// and kept in a process-wide cache keyed by (catalog instance, table id) so that planning reads
// them with a hash lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/type.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn
namespace plexus::catalog {
class Catalog;
}  // namespace plexus::catalog

namespace plexus::sql::stats {

// PostgreSQL's default_statistics_target: up to 100 MCVs and 101 histogram bounds, from a sample
// of 300 x 100 rows.
inline constexpr size_t kStatisticsTarget = 100;
inline constexpr size_t kSampleRows = 300 * kStatisticsTarget;

// One value of an MCV list or histogram: its order-preserving key (row_codec.h AppendKeyPart:
// bytes compare as the values do), its text form, and for number-like types (integers,
// floats, numeric, dates, times, timestamps) a double for interpolation.
struct StatValue {
  std::string key;
  std::string text;
  std::optional<double> number;
};

struct ColumnStatistics {
  std::string name;
  catalog::Type type;
  double null_fraction = 0;
  int32_t average_width = 0;
  // > 0: the number of distinct values; < 0: minus their number divided by the row count (it
  // grows with the table), as PostgreSQL's stadistinct.
  double distinct = 0;
  std::vector<StatValue> common_values;  // most common first
  std::vector<double> common_frequencies;
  std::vector<StatValue> histogram;  // bounds of equal-population buckets, ascending
  std::optional<StatValue> min;
  std::optional<StatValue> max;

  // Distinct non-null values in a table of `rows` rows (at least 1).
  double DistinctValues(double rows) const;
};

struct TableStatistics {
  uint32_t table_id = 0;
  double rows = 0;
  int64_t analyzed_at_us = 0;  // Unix time of the ANALYZE
  bool automatic = false;      // by the background analyzer
  std::vector<ColumnStatistics> columns;  // in the table's column order, when analyzed

  // The statistics of column `index` named `name` (null when that column was not analyzed or
  // the table's columns changed since).
  const ColumnStatistics* Column(size_t index, std::string_view name) const;
};

using TableStatisticsPtr = std::shared_ptr<const TableStatistics>;

std::string StatisticsToJson(const TableStatistics& statistics);
Result<TableStatistics> StatisticsFromJson(std::string_view text);

// Storage in the `catalog` family, through the caller's transaction.
std::string StatisticsKey(uint32_t table_id);
Status StoreStatistics(txn::Transaction& transaction, const TableStatistics& statistics);
Status DeleteStatistics(txn::Transaction& transaction, uint32_t table_id);

// The cache. Entries change when a transaction that ran ANALYZE commits (never before: an
// ANALYZE that rolls back leaves the planner's view alone).
//
// Loads every stored entry of `catalog` the first time it is asked about it (one scan of the
// catalog family); later calls are a hash lookup.
Status EnsureLoaded(catalog::Catalog& catalog, txn::Transaction& transaction);
// The committed statistics of a table, or null. A hash lookup (none at all while no table of
// any catalog has statistics).
TableStatisticsPtr FindStatistics(uint64_t catalog_instance, uint32_t table_id);
// ANALYZE in `transaction` computed `statistics`: cached when the transaction commits.
void AddPending(const txn::Transaction* transaction, uint64_t catalog_instance,
                TableStatisticsPtr statistics);
// `transaction` ended: its pending statistics are cached (committed) or forgotten.
void EndTransaction(const txn::Transaction* transaction, bool committed);
// Publishes at once (the background analyzer's committed transaction, tests).
void Publish(uint64_t catalog_instance, TableStatisticsPtr statistics);

// Rows written per table since its last ANALYZE (pg_stat_user_tables.n_mod_since_analyze),
// counted once per statement. Returns the new count.
uint64_t NoteChanges(uint64_t catalog_instance, uint32_t table_id, uint64_t rows);
uint64_t ChangesSinceAnalyze(uint64_t catalog_instance, uint32_t table_id);

}  // namespace plexus::sql::stats
