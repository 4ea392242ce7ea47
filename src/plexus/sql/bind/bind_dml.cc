// Binding INSERT, UPDATE and DELETE into plans over the table's scan.
#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

namespace {

using Scope = Binder::Scope;

Scope TableScope(const catalog::TableDef& table, std::string_view alias) {
  Scope scope;
  for (const auto& column : table.columns) {
    scope.columns.push_back({std::string(alias), column.name, column.type});
  }
  return scope;
}

// A scan of `table` that also outputs each row's key, filtered by `where`.
Result<PlanPtr> ScanForModify(Binder::Impl& impl, catalog::TableDefPtr table, Scope& scope,
                              const PgQuery__Node* where) {
  auto scan = PlanNode::Make(PlanKind::kTableScan);
  scan->table = table;
  scan->row_keys = true;
  for (const auto& column : table->columns) {
    scan->types.push_back(column.type);
    scan->names.push_back(column.name);
  }
  scan->types.push_back(Type::Of(TypeId::kBytea));
  scan->names.push_back("?key?");
  PlanPtr plan = std::move(scan);
  if (where != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr predicate, impl.BindExpression(*where, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(predicate, impl.Coerce(std::move(predicate), Type::Of(TypeId::kBool), false));
    plan = MakeFilter(std::move(plan), std::move(predicate));
  }
  return plan;
}

std::string_view AliasOf(const PgQuery__RangeVar& range) {
  return range.alias && Present(range.alias->aliasname) ? std::string_view(range.alias->aliasname)
                                               : std::string_view(range.relname);
}

}  // namespace

Result<BoundStatement> Binder::Impl::BindInsert(const PgQuery__InsertStmt& insert) {
  if (insert.on_conflict_clause != nullptr || insert.n_returning_list > 0) {
    return SqlError(kFeatureNotSupported, "ON CONFLICT and RETURNING are not supported yet");
  }
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*insert.relation));
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
      targets.push_back(*column);
    }
  }
  PlanPtr source;
  if (insert.select_stmt == nullptr) {  // DEFAULT VALUES
    source = PlanNode::Make(PlanKind::kOneRow);
    targets.clear();
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
  for (size_t i = 0; i < targets.size(); ++i) {
    const catalog::ColumnDef& column = table->columns[targets[i]];
    Result<ExprPtr> cast = Coerce(Expr::Column(static_cast<uint32_t>(i), source->types[i]),
                                  column.type, /*explicit_cast=*/true);
    if (!cast.ok()) {
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
  plan->children.push_back(std::move(source));
  BoundStatement bound;
  bound.kind = StatementKind::kDml;
  bound.command_tag = "INSERT 0";
  bound.plan = std::move(plan);
  return bound;
}

Result<BoundStatement> Binder::Impl::BindUpdate(const PgQuery__UpdateStmt& update) {
  if (update.n_from_clause > 0 || update.n_returning_list > 0) {
    return SqlError(kFeatureNotSupported, "UPDATE ... FROM and RETURNING are not supported yet");
  }
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*update.relation));
  Scope scope = TableScope(*table, AliasOf(*update.relation));
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr source, ScanForModify(*this, table, scope, update.where_clause));
  auto plan = PlanNode::Make(PlanKind::kUpdate);
  plan->table = table;
  plan->expressions.resize(table->columns.size());
  for (size_t i = 0; i < update.n_target_list; ++i) {
    const PgQuery__ResTarget& target = *update.target_list[i]->res_target;
    auto column = table->FindColumn(target.name);
    if (!column) {
      return WithPosition(SqlError(kUndefinedColumn, "column \"" + std::string(target.name) +
                                                         "\" of relation \"" + table->name +
                                                         "\" does not exist"),
                          target.location);
    }
    if (plan->expressions[*column]) {
      return SqlError(kSyntaxError, "multiple assignments to same column \"" +
                                        std::string(target.name) + "\"");
    }
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, BindExpression(*target.val, scope, nullptr));
    const catalog::ColumnDef& definition = table->columns[*column];
    Result<ExprPtr> cast = Coerce(std::move(value), definition.type, /*explicit_cast=*/true);
    if (!cast.ok()) return cast.status();
    plan->expressions[*column] = std::move(*cast);
  }
  plan->children.push_back(std::move(source));
  BoundStatement bound;
  bound.kind = StatementKind::kDml;
  bound.command_tag = "UPDATE";
  bound.plan = std::move(plan);
  return bound;
}

Result<BoundStatement> Binder::Impl::BindDelete(const PgQuery__DeleteStmt& del) {
  if (del.n_using_clause > 0 || del.n_returning_list > 0) {
    return SqlError(kFeatureNotSupported, "DELETE ... USING and RETURNING are not supported yet");
  }
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, FindTable(*del.relation));
  Scope scope = TableScope(*table, AliasOf(*del.relation));
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr source, ScanForModify(*this, table, scope, del.where_clause));
  auto plan = PlanNode::Make(PlanKind::kDelete);
  plan->table = table;
  plan->children.push_back(std::move(source));
  BoundStatement bound;
  bound.kind = StatementKind::kDml;
  bound.command_tag = "DELETE";
  bound.plan = std::move(plan);
  return bound;
}

}  // namespace plexus::sql
