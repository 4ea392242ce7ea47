// Row writes shared by INSERT, UPDATE, DELETE and ON CONFLICT: keys, NOT NULL, uniqueness,
// index entries kept in step with the row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

std::vector<Type> TableTypes(const catalog::TableDef& table);

// The storage key of row `row` of `columns` (one vector per table column), allocating a hidden
// row id for tables without a primary key.
Result<std::string> NewRowKey(ExecContext& context, const catalog::TableDef& table,
                              const Batch& columns, size_t row);

// The storage key of a table with a primary key, from row `row` of `columns`.
Result<std::string> PrimaryKeyOf(const catalog::TableDef& table, const Batch& columns, size_t row);
// The stored form of row `row` of `columns`.
std::string EncodeTableRow(const catalog::TableDef& table, const Batch& columns, size_t row);

Status CheckNotNull(const catalog::TableDef& table, const Batch& columns, size_t row);

// 23505 for a second row with the primary key of row `row`.
Status DuplicateKey(const catalog::TableDef& table, const Batch& columns, size_t row);

// Stores row `row` under `key`: the primary key is checked under the key's lock, then the row and
// its index entries are written (a unique index conflict fails with 23505).
Status WriteNewRow(ExecContext& context, const catalog::TableDef& table, const Batch& columns,
                   size_t row, const std::string& key);

// A stored row that row `row` (about to be stored under `key`) conflicts with on a unique key.
struct Conflict {
  std::string row_key;  // the existing row's storage key
  int32_t unique_key;   // kConflictPrimaryKey or the index's position in table.indexes
};
Result<std::optional<Conflict>> FindConflict(ExecContext& context, const catalog::TableDef& table,
                                             const Batch& columns, size_t row,
                                             const std::string& key);

// Reads the row stored under `key` into row `row` of `out`; NotFound when there is none.
Status ReadRow(ExecContext& context, const std::string& key, Batch* out, size_t row);

// Replaces the row stored under `old_key` (whose values are row `old_row` of `old_values`) by row
// `new_row` of `new_values`: index entries follow, and the row moves when its primary key changes.
Status ReplaceRow(ExecContext& context, const catalog::TableDef& table, const std::string& old_key,
                  const Batch& old_values, size_t old_row, const Batch& new_values, size_t new_row);

}  // namespace plexus::sql
