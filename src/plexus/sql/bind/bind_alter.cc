// Binding of ALTER TABLE and RENAME: the new table definition, and — when stored rows must change
// or be checked (a new primary key, a column added with a default or dropped, a new NOT NULL,
// CHECK, UNIQUE or FOREIGN KEY) — a plan that copies the rows into the table under a new id,
// enforcing the new definition as INSERT does. Other changes are catalog-only.
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <functional>
#include <numeric>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/parse/deparse.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/system/catalog_snapshot.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;

// Calls `visit` with every message of the tree, parents first (by the protobuf-c descriptors,
// so no node type is missed).
void ForEachMessage(ProtobufCMessage* message, const std::function<void(ProtobufCMessage*)>& visit) {
  if (message == nullptr) return;
  visit(message);
  const ProtobufCMessageDescriptor* descriptor = message->descriptor;
  char* base = reinterpret_cast<char*>(message);
  for (unsigned i = 0; i < descriptor->n_fields; ++i) {
    const ProtobufCFieldDescriptor& field = descriptor->fields[i];
    if (field.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    // The members of a oneof (every kind a Node may be) share one pointer: only the set one.
    if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
        *reinterpret_cast<const uint32_t*>(base + field.quantifier_offset) != field.id) {
      continue;
    }
    if (field.label == PROTOBUF_C_LABEL_REPEATED) {
      const size_t count = *reinterpret_cast<size_t*>(base + field.quantifier_offset);
      auto** items = *reinterpret_cast<ProtobufCMessage***>(base + field.offset);
      for (size_t k = 0; k < count; ++k) ForEachMessage(items[k], visit);
    } else {
      ForEachMessage(*reinterpret_cast<ProtobufCMessage**>(base + field.offset), visit);
    }
  }
}

// The name parts of a ColumnRef (`t.a`: "t", "a"; `*` has no String part).
std::vector<char**> ColumnRefNames(ProtobufCMessage* message) {
  std::vector<char**> names;
  auto* ref = reinterpret_cast<PgQuery__ColumnRef*>(message);
  for (size_t i = 0; i < ref->n_fields; ++i) {
    if (ref->fields[i]->node_case == PG_QUERY__NODE__NODE_STRING) {
      names.push_back(&ref->fields[i]->string->sval);
    }
  }
  return names;
}

// Replaces strings of a parse tree for a deparse, then puts the tree's own back (it frees them).
class StringSwaps {
 public:
  ~StringSwaps() {
    for (auto& [slot, original] : swapped_) *slot = original;
  }
  void Set(char** slot, const std::string& value) {
    swapped_.emplace_back(slot, *slot);
    *slot = const_cast<char*>(value.c_str());
  }

 private:
  std::vector<std::pair<char**, char*>> swapped_;
};

// The CHECK expression `text` with column `from` renamed `to` (empty `to`: just tells whether
// the expression uses `from`, in *uses).
Result<std::string> RenameInCheck(const std::string& text, const std::string& from,
                                  const std::string& to, bool* uses) {
  PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse("SELECT " + text));
  PgQuery__Node* expression = tree.statement(0).stmt->select_stmt->target_list[0]->res_target->val;
  StringSwaps swaps;
  *uses = false;
  ForEachMessage(&expression->base, [&](ProtobufCMessage* message) {
    if (message->descriptor != &pg_query__column_ref__descriptor) return;
    for (char** name : ColumnRefNames(message)) {
      if (from != *name) continue;
      *uses = true;
      if (!to.empty()) swaps.Set(name, to);
    }
  });
  return DeparseExpression(*expression);
}

// The views that read `table`, with their queries following its rename: of the table (`column`
// empty) to `to`, or of its column `column` to `to`. A view's own column names are fixed first,
// so that its columns keep their names, as in PostgreSQL. The result may fail to bind (a column
// reached through a subquery's alias); ALTER TABLE then refuses (session/alter_table.cc).
Result<std::vector<catalog::ViewDef>> RenameInViews(Impl& impl, const catalog::TableDef& table,
                                                    const std::string& column,
                                                    const std::string& to) {
  std::vector<catalog::ViewDef> renamed;
  system::CatalogSnapshot snapshot(&impl.transaction(), &impl.catalog());
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  const catalog::RelationName name{table.schema, table.name};
  for (const auto& info : *views) {
    PLEXUS_ASSIGN_OR_RETURN(auto found, impl.catalog().FindView(impl.transaction(), info.schema,
                                                                info.name));
    if (std::find(found->depends_on.begin(), found->depends_on.end(), name) ==
        found->depends_on.end()) {
      continue;
    }
    catalog::ViewDef view = *found;
    PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse(view.query));
    PgQuery__Node& query = *tree.statement(0).stmt;
    {
      Binder binder(&impl.transaction(), &impl.catalog());
      PLEXUS_ASSIGN_OR_RETURN(BoundStatement bound, binder.Bind(query));
      for (size_t i = view.column_names.size(); i < bound.plan->names.size(); ++i) {
        view.column_names.push_back(bound.plan->names[i]);
      }
    }
    auto names_table = [&](const PgQuery__RangeVar& range) {
      return range.relname == table.name &&
             (!Present(range.schemaname) || range.schemaname == table.schema);
    };
    // What column references qualify the table's columns with: its name, its aliases. An
    // unqualified reference is the table's unless another table the view reads has the column.
    std::vector<std::string> qualifiers{table.name};
    bool unqualified_ours = true;
    for (const catalog::RelationName& other : view.depends_on) {
      if (other == name || column.empty()) continue;
      auto other_table = impl.catalog().FindTable(impl.transaction(), other.schema, other.name);
      if (other_table.ok() && (*other_table)->FindColumn(column)) unqualified_ours = false;
    }
    ForEachMessage(&query.base, [&](ProtobufCMessage* message) {
      if (message->descriptor != &pg_query__range_var__descriptor) return;
      auto* range = reinterpret_cast<PgQuery__RangeVar*>(message);
      if (names_table(*range) && range->alias) qualifiers.emplace_back(range->alias->aliasname);
    });
    StringSwaps swaps;
    ForEachMessage(&query.base, [&](ProtobufCMessage* message) {
      if (message->descriptor == &pg_query__range_var__descriptor && column.empty()) {
        auto* range = reinterpret_cast<PgQuery__RangeVar*>(message);
        if (names_table(*range)) swaps.Set(&range->relname, to);
      } else if (message->descriptor == &pg_query__column_ref__descriptor) {
        std::vector<char**> parts = ColumnRefNames(message);
        if (column.empty()) {
          // t.a, s.t.a: the qualifier follows the table.
          if (parts.size() >= 2 && table.name == *parts[parts.size() - 2]) {
            swaps.Set(parts[parts.size() - 2], to);
          }
        } else if (!parts.empty() && column == *parts.back()) {
          const bool qualified_by_table =
              parts.size() >= 2 && std::find(qualifiers.begin(), qualifiers.end(),
                                             *parts[parts.size() - 2]) != qualifiers.end();
          if ((parts.size() == 1 && unqualified_ours) || qualified_by_table) {
            swaps.Set(parts.back(), to);
          }
        }
      }
    });
    PLEXUS_ASSIGN_OR_RETURN(view.query, DeparseStatement(query));
    if (column.empty()) std::replace(view.depends_on.begin(), view.depends_on.end(), name,
                                     catalog::RelationName{table.schema, to});
    renamed.push_back(std::move(view));
  }
  return renamed;
}

Status ConstraintMissing(const std::string& name, const catalog::TableDef& table) {
  return SqlError(kUndefinedObject, "constraint \"" + name + "\" of relation \"" + table.name +
                                        "\" does not exist");
}

Status ColumnMissing(const std::string& name, const catalog::TableDef& table) {
  return SqlError(kUndefinedColumn, "column \"" + name + "\" of relation \"" + table.name +
                                        "\" does not exist");
}

// ALTER COLUMN ... [SET DATA] TYPE: the column's new type in *table, where PostgreSQL allows the
// change (the rows are converted by the rewrite). `source` is the old column it holds (-1: one
// added by the same statement).
Status AlterColumnType(Impl& impl, const PgQuery__ColumnDef& definition, uint32_t column,
                       int32_t source, catalog::TableDef* table) {
  catalog::ColumnDef& altered = table->columns[column];
  if (source < 0) {
    return SqlError(kFeatureNotSupported,
                    "altering the type of a column added by the same statement is not supported");
  }
  if (definition.coll_clause != nullptr) {
    return SqlError(kFeatureNotSupported, "COLLATE is not supported yet");
  }
  PLEXUS_ASSIGN_OR_RETURN(const Type type, impl.BindTypeName(*definition.type_name));
  for (const catalog::ForeignKeyDef& key : table->foreign_keys) {
    if (std::find(key.columns.begin(), key.columns.end(), column) != key.columns.end()) {
      return SqlError(kFeatureNotSupported, "altering the type of column \"" + altered.name +
                                                "\", which is in foreign key \"" + key.name +
                                                "\", is not supported yet");
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto tables, impl.catalog().ListTables(impl.transaction()));
  for (const catalog::TableDefPtr& other : tables) {
    for (const catalog::ForeignKeyDef& key : other->foreign_keys) {
      if (key.referenced_schema == table->schema && key.referenced_table == table->name &&
          std::find(key.referenced_columns.begin(), key.referenced_columns.end(), column) !=
              key.referenced_columns.end()) {
        return SqlError(kFeatureNotSupported,
                        "altering the type of column \"" + altered.name + "\", which foreign key \"" +
                            key.name + "\" of table \"" + other->name +
                            "\" references, is not supported yet");
      }
    }
  }
  // Without USING the rows are converted by an assignment cast, which PostgreSQL has only for
  // some pairs of types: text to integer needs USING.
  if (definition.raw_default == nullptr && !IsAssignmentCast(altered.type, type)) {
    Status status = SqlError(kDatatypeMismatch, "column \"" + altered.name +
                                                    "\" cannot be cast automatically to type " +
                                                    catalog::FormatType(type));
    status.SetHint("You might need to specify \"USING " + altered.name +
                   "::" + catalog::FormatType(type) + "\".");
    return status;
  }
  altered.type = type;
  // The default must convert too.
  if (!altered.default_expression.empty()) {
    Status status = impl.BindColumnDefault(altered).status();
    if (!status.ok()) {
      return SqlError(kDatatypeMismatch, "default for column \"" + altered.name +
                                             "\" cannot be cast automatically to type " +
                                             catalog::FormatType(type));
    }
  }
  return Status::Ok();
}

// Removes column `position`: indexes, checks and foreign keys that use it go with it (as
// PostgreSQL drops dependent constraints of the table itself); later positions shift down.
Status DropColumn(catalog::TableDef* table, uint32_t position) {
  const std::string name = table->columns[position].name;
  if (std::find(table->primary_key.begin(), table->primary_key.end(), position) !=
      table->primary_key.end()) {
    return SqlError(kFeatureNotSupported, "dropping a primary key column is not supported yet");
  }
  auto shift = [&](std::vector<uint32_t>& columns) {
    for (uint32_t& column : columns) {
      if (column > position) --column;
    }
  };
  auto uses = [&](const std::vector<uint32_t>& columns) {
    return std::find(columns.begin(), columns.end(), position) != columns.end();
  };
  std::erase_if(table->indexes, [&](const catalog::IndexDef& index) { return uses(index.columns); });
  std::erase_if(table->foreign_keys,
                [&](const catalog::ForeignKeyDef& key) { return uses(key.columns); });
  std::vector<catalog::CheckDef> checks;
  for (catalog::CheckDef& check : table->checks) {
    bool used = false;
    PLEXUS_ASSIGN_OR_RETURN(std::string ignored, RenameInCheck(check.expression, name, "", &used));
    if (!used) checks.push_back(std::move(check));
  }
  table->checks = std::move(checks);
  for (auto& index : table->indexes) shift(index.columns);
  for (auto& key : table->foreign_keys) {
    shift(key.columns);
    // A self reference points into this table too.
    if (key.referenced_table == table->name && key.referenced_schema == table->schema) {
      shift(key.referenced_columns);
    }
  }
  shift(table->primary_key);
  table->columns.erase(table->columns.begin() + position);
  return Status::Ok();
}

// Removes the constraint called `name`; false when there is none.
bool DropConstraint(catalog::TableDef* table, const std::string& name) {
  if (!table->primary_key.empty() && table->primary_key_name == name) {
    table->primary_key.clear();
    table->primary_key_name.clear();
    return true;
  }
  const size_t before = table->indexes.size() + table->checks.size() + table->foreign_keys.size();
  std::erase_if(table->indexes,
                [&](const catalog::IndexDef& index) { return index.unique && index.name == name; });
  std::erase_if(table->checks, [&](const catalog::CheckDef& check) { return check.name == name; });
  std::erase_if(table->foreign_keys,
                [&](const catalog::ForeignKeyDef& key) { return key.name == name; });
  return table->indexes.size() + table->checks.size() + table->foreign_keys.size() < before;
}

}  // namespace

Result<BoundStatement> Impl::BindAlterTable(const PgQuery__AlterTableStmt& alter) {
  BoundStatement bound;
  bound.kind = StatementKind::kAlterTable;
  bound.command_tag = "ALTER TABLE";
  if (alter.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    return SqlError(kFeatureNotSupported, "only ALTER TABLE is supported among ALTER statements");
  }
  Result<catalog::TableDefPtr> found = FindTable(*alter.relation);
  if (!found.ok() && alter.missing_ok && found.status().sql_state() == kUndefinedTable.code) {
    bound.kind = StatementKind::kNoOp;
    return bound;
  }
  PLEXUS_RETURN_IF_ERROR(found.status());
  const catalog::TableDefPtr old = *found;
  catalog::TableDef& table = bound.table;
  table = *old;
  // New column j holds old column source[j] (-1: a new column, filled with its default),
  // computed by using[j] when ALTER COLUMN ... TYPE ... USING gave one.
  std::vector<int32_t> source(old->columns.size());
  std::iota(source.begin(), source.end(), 0);
  std::vector<const PgQuery__Node*> using_expressions(old->columns.size(), nullptr);
  bool rewrite = false;
  for (size_t i = 0; i < alter.n_cmds; ++i) {
    const PgQuery__AlterTableCmd& command = *alter.cmds[i]->alter_table_cmd;
    const std::string name = command.name;
    // The named column's position, -1 when there is none (a plain integer: GCC's -O3 flow
    // analysis misreads an optional here).
    const std::optional<uint32_t> found_column = name.empty() ? std::nullopt : table.FindColumn(name);
    const int64_t column = found_column ? int64_t{*found_column} : -1;
    switch (command.subtype) {
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn: {
        const PgQuery__ColumnDef& definition = *command.def->column_def;
        if (table.FindColumn(definition.colname) && command.missing_ok) continue;  // IF NOT EXISTS
        PLEXUS_RETURN_IF_ERROR(AddColumn(*this, definition, &table, &bound.sequences));
        source.push_back(-1);
        using_expressions.push_back(nullptr);
        const catalog::ColumnDef& added = table.columns.back();
        // Rows written before hold NULL in it: a default or NOT NULL needs them rewritten.
        if (!added.default_expression.empty() || added.not_null) rewrite = true;
        if (table.checks.size() != old->checks.size() ||
            table.foreign_keys.size() != old->foreign_keys.size() ||
            table.indexes.size() != old->indexes.size() || table.primary_key != old->primary_key) {
          rewrite = true;
        }
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
        if (column < 0) {
          if (command.missing_ok) continue;
          return ColumnMissing(name, table);
        }
        PLEXUS_RETURN_IF_ERROR(DropColumn(&table, static_cast<uint32_t>(column)));
        // CASCADE: views that no longer bind go too (session/alter_table.cc).
        if (command.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE) bound.cascade = true;
        source.erase(source.begin() + column);
        using_expressions.erase(using_expressions.begin() + column);
        rewrite = true;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
        if (column < 0) return ColumnMissing(name, table);
        const PgQuery__ColumnDef& definition = *command.def->column_def;
        PLEXUS_RETURN_IF_ERROR(AlterColumnType(*this, definition, static_cast<uint32_t>(column),
                                               source[column], &table));
        using_expressions[column] = definition.raw_default;
        rewrite = true;  // every row is converted (and checked, and indexed anew)
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
        if (column < 0) return ColumnMissing(name, table);
        if (command.def == nullptr) {
          table.columns[column].default_expression.clear();
        } else {
          PLEXUS_ASSIGN_OR_RETURN(table.columns[column].default_expression,
                                  DeparseExpression(*command.def));
        }
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        if (column < 0) return ColumnMissing(name, table);
        if (!table.columns[column].not_null) rewrite = true;  // existing rows are checked
        table.columns[column].not_null = true;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
        if (column < 0) return ColumnMissing(name, table);
        if (std::find(table.primary_key.begin(), table.primary_key.end(), column) !=
            table.primary_key.end()) {
          return SqlError(kInvalidTableDefinition, "column \"" + name + "\" is in a primary key");
        }
        table.columns[column].not_null = false;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
        const PgQuery__Constraint& constraint = *command.def->constraint;
        PLEXUS_RETURN_IF_ERROR(AddTableConstraint(*this, constraint, &table));
        if (constraint.contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
            table.primary_key_name.empty()) {
          table.primary_key_name = table.name + "_pkey";
        }
        rewrite = true;  // the rows are checked (and keyed anew, for a primary key)
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
        if (!DropConstraint(&table, name)) {
          if (command.missing_ok) continue;
          return ConstraintMissing(name, table);
        }
        if (table.primary_key != old->primary_key) rewrite = true;  // keyed by row id again
        break;
      default:
        return SqlError(kFeatureNotSupported, "this ALTER TABLE action is not supported yet");
    }
  }
  if (rewrite) {
    // The rows move to a new id; indexes are rebuilt as they are copied.
    PLEXUS_ASSIGN_OR_RETURN(table.id, catalog_->AllocateId(*transaction_));
    for (catalog::IndexDef& index : table.indexes) {
      if (index.id == 0) {
        PLEXUS_ASSIGN_OR_RETURN(index.id, catalog_->AllocateId(*transaction_));
      }
    }
    auto target = std::make_shared<const catalog::TableDef>(table);
    PLEXUS_ASSIGN_OR_RETURN(bound.plan,
                            BindTableRewrite(*this, old, target, source, using_expressions));
  }
  bound.altered = old;
  return bound;
}

Result<BoundStatement> Impl::BindRename(const PgQuery__RenameStmt& rename) {
  BoundStatement bound;
  bound.kind = StatementKind::kAlterTable;
  if (rename.relation == nullptr ||
      (rename.rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
       rename.rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
       rename.rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT)) {
    return SqlError(kFeatureNotSupported, "only tables, columns and constraints can be renamed");
  }
  Result<catalog::TableDefPtr> found = FindTable(*rename.relation);
  if (!found.ok() && rename.missing_ok && found.status().sql_state() == kUndefinedTable.code) {
    bound.kind = StatementKind::kNoOp;
    bound.command_tag = "ALTER TABLE";
    return bound;
  }
  PLEXUS_RETURN_IF_ERROR(found.status());
  bound.altered = *found;
  catalog::TableDef& table = bound.table;
  table = **found;
  const std::string from = rename.subname;
  const std::string to = rename.newname;
  switch (rename.rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: {
      bound.command_tag = "ALTER TABLE";
      table.name = to;
      for (auto& key : table.foreign_keys) {
        if (key.referenced_table == from && key.referenced_schema == table.schema) key.referenced_table = to;
      }
      PLEXUS_ASSIGN_OR_RETURN(bound.views, RenameInViews(*this, **found, "", to));
      break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
      bound.command_tag = "ALTER TABLE";
      std::optional<uint32_t> column = table.FindColumn(from);
      if (!column) return ColumnMissing(from, table);
      if (table.FindColumn(to)) {
        return SqlError(kDuplicateColumn, "column \"" + to + "\" of relation \"" + table.name +
                                              "\" already exists");
      }
      table.columns[*column].name = to;
      PLEXUS_ASSIGN_OR_RETURN(bound.views, RenameInViews(*this, **found, from, to));
      for (catalog::CheckDef& check : table.checks) {
        bool used = false;
        PLEXUS_ASSIGN_OR_RETURN(std::string renamed, RenameInCheck(check.expression, from, to, &used));
        if (used) check.expression = std::move(renamed);
      }
      break;
    }
    default: {
      bound.command_tag = "ALTER TABLE";
      bool found_constraint = false;
      if (table.primary_key_name == from && !table.primary_key.empty()) {
        table.primary_key_name = to;
        found_constraint = true;
      }
      for (auto& index : table.indexes) {
        if (index.unique && index.name == from) index.name = to, found_constraint = true;
      }
      for (auto& check : table.checks) {
        if (check.name == from) check.name = to, found_constraint = true;
      }
      for (auto& key : table.foreign_keys) {
        if (key.name == from) key.name = to, found_constraint = true;
      }
      if (!found_constraint) return ConstraintMissing(from, table);
      break;
    }
  }
  return bound;
}

}  // namespace plexus::sql
