// Secondary index entries, kept in the `index` family in step with the table's rows.
//   non-unique:  key = AppendUint(index id), index columns, row key suffix; value = ""
//   unique:      key = AppendUint(index id), index columns; value = row key suffix
// A unique index entry with a NULL column takes the non-unique form, since NULLs never
// conflict (PostgreSQL's NULLS DISTINCT). The row key suffix is the row's key in the `rows`
// family without the table prefix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/table.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::sql {

struct IndexEntry {
  std::string key;
  std::string value;
  const catalog::IndexDef* index = nullptr;
  bool checked = false;  // unique form: the key must not exist yet
  std::string values_text;  // "(a, b)=(1, 2)" for the duplicate-key error
};

std::string IndexKeyPrefix(uint32_t index_id);
// Appends one column of an index key (descending parts inverted).
Status AppendIndexPart(const Vector& column, size_t row, bool descending, std::string* key);

// The entries of row `row` of `columns` (one vector per table column) in every index of `table`.
Status IndexEntries(const catalog::TableDef& table, const Batch& columns, size_t row,
                    std::string_view row_key_suffix, std::vector<IndexEntry>* entries);

// Writes entries, failing with 23505 when a unique entry's key already exists.
Status PutIndexEntries(txn::Transaction& transaction, const std::vector<IndexEntry>& entries);
Status DeleteIndexEntries(txn::Transaction& transaction, const std::vector<IndexEntry>& entries);

// Deletes every entry of the index.
Status DropIndexEntries(txn::Transaction& transaction, uint32_t index_id);

// Adds the entries of every stored row of `table` to `index` (CREATE INDEX on a filled table).
Status BuildIndex(txn::Transaction& transaction, const catalog::TableDef& table,
                  const catalog::IndexDef& index);

}  // namespace plexus::sql
