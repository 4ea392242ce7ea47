// Computing, writing and deleting secondary index entries; building an index over stored rows.
#include "plexus/sql/exec/index_maintenance.h"

#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

// Descending parts are their ascending bytes inverted (storage/key_codec.h); NULL markers stay.
Status AppendIndexPart(const Vector& column, size_t row, bool descending, std::string* key) {
  const size_t start = key->size();
  PLEXUS_RETURN_IF_ERROR(AppendKeyPart(column, row, key));
  if (descending && !column.IsNull(row)) {
    for (size_t i = start; i < key->size(); ++i) (*key)[i] = static_cast<char>(~(*key)[i]);
  }
  return Status::Ok();
}

namespace {

std::string ValuesText(const catalog::TableDef& table, const catalog::IndexDef& index,
                       const Batch& columns, size_t row) {
  std::string names;
  std::string values;
  for (size_t i = 0; i < index.columns.size(); ++i) {
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    const uint32_t column = index.columns[i];
    names += table.columns[column].name;
    if (columns.column(column).IsNull(row)) {
      values += "null";
    } else {
      std::string text;
      if (FormatText(columns.column(column), row, &text).ok()) values += text;
    }
  }
  return "(" + names + ")=(" + values + ")";
}

}  // namespace

std::string IndexKeyPrefix(uint32_t index_id) {
  std::string prefix;
  storage::AppendUint(&prefix, index_id, SortOrder::kAscending);
  return prefix;
}

Status IndexEntries(const catalog::TableDef& table, const Batch& columns, size_t row,
                    std::string_view row_key_suffix, std::vector<IndexEntry>* entries) {
  for (const catalog::IndexDef& index : table.indexes) {
    IndexEntry entry;
    entry.index = &index;
    entry.key = IndexKeyPrefix(index.id);
    bool any_null = false;
    for (size_t i = 0; i < index.columns.size(); ++i) {
      const Vector& column = columns.column(index.columns[i]);
      any_null |= column.IsNull(row);
      PLEXUS_RETURN_IF_ERROR(AppendIndexPart(column, row, index.descending[i], &entry.key));
    }
    if (index.unique && !any_null) {
      entry.checked = true;
      entry.value = std::string(row_key_suffix);
      entry.values_text = ValuesText(table, index, columns, row);
    } else {
      entry.key.append(row_key_suffix);
    }
    entries->push_back(std::move(entry));
  }
  return Status::Ok();
}

Status PutIndexEntries(txn::Transaction& transaction, const std::vector<IndexEntry>& entries) {
  for (const IndexEntry& entry : entries) {
    if (entry.checked) {
      std::string existing;
      Status found = transaction.GetForUpdate(storage::Family::kIndex, entry.key, &existing);
      if (found.ok() && existing != entry.value) {
        Status status = SqlError(kUniqueViolation,
                                 "duplicate key value violates unique constraint \"" +
                                     entry.index->name + "\"");
        status.SetDetail("Key " + entry.values_text + " already exists.");
        return status;
      }
      if (!found.ok() && !found.IsNotFound()) return found;
    }
    PLEXUS_RETURN_IF_ERROR(transaction.Put(storage::Family::kIndex, entry.key, entry.value));
  }
  return Status::Ok();
}

Status DeleteIndexEntries(txn::Transaction& transaction, const std::vector<IndexEntry>& entries) {
  for (const IndexEntry& entry : entries) {
    PLEXUS_RETURN_IF_ERROR(transaction.Delete(storage::Family::kIndex, entry.key));
  }
  return Status::Ok();
}

Status DropIndexEntries(txn::Transaction& transaction, uint32_t index_id) {
  const std::string prefix = IndexKeyPrefix(index_id);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, transaction.Scan(storage::Family::kIndex, prefix,
                                                          storage::PrefixSuccessor(prefix)));
  std::vector<std::string> keys;
  for (; iterator->Valid(); iterator->Next()) keys.emplace_back(iterator->key());
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  for (const std::string& key : keys) {
    PLEXUS_RETURN_IF_ERROR(transaction.Delete(storage::Family::kIndex, key));
  }
  return Status::Ok();
}

Status BuildIndex(txn::Transaction& transaction, const catalog::TableDef& table,
                  const catalog::IndexDef& index) {
  catalog::TableDef only = table;
  only.indexes = {index};
  std::vector<Type> types;
  for (const auto& column : table.columns) types.push_back(column.type);
  Batch row(types);
  row.set_rows(1);
  const std::string prefix = TableKeyPrefix(table.id);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, transaction.Scan(storage::Family::kRows, prefix,
                                                          storage::PrefixSuccessor(prefix)));
  std::vector<IndexEntry> entries;
  for (; iterator->Valid(); iterator->Next()) {
    row.Reset();
    row.set_rows(1);
    PLEXUS_RETURN_IF_ERROR(DecodeRow(iterator->value(), &row, 0));
    entries.clear();
    std::string_view suffix = iterator->key().substr(prefix.size());
    PLEXUS_RETURN_IF_ERROR(IndexEntries(only, row, 0, suffix, &entries));
    Status status = PutIndexEntries(transaction, entries);
    if (status.code() == StatusCode::kAlreadyExists && !entries.empty()) {
      Status duplicate = SqlError(kUniqueViolation,
                                  "could not create unique index \"" + index.name + "\"");
      duplicate.SetDetail("Key " + entries[0].values_text + " is duplicated.");
      return duplicate;
    }
    PLEXUS_RETURN_IF_ERROR(status);
  }
  return iterator->status();
}

}  // namespace plexus::sql
