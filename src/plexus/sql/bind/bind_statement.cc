// Binding of statements other than queries and DML: DDL, transaction control, SET/SHOW.
#include <algorithm>
#include <cctype>

#include "plexus/sql/bind/bind_system.h"
#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_walk.h"
#include "plexus/sql/parse/deparse.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/stats/analyze.h"

namespace plexus::sql {

Binder::Binder(txn::Transaction* transaction, catalog::Catalog* catalog)
    : impl_(std::make_unique<Impl>(this, transaction, catalog)) {}
Binder::~Binder() = default;

Result<BoundStatement> Binder::Bind(const PgQuery__Node& statement) {
  system::BindScope scope(&impl_->transaction(), &impl_->catalog());
  PLEXUS_ASSIGN_OR_RETURN(BoundStatement bound, impl_->Bind(statement));
  PLEXUS_RETURN_IF_ERROR(CheckPrivileges(bound, impl_->transaction(), impl_->catalog()));
  return bound;
}

Result<catalog::TableDefPtr> Binder::Impl::FindTable(const PgQuery__RangeVar& range) {
  PLEXUS_ASSIGN_OR_RETURN(std::string schema, LookupSchemaOf(*this, range));
  auto table = catalog_->FindTable(*transaction_, schema, range.relname);
  if (table.status().IsNotFound()) {
    return WithPosition(SqlError(kUndefinedTable, "relation \"" + std::string(range.relname) +
                                                      "\" does not exist"),
                        range.location);
  }
  return table;
}

Result<ExprPtr> Binder::Impl::BindColumnDefault(const catalog::ColumnDef& column) {
  if (column.default_expression.empty()) return Expr::Constant(Value::Null(column.type));
  PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse("SELECT " + column.default_expression));
  const PgQuery__SelectStmt& select = *tree.statement(0).stmt->select_stmt;
  Scope empty;
  PLEXUS_ASSIGN_OR_RETURN(ExprPtr expr,
                          BindExpression(*select.target_list[0]->res_target->val, empty, nullptr));
  // Converted as an assignment would (nextval's bigint into an integer column).
  return CoerceForAssignment(std::move(expr), column.type);
}

namespace {

using Impl = Binder::Impl;

Status AddCheck(const PgQuery__Constraint& constraint, std::string default_name,
                catalog::TableDef* table) {
  catalog::CheckDef check;
  check.name = Present(constraint.conname) ? std::string(constraint.conname) : std::move(default_name);
  for (const catalog::CheckDef& other : table->checks) {
    if (other.name == check.name) {
      return SqlError(kDuplicateObject, "constraint \"" + check.name + "\" for relation \"" +
                                            table->name + "\" already exists");
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(check.expression, DeparseExpression(*constraint.raw_expr));
  table->checks.push_back(std::move(check));
  return Status::Ok();
}

Result<catalog::ForeignKeyAction> ForeignKeyActionOf(const char* code) {
  switch (Present(code) ? code[0] : 'a') {
    case 'a': return catalog::ForeignKeyAction::kNoAction;
    case 'r': return catalog::ForeignKeyAction::kRestrict;
    case 'c': return catalog::ForeignKeyAction::kCascade;
    case 'n': return catalog::ForeignKeyAction::kSetNull;
    default:
      return SqlError(kFeatureNotSupported, "ON DELETE/UPDATE SET DEFAULT is not supported yet");
  }
}

// FOREIGN KEY (columns) REFERENCES other (columns): the referenced columns must be the other
// table's primary key or carry a unique index (the table may reference itself).
Status AddForeignKey(Impl& impl, const PgQuery__Constraint& constraint,
                     std::vector<uint32_t> columns, catalog::TableDef* table) {
  catalog::ForeignKeyDef key;
  const PgQuery__RangeVar& target = *constraint.pktable;
  key.referenced_schema = SchemaOf(target);
  key.referenced_table = target.relname;
  const bool self = key.referenced_schema == table->schema && key.referenced_table == table->name;
  catalog::TableDefPtr found;
  if (!self) {
    PLEXUS_ASSIGN_OR_RETURN(found, impl.FindTable(target));
  }
  const catalog::TableDef& referenced = self ? *table : *found;
  for (size_t i = 0; i < constraint.n_fk_attrs; ++i) {
    std::string_view name = StringValue(constraint.fk_attrs[i]);
    auto column = table->FindColumn(name);
    if (!column) {
      return SqlError(kUndefinedColumn, "column \"" + std::string(name) +
                                            "\" referenced in foreign key constraint does not exist");
    }
    columns.push_back(*column);
  }
  key.columns = std::move(columns);
  if (constraint.n_pk_attrs == 0) {
    if (referenced.primary_key.empty()) {
      return SqlError(kUndefinedObject, "there is no primary key for referenced table \"" +
                                            referenced.name + "\"");
    }
    key.referenced_columns = referenced.primary_key;
  }
  for (size_t i = 0; i < constraint.n_pk_attrs; ++i) {
    std::string_view name = StringValue(constraint.pk_attrs[i]);
    auto column = referenced.FindColumn(name);
    if (!column) {
      return SqlError(kUndefinedColumn, "column \"" + std::string(name) +
                                            "\" referenced in foreign key constraint does not exist");
    }
    key.referenced_columns.push_back(*column);
  }
  if (key.columns.size() != key.referenced_columns.size()) {
    return SqlError(kInvalidForeignKey, "number of referencing and referenced columns for foreign "
                                        "key disagree");
  }
  auto same_set = [&](std::vector<uint32_t> a) {
    std::vector<uint32_t> b = key.referenced_columns;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
  };
  bool unique = !referenced.primary_key.empty() && same_set(referenced.primary_key);
  for (const catalog::IndexDef& index : referenced.indexes) unique |= index.unique && same_set(index.columns);
  if (!unique) {
    return SqlError(kInvalidForeignKey, "there is no unique constraint matching given keys for "
                                        "referenced table \"" + referenced.name + "\"");
  }
  PLEXUS_ASSIGN_OR_RETURN(key.on_delete, ForeignKeyActionOf(constraint.fk_del_action));
  PLEXUS_ASSIGN_OR_RETURN(key.on_update, ForeignKeyActionOf(constraint.fk_upd_action));
  std::string name = table->name;
  for (uint32_t column : key.columns) name += "_" + table->columns[column].name;
  key.name = Present(constraint.conname) ? std::string(constraint.conname) : name + "_fkey";
  table->foreign_keys.push_back(std::move(key));
  return Status::Ok();
}

}  // namespace

// serial, bigserial, smallserial (and serial4/8/2): an integer type whose default is its own
// sequence's next value. kUnknown for other type names.
static TypeId SerialType(const PgQuery__TypeName& type_name) {
  if (type_name.n_names != 1 || type_name.n_array_bounds != 0) return TypeId::kUnknown;
  const std::string_view name = StringValue(type_name.names[0]);
  if (name == "serial" || name == "serial4") return TypeId::kInt32;
  if (name == "bigserial" || name == "serial8") return TypeId::kInt64;
  if (name == "smallserial" || name == "serial2") return TypeId::kInt16;
  return TypeId::kUnknown;
}

Status AddColumn(Impl& impl, const PgQuery__ColumnDef& definition, catalog::TableDef* table,
                 std::vector<catalog::SequenceDef>* sequences) {
  catalog::ColumnDef column;
  column.name = definition.colname;
  if (table->FindColumn(column.name)) {
    return SqlError(kDuplicateColumn, "column \"" + column.name + "\" specified more than once");
  }
  const TypeId serial = SerialType(*definition.type_name);
  if (serial != TypeId::kUnknown) {
    column.type = Type::Of(serial);
  } else {
    PLEXUS_ASSIGN_OR_RETURN(column.type, impl.BindTypeName(*definition.type_name));
  }
  column.not_null = definition.is_not_null;
  const PgQuery__Constraint* identity = nullptr;
  const uint32_t position = static_cast<uint32_t>(table->columns.size());
  std::vector<const PgQuery__Constraint*> checks;
  std::vector<const PgQuery__Constraint*> references;
  for (size_t i = 0; i < definition.n_constraints; ++i) {
    const PgQuery__Constraint& constraint = *definition.constraints[i]->constraint;
    switch (constraint.contype) {
      case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: column.not_null = true; break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_NULL: break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: {
        PLEXUS_ASSIGN_OR_RETURN(column.default_expression, DeparseExpression(*constraint.raw_expr));
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        if (!table->primary_key.empty()) {
          return SqlError(kInvalidTableDefinition,
                          "multiple primary keys for table \"" + table->name + "\" are not allowed");
        }
        table->primary_key = {position};
        column.not_null = true;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: {
        catalog::IndexDef index;
        index.name = Present(constraint.conname) ? std::string(constraint.conname)
                                                 : table->name + "_" + column.name + "_key";
        index.columns = {position};
        index.descending = {false};
        index.unique = true;
        table->indexes.push_back(std::move(index));
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
        checks.push_back(&constraint);
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        references.push_back(&constraint);
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
        if (identity != nullptr) {
          return SqlError(kSyntaxError, "multiple identity specifications for column \"" +
                                            column.name + "\" of table \"" + table->name + "\"");
        }
        identity = &constraint;
        break;
      default:
        return SqlError(kFeatureNotSupported, "this column constraint is not supported yet");
    }
  }
  if (serial != TypeId::kUnknown || identity != nullptr) {
    if (!column.default_expression.empty() || (serial != TypeId::kUnknown && identity != nullptr)) {
      return SqlError(kSyntaxError, "multiple default values specified for column \"" +
                                        column.name + "\" of table \"" + table->name + "\"");
    }
    if (identity != nullptr) {
      if (!catalog::IsInteger(column.type.id)) {
        return SqlError(kInvalidParameterValue, "identity column type must be smallint, integer, or bigint");
      }
      column.identity = Present(identity->generated_when) ? identity->generated_when[0] : 'a';
    }
    PLEXUS_RETURN_IF_ERROR(impl.AddOwnedSequence(*table, &column,
                                                 identity ? identity->options : nullptr,
                                                 identity ? identity->n_options : 0, sequences));
  }
  table->columns.push_back(std::move(column));
  // CHECK and REFERENCES see the column itself.
  for (const PgQuery__Constraint* check : checks) {
    PLEXUS_RETURN_IF_ERROR(AddCheck(*check, table->name + "_" + definition.colname + "_check", table));
  }
  for (const PgQuery__Constraint* reference : references) {
    PLEXUS_RETURN_IF_ERROR(AddForeignKey(impl, *reference, {position}, table));
  }
  return Status::Ok();
}

static Status AddUniqueConstraint(const PgQuery__Constraint& constraint, catalog::TableDef* table) {
  catalog::IndexDef index;
  index.unique = true;
  std::string name = table->name;
  for (size_t i = 0; i < constraint.n_keys; ++i) {
    std::string_view column_name = StringValue(constraint.keys[i]);
    auto column = table->FindColumn(column_name);
    if (!column) {
      return SqlError(kUndefinedColumn, "column \"" + std::string(column_name) +
                                            "\" named in key does not exist");
    }
    index.columns.push_back(*column);
    index.descending.push_back(false);
    name += "_" + std::string(column_name);
  }
  index.name = Present(constraint.conname) ? std::string(constraint.conname) : name + "_key";
  table->indexes.push_back(std::move(index));
  return Status::Ok();
}

Status AddTableConstraint(Impl& impl, const PgQuery__Constraint& constraint,
                          catalog::TableDef* table) {
  switch (constraint.contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: return AddUniqueConstraint(constraint, table);
    case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: return AddCheck(constraint, table->name + "_check", table);
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: return AddForeignKey(impl, constraint, {}, table);
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: break;
    default: return SqlError(kFeatureNotSupported, "this table constraint is not supported yet");
  }
  if (!table->primary_key.empty()) {
    return SqlError(kInvalidTableDefinition,
                    "multiple primary keys for table \"" + table->name + "\" are not allowed");
  }
  for (size_t i = 0; i < constraint.n_keys; ++i) {
    std::string_view name = StringValue(constraint.keys[i]);
    auto column = table->FindColumn(name);
    if (!column) {
      return SqlError(kUndefinedColumn, "column \"" + std::string(name) +
                                            "\" named in key does not exist");
    }
    table->primary_key.push_back(*column);
    table->columns[*column].not_null = true;
  }
  if (Present(constraint.conname)) table->primary_key_name = constraint.conname;
  return Status::Ok();
}

namespace {

std::vector<ObjectName> DropTargets(const PgQuery__DropStmt& drop) {
  std::vector<ObjectName> names;
  for (size_t i = 0; i < drop.n_objects; ++i) {
    const PgQuery__Node* object = drop.objects[i];
    ObjectName name{std::string(catalog::kDefaultSchema), ""};
    if (object->node_case == PG_QUERY__NODE__NODE_LIST) {
      const PgQuery__List& parts = *object->list;
      name.name = StringValue(parts.items[parts.n_items - 1]);
      if (parts.n_items >= 2) {
        name.schema = StringValue(parts.items[parts.n_items - 2]);
      } else if (auto schema = system::ExistingSchemaOf(name.name); schema.ok()) {
        name.schema = std::move(*schema);  // search_path; a failed read leaves public
      }
    } else {
      name.name = StringValue(object);  // DROP SCHEMA names come as plain strings
      name.schema = name.name;
    }
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

namespace {

// The statement creating the table `relation` names (in a schema that must exist when named).
Result<BoundStatement> CreateTableStatement(Binder::Impl& impl, const PgQuery__RangeVar& relation,
                                            std::string_view command_tag, bool if_not_exists) {
  BoundStatement bound;
  bound.kind = StatementKind::kCreateTable;
  bound.command_tag = command_tag;
  bound.if_not_exists = if_not_exists;
  bound.table.name = relation.relname;
  bound.table.schema = SchemaOf(relation);
  if (Present(relation.schemaname)) {
    PLEXUS_ASSIGN_OR_RETURN(bool exists,
                            impl.catalog().SchemaExists(impl.transaction(), bound.table.schema));
    if (!exists) {
      return SqlError(kInvalidSchemaName,
                      "schema \"" + bound.table.schema + "\" does not exist");
    }
  }
  return bound;
}

}  // namespace

Result<BoundStatement> Binder::Impl::BindCreateTable(const PgQuery__CreateStmt& create) {
  PLEXUS_ASSIGN_OR_RETURN(BoundStatement bound, CreateTableStatement(*this, *create.relation,
                                                                     "CREATE TABLE",
                                                                     create.if_not_exists));
  catalog::TableDef& table = bound.table;
  std::vector<const PgQuery__Constraint*> table_constraints;
  for (size_t i = 0; i < create.n_table_elts; ++i) {
    const PgQuery__Node& element = *create.table_elts[i];
    if (element.node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
      PLEXUS_RETURN_IF_ERROR(AddColumn(*this, *element.column_def, &table, &bound.sequences));
    } else if (element.node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
      table_constraints.push_back(element.constraint);
    } else {
      return SqlError(kFeatureNotSupported, "LIKE and other table elements are not supported yet");
    }
  }
  // Table constraints after every column (a FOREIGN KEY may reference the table's own key).
  for (const PgQuery__Constraint* constraint : table_constraints) {
    PLEXUS_RETURN_IF_ERROR(AddTableConstraint(*this, *constraint, &table));
  }
  if (!table.primary_key.empty() && table.primary_key_name.empty()) {
    table.primary_key_name = table.name + "_pkey";
  }
  return bound;
}

Result<BoundStatement> Binder::Impl::BindCreateTableAs(const PgQuery__IntoClause& into,
                                                       const PgQuery__Node& query,
                                                       bool if_not_exists) {
  PLEXUS_ASSIGN_OR_RETURN(BoundStatement bound,
                          CreateTableStatement(*this, *into.rel, "CREATE TABLE AS", if_not_exists));
  catalog::TableDef& table = bound.table;
  // The query is bound here for its columns; the session binds it again, as INSERT INTO the
  // new table, to fill it.
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr plan, BindQuery(query, nullptr, nullptr));
  if (into.n_col_names > plan->names.size()) {
    return SqlError(kSyntaxError, "too many column names were specified");
  }
  for (size_t i = 0; i < plan->names.size(); ++i) {
    catalog::ColumnDef column;
    column.name = i < into.n_col_names ? std::string(StringValue(into.col_names[i]))
                                       : plan->names[i];
    column.type = plan->types[i].id == TypeId::kUnknown ? Type::Of(TypeId::kText)
                                                        : plan->types[i];
    if (table.FindColumn(column.name)) {
      return SqlError(kDuplicateColumn,
                      "column \"" + column.name + "\" specified more than once");
    }
    table.columns.push_back(std::move(column));
  }
  if (!into.skip_data) bound.prepared = &query;
  return bound;
}

Result<BoundStatement> Binder::Impl::BindDrop(const PgQuery__DropStmt& drop) {
  BoundStatement bound;
  bound.missing_ok = drop.missing_ok;
  bound.cascade = drop.behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  bound.objects = DropTargets(drop);
  switch (drop.remove_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
      bound.kind = StatementKind::kDropTable;
      bound.command_tag = "DROP TABLE";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
      bound.kind = StatementKind::kDropView;
      bound.command_tag = "DROP VIEW";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
      bound.kind = StatementKind::kDropIndex;
      bound.command_tag = "DROP INDEX";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
      bound.kind = StatementKind::kDropSchema;
      bound.command_tag = "DROP SCHEMA";
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
      bound.kind = StatementKind::kDropSequence;
      bound.command_tag = "DROP SEQUENCE";
      break;
    default:
      return SqlError(kFeatureNotSupported, "DROP of this kind of object is not supported yet");
  }
  return bound;
}

Result<BoundStatement> Binder::Impl::BindCreateIndex(const PgQuery__IndexStmt& index) {
  BoundStatement bound;
  bound.kind = StatementKind::kCreateIndex;
  bound.command_tag = "CREATE INDEX";
  bound.if_not_exists = index.if_not_exists;
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*index.relation));
  bound.table = *table;
  catalog::IndexDef def;
  def.name = Present(index.idxname) ? index.idxname : table->name + "_idx";
  def.unique = index.unique;
  for (size_t i = 0; i < index.n_index_params; ++i) {
    const PgQuery__IndexElem& element = *index.index_params[i]->index_elem;
    if (!Present(element.name)) {  // an expression: name is empty, expr is set
      return SqlError(kFeatureNotSupported, "indexes on expressions are not supported yet");
    }
    auto column = table->FindColumn(element.name);
    if (!column) {
      return SqlError(kUndefinedColumn, "column \"" + std::string(element.name) + "\" does not exist");
    }
    def.columns.push_back(*column);
    def.descending.push_back(element.ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC);
  }
  for (const auto& existing : table->indexes) {
    if (existing.name == def.name) {
      if (index.if_not_exists) {
        bound.kind = StatementKind::kNoOp;
        return bound;
      }
      return SqlError(kDuplicateTable, "relation \"" + def.name + "\" already exists");
    }
  }
  bound.table.indexes.push_back(std::move(def));
  return bound;
}

namespace {

// The tables and views `plan` reads: a view's plan is marked by a projection naming it
// (bind_select.cc) and what it reads is its own dependency, not the reader's.
Status CollectRelations(const PlanNode& plan, std::vector<catalog::RelationName>* relations) {
  const bool view = plan.kind == PlanKind::kProject && plan.table;
  if ((view || plan.kind == PlanKind::kTableScan) && plan.table) {
    catalog::RelationName name{plan.table->schema, plan.table->name};
    if (std::find(relations->begin(), relations->end(), name) == relations->end()) {
      relations->push_back(std::move(name));
    }
    if (view) return Status::Ok();
  }
  return ForEachSubplan(plan,
                        [&](const PlanNode& subplan) { return CollectRelations(subplan, relations); });
}

}  // namespace

Result<BoundStatement> Binder::Impl::BindCreateView(const PgQuery__ViewStmt& view) {
  BoundStatement bound;
  bound.kind = StatementKind::kCreateView;
  bound.command_tag = "CREATE VIEW";
  bound.view.name = view.view->relname;
  bound.view.schema = SchemaOf(*view.view);
  // Bind once now, so that a view over missing tables or columns fails at CREATE.
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr plan, BindQuery(*view.query, nullptr, nullptr));
  PLEXUS_ASSIGN_OR_RETURN(bound.view.query, DeparseStatement(*view.query));
  PLEXUS_RETURN_IF_ERROR(CollectRelations(*plan, &bound.view.depends_on));
  for (size_t i = 0; i < view.n_aliases; ++i) {
    bound.view.column_names.emplace_back(StringValue(view.aliases[i]));
  }
  if (bound.view.column_names.size() > plan->types.size()) {
    return SqlError(kSyntaxError, "CREATE VIEW specifies more column names than columns");
  }
  return bound;
}

Result<BoundStatement> Binder::Impl::BindTransaction(const PgQuery__TransactionStmt& statement) {
  BoundStatement bound;
  switch (statement.kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
      bound.kind = StatementKind::kBegin;
      bound.command_tag = statement.kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN
                              ? "BEGIN" : "START TRANSACTION";
      for (size_t i = 0; i < statement.n_options; ++i) {
        const PgQuery__DefElem* option = statement.options[i]->def_elem;
        if (option && Present(option->defname) &&
            std::string_view(option->defname) == "transaction_isolation") {
          std::string_view level = option->arg && option->arg->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                                           option->arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL
                                       ? option->arg->a_const->sval->sval : "";
          if (level == "serializable" || level == "read uncommitted") {
            // Until SERIALIZABLE exists, the strongest level we have; READ UNCOMMITTED is READ
            // COMMITTED in PostgreSQL too.
            bound.isolation = level == "serializable" ? IsolationLevel::kRepeatableRead
                                                      : IsolationLevel::kReadCommitted;
          } else {
            PLEXUS_ASSIGN_OR_RETURN(bound.isolation, ParseIsolationLevel(level));
          }
        }
      }
      return bound;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
      bound.kind = StatementKind::kCommit;
      bound.command_tag = "COMMIT";
      return bound;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
      bound.kind = StatementKind::kRollback;
      bound.command_tag = "ROLLBACK";
      return bound;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
      bound.kind = StatementKind::kSavepoint;
      bound.command_tag = "SAVEPOINT";
      bound.name = statement.savepoint_name;
      return bound;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
      bound.kind = StatementKind::kReleaseSavepoint;
      bound.command_tag = "RELEASE";
      bound.name = statement.savepoint_name;
      return bound;
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
      bound.kind = StatementKind::kRollbackToSavepoint;
      bound.command_tag = "ROLLBACK";
      bound.name = statement.savepoint_name;
      return bound;
    default:
      return SqlError(kFeatureNotSupported, "two-phase commit is not supported");
  }
}

namespace {

// A statement the session runs from its parse tree (roles, LISTEN/NOTIFY): a no-op to the binder.
BoundStatement UtilityStatement(std::string_view command_tag) {
  BoundStatement bound;
  bound.kind = StatementKind::kNoOp;
  bound.command_tag = command_tag;
  return bound;
}

}  // namespace

Result<BoundStatement> Binder::Impl::Bind(const PgQuery__Node& statement) {
  switch (statement.node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
      if (const PgQuery__IntoClause* into = statement.select_stmt->into_clause) {
        return BindCreateTableAs(*into, statement, /*if_not_exists=*/false);
      }
      BoundStatement bound;
      bound.kind = StatementKind::kQuery;
      bound.command_tag = "SELECT";
      PLEXUS_ASSIGN_OR_RETURN(bound.plan, BindQuery(statement, nullptr, nullptr));
      return bound;
    }
    case PG_QUERY__NODE__NODE_INSERT_STMT: return BindInsert(*statement.insert_stmt);
    case PG_QUERY__NODE__NODE_UPDATE_STMT: return BindUpdate(*statement.update_stmt);
    case PG_QUERY__NODE__NODE_DELETE_STMT: return BindDelete(*statement.delete_stmt);
    case PG_QUERY__NODE__NODE_CREATE_STMT: return BindCreateTable(*statement.create_stmt);
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
      const PgQuery__CreateTableAsStmt& create = *statement.create_table_as_stmt;
      if (create.objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
        return SqlError(kFeatureNotSupported, "materialized views are not supported yet");
      }
      return BindCreateTableAs(*create.into, *create.query, create.if_not_exists);
    }
    case PG_QUERY__NODE__NODE_DROP_STMT: return BindDrop(*statement.drop_stmt);
    case PG_QUERY__NODE__NODE_INDEX_STMT: return BindCreateIndex(*statement.index_stmt);
    case PG_QUERY__NODE__NODE_VIEW_STMT: return BindCreateView(*statement.view_stmt);
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT: return BindTransaction(*statement.transaction_stmt);
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
      BoundStatement bound;
      bound.kind = StatementKind::kCreateSchema;
      bound.command_tag = "CREATE SCHEMA";
      bound.if_not_exists = statement.create_schema_stmt->if_not_exists;
      bound.objects.push_back({statement.create_schema_stmt->schemaname, ""});
      return bound;
    }
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
      BoundStatement bound;
      bound.kind = StatementKind::kTruncate;
      bound.command_tag = "TRUNCATE TABLE";
      for (size_t i = 0; i < statement.truncate_stmt->n_relations; ++i) {
        const PgQuery__RangeVar& range = *statement.truncate_stmt->relations[i]->range_var;
        PLEXUS_ASSIGN_OR_RETURN(std::string schema, LookupSchemaOf(*this, range));
        bound.objects.push_back({std::move(schema), range.relname});
      }
      return bound;
    }
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: return BindAlterTable(*statement.alter_table_stmt);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      if (statement.rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_ROLE) {
        return UtilityStatement("ALTER ROLE");
      }
      return BindRename(*statement.rename_stmt);
    // Run by the session from the parse tree (session/utility.cc); bound only to be prepared.
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT: return UtilityStatement("CREATE ROLE");
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT: return UtilityStatement("ALTER ROLE");
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT: return UtilityStatement("DROP ROLE");
    case PG_QUERY__NODE__NODE_LISTEN_STMT: return UtilityStatement("LISTEN");
    case PG_QUERY__NODE__NODE_UNLISTEN_STMT: return UtilityStatement("UNLISTEN");
    case PG_QUERY__NODE__NODE_NOTIFY_STMT: return UtilityStatement("NOTIFY");
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT: return BindCreateSequence(*statement.create_seq_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: return BindVariableSet(*statement.variable_set_stmt);
    case PG_QUERY__NODE__NODE_VARIABLE_SHOW_STMT: {
      BoundStatement bound;
      bound.kind = StatementKind::kShow;
      bound.command_tag = "SHOW";
      bound.name = statement.variable_show_stmt->name;
      for (char& c : bound.name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return bound;
    }
    case PG_QUERY__NODE__NODE_PREPARE_STMT: return BindPrepare(*statement.prepare_stmt);
    case PG_QUERY__NODE__NODE_EXECUTE_STMT: {
      BoundStatement bound;
      bound.kind = StatementKind::kExecute;
      bound.name = statement.execute_stmt->name;
      for (size_t i = 0; i < statement.execute_stmt->n_params; ++i) {
        bound.arguments.push_back(statement.execute_stmt->params[i]);
      }
      return bound;
    }
    case PG_QUERY__NODE__NODE_DEALLOCATE_STMT: {
      BoundStatement bound;
      bound.kind = StatementKind::kDeallocate;
      bound.command_tag = Present(statement.deallocate_stmt->name) ? "DEALLOCATE" : "DEALLOCATE ALL";
      bound.name = statement.deallocate_stmt->name;
      return bound;
    }
    case PG_QUERY__NODE__NODE_VACUUM_STMT: {
      BoundStatement bound;
      bound.kind = StatementKind::kNoOp;
      bound.command_tag = statement.vacuum_stmt->is_vacuumcmd ? "VACUUM" : "ANALYZE";
      // ANALYZE and VACUUM ANALYZE collect statistics (sql/stats/analyze.h): named "analyze",
      // the tables in `objects`, the statement (its column lists) in `prepared`.
      if (stats::VacuumAnalyzes(*statement.vacuum_stmt)) {
        bound.name = "analyze";
        bound.prepared = &statement;
        for (size_t i = 0; i < statement.vacuum_stmt->n_rels; ++i) {
          const PgQuery__Node* relation = statement.vacuum_stmt->rels[i];
          if (relation->node_case != PG_QUERY__NODE__NODE_VACUUM_RELATION ||
              relation->vacuum_relation->relation == nullptr) {
            continue;
          }
          PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table,
                                  FindTable(*relation->vacuum_relation->relation));
          bound.objects.push_back({table->schema, table->name});
        }
      }
      return bound;
    }
    default:
      return SqlError(kFeatureNotSupported, "this statement is not supported yet");
  }
}

}  // namespace plexus::sql
