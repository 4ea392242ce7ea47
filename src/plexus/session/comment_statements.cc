// COMMENT ON with PostgreSQL's rules: the object's owner (or a superuser) may comment; an empty
// comment removes it.
#include "plexus/session/comment_statements.h"

#include <string>
#include <vector>

#include "plexus/catalog/catalog.h"
#include "plexus/session/session.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/access_control.h"
#include "plexus/sql/system/session_info.h"

namespace plexus::session {

namespace {

using sql::SqlError;

// The names of a List node (schema.table, schema.table.column, ...).
std::vector<std::string> Names(const PgQuery__Node* object) {
  std::vector<std::string> names;
  if (object == nullptr) return names;
  if (object->node_case == PG_QUERY__NODE__NODE_STRING) {
    names.emplace_back(object->string->sval ? object->string->sval : "");
  } else if (object->node_case == PG_QUERY__NODE__NODE_LIST) {
    for (size_t i = 0; i < object->list->n_items; ++i) {
      const PgQuery__Node* item = object->list->items[i];
      if (item->node_case == PG_QUERY__NODE__NODE_STRING) {
        names.emplace_back(item->string->sval ? item->string->sval : "");
      }
    }
  }
  return names;
}

// The table `names` ends with (schema optional), found through search_path.
Result<catalog::TableDefPtr> TableNamed(const std::vector<std::string>& names,
                                        RoleStatementContext& context) {
  const std::string& name = names.back();
  std::string schema;
  if (names.size() >= 2) {
    schema = names[names.size() - 2];
  } else {
    PLEXUS_ASSIGN_OR_RETURN(schema, sql::system::ExistingSchemaOf(name));
  }
  auto table = context.catalog->FindTable(*context.transaction, schema, name);
  if (table.status().IsNotFound()) {
    return SqlError(sql::kUndefinedTable, "relation \"" + name + "\" does not exist");
  }
  return table;
}

// PostgreSQL names the object "table" for the table itself, "relation" for its parts.
Status CheckTableOwner(const catalog::TableDef& table, std::string_view kind,
                       std::string_view name, RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(sql::system::Actor actor,
                          sql::system::SessionActor(*context.transaction));
  if (!sql::system::Owns(actor, table.privileges)) {
    return sql::system::MustBeOwner(kind, name);
  }
  return Status::Ok();
}

Status CommentOnTableOrColumn(const std::vector<std::string>& names, bool column,
                              const std::string& comment, RoleStatementContext& context) {
  std::vector<std::string> table_names = names;
  if (column) table_names.pop_back();
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr found, TableNamed(table_names, context));
  PLEXUS_RETURN_IF_ERROR(CheckTableOwner(*found, column ? "relation" : "table", found->name, context));
  catalog::TableDef table = *found;
  if (!column) {
    table.comment = comment;
  } else {
    auto position = table.FindColumn(names.back());
    if (!position) {
      return SqlError(sql::kUndefinedColumn, "column \"" + names.back() + "\" of relation \"" +
                                                 table.name + "\" does not exist");
    }
    table.columns[*position].comment = comment;
  }
  return context.catalog->UpdateTable(*context.transaction, table);
}

Status CommentOnIndex(const std::vector<std::string>& names, const std::string& comment,
                      RoleStatementContext& context) {
  const std::string& name = names.back();
  PLEXUS_ASSIGN_OR_RETURN(auto tables, context.catalog->ListTables(*context.transaction));
  for (const auto& found : tables) {
    if (names.size() >= 2 && found->schema != names[names.size() - 2]) continue;
    for (size_t i = 0; i < found->indexes.size(); ++i) {
      if (found->indexes[i].name != name) continue;
      PLEXUS_RETURN_IF_ERROR(CheckTableOwner(*found, "index", name, context));
      catalog::TableDef table = *found;
      table.indexes[i].comment = comment;
      return context.catalog->UpdateTable(*context.transaction, table);
    }
    if (!found->primary_key.empty() && found->primary_key_name == name) {
      return SqlError(sql::kFeatureNotSupported,
                      "COMMENT ON INDEX of a primary key is not supported yet");
    }
  }
  return SqlError(sql::kUndefinedTable, "relation \"" + name + "\" does not exist");
}

Status CommentOnSchema(const std::string& schema, const std::string& comment,
                       RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(bool exists, context.catalog->SchemaExists(*context.transaction, schema));
  if (!exists) {
    return SqlError(sql::kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
  }
  PLEXUS_ASSIGN_OR_RETURN(catalog::Privileges privileges,
                          catalog::SchemaPrivileges(*context.transaction, schema));
  PLEXUS_ASSIGN_OR_RETURN(sql::system::Actor actor,
                          sql::system::SessionActor(*context.transaction));
  if (!sql::system::Owns(actor, privileges)) return sql::system::MustBeOwner("schema", schema);
  return catalog::SetSchemaComment(*context.transaction, schema, comment);
}

}  // namespace

Status ExecuteComment(const PgQuery__CommentStmt& statement, RoleStatementContext& context) {
  sql::system::BindScope scope(context.transaction, context.catalog);  // search_path lookups
  const std::vector<std::string> names = Names(statement.object);
  const std::string comment = statement.comment ? statement.comment : "";
  if (names.empty()) return SqlError(sql::kSyntaxError, "COMMENT ON names no object");
  switch (statement.objtype) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      PLEXUS_RETURN_IF_ERROR(CommentOnTableOrColumn(names, false, comment, context));
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
      if (names.size() < 2) {
        return SqlError(sql::kSyntaxError, "column name must be qualified");
      }
      PLEXUS_RETURN_IF_ERROR(CommentOnTableOrColumn(names, true, comment, context));
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      PLEXUS_RETURN_IF_ERROR(CommentOnIndex(names, comment, context));
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
      PLEXUS_RETURN_IF_ERROR(CommentOnSchema(names.back(), comment, context));
      break;
    default:
      return SqlError(sql::kFeatureNotSupported,
                      "COMMENT ON this kind of object is not supported yet");
  }
  return context.sink->Complete("COMMENT");
}

}  // namespace plexus::session
