// Names in expressions: column references resolved through the scopes (outer ones make a
// subquery correlated), and whole-row references as the JSON functions take them.
#include "plexus/sql/bind/binder_internal.h"

namespace plexus::sql {

namespace {

// Column `index` of `level`, `depth` scopes out from `scope` (an outer reference past 0).
ExprPtr ScopeColumn(Binder::Scope& scope, const Binder::Scope& level, uint32_t depth, size_t index) {
  const auto& column = level.columns[index];
  ExprPtr expr = Expr::Column(static_cast<uint32_t>(index), column.type, column.name);
  if (depth > 0) {
    expr->kind = ExprKind::kOuterColumn;
    expr->depth = depth;
    Binder::Scope* inner = &scope;
    for (uint32_t d = 0; d < depth; ++d, inner = inner->outer) inner->referenced_outer = true;
  }
  return expr;
}

// The innermost scope with a FROM item named `table`, and its depth; null when there is none.
Binder::Scope* FindWholeRow(Binder::Scope& scope, std::string_view table, uint32_t* depth_out) {
  uint32_t depth = 0;
  for (Binder::Scope* level = &scope; level != nullptr; level = level->outer, ++depth) {
    for (const auto& column : level->columns) {
      if (!column.table.empty() && column.table == table) {
        if (depth_out != nullptr) *depth_out = depth;
        return level;
      }
    }
  }
  return nullptr;
}

}  // namespace

// Resolves a column reference through the scopes, innermost first.
Result<ExprPtr> ResolveColumn(const PgQuery__ColumnRef& ref, Binder::Scope& scope) {
  std::string_view qualifier;
  std::string_view name;
  if (ref.n_fields == 1) {
    name = StringValue(ref.fields[0]);
  } else if (ref.n_fields == 2) {
    qualifier = StringValue(ref.fields[0]);
    name = StringValue(ref.fields[1]);
  } else {
    return WithPosition(SqlError(kFeatureNotSupported, "cross-database and schema-qualified "
                                                       "column references are not supported yet"),
                        ref.location);
  }
  bool table_seen = qualifier.empty();
  uint32_t depth = 0;
  for (Binder::Scope* level = &scope; level != nullptr; level = level->outer, ++depth) {
    int found = -1;
    for (size_t i = 0; i < level->columns.size(); ++i) {
      const auto& column = level->columns[i];
      if (!qualifier.empty() && column.table == qualifier) table_seen = true;
      if (column.name != name || (!qualifier.empty() && column.table != qualifier)) continue;
      if (column.hidden && qualifier.empty()) continue;
      if (found >= 0) {
        return WithPosition(SqlError(kAmbiguousColumn, "column reference \"" + std::string(name) +
                                                           "\" is ambiguous"),
                            ref.location);
      }
      found = static_cast<int>(i);
    }
    if (found < 0) continue;
    return ScopeColumn(scope, *level, depth, static_cast<size_t>(found));
  }
  if (qualifier.empty() && FindWholeRow(scope, name, nullptr) != nullptr) {
    return WithPosition(
        SqlError(kFeatureNotSupported,
                 "whole-row reference \"" + std::string(name) +
                     "\" is not supported yet (only as the argument of to_jsonb, to_json, "
                     "row_to_json, jsonb_agg and json_agg)"),
        ref.location);
  }
  if (!table_seen) {
    return WithPosition(SqlError(kUndefinedTable, "missing FROM-clause entry for table \"" +
                                                      std::string(qualifier) + "\""),
                        ref.location);
  }
  std::string shown = qualifier.empty() ? std::string(name)
                                        : std::string(qualifier) + "." + std::string(name);
  return WithPosition(SqlError(kUndefinedColumn, "column " + (qualifier.empty() ? "\"" + shown + "\""
                                                                                : shown) +
                                                     " does not exist"),
                      ref.location);
}

// A whole-row reference, `t` (when no column is called so) or `t.*`, as the jsonb object of the
// FROM item's columns: what to_jsonb(t), row_to_json(t) and jsonb_agg(t) make of the row (keys
// in jsonb's order; PostgreSQL's json keeps the columns' order). Null when `node` is not one.
Result<ExprPtr> WholeRowAsJsonb(Binder::Impl& impl, const PgQuery__Node& node,
                                Binder::Scope& scope) {
  if (node.node_case != PG_QUERY__NODE__NODE_COLUMN_REF) return ExprPtr();
  const PgQuery__ColumnRef& ref = *node.column_ref;
  const bool star = ref.n_fields == 2 && ref.fields[1]->node_case == PG_QUERY__NODE__NODE_A_STAR;
  if (ref.n_fields != 1 && !star) return ExprPtr();
  if (ref.fields[0]->node_case != PG_QUERY__NODE__NODE_STRING) return ExprPtr();
  const std::string_view table = StringValue(ref.fields[0]);
  if (!star && ResolveColumn(ref, scope).ok()) return ExprPtr();  // a column of that name wins
  uint32_t depth = 0;
  Binder::Scope* level = FindWholeRow(scope, table, &depth);
  if (level == nullptr) return ExprPtr();
  std::vector<ExprPtr> args;
  for (size_t i = 0; i < level->columns.size(); ++i) {
    const auto& column = level->columns[i];
    if (column.table != table || column.hidden) continue;
    args.push_back(Expr::Constant(Value::Text(column.name)));
    args.push_back(ScopeColumn(scope, *level, depth, i));
  }
  return impl.BindCall("jsonb_build_object", std::move(args), /*is_operator=*/false, ref.location);
}

// Whether the function or aggregate `name` takes a whole row as its jsonb object.
bool TakesWholeRow(std::string_view name) {
  return name == "to_jsonb" || name == "to_json" || name == "row_to_json" ||
         name == "jsonb_agg" || name == "json_agg";
}

}  // namespace plexus::sql
