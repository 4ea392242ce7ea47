// Binding SELECT: FROM items (tables, views, subqueries, joins), WHERE (its conjuncts pushed to
// the lowest join that has their columns), GROUP BY / aggregates / HAVING, the select list,
// DISTINCT, ORDER BY (by ordinal, output name or expression), LIMIT/OFFSET, UNION, VALUES.
#include <algorithm>
#include <functional>

#include "plexus/sql/bind/bind_system.h"
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

// A view's plan under a projection whose `table` names the view (schema, name, owner and ACL;
// no id): privilege checks ask for SELECT on the view and read its tables as the view's owner
// (bind_privileges.cc), and result columns name the view (session/result_columns.cc).
PlanPtr MarkView(PlanPtr plan, const catalog::ViewDef& view) {
  auto marker = std::make_shared<catalog::TableDef>();
  marker->schema = view.schema;
  marker->name = view.name;
  marker->privileges = view.privileges;
  if (plan->kind != PlanKind::kProject || plan->table) {
    std::vector<ExprPtr> columns;
    for (size_t i = 0; i < plan->types.size(); ++i) {
      columns.push_back(Expr::Column(static_cast<uint32_t>(i), plan->types[i]));
    }
    std::vector<std::string> names = plan->names;
    plan = MakeProject(std::move(plan), std::move(columns), std::move(names));
  }
  plan->table = std::move(marker);
  return plan;
}

// A view, subquery or WITH query in the FROM clause of a SELECT ... FOR UPDATE/SHARE that
// names it (or names no table): the scans of the tables it reads lock every row they read, and
// read it as it is now (as UPDATE's do), unless a locking clause of its own locks them.
void LockRowsOfFromItem(Impl& impl, std::string_view alias, PlanNode* plan) {
  const Impl::RowLockState* row_locks = impl.row_locks();
  if (row_locks == nullptr) return;
  const std::optional<RowLocking> locking = LockingOf(*row_locks->select, alias);
  if (!locking) return;
  std::vector<PlanNode*> pending{plan};
  while (!pending.empty()) {
    PlanNode* node = pending.back();
    pending.pop_back();
    if (node->kind == PlanKind::kTableScan && !node->row_values) {
      node->lock_rows = true;
      node->locking = *locking;
    }
    for (PlanPtr& child : node->children) pending.push_back(child.get());
  }
}

Result<FromItem> BindRangeVar(Impl& impl, const PgQuery__RangeVar& range) {
  FromItem item;
  std::string_view alias = AliasOr(range.alias, range.relname);
  if (!Present(range.schemaname)) {
    const int cte = impl.FindCte(range.relname);
    if (cte >= 0) {
      PLEXUS_ASSIGN_OR_RETURN(item, impl.BindCteReference(static_cast<size_t>(cte), alias, range.alias));
      LockRowsOfFromItem(impl, alias, item.plan.get());
      return item;
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(std::optional<FromItem> system, BindSystemRelation(impl, range, alias));
  if (system) return std::move(*system);
  PLEXUS_ASSIGN_OR_RETURN(std::string schema, LookupSchemaOf(impl, range));
  auto view = impl.catalog().FindView(impl.transaction(), schema, range.relname);
  if (view.ok()) {
    PLEXUS_ASSIGN_OR_RETURN(ParseTree tree, ParseTree::Parse((*view)->query));
    if (tree.statement_count() != 1) return SqlError(kInternalError, "bad view definition");
    PLEXUS_ASSIGN_OR_RETURN(item.plan, impl.BindQuery(*tree.statement(0).stmt, nullptr, nullptr));
    item.plan = MarkView(std::move(item.plan), **view);
    LockRowsOfFromItem(impl, alias, item.plan.get());
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
  scan->alias = std::string(alias);
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
  Binder::Impl::RowLockState* row_locks = impl.row_locks();
  if (row_locks != nullptr) {
    if (const std::optional<RowLocking> locking = LockingOf(*row_locks->select, alias)) {
      // Each row's storage key and stored bytes, for kLockRows.
      scan->row_keys = true;
      scan->row_values = true;
      for (const char* name : {"?key?", "?row?"}) {
        scan->types.push_back(Type::Of(TypeId::kBytea));
        scan->names.push_back(name);
        item.columns.push_back({"", name, Type::Of(TypeId::kBytea), /*hidden=*/true});
      }
      item.columns[item.columns.size() - 2].lock_target = static_cast<int32_t>(row_locks->targets.size());
      RowLockTarget& target = row_locks->targets.emplace_back();
      target.locking = *locking;
      target.relation = table->name;
    }
  }
  item.plan = std::move(scan);
  return item;
}

// The USING / NATURAL column names of a join, in PostgreSQL's order (the USING list, or the
// left item's order for NATURAL).
std::vector<std::string> JoinColumnNames(const PgQuery__JoinExpr& join, const FromItem& left,
                                         const FromItem& right) {
  std::vector<std::string> names;
  for (size_t i = 0; i < join.n_using_clause; ++i) {
    names.emplace_back(StringValue(join.using_clause[i]));
  }
  if (!join.is_natural) return names;
  for (const auto& column : left.columns) {
    if (column.hidden) continue;
    for (const auto& other : right.columns) {
      if (!other.hidden && column.name == other.name) {
        names.push_back(column.name);
        break;
      }
    }
  }
  return names;
}

// The one visible column `name` of a join side (offset: the side's first scope position).
Result<uint32_t> FindJoinColumn(const std::vector<Scope::Column>& columns, size_t offset,
                                const std::string& name, const char* side) {
  int found = -1;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].hidden || columns[i].name != name) continue;
    if (found >= 0) {
      return SqlError(kAmbiguousColumn, "common column name \"" + name +
                                            "\" appears more than once in " + side + " table");
    }
    found = static_cast<int>(i);
  }
  if (found < 0) {
    return SqlError(kUndefinedColumn, "column \"" + name +
                                          "\" specified in USING clause does not exist in " +
                                          side + " table");
  }
  return static_cast<uint32_t>(offset + static_cast<size_t>(found));
}

// Which sides of a join (bit 1 left, bit 2 right) an expression reads; 4 for anything that is
// not a plain column of either (outer columns, subqueries).
int JoinSidesRead(const Expr& expr, size_t left_width) {
  int sides = 0;
  if (expr.kind == ExprKind::kColumn) sides = expr.column < left_width ? 1 : 2;
  if (expr.kind == ExprKind::kOuterColumn || expr.kind == ExprKind::kSubquery) return 4;
  for (const ExprPtr& arg : expr.args) sides |= JoinSidesRead(*arg, left_width);
  return sides;
}

// PostgreSQL runs FULL JOIN only as a merge or hash join: its condition needs an equality
// between a left and a right expression, unless it reads no columns at all (ON true).
Status CheckFullJoinCondition(const Expr* predicate, size_t left_width) {
  if (predicate == nullptr) return Status::Ok();
  std::vector<const Expr*> conjuncts{predicate};
  bool reads_columns = false;
  bool equijoin = false;
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    const Expr& conjunct = *conjuncts[i];
    if (conjunct.kind == ExprKind::kAnd) {
      for (const ExprPtr& arg : conjunct.args) conjuncts.push_back(arg.get());
      continue;
    }
    if (JoinSidesRead(conjunct, left_width) == 0) continue;
    reads_columns = true;
    if (conjunct.kind == ExprKind::kCall && conjunct.name == "=" && conjunct.args.size() == 2) {
      const int a = JoinSidesRead(*conjunct.args[0], left_width);
      const int b = JoinSidesRead(*conjunct.args[1], left_width);
      equijoin |= (a == 1 && b == 2) || (a == 2 && b == 1);
    }
  }
  if (!reads_columns || equijoin) return Status::Ok();
  return SqlError(kFeatureNotSupported,
                  "FULL JOIN is only supported with merge-joinable or hash-joinable join "
                  "conditions");
}

// RIGHT JOIN runs as a LEFT join with the sides swapped, then puts the columns back in order.
PlanPtr MakeRightJoin(PlanPtr left, PlanPtr right, ExprPtr predicate) {
  const size_t left_width = left->types.size();
  const size_t right_width = right->types.size();
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
  PlanPtr swapped = MakeJoin(std::move(right), std::move(left), JoinType::kLeft,
                             std::move(predicate));
  std::vector<ExprPtr> reorder;
  std::vector<std::string> names;
  for (size_t i = 0; i < left_width + right_width; ++i) {
    size_t source = i < left_width ? i + right_width : i - left_width;
    reorder.push_back(Expr::Column(static_cast<uint32_t>(source), swapped->types[source]));
    names.push_back(swapped->names[source]);
  }
  return MakeProject(std::move(swapped), std::move(reorder), std::move(names));
}

// A USING column as the join outputs it: the left copy (inner, LEFT), the right copy (RIGHT), or
// COALESCE of both (FULL), in the common type of the two.
Result<ExprPtr> MergedJoinColumn(Impl& impl, JoinType type, const Scope::Column& left,
                                 uint32_t left_index, const Scope::Column& right,
                                 uint32_t right_index) {
  ExprPtr left_column = Expr::Column(left_index, left.type, left.name);
  ExprPtr right_column = Expr::Column(right_index, right.type, right.name);
  PLEXUS_ASSIGN_OR_RETURN(Type common,
                          impl.CommonType({left_column.get(), right_column.get()}, "JOIN/USING"));
  PLEXUS_ASSIGN_OR_RETURN(left_column, impl.Coerce(std::move(left_column), common, false));
  PLEXUS_ASSIGN_OR_RETURN(right_column, impl.Coerce(std::move(right_column), common, false));
  if (type == JoinType::kRight) return right_column;
  if (type != JoinType::kFull) return left_column;
  std::vector<ExprPtr> args;
  args.push_back(std::move(left_column));
  args.push_back(std::move(right_column));
  return Expr::Make(ExprKind::kCoalesce, common, std::move(args));
}

JoinType JoinTypeOf(const PgQuery__JoinExpr& join) {
  switch (join.jointype) {
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT: return JoinType::kLeft;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT: return JoinType::kRight;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL: return JoinType::kFull;
    default: return JoinType::kInner;
  }
}

// A join's columns: with USING / NATURAL, first each merged column (unqualified), then both
// sides' columns, their copies of the merged columns visible only when qualified (so `*` lists
// the merged columns, then the left's others, then the right's, as PostgreSQL does).
Result<FromItem> BindJoin(Impl& impl, const PgQuery__JoinExpr& join, Scope* outer) {
  const JoinType type = JoinTypeOf(join);
  PLEXUS_ASSIGN_OR_RETURN(FromItem left, BindFromItem(impl, *join.larg, outer));
  FromItem right;
  Scope left_scope;
  left_scope.outer = outer;
  left_scope.columns = left.columns;
  if (join.rarg->node_case == PG_QUERY__NODE__NODE_RANGE_FUNCTION) {
    // A function may read the left side's columns (LATERAL).
    PLEXUS_ASSIGN_OR_RETURN(right, BindRangeFunction(impl, *join.rarg->range_function, left_scope));
  } else if (join.rarg->node_case == PG_QUERY__NODE__NODE_RANGE_SUBSELECT) {
    PLEXUS_ASSIGN_OR_RETURN(right, BindRangeSubselect(impl, *join.rarg->range_subselect, outer,
                                                      &left_scope));
  } else {
    PLEXUS_ASSIGN_OR_RETURN(right, BindFromItem(impl, *join.rarg, outer));
  }
  PLEXUS_RETURN_IF_ERROR(CheckTableNamesDistinct(left.columns, right.columns));
  const bool lateral = IsLateral(*right.plan);
  if (lateral && type != JoinType::kInner && type != JoinType::kLeft) {
    return SqlError(kInvalidColumnReference,
                    "The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
  }
  const std::vector<std::string> using_names = JoinColumnNames(join, left, right);
  const size_t left_width = left.columns.size();
  Scope scope;
  scope.outer = outer;
  scope.columns = left.columns;
  scope.columns.insert(scope.columns.end(), right.columns.begin(), right.columns.end());
  std::vector<ExprPtr> conditions;
  std::vector<ExprPtr> merged;
  std::vector<Scope::Column> merged_columns;
  for (const std::string& name : using_names) {
    PLEXUS_ASSIGN_OR_RETURN(uint32_t left_index, FindJoinColumn(left.columns, 0, name, "left"));
    PLEXUS_ASSIGN_OR_RETURN(uint32_t right_index,
                            FindJoinColumn(right.columns, left_width, name, "right"));
    scope.columns[left_index].hidden = true;
    scope.columns[right_index].hidden = true;
    std::vector<ExprPtr> args;
    args.push_back(Expr::Column(left_index, scope.columns[left_index].type));
    args.push_back(Expr::Column(right_index, scope.columns[right_index].type));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr equal, impl.BindCall("=", std::move(args), true, -1));
    conditions.push_back(std::move(equal));
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr column,
                            MergedJoinColumn(impl, type, scope.columns[left_index], left_index,
                                             scope.columns[right_index], right_index));
    merged_columns.push_back({"", name, column->type});
    merged.push_back(std::move(column));
  }
  if (join.quals != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr on, impl.BindExpression(*join.quals, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(on, impl.Coerce(std::move(on), Type::Of(TypeId::kBool), false));
    conditions.push_back(std::move(on));
  }
  ExprPtr predicate = AndOf(std::move(conditions));
  if (type == JoinType::kFull) {
    PLEXUS_RETURN_IF_ERROR(CheckFullJoinCondition(predicate.get(), left_width));
  }
  FromItem item;
  item.reads_outer = left.reads_outer || right.reads_outer || left_scope.referenced_outer ||
                     scope.referenced_outer;
  const bool always = !predicate || (predicate->kind == ExprKind::kConstant &&
                                     !predicate->constant.is_null() &&
                                     predicate->constant.integer_value() != 0);
  if (lateral && right.plan->kind == PlanKind::kApply) {
    // The subquery runs per left row; the join condition filters its rows (LEFT: a left row
    // none passes is kept, padded).
    right.plan->join_type = type == JoinType::kLeft ? JoinType::kLeft : JoinType::kInner;
    if (!always) right.plan->predicate = std::move(predicate);
    item.plan = ApplyLateral(std::move(left.plan), std::move(right.plan));
  } else if (lateral) {
    // The function runs per left row; the join condition filters its output. LEFT: a left row
    // whose function returns no rows is kept, padded (only without a condition to filter by).
    if (type == JoinType::kLeft && !always) {
      return SqlError(kFeatureNotSupported,
                      "LEFT JOIN LATERAL with a function is supported only with ON true");
    }
    right.plan->join_type = type;
    item.plan = ApplyLateral(std::move(left.plan), std::move(right.plan));
    if (!always) item.plan = MakeFilter(std::move(item.plan), std::move(predicate));
  } else if (type == JoinType::kRight) {
    item.plan = MakeRightJoin(std::move(left.plan), std::move(right.plan), std::move(predicate));
  } else {
    const JoinType plan_type = type == JoinType::kInner && !predicate ? JoinType::kCross : type;
    item.plan = MakeJoin(std::move(left.plan), std::move(right.plan), plan_type,
                         std::move(predicate));
  }
  if (merged.empty()) {
    item.columns = std::move(scope.columns);
    return item;
  }
  std::vector<std::string> names;
  for (const auto& column : merged_columns) names.push_back(column.name);
  for (size_t c = 0; c < scope.columns.size(); ++c) {
    merged.push_back(Expr::Column(static_cast<uint32_t>(c), item.plan->types[c]));
    names.push_back(item.plan->names[c]);
  }
  item.plan = MakeProject(std::move(item.plan), std::move(merged), std::move(names));
  item.columns = std::move(merged_columns);
  item.columns.insert(item.columns.end(), scope.columns.begin(), scope.columns.end());
  return item;
}

}  // namespace

Result<FromItem> BindRangeSubselect(Impl& impl, const PgQuery__RangeSubselect& subselect,
                                    Scope* outer, Scope* lateral) {
  FromItem item;
  bool correlated = false;
  if (subselect.lateral && lateral != nullptr && !lateral->columns.empty()) {
    // Its enclosing scope is the earlier items' (whose outer is `outer`): a reference to them
    // is depth 1, to the query around this one depth 2.
    PLEXUS_ASSIGN_OR_RETURN(item.plan, impl.BindQuery(*subselect.subquery, lateral, &correlated));
  } else {
    PLEXUS_ASSIGN_OR_RETURN(item.plan,
                            impl.BindQuery(*subselect.subquery, outer, &item.reads_outer));
  }
  std::string_view alias = AliasOr(subselect.alias, "");
  for (size_t i = 0; i < item.plan->types.size(); ++i) {
    std::string name = subselect.alias && i < subselect.alias->n_colnames
                           ? std::string(StringValue(subselect.alias->colnames[i]))
                           : item.plan->names[i];
    item.columns.push_back({std::string(alias), name, item.plan->types[i]});
  }
  if (correlated) {
    auto apply = PlanNode::Make(PlanKind::kApply);
    apply->types = item.plan->types;
    apply->names = item.plan->names;
    apply->children.push_back(PlanNode::Make(PlanKind::kOneRow));
    apply->children.push_back(std::move(item.plan));
    for (size_t c = 0; c < lateral->columns.size(); ++c) {
      apply->column_map.push_back(static_cast<int32_t>(c));
    }
    item.plan = std::move(apply);
  }
  LockRowsOfFromItem(impl, alias, item.plan.get());
  return item;
}

Result<FromItem> BindFromItem(Impl& impl, const PgQuery__Node& node, Scope* outer) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR: return BindRangeVar(impl, *node.range_var);
    case PG_QUERY__NODE__NODE_JOIN_EXPR: return BindJoin(impl, *node.join_expr, outer);
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
      Scope scope;  // inside a JOIN, a function sees no sibling items
      scope.outer = outer;
      PLEXUS_ASSIGN_OR_RETURN(FromItem item, BindRangeFunction(impl, *node.range_function, scope));
      item.reads_outer = scope.referenced_outer;
      return item;
    }
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT:
      return BindRangeSubselect(impl, *node.range_subselect, outer, nullptr);
    default:
      return SqlError(kFeatureNotSupported, "this kind of FROM item is not supported yet");
  }
}

}  // namespace plexus::sql
