// Row estimates from table statistics, in the shape of PostgreSQL's clauselist_selectivity
// (selfuncs.c): `column = constant` through the most common values, then the rest spread over
// the other distinct values; ranges through the histogram (linear interpolation inside a bucket
// for number-like types); IS NULL through the null fraction; AND as a product (a pair of bounds
// on one column as one range), OR as s1 + s2 - s1*s2; equi-joins 1 / max(distinct values).
// Without statistics PostgreSQL's defaults: 0.005 for an equality, 1/3 for an inequality, 0.5
// for anything else, 1000 rows for a table.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "plexus/catalog/table.h"
#include "plexus/sql/plan/plan.h"
#include "plexus/sql/stats/statistics.h"

namespace plexus::sql::stats {

inline constexpr double kDefaultEqualSelectivity = 0.005;
inline constexpr double kDefaultInequalitySelectivity = 1.0 / 3;
inline constexpr double kDefaultRangeSelectivity = 0.005;
inline constexpr double kDefaultSelectivity = 0.5;
inline constexpr double kDefaultTableRows = 1000;
inline constexpr double kDefaultDistinct = 200;  // PostgreSQL's DEFAULT_NUM_DISTINCT

// What is known about one column an expression reads.
struct ColumnInfo {
  const ColumnStatistics* statistics = nullptr;
  TableStatisticsPtr owner;  // keeps `statistics` alive
  double table_rows = kDefaultTableRows;
  bool unique = false;  // the table's whole single-column primary key or unique index
  // For telling two columns apart (range pairs): the table and column it comes from.
  const void* table = nullptr;
  uint32_t column = 0;

  // Distinct non-null values: from statistics, the row count when unique, else 200.
  double Distinct() const;
};

using ColumnResolver = std::function<std::optional<ColumnInfo>(uint32_t column)>;

// The fraction of rows for which `predicate` holds; its columns are described by `resolve`.
double Selectivity(const Expr& predicate, const ColumnResolver& resolve);
// `column = value` (value reads no column of the row).
double EqualSelectivity(const ColumnInfo& column, const Expr& value);
// lower <(=) column <(=) upper; either bound may be null.
double RangeSelectivity(const ColumnInfo& column, const Expr* lower, bool lower_inclusive,
                        const Expr* upper, bool upper_inclusive);

class Estimator {
 public:
  explicit Estimator(uint64_t catalog_instance) : instance_(catalog_instance) {}

  TableStatisticsPtr Statistics(const catalog::TableDef& table) const;
  // From statistics, else 1000.
  double TableRows(const catalog::TableDef& table) const;
  // Estimated rows out of `plan`.
  double Rows(const PlanNode& plan) const;
  // Rows of a table scan reading a key range (all rows when it reads no range).
  double ScanRows(const PlanNode& scan) const;
  // The table column that column `column` of `plan`'s output is, through filters, sorts,
  // projections of columns and joins.
  std::optional<ColumnInfo> ColumnOf(const PlanNode& plan, uint32_t column) const;
  // Whether some table scanned under `plan` has statistics.
  bool AnyStatistics(const PlanNode& plan) const;
  ColumnInfo TableColumn(const catalog::TableDef& table, uint32_t column) const;

 private:
  uint64_t instance_;
};

}  // namespace plexus::sql::stats
