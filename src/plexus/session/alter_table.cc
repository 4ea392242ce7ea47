// ALTER TABLE and RENAME carried out: the binder has the new definition and, when rows must be
// copied (checked, keyed anew, given a new column's default, or stripped of a dropped one), a
// plan that copies them into the table's new id. Here: the copy, the old rows' and index entries'
// removal, the catalog entries (and, for a renamed table, the references to its name).
#include <algorithm>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/session/session.h"
#include "plexus/session/session_internal.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::session {

namespace {

// A table renamed: foreign keys of other tables and sequences it owns follow the new name.
Status FollowRename(catalog::Catalog& catalog, txn::Transaction& transaction,
                    const catalog::TableDef& old, const std::string& name) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, catalog.ListTables(transaction));
  for (const catalog::TableDefPtr& other : tables) {
    if (other->id == old.id) continue;
    catalog::TableDef updated = *other;
    bool changed = false;
    for (auto& key : updated.foreign_keys) {
      if (key.referenced_schema == old.schema && key.referenced_table == old.name) {
        key.referenced_table = name;
        changed = true;
      }
    }
    if (changed) PLEXUS_RETURN_IF_ERROR(catalog.UpdateTable(transaction, updated));
  }
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, catalog.ListSequences(transaction));
  for (const auto& sequence : sequences) {
    if (sequence->schema == old.schema && sequence->owned_by_table == old.name) {
      catalog::SequenceDef updated = *sequence;
      updated.owned_by_table = name;
      PLEXUS_RETURN_IF_ERROR(catalog.UpdateSequence(transaction, updated));
    }
  }
  return Status::Ok();
}

// What ALTER TABLE changed, for an error about a view it breaks: ("drop column b of table t",
// "column b of table t").
std::pair<std::string, std::string> DescribeChange(const catalog::TableDef& old,
                                                   const catalog::TableDef& table) {
  if (table.name != old.name) return {"rename table " + old.name, "table " + old.name};
  for (const catalog::ColumnDef& column : old.columns) {
    if (table.FindColumn(column.name)) continue;
    const std::string what = "column " + column.name + " of table " + old.name;
    const bool dropped = table.columns.size() < old.columns.size();
    return {(dropped ? "drop " : "rename ") + what, what};
  }
  return {"alter table " + old.name, "table " + old.name};
}

}  // namespace

Status Session::ExecuteAlterTable(const sql::BoundStatement& bound,
                                  txn::Transaction& transaction, ResultSink& sink) {
  catalog::Catalog& catalog = engine_->catalog();
  const catalog::TableDef& old = *bound.altered;
  const catalog::TableDef& table = bound.table;
  for (const catalog::ColumnDef& column : table.columns) {
    const std::optional<uint32_t> before = old.FindColumn(column.name);
    if (before && !(old.columns[*before].type == column.type)) {
      PLEXUS_RETURN_IF_ERROR(
          CheckViewsDoNotRead(catalog, transaction, {old.schema, old.name}, column.name));
    }
  }
  if (table.name != old.name) {
    for (const char* kind : {"table", "view", "sequence"}) {
      const bool taken = kind == std::string_view("table")
                             ? catalog.FindTable(transaction, table.schema, table.name).ok()
                         : kind == std::string_view("view")
                             ? catalog.FindView(transaction, table.schema, table.name).ok()
                             : catalog.FindSequence(transaction, table.schema, table.name).ok();
      if (taken) {
        return SqlError(sql::kDuplicateTable, "relation \"" + table.name + "\" already exists");
      }
    }
    PLEXUS_RETURN_IF_ERROR(catalog.DropTable(transaction, old));
    PLEXUS_RETURN_IF_ERROR(FollowRename(catalog, transaction, old, table.name));
  }
  // Sequences of added serial/identity columns exist before their defaults run.
  for (catalog::SequenceDef sequence : bound.sequences) {
    Status status = catalog.CreateSequence(transaction, &sequence);
    if (status.code() == StatusCode::kAlreadyExists) {
      return SqlError(sql::kDuplicateTable, "relation \"" + sequence.name + "\" already exists");
    }
    PLEXUS_RETURN_IF_ERROR(status);
  }
  for (const catalog::IndexDef& index : old.indexes) {
    const bool kept = std::any_of(table.indexes.begin(), table.indexes.end(),
                                  [&](const catalog::IndexDef& other) { return other.id == index.id; });
    // A copy rebuilds every index; otherwise only dropped ones lose their entries.
    if (bound.plan || !kept) PLEXUS_RETURN_IF_ERROR(sql::DropIndexEntries(transaction, index.id));
  }
  if (bound.plan) {
    MarkCreatedKeys(transaction, table, &old);  // the copy goes under a new table id
    std::unique_ptr<sql::ExecContext> context = NewContext(transaction);
    PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<sql::Operator> root, sql::BuildOperator(*bound.plan));
    PLEXUS_RETURN_IF_ERROR(root->Open(*context));
    sql::Batch batch(bound.plan->types);
    do {
      batch.Reset();
      PLEXUS_RETURN_IF_ERROR(root->Next(*context, &batch));
    } while (batch.rows() > 0);
    root.reset();
    PLEXUS_RETURN_IF_ERROR(DeleteTableRows(transaction, old.id));
  }
  PLEXUS_RETURN_IF_ERROR(catalog.UpdateTable(transaction, table));
  // Views follow a renamed table or column (their new queries come from the binder); every view
  // that reads the table must still bind.
  for (const catalog::ViewDef& view : bound.views) {
    PLEXUS_ASSIGN_OR_RETURN(auto stored, catalog.FindView(transaction, view.schema, view.name));
    PLEXUS_RETURN_IF_ERROR(catalog.DropView(transaction, *stored));
    PLEXUS_RETURN_IF_ERROR(catalog.CreateView(transaction, view));
  }
  auto [change, what] = DescribeChange(old, table);
  return CheckDependentViews(catalog, transaction, {table.schema, table.name}, change, what,
                             bound.cascade, sink);
}

}  // namespace plexus::session
