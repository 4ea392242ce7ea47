// DROP and TRUNCATE: a table's rows, and what depends on a table or schema as PostgreSQL's
// DROP ... RESTRICT/CASCADE sees it (foreign keys of other tables; a schema's tables, views and
// sequences).
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "plexus/session/session_internal.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/storage/key_codec.h"

namespace plexus::session {

Status DeleteTableRows(txn::Transaction& transaction, uint32_t table_id) {
  std::string prefix = sql::TableKeyPrefix(table_id);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, transaction.Scan(storage::Family::kRows, prefix,
                                                          storage::PrefixSuccessor(prefix)));
  std::vector<std::string> keys;
  for (; iterator->Valid(); iterator->Next()) keys.emplace_back(iterator->key());
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  for (const std::string& key : keys) {
    PLEXUS_RETURN_IF_ERROR(transaction.Delete(storage::Family::kRows, key));
  }
  return Status::Ok();
}

Status DeleteTableData(txn::Transaction& transaction, const catalog::TableDef& table) {
  PLEXUS_RETURN_IF_ERROR(DeleteTableRows(transaction, table.id));
  for (const catalog::IndexDef& index : table.indexes) {
    PLEXUS_RETURN_IF_ERROR(sql::DropIndexEntries(transaction, index.id));
  }
  return Status::Ok();
}

namespace {

// A dropped table takes the sequences it owns along.
Status DropOwnedSequences(catalog::Catalog& catalog, txn::Transaction& transaction,
                          const catalog::TableDef& table) {
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, catalog.ListSequences(transaction));
  for (const auto& sequence : sequences) {
    if (sequence->schema == table.schema && sequence->owned_by_table == table.name) {
      PLEXUS_RETURN_IF_ERROR(catalog.DropSequence(transaction, *sequence));
    }
  }
  return Status::Ok();
}

}  // namespace

// DROP TABLE: its rows, index entries, definition and owned sequences.
Status DropTableAndData(catalog::Catalog& catalog, txn::Transaction& transaction,
                        const catalog::TableDef& table) {
  PLEXUS_RETURN_IF_ERROR(DeleteTableData(transaction, table));
  PLEXUS_RETURN_IF_ERROR(catalog.DropTable(transaction, table));
  return DropOwnedSequences(catalog, transaction, table);
}

// The foreign keys of other tables that reference `table` (those named in `dropping` go in the
// same statement and do not count): as PostgreSQL, 2BP01 unless `cascade`, which drops the
// constraints (not the tables), a NOTICE for each.
Status DropReferencingKeys(catalog::Catalog& catalog, txn::Transaction& transaction,
                           const catalog::TableDef& table,
                           const std::vector<sql::ObjectName>& dropping, bool cascade,
                           ResultSink& sink) {
  PLEXUS_ASSIGN_OR_RETURN(auto tables, catalog.ListTables(transaction));
  std::string detail;
  for (const catalog::TableDefPtr& other : tables) {
    if (other->id == table.id) continue;  // a reference to itself goes with it
    const bool also_dropped =
        std::any_of(dropping.begin(), dropping.end(), [&](const sql::ObjectName& name) {
          return name.schema == other->schema && name.name == other->name;
        });
    if (also_dropped) continue;
    catalog::TableDef updated = *other;
    const size_t before = updated.foreign_keys.size();
    std::erase_if(updated.foreign_keys, [&](const catalog::ForeignKeyDef& key) {
      if (key.referenced_schema != table.schema || key.referenced_table != table.name) return false;
      const std::string what = "constraint " + key.name + " on table " + other->name;
      detail += (detail.empty() ? "" : "\n") + what + " depends on table " + table.name;
      if (cascade) sink.Notice({.message = "drop cascades to " + what});
      return true;
    });
    if (cascade && updated.foreign_keys.size() != before) {
      PLEXUS_RETURN_IF_ERROR(catalog.UpdateTable(transaction, updated));
    }
  }
  if (detail.empty() || cascade) return Status::Ok();
  Status status =
      SqlError(sql::kDependentObjectsStillExist,
               "cannot drop table " + table.name + " because other objects depend on it");
  status.SetDetail(detail);
  status.SetHint("Use DROP ... CASCADE to drop the dependent objects too.");
  return status;
}

namespace {

// The definitions of every view.
Result<std::vector<std::shared_ptr<const catalog::ViewDef>>> AllViews(
    catalog::Catalog& catalog, txn::Transaction& transaction) {
  sql::system::CatalogSnapshot snapshot(&transaction, &catalog);
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  std::vector<std::shared_ptr<const catalog::ViewDef>> defs;
  for (const auto& view : *views) {
    PLEXUS_ASSIGN_OR_RETURN(auto def, catalog.FindView(transaction, view.schema, view.name));
    defs.push_back(std::move(def));
  }
  return defs;
}

bool DependsOn(const catalog::ViewDef& view, const catalog::RelationName& relation) {
  return std::find(view.depends_on.begin(), view.depends_on.end(), relation) !=
         view.depends_on.end();
}

}  // namespace

Status DropDependentViews(catalog::Catalog& catalog, txn::Transaction& transaction,
                          std::string_view kind, const catalog::RelationName& relation,
                          const std::vector<sql::ObjectName>& dropping, bool cascade,
                          ResultSink& sink) {
  PLEXUS_ASSIGN_OR_RETURN(auto views, AllViews(catalog, transaction));
  std::vector<catalog::RelationName> reached{relation};
  std::vector<std::shared_ptr<const catalog::ViewDef>> dependents;
  std::string detail;
  // Breadth first: each round adds the views that read what the previous rounds reached.
  for (size_t next = 0; next < reached.size(); ++next) {
    for (const auto& view : views) {
      const catalog::RelationName name{view->schema, view->name};
      if (!DependsOn(*view, reached[next]) ||
          std::find(reached.begin(), reached.end(), name) != reached.end()) {
        continue;
      }
      reached.push_back(name);
      const bool also_dropped =
          std::any_of(dropping.begin(), dropping.end(), [&](const sql::ObjectName& other) {
            return other.schema == view->schema && other.name == view->name;
          });
      if (also_dropped) continue;  // the statement drops it itself
      dependents.push_back(view);
      detail += (detail.empty() ? "" : "\n") + std::string("view ") + view->name +
                " depends on " + (next == 0 ? std::string(kind) : "view") + " " +
                reached[next].name;
    }
  }
  if (dependents.empty()) return Status::Ok();
  if (!cascade) {
    Status status = SqlError(sql::kDependentObjectsStillExist,
                             "cannot drop " + std::string(kind) + " " + relation.name +
                                 " because other objects depend on it");
    status.SetDetail(detail);
    status.SetHint("Use DROP ... CASCADE to drop the dependent objects too.");
    return status;
  }
  for (const auto& view : dependents) {
    sink.Notice({.message = "drop cascades to view " + view->name});
    PLEXUS_RETURN_IF_ERROR(catalog.DropView(transaction, *view));
  }
  return Status::Ok();
}

Status CheckDependentViews(catalog::Catalog& catalog, txn::Transaction& transaction,
                           const catalog::RelationName& table, const std::string& change,
                           const std::string& what, bool cascade, ResultSink& sink) {
  PLEXUS_ASSIGN_OR_RETURN(auto views, AllViews(catalog, transaction));
  for (const auto& view : views) {
    if (!DependsOn(*view, table)) continue;
    PLEXUS_ASSIGN_OR_RETURN(sql::ParseTree tree, sql::ParseTree::Parse(view->query));
    sql::Binder binder(&transaction, &catalog);
    Status bound = binder.Bind(*tree.statement(0).stmt).status();
    if (bound.ok()) continue;
    if (cascade) {  // the view goes, and the views over it
      sink.Notice({.message = "drop cascades to view " + view->name});
      PLEXUS_RETURN_IF_ERROR(DropDependentViews(catalog, transaction, "view",
                                                {view->schema, view->name}, {}, true, sink));
      PLEXUS_RETURN_IF_ERROR(catalog.DropView(transaction, *view));
      continue;
    }
    Status error = SqlError(sql::kDependentObjectsStillExist,
                            "cannot " + change + " because other objects depend on it");
    error.SetDetail("view " + view->name + " depends on " + what);
    error.SetHint(change.starts_with("drop ")
                      ? "Use DROP ... CASCADE to drop the dependent objects too."
                      : "Drop the view, make the change, then create the view again.");
    return error;
  }
  return Status::Ok();
}

namespace {

// Whether the SQL text `query` names identifier `name` (outside string literals; a quoted
// identifier exactly, a bare one folded to lower case) or holds a `*`.
bool MayRead(std::string_view query, std::string_view name) {
  for (size_t i = 0; i < query.size();) {
    const char c = query[i];
    if (c == '\'' || c == '"') {
      size_t end = i + 1;
      std::string text;
      for (; end < query.size(); ++end) {
        if (query[end] != c) {
          text.push_back(query[end]);
        } else if (end + 1 < query.size() && query[end + 1] == c) {
          text.push_back(c);  // a doubled quote
          ++end;
        } else {
          break;
        }
      }
      if (c == '"' && text == name) return true;
      i = end + 1;
    } else if (c == '*') {
      return true;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = i;
      std::string word;
      while (end < query.size() && (std::isalnum(static_cast<unsigned char>(query[end])) ||
                                    query[end] == '_' || query[end] == '$')) {
        word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(query[end]))));
        ++end;
      }
      if (word == name) return true;
      i = end;
    } else {
      ++i;
    }
  }
  return false;
}

}  // namespace

Status CheckViewsDoNotRead(catalog::Catalog& catalog, txn::Transaction& transaction,
                           const catalog::RelationName& table, const std::string& column) {
  PLEXUS_ASSIGN_OR_RETURN(auto views, AllViews(catalog, transaction));
  for (const auto& view : views) {
    if (!DependsOn(*view, table) || !MayRead(view->query, column)) continue;
    Status error = SqlError(sql::kFeatureNotSupported,
                            "cannot alter type of a column used by a view or rule");
    error.SetDetail("rule _RETURN on view " + view->name + " depends on column \"" + column +
                    "\"");
    return error;
  }
  return Status::Ok();
}

// DROP SCHEMA: as PostgreSQL, a schema that holds tables, views or sequences is dropped only
// with CASCADE (2BP01 names them otherwise), which drops them too, a NOTICE for each.
Status DropSchemaObjects(catalog::Catalog& catalog, txn::Transaction& transaction,
                         const std::string& schema, bool cascade, ResultSink& sink) {
  sql::system::CatalogSnapshot snapshot(&transaction, &catalog);
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  std::vector<std::string> objects;  // "view s.v", in the order they are dropped
  for (const auto& view : *views) {
    if (view.schema == schema) objects.push_back("view " + schema + "." + view.name);
  }
  for (const auto& table : *tables) {
    if (table->schema == schema) objects.push_back("table " + schema + "." + table->name);
  }
  for (const auto& sequence : *sequences) {
    // Sequences a table owns go with it.
    if (sequence->schema == schema && sequence->owned_by_table.empty()) {
      objects.push_back("sequence " + schema + "." + sequence->name);
    }
  }
  if (objects.empty()) return Status::Ok();
  if (!cascade) {
    Status status =
        SqlError(sql::kDependentObjectsStillExist,
                 "cannot drop schema " + schema + " because other objects depend on it");
    std::string detail;
    for (const std::string& object : objects) {
      detail += (detail.empty() ? "" : "\n") + object + " depends on schema " + schema;
    }
    status.SetDetail(detail);
    status.SetHint("Use DROP ... CASCADE to drop the dependent objects too.");
    return status;
  }
  for (const std::string& object : objects) sink.Notice({.message = "drop cascades to " + object});
  for (const auto& view : *views) {
    if (view.schema != schema) continue;
    PLEXUS_ASSIGN_OR_RETURN(auto def, catalog.FindView(transaction, schema, view.name));
    PLEXUS_RETURN_IF_ERROR(catalog.DropView(transaction, *def));
  }
  std::vector<sql::ObjectName> dropping;
  for (const auto& table : *tables) {
    if (table->schema == schema) dropping.push_back({schema, table->name});
  }
  for (const auto& table : *tables) {
    if (table->schema != schema) continue;
    PLEXUS_RETURN_IF_ERROR(
        DropReferencingKeys(catalog, transaction, *table, dropping, /*cascade=*/true, sink));
    PLEXUS_RETURN_IF_ERROR(DropTableAndData(catalog, transaction, *table));
  }
  for (const auto& sequence : *sequences) {
    if (sequence->schema == schema && sequence->owned_by_table.empty()) {
      PLEXUS_RETURN_IF_ERROR(catalog.DropSequence(transaction, *sequence));
    }
  }
  return Status::Ok();
}

}  // namespace plexus::session
