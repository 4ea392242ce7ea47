// CHECK and FOREIGN KEY enforcement. Foreign keys are MATCH SIMPLE: a referencing row with a NULL
// in the key references nothing. Referencing rows are found by scanning the referencing table
// once per statement and key (an index on the referencing columns is a later optimisation).
#include "plexus/sql/exec/constraints.h"

#include <algorithm>
#include <unordered_map>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/table_writes.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

constexpr storage::Family kRows = storage::Family::kRows;
constexpr storage::Family kIndexFamily = storage::Family::kIndex;

std::string ValueText(const Vector& vector, size_t row) {
  if (vector.IsNull(row)) return "null";
  std::string text;
  if (!FormatText(vector, row, &text).ok()) return "?";
  return text;
}

// "(a, b)=(1, 2)" for the columns `columns` of row `row`.
std::string KeyText(const catalog::TableDef& table, const std::vector<uint32_t>& columns,
                    const Batch& values, size_t row) {
  std::string names;
  std::string texts;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      names += ", ";
      texts += ", ";
    }
    names += table.columns[columns[i]].name;
    texts += ValueText(values.column(columns[i]), row);
  }
  return "(" + names + ")=(" + texts + ")";
}

bool AnyNull(const std::vector<uint32_t>& columns, const Batch& values, size_t row) {
  return std::any_of(columns.begin(), columns.end(),
                     [&](uint32_t column) { return values.column(column).IsNull(row); });
}

// The encoded values of `columns` of a row: equal for equal keys.
Result<std::string> EncodedKey(const std::vector<uint32_t>& columns, const Batch& values,
                               size_t row) {
  std::string key;
  for (uint32_t column : columns) PLEXUS_RETURN_IF_ERROR(AppendKeyPart(values.column(column), row, &key));
  return key;
}

size_t PositionOf(const std::vector<uint32_t>& columns, uint32_t column) {
  return static_cast<size_t>(std::find(columns.begin(), columns.end(), column) - columns.begin());
}

// Where the referenced row of `key` for row `row` of `values` would be: its storage key (the
// referenced table's primary key) or the entry of its unique index.
Result<std::pair<storage::Family, std::string>> ReferencedLocation(
    const catalog::ForeignKeyDef& key, const catalog::TableDef& referenced, const Batch& values,
    size_t row) {
  auto same_set = [&](std::vector<uint32_t> columns) {
    std::vector<uint32_t> wanted = key.referenced_columns;
    std::sort(columns.begin(), columns.end());
    std::sort(wanted.begin(), wanted.end());
    return columns == wanted;
  };
  if (!referenced.primary_key.empty() && same_set(referenced.primary_key)) {
    std::string location = TableKeyPrefix(referenced.id);
    for (uint32_t column : referenced.primary_key) {
      const uint32_t source = key.columns[PositionOf(key.referenced_columns, column)];
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(values.column(source), row, &location));
    }
    return std::make_pair(kRows, std::move(location));
  }
  for (const catalog::IndexDef& index : referenced.indexes) {
    if (!index.unique || !same_set(index.columns)) continue;
    std::string location = IndexKeyPrefix(index.id);
    for (size_t i = 0; i < index.columns.size(); ++i) {
      const uint32_t source = key.columns[PositionOf(key.referenced_columns, index.columns[i])];
      PLEXUS_RETURN_IF_ERROR(AppendIndexPart(values.column(source), row, index.descending[i], &location));
    }
    return std::make_pair(kIndexFamily, std::move(location));
  }
  return SqlError(kInvalidForeignKey, "there is no unique constraint matching given keys for "
                                      "referenced table \"" + referenced.name + "\"");
}

}  // namespace

CheckConstraints::CheckConstraints(const PlanNode& plan) : plan_(plan) {
  for (const ExprPtr& check : plan.checks) evaluators_.emplace_back(*check);
}

Status CheckConstraints::Check(ExecContext& context, const Batch& values, size_t rows) {
  for (size_t i = 0; i < evaluators_.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* result, evaluators_[i].Evaluate(context, values, nullptr));
    for (size_t row = 0; row < rows; ++row) {
      if (result->IsNull(row) || result->values<uint8_t>()[row]) continue;
      const catalog::TableDef& table = *plan_.table;
      Status status = SqlError(kCheckViolation, "new row for relation \"" + table.name +
                                                    "\" violates check constraint \"" +
                                                    plan_.checks[i]->name + "\"");
      std::string row_text;
      for (size_t c = 0; c < table.columns.size(); ++c) {
        row_text += (c ? ", " : "") + ValueText(values.column(c), row);
      }
      status.SetDetail("Failing row contains (" + row_text + ").");
      return status;
    }
  }
  return Status::Ok();
}

Status ForeignKeys::PrepareReferences(ExecContext& context) {
  referenced_tables_.clear();
  for (const catalog::ForeignKeyDef& key : table_->foreign_keys) {
    PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr referenced,
                            context.catalog().FindTable(context.transaction(), key.referenced_schema,
                                                        key.referenced_table));
    referenced_tables_.push_back(std::move(referenced));
  }
  return Status::Ok();
}

Status ForeignKeys::PrepareReferencing(ExecContext& context) {
  referencing_.clear();
  PLEXUS_ASSIGN_OR_RETURN(std::vector<catalog::TableDefPtr> tables,
                          context.catalog().ListTables(context.transaction()));
  for (const catalog::TableDefPtr& other : tables) {
    for (size_t k = 0; k < other->foreign_keys.size(); ++k) {
      const catalog::ForeignKeyDef& key = other->foreign_keys[k];
      if (key.referenced_schema == table_->schema && key.referenced_table == table_->name) {
        referencing_.push_back({other, k});
      }
    }
  }
  return Status::Ok();
}

Status ForeignKeys::CheckReferences(ExecContext& context, const Batch& values, size_t row) {
  for (size_t k = 0; k < table_->foreign_keys.size(); ++k) {
    const catalog::ForeignKeyDef& key = table_->foreign_keys[k];
    if (AnyNull(key.columns, values, row)) continue;
    const catalog::TableDef& referenced = *referenced_tables_[k];
    PLEXUS_ASSIGN_OR_RETURN(auto location, ReferencedLocation(key, referenced, values, row));
    std::string stored;
    Status found = context.transaction().GetForUpdate(location.first, location.second, &stored);
    if (found.ok()) continue;
    if (!found.IsNotFound()) return found;
    Status status = SqlError(kForeignKeyViolation, "insert or update on table \"" + table_->name +
                                                       "\" violates foreign key constraint \"" +
                                                       key.name + "\"");
    status.SetDetail("Key " + KeyText(*table_, key.columns, values, row) +
                     " is not present in table \"" + referenced.name + "\".");
    return status;
  }
  return Status::Ok();
}

Status ForeignKeys::OnRemoved(ExecContext& context, const RowBuffer& old_rows,
                              const RowBuffer* new_rows) {
  for (const Referencing& referencing : referencing_) {
    const catalog::TableDef& child = *referencing.table;
    const catalog::ForeignKeyDef& key = child.foreign_keys[referencing.key];
    // The referenced keys that go away, and for an update the row that replaces each.
    std::unordered_map<std::string, size_t> removed;
    for (size_t row = 0; row < old_rows.size(); ++row) {
      const Batch& old_chunk = old_rows.chunk(row / kBatchRowsMax);
      const size_t slot = RowBuffer::Slot(row);
      if (AnyNull(key.referenced_columns, old_chunk, slot)) continue;
      PLEXUS_ASSIGN_OR_RETURN(std::string old_key, EncodedKey(key.referenced_columns, old_chunk, slot));
      if (new_rows != nullptr) {
        PLEXUS_ASSIGN_OR_RETURN(std::string new_key,
                                EncodedKey(key.referenced_columns, new_rows->chunk(row / kBatchRowsMax), slot));
        if (new_key == old_key) continue;
      }
      removed.emplace(std::move(old_key), row);
    }
    if (removed.empty()) continue;
    // The referencing rows, found by a scan of their table.
    const std::string prefix = TableKeyPrefix(child.id);
    PLEXUS_ASSIGN_OR_RETURN(auto iterator, context.transaction().Scan(
                                               kRows, prefix, storage::PrefixSuccessor(prefix)));
    RowBuffer matches(TableTypes(child));
    std::vector<std::string> match_keys;
    std::vector<size_t> match_parents;
    Batch one(TableTypes(child));
    for (; iterator->Valid(); iterator->Next()) {
      one.Reset();
      one.set_rows(1);
      PLEXUS_RETURN_IF_ERROR(DecodeRow(iterator->value(), &one, 0));
      if (AnyNull(key.columns, one, 0)) continue;
      PLEXUS_ASSIGN_OR_RETURN(std::string encoded, EncodedKey(key.columns, one, 0));
      auto parent = removed.find(encoded);
      if (parent == removed.end()) continue;
      matches.Append(one, 0);
      match_keys.emplace_back(iterator->key());
      match_parents.push_back(parent->second);
    }
    PLEXUS_RETURN_IF_ERROR(iterator->status());
    if (matches.size() == 0) continue;
    const catalog::ForeignKeyAction action = new_rows ? key.on_update : key.on_delete;
    if (action == catalog::ForeignKeyAction::kNoAction ||
        action == catalog::ForeignKeyAction::kRestrict) {
      const size_t parent = match_parents[0];
      Status status = SqlError(kForeignKeyViolation,
                               "update or delete on table \"" + table_->name +
                                   "\" violates foreign key constraint \"" + key.name +
                                   "\" on table \"" + child.name + "\"");
      status.SetDetail("Key " + KeyText(*table_, key.referenced_columns,
                                        old_rows.chunk(parent / kBatchRowsMax),
                                        RowBuffer::Slot(parent)) +
                       " is still referenced from table \"" + child.name + "\".");
      return status;
    }
    // CASCADE deletes or updates the referencing rows; SET NULL clears their key columns.
    ForeignKeys child_keys(referencing.table);
    PLEXUS_RETURN_IF_ERROR(child_keys.PrepareReferencing(context));
    const bool deleting = action == catalog::ForeignKeyAction::kCascade && new_rows == nullptr;
    RowBuffer replaced(TableTypes(child));
    for (size_t i = 0; i < matches.size(); ++i) {
      const Batch& old_chunk = matches.chunk(i / kBatchRowsMax);
      const size_t slot = RowBuffer::Slot(i);
      if (deleting) {
        std::vector<IndexEntry> entries;
        PLEXUS_RETURN_IF_ERROR(IndexEntries(child, old_chunk, slot,
                                            std::string_view(match_keys[i]).substr(prefix.size()),
                                            &entries));
        PLEXUS_RETURN_IF_ERROR(DeleteIndexEntries(context.transaction(), entries));
        PLEXUS_RETURN_IF_ERROR(context.transaction().Delete(kRows, match_keys[i]));
        continue;
      }
      one.Reset();
      one.set_rows(1);
      for (size_t c = 0; c < child.columns.size(); ++c) one.column(c).CopyRow(old_chunk.column(c), slot, 0);
      for (size_t j = 0; j < key.columns.size(); ++j) {
        Vector& column = one.column(key.columns[j]);
        if (action == catalog::ForeignKeyAction::kSetNull) {
          column.SetNull(0, true);
        } else {
          const size_t parent = match_parents[i];
          column.CopyRow(new_rows->chunk(parent / kBatchRowsMax).column(key.referenced_columns[j]),
                         RowBuffer::Slot(parent), 0);
        }
      }
      PLEXUS_RETURN_IF_ERROR(ReplaceRow(context, child, match_keys[i], old_chunk, slot, one, 0));
      replaced.Append(one, 0);
    }
    PLEXUS_RETURN_IF_ERROR(child_keys.OnRemoved(context, matches, deleting ? nullptr : &replaced));
  }
  return Status::Ok();
}

}  // namespace plexus::sql
