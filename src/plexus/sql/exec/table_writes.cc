// Row writes shared by the modifying operators.
#include "plexus/sql/exec/table_writes.h"

#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/row_id_allocator.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/plan/plan.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

Status RowIndexEntries(const catalog::TableDef& table, const Batch& columns, size_t row,
                       std::string_view key, std::vector<IndexEntry>* entries) {
  const size_t prefix_bytes = TableKeyPrefix(table.id).size();
  return IndexEntries(table, columns, row, key.substr(prefix_bytes), entries);
}

// The stored form of a row about to be written, in a buffer kept from row to row (the write
// copies it): no allocation per row written.
std::string_view EncodeRowToWrite(const catalog::TableDef& table, const Batch& columns,
                                  size_t row) {
  thread_local std::vector<const Vector*> vectors;
  thread_local std::string encoded;
  vectors.clear();
  for (size_t i = 0; i < table.columns.size(); ++i) vectors.push_back(&columns.column(i));
  encoded.clear();
  EncodeRow(vectors, row, &encoded);
  return encoded;
}

}  // namespace

Result<std::string> PrimaryKeyOf(const catalog::TableDef& table, const Batch& columns, size_t row) {
  std::string key = TableKeyPrefix(table.id);
  for (uint32_t column : table.primary_key) {
    PLEXUS_RETURN_IF_ERROR(AppendKeyPart(columns.column(column), row, &key));
  }
  return key;
}

std::string EncodeTableRow(const catalog::TableDef& table, const Batch& columns, size_t row) {
  // Called once per row written: the column list keeps its capacity from row to row, and the
  // encoding starts with room for a typical row (growing from empty reallocated it twice).
  constexpr size_t kRowBytesTypical = 64;
  thread_local std::vector<const Vector*> vectors;
  vectors.clear();
  for (size_t i = 0; i < table.columns.size(); ++i) vectors.push_back(&columns.column(i));
  std::string encoded;
  encoded.reserve(kRowBytesTypical);
  EncodeRow(vectors, row, &encoded);
  return encoded;
}

std::vector<Type> TableTypes(const catalog::TableDef& table) {
  std::vector<Type> types;
  for (const auto& column : table.columns) types.push_back(column.type);
  return types;
}

Result<std::string> NewRowKey(ExecContext& context, const catalog::TableDef& table,
                              const Batch& columns, size_t row) {
  if (!table.primary_key.empty()) return PrimaryKeyOf(table, columns, row);
  if (context.row_ids() == nullptr) return SqlError(kInternalError, "no row id allocator");
  std::string key = TableKeyPrefix(table.id);
  PLEXUS_ASSIGN_OR_RETURN(int64_t row_id, context.row_ids()->Next(context.transaction(), table.id));
  storage::AppendInt(&key, row_id, SortOrder::kAscending);
  return key;
}

Status CheckNotNull(const catalog::TableDef& table, const Batch& columns, size_t row) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (!table.columns[i].not_null || !columns.column(i).IsNull(row)) continue;
    return SqlError(kNotNullViolation, "null value in column \"" + table.columns[i].name +
                                           "\" of relation \"" + table.name +
                                           "\" violates not-null constraint");
  }
  return Status::Ok();
}

Status DuplicateKey(const catalog::TableDef& table, const Batch& columns, size_t row) {
  std::string names;
  std::string values;
  for (uint32_t column : table.primary_key) {
    if (!names.empty()) {
      names += ", ";
      values += ", ";
    }
    names += table.columns[column].name;
    std::string text;
    if (FormatText(columns.column(column), row, &text).ok()) values += text;
  }
  Status status = SqlError(kUniqueViolation, "duplicate key value violates unique constraint \"" +
                                                 table.primary_key_name + "\"");
  status.SetDetail("Key (" + names + ")=(" + values + ") already exists.");
  return status;
}

Status WriteNewRow(ExecContext& context, const catalog::TableDef& table, const Batch& columns,
                   size_t row, const std::string& key) {
  if (!table.primary_key.empty()) {
    std::string existing;
    Status found = context.transaction().GetForUpdate(storage::Family::kRows, key, &existing);
    if (found.ok()) return DuplicateKey(table, columns, row);
    if (!found.IsNotFound()) return found;
  }
  PLEXUS_RETURN_IF_ERROR(context.transaction().Put(storage::Family::kRows, key,
                                                   EncodeRowToWrite(table, columns, row)));
  if (table.indexes.empty()) return Status::Ok();
  std::vector<IndexEntry> entries;
  PLEXUS_RETURN_IF_ERROR(RowIndexEntries(table, columns, row, key, &entries));
  return PutIndexEntries(context.transaction(), entries);
}

Result<std::optional<Conflict>> FindConflict(ExecContext& context, const catalog::TableDef& table,
                                             const Batch& columns, size_t row,
                                             const std::string& key) {
  std::string existing;
  if (!table.primary_key.empty()) {
    Status found = context.transaction().GetForUpdate(storage::Family::kRows, key, &existing);
    if (found.ok()) return std::optional<Conflict>(Conflict{key, kConflictPrimaryKey});
    if (!found.IsNotFound()) return found;
  }
  if (table.indexes.empty()) return std::optional<Conflict>();
  std::vector<IndexEntry> entries;
  PLEXUS_RETURN_IF_ERROR(RowIndexEntries(table, columns, row, key, &entries));
  for (const IndexEntry& entry : entries) {
    if (!entry.checked) continue;
    Status found =
        context.transaction().GetForUpdate(storage::Family::kIndex, entry.key, &existing);
    if (found.IsNotFound()) continue;
    if (!found.ok()) return found;
    const int32_t index = static_cast<int32_t>(entry.index - table.indexes.data());
    return std::optional<Conflict>(Conflict{TableKeyPrefix(table.id) + existing, index});
  }
  return std::optional<Conflict>();
}

Status ReadRow(ExecContext& context, const std::string& key, Batch* out, size_t row) {
  std::string stored;
  PLEXUS_RETURN_IF_ERROR(context.transaction().GetForUpdate(storage::Family::kRows, key, &stored));
  return DecodeRow(stored, out, row);
}

Status ReplaceRow(ExecContext& context, const catalog::TableDef& table, const std::string& old_key,
                  const Batch& old_values, size_t old_row, const Batch& new_values,
                  size_t new_row) {
  PLEXUS_RETURN_IF_ERROR(CheckNotNull(table, new_values, new_row));
  std::string new_key = old_key;
  if (!table.primary_key.empty()) {
    PLEXUS_ASSIGN_OR_RETURN(new_key, PrimaryKeyOf(table, new_values, new_row));
  }
  std::vector<IndexEntry> old_entries;
  PLEXUS_RETURN_IF_ERROR(RowIndexEntries(table, old_values, old_row, old_key, &old_entries));
  PLEXUS_RETURN_IF_ERROR(DeleteIndexEntries(context.transaction(), old_entries));
  if (new_key != old_key) {
    PLEXUS_RETURN_IF_ERROR(context.transaction().Delete(storage::Family::kRows, old_key));
    return WriteNewRow(context, table, new_values, new_row, new_key);
  }
  PLEXUS_RETURN_IF_ERROR(context.transaction().Put(storage::Family::kRows, new_key,
                                                   EncodeRowToWrite(table, new_values, new_row)));
  std::vector<IndexEntry> new_entries;
  PLEXUS_RETURN_IF_ERROR(RowIndexEntries(table, new_values, new_row, new_key, &new_entries));
  return PutIndexEntries(context.transaction(), new_entries);
}

}  // namespace plexus::sql
