// Rows of the views over ANALYZE's statistics (sql/stats/statistics.h): pg_stats (one row per
// analyzed column) and pg_stat_user_tables (rows, changes since the last ANALYZE, its time), and
// the pg_class estimates reltuples/relpages. Read through the statement's transaction, so an
// ANALYZE shows in its own transaction and not after it rolls back.
#include <charconv>
#include <cmath>
#include <string>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/stats/statistics.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/row_generators.h"
#include "plexus/sql/system/row_values.h"
#include "plexus/sql/types/array_text.h"
#include "plexus/sql/types/datetime.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql::system {

namespace {

// float4 output: the shortest text that reads back as the same float (PostgreSQL 12+).
std::string Float4Text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<float>(value));
  return std::string(buffer, result.ptr);
}

std::string ArrayText(const std::vector<stats::StatValue>& values) {
  std::string text = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ',';
    AppendArrayElementText(values[i].text, &text);
  }
  return text + "}";
}

std::string FrequenciesText(const std::vector<double>& frequencies) {
  std::string text = "{";
  for (size_t i = 0; i < frequencies.size(); ++i) {
    if (i > 0) text += ',';
    text += Float4Text(frequencies[i]);
  }
  return text + "}";
}

Value TimestampValue(int64_t unix_us) {
  if (unix_us == 0) return NullValue(catalog::Type::Of(catalog::TypeId::kTimestampTz));
  return Value::Integer(catalog::Type::Of(catalog::TypeId::kTimestampTz),
                        unix_us - kPostgresEpochUnixSeconds * 1000000);
}

Result<std::optional<stats::TableStatistics>> ReadStatistics(CatalogSnapshot& snapshot,
                                                             uint32_t table_id) {
  std::string value;
  Status status =
      snapshot.transaction().Get(storage::Family::kCatalog, stats::StatisticsKey(table_id), &value);
  if (status.IsNotFound()) return std::optional<stats::TableStatistics>();
  PLEXUS_RETURN_IF_ERROR(status);
  PLEXUS_ASSIGN_OR_RETURN(stats::TableStatistics statistics, stats::StatisticsFromJson(value));
  return std::optional<stats::TableStatistics>(std::move(statistics));
}

}  // namespace

Status PgStatsRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  const catalog::Type text = catalog::Type::Of(catalog::TypeId::kText);
  for (const auto& table : *tables) {
    PLEXUS_ASSIGN_OR_RETURN(auto statistics, ReadStatistics(snapshot, table->id));
    if (!statistics) continue;
    for (size_t c = 0; c < table->columns.size(); ++c) {
      const stats::ColumnStatistics* column = statistics->Column(c, table->columns[c].name);
      if (column == nullptr) continue;
      auto or_null = [&](bool present, std::string value) {
        return present ? TextValue(value) : NullValue(text);
      };
      rows->push_back(
          {NameValue(table->schema), NameValue(table->name), NameValue(column->name),
           BoolValue(false), Float32Value(static_cast<float>(column->null_fraction)),
           Int32Value(column->average_width), Float32Value(static_cast<float>(column->distinct)),
           or_null(!column->common_values.empty(), ArrayText(column->common_values)),
           or_null(!column->common_values.empty(), FrequenciesText(column->common_frequencies)),
           or_null(!column->histogram.empty(), ArrayText(column->histogram)),
           NullValue(catalog::Type::Of(catalog::TypeId::kFloat32)), NullValue(text),
           NullValue(text), NullValue(text)});
    }
  }
  return Status::Ok();
}

Status PgStatUserTablesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  const uint64_t instance = snapshot.catalog().instance();
  for (const auto& table : *tables) {
    PLEXUS_ASSIGN_OR_RETURN(auto statistics, ReadStatistics(snapshot, table->id));
    const int64_t changes =
        static_cast<int64_t>(stats::ChangesSinceAnalyze(instance, table->id));
    const int64_t analyzed = statistics ? statistics->analyzed_at_us : 0;
    const bool automatic = statistics && statistics->automatic;
    rows->push_back({OidValue(table->id), NameValue(table->schema), NameValue(table->name),
                     Int64Value(statistics ? static_cast<int64_t>(statistics->rows) : 0),
                     Int64Value(changes), TimestampValue(automatic ? 0 : analyzed),
                     TimestampValue(automatic ? analyzed : 0)});
  }
  return Status::Ok();
}

Status SetTableEstimates(CatalogSnapshot& snapshot, const catalog::TableDef& table,
                         SystemRow* row) {
  PLEXUS_ASSIGN_OR_RETURN(auto statistics, ReadStatistics(snapshot, table.id));
  if (!statistics) return Status::Ok();
  double width = 0;
  for (const stats::ColumnStatistics& column : statistics->columns) width += column.average_width;
  // relpages: as many 8 kB pages as the rows would fill (with PostgreSQL's 24-byte row header).
  const double pages = std::ceil(statistics->rows * (width + 24) / 8192);
  (*row)[kRelpagesColumn] = Int32Value(static_cast<int64_t>(pages));
  (*row)[kReltuplesColumn] = Float32Value(static_cast<float>(statistics->rows));
  return Status::Ok();
}

}  // namespace plexus::sql::system
