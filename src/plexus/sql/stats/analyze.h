// ANALYZE: reads a table once, keeps a uniform sample of its rows (reservoir sampling, 30,000
// rows) and computes each column's statistics from the sample the way PostgreSQL's analyze.c
// does (compute_scalar_stats): null fraction, average width, the Haas-Stokes estimate of the
// number of distinct values, the most common values that stand out from the rest
// (analyze_mcv_list), and histogram bounds over the remaining values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"
#include "plexus/sql/stats/statistics.h"
#include "plexus/sql/types/value.h"

struct PgQuery__VacuumStmt;

namespace plexus::sql {
class ExecContext;
struct BoundStatement;
}  // namespace plexus::sql

namespace plexus::sql::stats {

// One sampled non-null value: its order-preserving key and the value.
struct SampledValue {
  std::string key;
  Value value;
};

// A column's statistics from its non-null sampled values (any order), the number of rows
// sampled (NULLs included) and the table's row count.
ColumnStatistics ComputeColumnStatistics(const catalog::ColumnDef& column,
                                         std::vector<SampledValue> values, size_t sample_rows,
                                         double total_rows,
                                         size_t target = kStatisticsTarget);

// The text form, key and number of one value (for MCVs, histogram bounds and constants).
StatValue MakeStatValue(const Value& value, std::string key);
// The key a value of `type` has (row_codec.h AppendKeyPart), for comparison with StatValue keys.
std::string KeyOf(const Value& value);
// The value as a number when its type is number-like (integers, floats, numeric, date/time).
std::optional<double> NumberOf(const Value& value);

// Samples the rows of `table` (all of them when it has at most `sample_rows`) and computes the
// statistics of `columns` (positions; all columns when empty).
Result<TableStatistics> AnalyzeTable(ExecContext& context, const catalog::TableDefPtr& table,
                                     const std::vector<uint32_t>& columns,
                                     size_t sample_rows = kSampleRows);

// ANALYZE [table [(columns)], ...] and VACUUM ANALYZE, as the binder describes them (kNoOp
// named "analyze": `objects` the tables, `prepared` the VacuumStmt node with their column
// lists; no tables: every table). Stores the statistics in the context's transaction; they are
// cached when it commits.
Status ExecuteAnalyze(const BoundStatement& bound, ExecContext& context);

// Whether a VACUUM statement analyzes (ANALYZE, VACUUM ANALYZE, VACUUM (ANALYZE)).
bool VacuumAnalyzes(const PgQuery__VacuumStmt& statement);

}  // namespace plexus::sql::stats
