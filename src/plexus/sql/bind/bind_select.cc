// Binding SELECT: FROM items (tables, views, subqueries, joins), WHERE (its conjuncts pushed to
// the lowest join that has their columns), GROUP BY / aggregates / HAVING, the select list,
// DISTINCT, ORDER BY (by ordinal, output name or expression), LIMIT/OFFSET, UNION, VALUES.
#include <algorithm>
#include <functional>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

std::string_view AliasOr(const PgQuery__Alias* alias, std::string_view fallback) {
  return alias && Present(alias->aliasname) ? std::string_view(alias->aliasname) : fallback;
}

}  // namespace

namespace {

Result<FromItem> BindRangeVar(Impl& impl, const PgQuery__RangeVar& range) {
  FromItem item;
  std::string_view alias = AliasOr(range.alias, range.relname);
  if (!Present(range.schemaname)) {
    const int cte = impl.FindCte(range.relname);
    if (cte >= 0) return impl.BindCteReference(static_cast<size_t>(cte), alias, range.alias);
  }
  std::string schema = SchemaOf(range);
  auto view = impl.catalog().FindView(impl.transaction(), schema, range.relname);
  if (view.ok()) {
    PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse((*view)->query));
    if (tree.statement_count() != 1) return SqlError(kInternalError, "bad view definition");
    PLEXUS_ASSIGN_OR_RETURN(item.plan, impl.BindQuery(*tree.statement(0).stmt, nullptr, nullptr));
    for (size_t i = 0; i < item.plan->types.size(); ++i) {
      std::string name = i < (*view)->column_names.size() ? (*view)->column_names[i]
                                                          : item.plan->names[i];
      item.columns.push_back({std::string(alias), name, item.plan->types[i]});
    }
    return item;
  }
  if (!view.status().IsNotFound()) return view.status();
  PLEXUS_ASSIGN_OR_RETURN(catalog::TableDefPtr table, impl.FindTable(range));
  auto scan = PlanNode::Make(PlanKind::kTableScan);
  scan->table = table;
  for (const auto& column : table->columns) {
    scan->types.push_back(column.type);
    scan->names.push_back(column.name);
    item.columns.push_back({std::string(alias), column.name, column.type});
  }
  if (range.alias && range.alias->n_colnames > 0) {
    for (size_t i = 0; i < range.alias->n_colnames && i < item.columns.size(); ++i) {
      item.columns[i].name = StringValue(range.alias->colnames[i]);
    }
  }
  item.plan = std::move(scan);
  return item;
}

Result<FromItem> BindJoin(Impl& impl, const PgQuery__JoinExpr& join, Scope* outer) {
  if (join.jointype == PG_QUERY__JOIN_TYPE__JOIN_FULL) {
    return SqlError(kFeatureNotSupported, "FULL JOIN is not supported yet");
  }
  const bool right_join = join.jointype == PG_QUERY__JOIN_TYPE__JOIN_RIGHT;
  PLEXUS_ASSIGN_OR_RETURN(FromItem left, BindFromItem(impl, *join.larg, outer));
  PLEXUS_ASSIGN_OR_RETURN(FromItem right, BindFromItem(impl, *join.rarg, outer));
  // USING / NATURAL: the column pairs compared for equality.
  std::vector<std::string> using_names;
  for (size_t i = 0; i < join.n_using_clause; ++i) {
    using_names.emplace_back(StringValue(join.using_clause[i]));
  }
  if (join.is_natural) {
    for (const auto& column : left.columns) {
      for (const auto& other : right.columns) {
        if (column.name == other.name) using_names.push_back(column.name);
      }
    }
  }
  Scope scope;
  scope.outer = outer;
  scope.columns = left.columns;
  scope.columns.insert(scope.columns.end(), right.columns.begin(), right.columns.end());
  std::vector<ExprPtr> conditions;
  for (const std::string& name : using_names) {
    auto find = [&](const std::vector<Scope::Column>& columns, size_t offset) -> int {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == name) return static_cast<int>(offset + i);
      }
      return -1;
    };
    int left_index = find(left.columns, 0);
    int right_index = find(right.columns, left.columns.size());
    if (left_index < 0 || right_index < 0) {
      return SqlError(kUndefinedColumn, "column \"" + name +
                                            "\" specified in USING clause does not exist in " +
                                            (left_index < 0 ? "left" : "right") + " table");
    }
    // The merged column is the preserved side's copy; the other copy needs a qualifier.
    scope.columns[static_cast<size_t>(right_join ? left_index : right_index)].hidden = true;
    std::vector<ExprPtr> args;
    args.push_back(Expr::Column(static_cast<uint32_t>(left_index), scope.columns[left_index].type));
    args.push_back(Expr::Column(static_cast<uint32_t>(right_index), scope.columns[right_index].type));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr equal, impl.BindCall("=", std::move(args), true, -1));
    conditions.push_back(std::move(equal));
  }
  if (join.quals != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr on, impl.BindExpression(*join.quals, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(on, impl.Coerce(std::move(on), Type::Of(TypeId::kBool), false));
    conditions.push_back(std::move(on));
  }
  ExprPtr predicate = AndOf(std::move(conditions));
  FromItem item;
  item.columns = scope.columns;
  if (!right_join) {
    JoinType type = join.jointype == PG_QUERY__JOIN_TYPE__JOIN_LEFT ? JoinType::kLeft
                    : predicate ? JoinType::kInner : JoinType::kCross;
    item.plan = MakeJoin(std::move(left.plan), std::move(right.plan), type, std::move(predicate));
    return item;
  }
  // RIGHT JOIN runs as a LEFT join with the sides swapped, then puts the columns back in order.
  const size_t left_width = left.columns.size();
  const size_t right_width = right.columns.size();
  if (predicate) {
    // Column i of the original order sits at (i + right_width) % width after the swap.
    std::function<void(Expr&)> remap = [&](Expr& expr) {
      if (expr.kind == ExprKind::kColumn) {
        expr.column = expr.column < left_width ? static_cast<uint32_t>(expr.column + right_width)
                                               : static_cast<uint32_t>(expr.column - left_width);
      }
      for (ExprPtr& arg : expr.args) remap(*arg);
    };
    remap(*predicate);
  }
  PlanPtr swapped = MakeJoin(std::move(right.plan), std::move(left.plan), JoinType::kLeft,
                             std::move(predicate));
  std::vector<ExprPtr> reorder;
  std::vector<std::string> names;
  for (size_t i = 0; i < left_width + right_width; ++i) {
    size_t source = i < left_width ? i + right_width : i - left_width;
    reorder.push_back(Expr::Column(static_cast<uint32_t>(source), swapped->types[source]));
    names.push_back(swapped->names[source]);
  }
  item.plan = MakeProject(std::move(swapped), std::move(reorder), std::move(names));
  return item;
}

}  // namespace

Result<FromItem> BindFromItem(Impl& impl, const PgQuery__Node& node, Scope* outer) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: return BindRangeVar(impl, *node.range_var);
    case PG_QUERY__NODE__NODE_JOIN_EXPR: return BindJoin(impl, *node.join_expr, outer);
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
      const PgQuery__RangeSubselect& subselect = *node.range_subselect;
      FromItem item;
      PLEXUS_ASSIGN_OR_RETURN(item.plan, impl.BindQuery(*subselect.subquery, outer, nullptr));
      std::string_view alias = AliasOr(subselect.alias, "");
      for (size_t i = 0; i < item.plan->types.size(); ++i) {
        std::string name = subselect.alias && i < subselect.alias->n_colnames
                               ? std::string(StringValue(subselect.alias->colnames[i]))
                               : item.plan->names[i];
        item.columns.push_back({std::string(alias), name, item.plan->types[i]});
      }
      return item;
    }
    default:
      return SqlError(kFeatureNotSupported, "this kind of FROM item is not supported yet");
  }
}

}  // namespace plexus::sql
