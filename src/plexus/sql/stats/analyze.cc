// ANALYZE: the sample and the per-column statistics (after PostgreSQL's analyze.c).
#include "plexus/sql/stats/analyze.h"

#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <random>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/bind/binder.h"
#include "plexus/sql/plan/plan.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql::stats {

namespace {

// PostgreSQL's stawidth: the type's length, or the stored size of a variable-width value (a
// one-byte header below 127 bytes, four above).
int32_t ValueWidth(const Value& value) {
  switch (value.type().id) {
    case TypeId::kBool: return 1;
    case TypeId::kInt16: return 2;
    case TypeId::kInt32:
    case TypeId::kFloat32:
    case TypeId::kDate: return 4;
    case TypeId::kInt64:
    case TypeId::kFloat64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return 8;
    case TypeId::kInterval:
    case TypeId::kUuid: return 16;
    default: {
      const size_t size = value.string_value().size();
      return static_cast<int32_t>(size + (size < 127 ? 1 : 4));
    }
  }
}

struct Group {
  size_t first;  // index in the sorted values
  size_t count;
};

// analyze_mcv_list: how many of the most common values (counts descending) stand out from the
// rest enough to be kept.
size_t KeptCommonValues(const std::vector<size_t>& counts, size_t count, double distinct,
                        double null_fraction, double sample_rows, double total_rows) {
  const double distinct_values = distinct < 0 ? -distinct * total_rows : distinct;
  if (sample_rows >= total_rows || total_rows <= 1.0) return count;
  double sum = 0;
  for (size_t i = 0; i < count; ++i) sum += static_cast<double>(counts[i]);
  auto other_selectivity = [&](size_t kept) {
    double selectivity = std::clamp(1.0 - sum / sample_rows - null_fraction, 0.0, 1.0);
    const double other_distinct = distinct_values - static_cast<double>(kept - 1);
    return other_distinct > 1 ? selectivity / other_distinct : 0.0;
  };
  double selectivity = other_selectivity(count);
  while (count > 0) {
    const double last = static_cast<double>(counts[count - 1]);
    if (last > selectivity * sample_rows) {
      const double n = sample_rows;
      const double big_n = total_rows;
      const double k = big_n * last / n;
      const double variance = n * k * (big_n - k) * (big_n - n) / (big_n * big_n * (big_n - 1));
      if (last > selectivity * sample_rows + 2 * std::sqrt(variance) + 0.5) break;
    }
    --count;
    if (count == 0) break;
    sum -= static_cast<double>(counts[count]);
    selectivity = other_selectivity(count);
  }
  return count;
}

}  // namespace

std::string KeyOf(const Value& value) {
  Vector vector(value.type());
  SetValue(&vector, 0, value);
  std::string key;
  if (!AppendKeyPart(vector, 0, &key).ok()) key.clear();
  return key;
}

std::optional<double> NumberOf(const Value& value) {
  if (value.is_null()) return std::nullopt;
  const TypeId id = value.type().id;
  if (catalog::IsInteger(id) || id == TypeId::kDate || id == TypeId::kTime ||
      id == TypeId::kTimestamp || id == TypeId::kTimestampTz) {
    return static_cast<double>(value.integer_value());
  }
  if (id == TypeId::kFloat32 || id == TypeId::kFloat64) return value.float_value();
  if (id == TypeId::kNumeric) {
    Vector vector(value.type());
    SetValue(&vector, 0, value);
    std::string text;
    if (!FormatText(vector, 0, &text).ok()) return std::nullopt;
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || std::isnan(number)) return std::nullopt;
    return number;
  }
  return std::nullopt;
}

StatValue MakeStatValue(const Value& value, std::string key) {
  StatValue stat;
  stat.key = std::move(key);
  Vector vector(value.type());
  SetValue(&vector, 0, value);
  if (!FormatText(vector, 0, &stat.text).ok()) stat.text = "?";
  stat.number = NumberOf(value);
  return stat;
}

ColumnStatistics ComputeColumnStatistics(const catalog::ColumnDef& column,
                                         std::vector<SampledValue> values, size_t sample_rows,
                                         double total_rows, size_t target) {
  ColumnStatistics stats;
  stats.name = column.name;
  stats.type = column.type;
  const size_t nonnull = values.size();
  const size_t nulls = sample_rows - nonnull;
  stats.null_fraction = sample_rows > 0 ? static_cast<double>(nulls) / static_cast<double>(sample_rows) : 0;
  if (nonnull == 0) {
    // Only NULLs (or no rows): as PostgreSQL, no distinct values.
    if (nulls > 0) stats.null_fraction = 1;
    return stats;
  }
  double width = 0;
  for (const SampledValue& value : values) width += ValueWidth(value.value);
  stats.average_width = static_cast<int32_t>(width / static_cast<double>(nonnull));  // truncated, as PostgreSQL
  std::stable_sort(values.begin(), values.end(),
                   [](const SampledValue& a, const SampledValue& b) { return a.key < b.key; });

  // Runs of equal values; the most repeated ones (ties: the smaller value first).
  std::vector<Group> groups;
  for (size_t i = 0; i < nonnull; ++i) {
    if (i > 0 && values[i].key == values[i - 1].key) {
      ++groups.back().count;
    } else {
      groups.push_back({i, 1});
    }
  }
  const size_t distinct_in_sample = groups.size();
  size_t repeated = 0;
  std::vector<Group> track;
  for (const Group& group : groups) {
    if (group.count < 2) continue;
    ++repeated;
    if (track.size() < target || group.count > track.back().count) {
      auto at = std::upper_bound(track.begin(), track.end(), group,
                                 [](const Group& a, const Group& b) { return a.count > b.count; });
      track.insert(at, group);
      if (track.size() > target) track.pop_back();
    }
  }

  // The number of distinct values: every value unique in the sample means a unique column;
  // every value repeated means these are all there are; else Haas and Stokes' estimator
  // n*d / (n - f1 + f1*n/N).
  const double n = static_cast<double>(nonnull);
  const double big_n = total_rows * (1.0 - stats.null_fraction);
  if (repeated == 0) {
    stats.distinct = -1.0 * (1.0 - stats.null_fraction);
  } else if (repeated == distinct_in_sample) {
    stats.distinct = static_cast<double>(distinct_in_sample);
  } else {
    const double f1 = static_cast<double>(distinct_in_sample - repeated);
    const double d = static_cast<double>(distinct_in_sample);
    double estimate = big_n > 0 ? (n * d) / ((n - f1) + f1 * n / big_n) : 0;
    estimate = std::clamp(estimate, d, std::max(d, big_n));
    stats.distinct = std::floor(estimate + 0.5);
  }
  if (stats.distinct > 0.1 * total_rows) stats.distinct = -(stats.distinct / total_rows);

  // Most common values.
  size_t common = track.size();
  if (!(track.size() == distinct_in_sample && stats.distinct > 0 && track.size() <= target)) {
    std::vector<size_t> counts;
    for (const Group& group : track) counts.push_back(group.count);
    common = KeptCommonValues(counts, std::min(target, track.size()), stats.distinct,
                              stats.null_fraction, static_cast<double>(sample_rows), total_rows);
  }
  std::vector<bool> is_common(groups.size(), false);
  size_t common_rows = 0;
  for (size_t i = 0; i < common; ++i) {
    const Group& group = track[i];
    stats.common_values.push_back(MakeStatValue(values[group.first].value, values[group.first].key));
    stats.common_frequencies.push_back(static_cast<double>(group.count) /
                                       static_cast<double>(sample_rows));
    common_rows += group.count;
  }
  // Histogram bounds over the values that are not common, equally spaced in the sorted sample.
  size_t buckets = distinct_in_sample - common;
  if (buckets > target) buckets = target + 1;
  if (buckets >= 2) {
    std::vector<const SampledValue*> rest;
    rest.reserve(nonnull - common_rows);
    size_t next_common = 0;
    std::vector<size_t> common_firsts;
    for (size_t i = 0; i < common; ++i) common_firsts.push_back(track[i].first);
    std::sort(common_firsts.begin(), common_firsts.end());
    for (const Group& group : groups) {
      if (next_common < common_firsts.size() && common_firsts[next_common] == group.first) {
        ++next_common;
        continue;
      }
      for (size_t i = 0; i < group.count; ++i) rest.push_back(&values[group.first + i]);
    }
    const size_t values_count = rest.size();
    const size_t delta = (values_count - 1) / (buckets - 1);
    const size_t delta_fraction = (values_count - 1) % (buckets - 1);
    size_t position = 0;
    size_t position_fraction = 0;
    for (size_t i = 0; i < buckets; ++i) {
      stats.histogram.push_back(MakeStatValue(rest[position]->value, rest[position]->key));
      position += delta;
      position_fraction += delta_fraction;
      if (position_fraction >= buckets - 1) {
        ++position;
        position_fraction -= buckets - 1;
      }
    }
  }
  stats.min = MakeStatValue(values.front().value, values.front().key);
  stats.max = MakeStatValue(values.back().value, values.back().key);
  return stats;
}

Result<TableStatistics> AnalyzeTable(ExecContext& context, const catalog::TableDefPtr& table,
                                     const std::vector<uint32_t>& columns, size_t sample_rows) {
  std::vector<uint32_t> analyzed = columns;
  if (analyzed.empty()) {
    for (uint32_t c = 0; c < table->columns.size(); ++c) analyzed.push_back(c);
  }
  auto scan = PlanNode::Make(PlanKind::kTableScan);
  scan->table = table;
  for (const catalog::ColumnDef& column : table->columns) {
    scan->types.push_back(column.type);
    scan->names.push_back(column.name);
  }
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<Operator> root, BuildOperator(*scan));
  PLEXUS_RETURN_IF_ERROR(root->Open(context));
  // Reservoir sampling (Vitter's algorithm R), seeded so that a table analyzes the same way
  // each time.
  std::mt19937_64 random(0x5eed5eedULL ^ table->id);
  std::vector<std::vector<std::optional<SampledValue>>> sample(analyzed.size());
  uint64_t seen = 0;
  Batch batch(scan->types);
  while (true) {
    batch.Reset();
    PLEXUS_RETURN_IF_ERROR(root->Next(context, &batch));
    if (batch.rows() == 0) break;
    for (size_t row = 0; row < batch.rows(); ++row) {
      size_t slot = static_cast<size_t>(seen);
      ++seen;
      if (slot >= sample_rows) {
        slot = static_cast<size_t>(std::uniform_int_distribution<uint64_t>(0, seen - 1)(random));
        if (slot >= sample_rows) continue;
      }
      for (size_t i = 0; i < analyzed.size(); ++i) {
        const Vector& vector = batch.column(analyzed[i]);
        std::optional<SampledValue> value;
        if (!vector.IsNull(row)) {
          value.emplace();
          PLEXUS_RETURN_IF_ERROR(AppendKeyPart(vector, row, &value->key));
          value->value = GetValue(vector, row);
        }
        if (slot < sample[i].size()) {
          sample[i][slot] = std::move(value);
        } else {
          sample[i].push_back(std::move(value));
        }
      }
    }
  }
  TableStatistics statistics;
  statistics.table_id = table->id;
  statistics.rows = static_cast<double>(seen);
  statistics.analyzed_at_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
  statistics.columns.resize(table->columns.size());
  for (size_t c = 0; c < table->columns.size(); ++c) {
    // Columns not analyzed keep no statistics (an empty name matches no column).
    statistics.columns[c].name.clear();
  }
  // An empty table has a row count but, as in PostgreSQL, no column statistics.
  for (size_t i = 0; i < analyzed.size() && seen > 0; ++i) {
    std::vector<SampledValue> values;
    const size_t rows = sample[i].size();
    for (std::optional<SampledValue>& value : sample[i]) {
      if (value) values.push_back(std::move(*value));
    }
    statistics.columns[analyzed[i]] = ComputeColumnStatistics(
        table->columns[analyzed[i]], std::move(values), rows, statistics.rows);
  }
  return statistics;
}

Status ExecuteAnalyze(const BoundStatement& bound, ExecContext& context) {
  catalog::Catalog& catalog = context.catalog();
  txn::Transaction& transaction = context.transaction();
  std::vector<catalog::TableDefPtr> tables;
  std::vector<std::vector<uint32_t>> columns;
  if (bound.objects.empty()) {
    PLEXUS_ASSIGN_OR_RETURN(tables, catalog.ListTables(transaction));
    columns.resize(tables.size());
  }
  const PgQuery__VacuumStmt* statement =
      bound.prepared != nullptr && bound.prepared->node_case == PG_QUERY__NODE__NODE_VACUUM_STMT
          ? bound.prepared->vacuum_stmt : nullptr;
  for (size_t i = 0; i < bound.objects.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table,
                            catalog.FindTable(transaction, bound.objects[i].schema,
                                              bound.objects[i].name));
    std::vector<uint32_t> positions;
    const PgQuery__VacuumRelation* relation =
        statement != nullptr && i < statement->n_rels ? statement->rels[i]->vacuum_relation : nullptr;
    for (size_t c = 0; relation != nullptr && c < relation->n_va_cols; ++c) {
      const std::string_view name = relation->va_cols[c]->string->sval;
      auto found = std::find_if(table->columns.begin(), table->columns.end(),
                                [&](const catalog::ColumnDef& column) { return column.name == name; });
      if (found == table->columns.end()) {
        return SqlError(kUndefinedColumn, "column \"" + std::string(name) + "\" of relation \"" +
                                              table->name + "\" does not exist");
      }
      positions.push_back(static_cast<uint32_t>(found - table->columns.begin()));
    }
    tables.push_back(std::move(table));
    columns.push_back(std::move(positions));
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(TableStatistics statistics, AnalyzeTable(context, tables[i], columns[i]));
    PLEXUS_RETURN_IF_ERROR(StoreStatistics(transaction, statistics));
    AddPending(&transaction, catalog.instance(),
               std::make_shared<const TableStatistics>(std::move(statistics)));
  }
  return Status::Ok();
}

bool VacuumAnalyzes(const PgQuery__VacuumStmt& statement) {
  if (!statement.is_vacuumcmd) return true;
  for (size_t i = 0; i < statement.n_options; ++i) {
    const PgQuery__Node* option = statement.options[i];
    if (option->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
        std::string_view(option->def_elem->defname) == "analyze") {
      return true;
    }
  }
  return false;
}

}  // namespace plexus::sql::stats
