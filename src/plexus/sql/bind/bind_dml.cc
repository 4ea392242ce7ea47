// Binding INSERT (ON CONFLICT, RETURNING), UPDATE (FROM, RETURNING) and DELETE (USING,
// RETURNING) into plans over the table's scan.
#include <algorithm>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/plan/plan_builders.h"
#include "plexus/sql/stats/cost.h"
#include "plexus/sql/stats/estimate.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

void AddTableColumns(const catalog::TableDef& table, std::string_view alias, Scope* scope) {
  for (const auto& column : table.columns) {
    scope->columns.push_back({std::string(alias), column.name, column.type});
  }
}

std::string_view AliasOf(const PgQuery__RangeVar& range) {
  return range.alias && Present(range.alias->aliasname) ? std::string_view(range.alias->aliasname)
                                                        : std::string_view(range.relname);
}

// Whether `scan` reads at most one row: by the whole primary key or a whole unique index key.
bool ReadsOneRow(const PlanNode& scan) {
  if (scan.key_lower || scan.key_upper) return false;
  const catalog::TableDef& table = *scan.table;
  if (scan.index < 0) return !table.primary_key.empty() && scan.key_prefix.size() == table.primary_key.size();
  const catalog::IndexDef& index = table.indexes[static_cast<size_t>(scan.index)];
  return index.unique && scan.key_prefix.size() == index.columns.size();
}

// The row locks of UPDATE/DELETE over `plan` (RowsToModify's rows, from `scan`). A scan of one
// row locks it as it reads it. Otherwise the rows are read at the statement's snapshot and only
// those that qualify are locked, by kLockRows over the conditions and joins (PostgreSQL's way:
// other sessions may lock and change the table's other rows meanwhile); a row changed since
// the snapshot is judged again as it is now by `where`, bound again over `scope` (the plan's
// own copy has given its subqueries to joins).
Result<PlanPtr> LockRowsToModify(Impl& impl, PlanPtr plan, PlanNode* scan,
                                 const PgQuery__Node* where, Scope& scope, bool joined) {
  if (!joined && ReadsOneRow(*scan)) {
    scan->lock_rows = true;
    return plan;
  }
  const uint32_t key_column = static_cast<uint32_t>(scan->table->columns.size());
  plan = WrapPlan(PlanKind::kLockRows, std::move(plan));
  plan->table = scan->table;
  if (where != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr recheck, impl.BindExpression(*where, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(plan->predicate,
                            impl.Coerce(std::move(recheck), Type::Of(TypeId::kBool), false));
  }
  plan->set_all = joined;
  RowLockTarget& target = plan->lock_targets.emplace_back();
  target.key_column = key_column;
  target.row_column = key_column + 1;
  target.relation = scan->table->name;
  return plan;
}

// The rows UPDATE or DELETE change, locked: the table's columns, each row's storage key and
// stored bytes, then the columns of `from` (UPDATE ... FROM, DELETE ... USING), where `where`
// holds. Fills `scope`.
Result<PlanPtr> RowsToModify(Impl& impl, catalog::TableDefPtr table, std::string_view alias,
                             PgQuery__Node* const* from, size_t from_count,
                             const PgQuery__Node* where, Scope& scope) {
  auto scan = PlanNode::Make(PlanKind::kTableScan);
  PlanNode* const table_scan = scan.get();
  scan->table = table;
  scan->row_keys = true;
  scan->row_values = true;
  AddTableColumns(*table, alias, &scope);
  for (const auto& column : table->columns) {
    scan->types.push_back(column.type);
    scan->names.push_back(column.name);
  }
  for (const char* name : {"?key?", "?row?"}) {
    scan->types.push_back(Type::Of(TypeId::kBytea));
    scan->names.push_back(name);
    scope.columns.push_back({"", name, Type::Of(TypeId::kBytea), /*hidden=*/true});
  }
  PlanPtr plan = std::move(scan);
  if (from_count > 0) {
    // The other tables, joined among themselves as a SELECT's FROM would be.
    PgQuery__SelectStmt others = PG_QUERY__SELECT_STMT__INIT;
    others.n_from_clause = from_count;
    others.from_clause = const_cast<PgQuery__Node**>(from);
    Scope other_scope;
    PLEXUS_ASSIGN_OR_RETURN(PlanPtr joined, BindFromWhere(impl, others, other_scope));
    for (const auto& column : other_scope.columns) {
      if (column.table == alias) {
        return SqlError(kDuplicateAlias,
                        "table name \"" + std::string(alias) + "\" specified more than once");
      }
      scope.columns.push_back(column);
    }
    plan = MakeJoin(std::move(plan), std::move(joined), JoinType::kCross, nullptr);
  }
  if (where != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr predicate, impl.BindExpression(*where, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(predicate,
                            impl.Coerce(std::move(predicate), Type::Of(TypeId::kBool), false));
    if (plan->kind == PlanKind::kJoin) {
      plan->predicate = std::move(predicate);
      plan->join_type = JoinType::kInner;
    } else {
      // EXISTS / NOT EXISTS / IN conjuncts may become semi/anti joins over the filtered rows.
      std::vector<ExprPtr> conjuncts;
      std::vector<ExprPtr> sublinks;
      SplitSublinkConjuncts(std::move(predicate), &conjuncts, &sublinks);
      if (ExprPtr own = AndOf(std::move(conjuncts))) {
        plan = MakeFilter(std::move(plan), std::move(own));
        // UPDATE/DELETE ... WHERE key = ...: read only those rows, the path chosen as a
        // SELECT's (by cost when the table has statistics).
        PLEXUS_RETURN_IF_ERROR(stats::EnsureLoaded(impl.catalog(), impl.transaction()));
        const stats::Estimator estimator(impl.catalog().instance());
        ChooseAccessPath(*plan, &estimator);
      }
      plan = PullUpSublinks(std::move(plan), &sublinks);
      if (ExprPtr rest = AndOf(std::move(sublinks))) plan = MakeFilter(std::move(plan), std::move(rest));
    }
  }
  return LockRowsToModify(impl, std::move(plan), table_scan, where, scope, from_count > 0);
}

// RETURNING: expressions over the table's columns; the node outputs their values.
Status BindReturning(Impl& impl, const catalog::TableDef& table, std::string_view alias,
                     PgQuery__Node* const* list, size_t count, PlanNode* plan) {
  if (count == 0) return Status::Ok();
  Scope scope;
  AddTableColumns(table, alias, &scope);
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  PLEXUS_RETURN_IF_ERROR(BindTargetList(impl, list, count, scope, nullptr, &exprs, &names));
  for (ExprPtr& expr : exprs) {
    if (expr->type.id == TypeId::kUnknown) {
      PLEXUS_ASSIGN_OR_RETURN(expr, impl.Coerce(std::move(expr), Type::Of(TypeId::kText), false));
    }
    plan->types.push_back(expr->type);
  }
  plan->names = std::move(names);
  plan->returning = std::move(exprs);
  return Status::Ok();
}

// The table's CHECK constraints over its columns, each named by its constraint.
Status BindChecks(Impl& impl, const catalog::TableDef& table, PlanNode* plan) {
  Scope scope;
  AddTableColumns(table, table.name, &scope);
  for (const catalog::CheckDef& check : table.checks) {
    PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse("SELECT " + check.expression));
    const PgQuery__SelectStmt& select = *tree.statement(0).stmt->select_stmt;
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr expr, impl.BindExpression(*select.target_list[0]->res_target->val,
                                                              scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(expr, impl.Coerce(std::move(expr), Type::Of(TypeId::kBool), false));
    expr->name = check.name;
    plan->checks.push_back(std::move(expr));
  }
  return Status::Ok();
}

// INSERT ... VALUES without ORDER BY/LIMIT/WITH: its rows are bound against the target columns.
bool IsPlainValues(const PgQuery__Node& node) {
  if (node.node_case != PG_QUERY__NODE__NODE_SELECT_STMT) return false;
  const PgQuery__SelectStmt& select = *node.select_stmt;
  return select.n_values_lists > 0 && select.op == PG_QUERY__SET_OPERATION__SETOP_NONE &&
         select.with_clause == nullptr && select.n_sort_clause == 0 &&
         select.limit_count == nullptr && select.limit_offset == nullptr;
}

// A value for a GENERATED ALWAYS identity column is an error unless OVERRIDING SYSTEM VALUE.
Status CheckIdentityOverride(const catalog::ColumnDef& column, const PgQuery__InsertStmt& insert) {
  if (column.identity != 'a' || insert.override == PG_QUERY__OVERRIDING_KIND__OVERRIDING_SYSTEM_VALUE) {
    return Status::Ok();
  }
  Status status = SqlError(kGeneratedAlways, "cannot insert a non-DEFAULT value into column \"" +
                                                 column.name + "\"");
  status.SetDetail("Column \"" + column.name + "\" is an identity column defined as GENERATED ALWAYS.");
  status.SetHint("Use OVERRIDING SYSTEM VALUE to override.");
  return status;
}

// The rows of INSERT ... VALUES as PostgreSQL binds them: each value is converted to its target
// column's type on its own (so untyped literals and parameters take the column's type), and
// DEFAULT stands for the column's default.
Result<PlanPtr> BindInsertValues(Impl& impl, const PgQuery__InsertStmt& insert,
                                 const catalog::TableDef& table, std::vector<uint32_t>* targets) {
  const PgQuery__SelectStmt& select = *insert.select_stmt->select_stmt;
  const bool explicit_columns = insert.n_cols > 0;
  auto values = PlanNode::Make(PlanKind::kValues);
  const size_t width = select.values_lists[0]->list->n_items;
  if (width > targets->size()) {
    return SqlError(kSyntaxError, "INSERT has more expressions than target columns");
  }
  if (width < targets->size() && explicit_columns) {
    return SqlError(kSyntaxError, "INSERT has more target columns than expressions");
  }
  targets->resize(width);
  for (size_t r = 0; r < select.n_values_lists; ++r) {
    const PgQuery__List& list = *select.values_lists[r]->list;
    if (list.n_items != width) return SqlError(kSyntaxError, "VALUES lists must all be the same length");
    std::vector<ExprPtr> row;
    for (size_t c = 0; c < width; ++c) {
      const catalog::ColumnDef& column = table.columns[(*targets)[c]];
      if (list.items[c]->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
        PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, impl.BindColumnDefault(column));
        row.push_back(std::move(value));
        continue;
      }
      PLEXUS_RETURN_IF_ERROR(CheckIdentityOverride(column, insert));
      Scope scope;
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, impl.BindExpression(*list.items[c], scope, nullptr));
      const Type from = value->type;
      Result<ExprPtr> cast = impl.CoerceForAssignment(std::move(value), column.type);
      if (!cast.ok()) {
        if (cast.status().sql_state() != kDatatypeMismatch.code) return cast.status();
        return SqlError(kDatatypeMismatch, "column \"" + column.name + "\" is of type " +
                                               catalog::FormatType(column.type) +
                                               " but expression is of type " +
                                               catalog::FormatType(from));
      }
      row.push_back(std::move(*cast));
    }
    values->rows.push_back(std::move(row));
  }
  for (size_t c = 0; c < width; ++c) {
    values->types.push_back(table.columns[(*targets)[c]].type);
    values->names.push_back("column" + std::to_string(c + 1));
  }
  return PlanPtr(std::move(values));
}

// The expression SET assigns to `target`'s column: its value, or with SET (a, b) = (x, y) the
// row's field for it; null for SET (a, b) = (SELECT ...), whose columns BindSubqueryColumn binds.
Result<const PgQuery__Node*> AssignedValue(const PgQuery__ResTarget& target) {
  if (target.val->node_case != PG_QUERY__NODE__NODE_MULTI_ASSIGN_REF) return target.val;
  const PgQuery__MultiAssignRef& ref = *target.val->multi_assign_ref;
  const PgQuery__Node& source = *ref.source;
  if (source.node_case == PG_QUERY__NODE__NODE_SUB_LINK) return nullptr;
  if (source.node_case != PG_QUERY__NODE__NODE_ROW_EXPR ||
      source.row_expr->n_args != static_cast<size_t>(ref.ncolumns)) {
    return WithPosition(SqlError(kSyntaxError, "number of columns does not match number of values"),
                        target.location);
  }
  return source.row_expr->args[ref.colno - 1];
}

// Column `colno` of SET (a, b, ...) = (SELECT ...): a scalar subquery of that column (the
// subquery runs once per assigned column; no row is NULLs, more than one an error, as in
// PostgreSQL).
Result<ExprPtr> BindSubqueryColumn(Impl& impl, const PgQuery__ResTarget& target, Scope& scope) {
  const PgQuery__MultiAssignRef& ref = *target.val->multi_assign_ref;
  const PgQuery__SubLink& link = *ref.source->sub_link;
  bool correlated = false;
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr plan, impl.BindQuery(*link.subselect, &scope, &correlated));
  if (plan->types.size() != static_cast<size_t>(ref.ncolumns)) {
    return WithPosition(SqlError(kSyntaxError, "number of columns does not match number of values"),
                        target.location);
  }
  const uint32_t field = static_cast<uint32_t>(ref.colno - 1);
  Type type = plan->types[field];
  if (type.id == TypeId::kUnknown) type = Type::Of(TypeId::kText);
  std::vector<ExprPtr> column;
  column.push_back(Expr::Column(field, plan->types[field], plan->names[field]));
  std::vector<std::string> names{plan->names[field]};
  auto expr = std::make_unique<Expr>();
  expr->kind = ExprKind::kSubquery;
  expr->subquery_kind = SubqueryKind::kScalar;
  expr->correlated = correlated;
  expr->type = type;
  expr->subquery = std::shared_ptr<const PlanNode>(
      MakeProject(std::move(plan), std::move(column), std::move(names)));
  return ExprPtr(std::move(expr));
}

// SET column = value, ...: the cast value per assigned column (null for the others).
Status BindAssignments(Impl& impl, const catalog::TableDef& table, PgQuery__Node* const* list,
                       size_t count, Scope& scope, std::vector<ExprPtr>* values) {
  values->resize(table.columns.size());
  for (size_t i = 0; i < count; ++i) {
    const PgQuery__ResTarget& target = *list[i]->res_target;
    auto column = table.FindColumn(target.name);
    if (!column) {
      return WithPosition(SqlError(kUndefinedColumn, "column \"" + std::string(target.name) +
                                                         "\" of relation \"" + table.name +
                                                         "\" does not exist"),
                          target.location);
    }
    if ((*values)[*column]) {
      return WithPosition(SqlError(kSyntaxError, "multiple assignments to same column \"" +
                                                     std::string(target.name) + "\""),
                          target.location);
    }
    const catalog::ColumnDef& definition = table.columns[*column];
    PLEXUS_ASSIGN_OR_RETURN(const PgQuery__Node* source, AssignedValue(target));
    ExprPtr value;
    if (source == nullptr) {  // a column of SET (a, b) = (SELECT ...)
      PLEXUS_ASSIGN_OR_RETURN(value, BindSubqueryColumn(impl, target, scope));
    } else if (source->node_case == PG_QUERY__NODE__NODE_SET_TO_DEFAULT) {
      PLEXUS_ASSIGN_OR_RETURN(value, impl.BindColumnDefault(definition));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(value, impl.BindExpression(*source, scope, nullptr));
    }
    Result<ExprPtr> cast = impl.CoerceForAssignment(std::move(value), definition.type);
    if (!cast.ok()) {
      if (cast.status().sql_state() != kDatatypeMismatch.code) return cast.status();
      return WithPosition(SqlError(kDatatypeMismatch, "column \"" + definition.name +
                                                          "\" is of type " +
                                                          catalog::FormatType(definition.type) +
                                                          " but expression is of another type"),
                          target.location);
    }
    (*values)[*column] = std::move(*cast);
  }
  return Status::Ok();
}

// ON CONFLICT (columns) / ON CONSTRAINT name: the primary key or unique index it names.
Result<int32_t> ConflictKey(const catalog::TableDef& table, const PgQuery__InferClause* infer) {
  if (infer == nullptr) return kConflictAnyKey;
  auto no_match = [&]() {
    return WithPosition(SqlError(kInvalidColumnReference,
                                 "there is no unique or exclusion constraint matching the ON "
                                 "CONFLICT specification"),
                        infer->location);
  };
  if (Present(infer->conname)) {
    if (table.primary_key_name == infer->conname && !table.primary_key.empty()) {
      return kConflictPrimaryKey;
    }
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      if (table.indexes[i].unique && table.indexes[i].name == infer->conname) {
        return static_cast<int32_t>(i);
      }
    }
    return WithPosition(SqlError(kUndefinedObject, "constraint \"" + std::string(infer->conname) +
                                                       "\" for table \"" + table.name +
                                                       "\" does not exist"),
                        infer->location);
  }
  std::vector<uint32_t> columns;
  for (size_t i = 0; i < infer->n_index_elems; ++i) {
    const PgQuery__IndexElem* element = infer->index_elems[i]->index_elem;
    if (element == nullptr || !Present(element->name)) return no_match();
    auto column = table.FindColumn(element->name);
    if (!column) {
      return WithPosition(SqlError(kUndefinedColumn, "column \"" + std::string(element->name) +
                                                         "\" does not exist"),
                          infer->location);
    }
    columns.push_back(*column);
  }
  std::sort(columns.begin(), columns.end());
  auto same_set = [&](std::vector<uint32_t> key) {
    std::sort(key.begin(), key.end());
    return key == columns;
  };
  if (!table.primary_key.empty() && same_set(table.primary_key)) return kConflictPrimaryKey;
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    if (table.indexes[i].unique && same_set(table.indexes[i].columns)) return static_cast<int32_t>(i);
  }
  return no_match();
}

Status BindOnConflict(Impl& impl, const catalog::TableDef& table, std::string_view alias,
                      const PgQuery__OnConflictClause& clause, PlanNode* plan) {
  PLEXUS_ASSIGN_OR_RETURN(plan->conflict_key, ConflictKey(table, clause.infer));
  if (clause.action == PG_QUERY__ON_CONFLICT_ACTION__ONCONFLICT_NOTHING) {
    plan->conflict_action = ConflictAction::kNothing;
    return Status::Ok();
  }
  if (clause.infer == nullptr) {
    Status status = SqlError(kSyntaxError, "ON CONFLICT DO UPDATE requires inference "
                                           "specification or constraint name");
    status.SetHint("For example, ON CONFLICT (column_name).");
    return WithPosition(std::move(status), clause.location);
  }
  plan->conflict_action = ConflictAction::kUpdate;
  Scope scope;
  AddTableColumns(table, alias, &scope);
  AddTableColumns(table, "excluded", &scope);
  PLEXUS_RETURN_IF_ERROR(BindAssignments(impl, table, clause.target_list, clause.n_target_list,
                                         scope, &plan->expressions));
  if (clause.where_clause != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(plan->predicate, impl.BindExpression(*clause.where_clause, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(plan->predicate, impl.Coerce(std::move(plan->predicate),
                                                         Type::Of(TypeId::kBool), false));
  }
  return Status::Ok();
}

// Makes a WITH clause's CTEs visible for the rest of a DML statement's binding.
class WithScope {
 public:
  WithScope(Impl& impl) : impl_(impl) {}
  ~WithScope() {
    if (size_) impl_.PopWith(*size_);
  }
  Status Push(const PgQuery__WithClause* with) {
    if (with == nullptr) return Status::Ok();
    PLEXUS_ASSIGN_OR_RETURN(size_t size, impl_.PushWith(*with));
    size_ = size;
    return Status::Ok();
  }

 private:
  Impl& impl_;
  std::optional<size_t> size_;
};

BoundStatement DmlStatement(PlanPtr plan, std::string tag) {
  BoundStatement bound;
  bound.kind = StatementKind::kDml;
  bound.command_tag = std::move(tag);
  bound.plan = std::move(plan);
  return bound;
}

}  // namespace

Result<BoundStatement> Binder::Impl::BindInsert(const PgQuery__InsertStmt& insert) {
  WithScope with(*this);
  PLEXUS_RETURN_IF_ERROR(with.Push(insert.with_clause));
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*insert.relation));
  const std::string_view alias = AliasOf(*insert.relation);
  // The target columns, in the order the source provides them.
  std::vector<uint32_t> targets;
  if (insert.n_cols == 0) {
    for (uint32_t i = 0; i < table->columns.size(); ++i) targets.push_back(i);
  } else {
    for (size_t i = 0; i < insert.n_cols; ++i) {
      const char* name = insert.cols[i]->res_target->name;
      auto column = table->FindColumn(name);
      if (!column) {
        return WithPosition(SqlError(kUndefinedColumn, "column \"" + std::string(name) +
                                                           "\" of relation \"" + table->name +
                                                           "\" does not exist"),
                            insert.cols[i]->res_target->location);
      }
      if (std::find(targets.begin(), targets.end(), *column) != targets.end()) {
        return WithPosition(SqlError(kDuplicateColumn, "column \"" + std::string(name) +
                                                           "\" specified more than once"),
                            insert.cols[i]->res_target->location);
      }
      targets.push_back(*column);
    }
  }
  PlanPtr source;
  const bool plain_values = insert.select_stmt != nullptr && IsPlainValues(*insert.select_stmt);
  if (insert.select_stmt == nullptr) {  // DEFAULT VALUES
    source = PlanNode::Make(PlanKind::kOneRow);
    targets.clear();
  } else if (plain_values) {
    PLEXUS_ASSIGN_OR_RETURN(source, BindInsertValues(*this, insert, *table, &targets));
  } else {
    PLEXUS_ASSIGN_OR_RETURN(source, BindQuery(*insert.select_stmt, nullptr, nullptr));
    if (source->types.size() > targets.size()) {
      return SqlError(kSyntaxError, "INSERT has more expressions than target columns");
    }
    if (source->types.size() < targets.size() && insert.n_cols > 0) {
      return SqlError(kSyntaxError, "INSERT has more target columns than expressions");
    }
    targets.resize(source->types.size());
  }
  // Cast the source columns to the target columns' types (assignment casts).
  std::vector<ExprPtr> casts;
  std::vector<std::string> names;
  for (size_t i = 0; i < targets.size() && !plain_values; ++i) {
    const catalog::ColumnDef& column = table->columns[targets[i]];
    PLEXUS_RETURN_IF_ERROR(CheckIdentityOverride(column, insert));
    Result<ExprPtr> cast = CoerceForAssignment(
        Expr::Column(static_cast<uint32_t>(i), source->types[i]), column.type);
    if (!cast.ok()) {
      if (cast.status().sql_state() != kDatatypeMismatch.code) return cast.status();
      return SqlError(kDatatypeMismatch, "column \"" + column.name + "\" is of type " +
                                             catalog::FormatType(column.type) +
                                             " but expression is of type " +
                                             catalog::FormatType(source->types[i]));
    }
    casts.push_back(std::move(*cast));
    names.push_back(column.name);
  }
  if (!casts.empty()) source = MakeProject(std::move(source), std::move(casts), std::move(names));

  auto plan = PlanNode::Make(PlanKind::kInsert);
  plan->table = table;
  plan->column_map.assign(table->columns.size(), -1);
  for (size_t i = 0; i < targets.size(); ++i) plan->column_map[targets[i]] = static_cast<int32_t>(i);
  for (size_t c = 0; c < table->columns.size(); ++c) {
    if (plan->column_map[c] >= 0 || table->columns[c].default_expression.empty()) {
      plan->defaults.push_back(nullptr);
      continue;
    }
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, BindColumnDefault(table->columns[c]));
    plan->defaults.push_back(std::move(value));
  }
  if (insert.on_conflict_clause != nullptr) {
    PLEXUS_RETURN_IF_ERROR(BindOnConflict(*this, *table, alias, *insert.on_conflict_clause, plan.get()));
  }
  PLEXUS_RETURN_IF_ERROR(
      BindReturning(*this, *table, alias, insert.returning_list, insert.n_returning_list, plan.get()));
  PLEXUS_RETURN_IF_ERROR(BindChecks(*this, *table, plan.get()));
  plan->children.push_back(std::move(source));
  return DmlStatement(std::move(plan), "INSERT 0");
}

Result<PlanPtr> BindTableRewrite(Impl& impl, catalog::TableDefPtr from, catalog::TableDefPtr to,
                                 const std::vector<int32_t>& source,
                                 const std::vector<const PgQuery__Node*>& using_expressions) {
  Scope scope;  // `from`'s columns, for USING expressions
  AddTableColumns(*from, from->name, &scope);
  auto scan = PlanNode::Make(PlanKind::kTableScan);
  scan->table = from;
  for (const auto& column : from->columns) {
    scan->types.push_back(column.type);
    scan->names.push_back(column.name);
  }
  std::vector<ExprPtr> values;
  std::vector<std::string> names;
  for (size_t j = 0; j < to->columns.size(); ++j) {
    const catalog::ColumnDef& column = to->columns[j];
    ExprPtr value;
    if (using_expressions[j] != nullptr) {
      PLEXUS_ASSIGN_OR_RETURN(value, impl.BindExpression(*using_expressions[j], scope, nullptr));
      if (!IsAssignmentCast(value->type, column.type)) {
        Status status = SqlError(kDatatypeMismatch, "result of USING clause for column \"" +
                                                        column.name +
                                                        "\" cannot be cast automatically to type " +
                                                        catalog::FormatType(column.type));
        status.SetHint("You might need to add an explicit cast.");
        return status;
      }
      PLEXUS_ASSIGN_OR_RETURN(value, impl.CoerceForAssignment(std::move(value), column.type));
    } else if (source[j] >= 0) {
      PLEXUS_ASSIGN_OR_RETURN(
          value, impl.CoerceForAssignment(Expr::Column(static_cast<uint32_t>(source[j]),
                                                       from->columns[source[j]].type),
                                          column.type));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(value, impl.BindColumnDefault(column));
    }
    values.push_back(std::move(value));
    names.push_back(column.name);
  }
  auto plan = PlanNode::Make(PlanKind::kInsert);
  plan->table = to;
  plan->column_map.resize(to->columns.size());
  for (size_t j = 0; j < to->columns.size(); ++j) {
    plan->column_map[j] = static_cast<int32_t>(j);
    plan->defaults.push_back(nullptr);
  }
  PLEXUS_RETURN_IF_ERROR(BindChecks(impl, *to, plan.get()));
  plan->children.push_back(MakeProject(std::move(scan), std::move(values), std::move(names)));
  return PlanPtr(std::move(plan));
}

Result<BoundStatement> Binder::Impl::BindUpdate(const PgQuery__UpdateStmt& update) {
  WithScope with(*this);
  PLEXUS_RETURN_IF_ERROR(with.Push(update.with_clause));
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*update.relation));
  const std::string_view alias = AliasOf(*update.relation);
  Scope scope;
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr source,
                          RowsToModify(*this, table, alias, update.from_clause,
                                       update.n_from_clause, update.where_clause, scope));
  auto plan = PlanNode::Make(PlanKind::kUpdate);
  plan->table = table;
  plan->row_key_column = static_cast<int32_t>(table->columns.size());
  PLEXUS_RETURN_IF_ERROR(BindAssignments(*this, *table, update.target_list, update.n_target_list,
                                         scope, &plan->expressions));
  PLEXUS_RETURN_IF_ERROR(
      BindReturning(*this, *table, alias, update.returning_list, update.n_returning_list, plan.get()));
  PLEXUS_RETURN_IF_ERROR(BindChecks(*this, *table, plan.get()));
  plan->children.push_back(std::move(source));
  return DmlStatement(std::move(plan), "UPDATE");
}

Result<BoundStatement> Binder::Impl::BindDelete(const PgQuery__DeleteStmt& del) {
  WithScope with(*this);
  PLEXUS_RETURN_IF_ERROR(with.Push(del.with_clause));
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*del.relation));
  const std::string_view alias = AliasOf(*del.relation);
  Scope scope;
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr source,
                          RowsToModify(*this, table, alias, del.using_clause, del.n_using_clause,
                                       del.where_clause, scope));
  auto plan = PlanNode::Make(PlanKind::kDelete);
  plan->table = table;
  plan->row_key_column = static_cast<int32_t>(table->columns.size());
  PLEXUS_RETURN_IF_ERROR(
      BindReturning(*this, *table, alias, del.returning_list, del.n_returning_list, plan.get()));
  plan->children.push_back(std::move(source));
  return DmlStatement(std::move(plan), "DELETE");
}

}  // namespace plexus::sql
