// The SELECT pipeline: FROM, WHERE, aggregation, projection, DISTINCT, ORDER BY, LIMIT; plus set
// operations and VALUES lists.
#include <algorithm>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

std::string_view ValueFunctionName(PgQuery__SQLValueFunctionOp op) {
  switch (op) {
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_DATE: return "current_date";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIME_N: return "current_time";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_TIMESTAMP_N: return "current_timestamp";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIME_N: return "localtime";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP:
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_LOCALTIMESTAMP_N: return "localtimestamp";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_ROLE: return "current_role";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_USER: return "current_user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_USER: return "user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_SESSION_USER: return "session_user";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_CATALOG: return "current_catalog";
    case PG_QUERY__SQLVALUE_FUNCTION_OP__SVFOP_CURRENT_SCHEMA: return "current_schema";
    default: return "";
  }
}

// The name PostgreSQL gives an unnamed select-list expression (parse_target.c's
// FigureColnameInternal): 2 for a name from a column or function, 1 for one from a type or
// construct (which a column inside a cast or CASE overrides), 0 when there is none.
int FigureColumnName(const PgQuery__Node& node, std::string* name) {
  switch (node.node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
      const PgQuery__ColumnRef& ref = *node.column_ref;
      const PgQuery__Node* last = ref.fields[ref.n_fields - 1];
      if (last->node_case != PG_QUERY__NODE__NODE_STRING) return 0;
      *name = StringValue(last);
      return 2;
    }
    case PG_QUERY__NODE__NODE_A_INDIRECTION: {
      const PgQuery__AIndirection& indirection = *node.a_indirection;
      const PgQuery__Node* last = indirection.indirection[indirection.n_indirection - 1];
      if (last->node_case == PG_QUERY__NODE__NODE_STRING) {
        *name = StringValue(last);
        return 2;
      }
      return FigureColumnName(*indirection.arg, name);
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
      *name = StringValue(node.func_call->funcname[node.func_call->n_funcname - 1]);
      return 2;
    case PG_QUERY__NODE__NODE_A_EXPR:
      if (node.a_expr->kind != PG_QUERY__A__EXPR__KIND__AEXPR_NULLIF) return 0;
      *name = "nullif";
      return 2;
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
      const int strength = FigureColumnName(*node.type_cast->arg, name);
      if (strength > 1) return strength;
      const PgQuery__TypeName& type = *node.type_cast->type_name;
      *name = StringValue(type.names[type.n_names - 1]);
      return 1;
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE: return FigureColumnName(*node.collate_clause->arg, name);
    case PG_QUERY__NODE__NODE_GROUPING_FUNC:
      *name = "grouping";
      return 2;
    case PG_QUERY__NODE__NODE_SUB_LINK: {
      const PgQuery__SubLink& link = *node.sub_link;
      switch (link.sub_link_type) {
        case PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK: *name = "exists"; return 2;
        case PG_QUERY__SUB_LINK_TYPE__ARRAY_SUBLINK: *name = "array"; return 2;
        case PG_QUERY__SUB_LINK_TYPE__EXPR_SUBLINK: {
          // The subquery's only column's name.
          if (link.subselect == nullptr || link.subselect->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
              link.subselect->select_stmt->n_target_list == 0) {
            return 0;
          }
          const PgQuery__ResTarget& target = *link.subselect->select_stmt->target_list[0]->res_target;
          *name = "?column?";
          if (Present(target.name)) {
            *name = target.name;
          } else if (target.val != nullptr) {
            FigureColumnName(*target.val, name);
          }
          return 2;
        }
        default: return 0;
      }
    }
    case PG_QUERY__NODE__NODE_CASE_EXPR: {
      const int strength =
          node.case_expr->defresult ? FigureColumnName(*node.case_expr->defresult, name) : 0;
      if (strength > 1) return strength;
      *name = "case";
      return 1;
    }
    case PG_QUERY__NODE__NODE_A_ARRAY_EXPR: *name = "array"; return 1;
    case PG_QUERY__NODE__NODE_ROW_EXPR: *name = "row"; return 1;
    case PG_QUERY__NODE__NODE_COALESCE_EXPR: *name = "coalesce"; return 2;
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
      *name = node.min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
      return 2;
    case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION: {
      const std::string_view function = ValueFunctionName(node.sqlvalue_function->op);
      if (function.empty()) return 0;
      *name = function;
      return 2;
    }
    default: return 0;
  }
}

}  // namespace

Status BindTargetList(Impl& impl, PgQuery__Node* const* list, size_t count, Scope& scope,
                      AggregateBinding* aggregates, std::vector<ExprPtr>* exprs,
                      std::vector<std::string>* names) {
  for (size_t i = 0; i < count; ++i) {
    const PgQuery__ResTarget& target = *list[i]->res_target;
    const PgQuery__Node& value = *target.val;
    if (value.node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
      const PgQuery__ColumnRef& ref = *value.column_ref;
      const PgQuery__Node* last = ref.fields[ref.n_fields - 1];
      if (last->node_case == PG_QUERY__NODE__NODE_A_STAR) {
        std::string_view qualifier = ref.n_fields == 2 ? StringValue(ref.fields[0]) : "";
        bool any = false;
        for (size_t c = 0; c < scope.columns.size(); ++c) {
          const auto& column = scope.columns[c];
          if (!qualifier.empty() ? column.table != qualifier : column.hidden) continue;
          exprs->push_back(Expr::Column(static_cast<uint32_t>(c), column.type, column.name));
          names->push_back(column.name);
          any = true;
        }
        if (!any && !qualifier.empty()) {
          return WithPosition(SqlError(kUndefinedTable, "missing FROM-clause entry for table \"" +
                                                            std::string(qualifier) + "\""),
                              ref.location);
        }
        if (!any && scope.columns.empty()) {
          return WithPosition(SqlError(kSyntaxError, "SELECT * with no tables specified is not valid"),
                              ref.location);
        }
        continue;
      }
    }
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr expr, impl.BindExpression(value, scope, aggregates));
    std::string name = Present(target.name) ? target.name : "?column?";
    if (!Present(target.name)) FigureColumnName(value, &name);
    exprs->push_back(std::move(expr));
    names->push_back(std::move(name));
  }
  return Status::Ok();
}

Result<ExprPtr> Binder::Impl::LiftOverAggregate(ExprPtr expr, const AggregateBinding& aggregates) {
  for (size_t i = 0; i < aggregates.groups.size(); ++i) {
    if (SameExpression(*expr, *aggregates.groups[i])) {
      return Expr::Column(static_cast<uint32_t>(i), expr->type, expr->name);
    }
  }
  if (expr->kind == ExprKind::kColumn) {
    if (expr->column >= kGroupingRefBase) {
      expr->column = static_cast<uint32_t>(aggregates.groups.size() + aggregates.aggregates.size()) +
                     (expr->column - kGroupingRefBase);
      return expr;
    }
    if (expr->column >= kAggregateRefBase) {
      expr->column = static_cast<uint32_t>(aggregates.groups.size()) + (expr->column - kAggregateRefBase);
      return expr;
    }
    // A window or set-returning function's result, computed later.
    if (expr->column >= kSetFunctionRefBase) return expr;
    return SqlError(kGroupingError, "column \"" + expr->name +
                                        "\" must appear in the GROUP BY clause or be used in an "
                                        "aggregate function");
  }
  if (expr->kind == ExprKind::kSubquery && expr->correlated) {
    return SqlError(kFeatureNotSupported,
                    "correlated subqueries in aggregated queries are not supported yet");
  }
  for (ExprPtr& arg : expr->args) {
    PLEXUS_ASSIGN_OR_RETURN(arg, LiftOverAggregate(std::move(arg), aggregates));
  }
  return expr;
}

}  // namespace plexus::sql

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

// ORDER BY item: an output column (by ordinal or name) or an expression over the FROM scope.
struct OrderItem {
  int output_column = -1;  // into the select list
  ExprPtr expr;            // otherwise
  bool descending = false;
  bool nulls_first = false;
};

// An ORDER BY or DISTINCT ON item: an ordinal or output name names a select-list entry; anything
// else is an expression over the FROM scope, matched to the select list when it is there.
Status ResolveOutputItem(Impl& impl, const PgQuery__Node& node, std::string_view clause,
                         Scope& scope, AggregateBinding* aggregates,
                         const std::vector<ExprPtr>& targets, const std::vector<std::string>& names,
                         OrderItem* item) {
  if (node.node_case == PG_QUERY__NODE__NODE_A_CONST &&
      node.a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
    const int ordinal = node.a_const->ival->ival;
    if (ordinal < 1 || static_cast<size_t>(ordinal) > targets.size()) {
      return WithPosition(SqlError(kInvalidColumnReference, std::string(clause) + " position " +
                                                                std::to_string(ordinal) +
                                                                " is not in select list"),
                          node.a_const->location);
    }
    item->output_column = ordinal - 1;
    return Status::Ok();
  }
  if (node.node_case == PG_QUERY__NODE__NODE_COLUMN_REF && node.column_ref->n_fields == 1) {
    std::string_view name = StringValue(node.column_ref->fields[0]);
    for (size_t t = 0; t < names.size(); ++t) {
      if (names[t] == name) {
        item->output_column = static_cast<int>(t);
        return Status::Ok();
      }
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(item->expr, impl.BindExpression(node, scope, aggregates));
  for (size_t t = 0; t < targets.size(); ++t) {
    if (Impl::SameExpression(*item->expr, *targets[t])) {
      item->output_column = static_cast<int>(t);
      item->expr.reset();
      break;
    }
  }
  return Status::Ok();
}

Result<std::vector<OrderItem>> BindOrderBy(Impl& impl, const PgQuery__SelectStmt& select,
                                           Scope& scope, AggregateBinding* aggregates,
                                           const std::vector<ExprPtr>& targets,
                                           const std::vector<std::string>& names) {
  std::vector<OrderItem> items;
  for (size_t i = 0; i < select.n_sort_clause; ++i) {
    const PgQuery__SortBy& sort = *select.sort_clause[i]->sort_by;
    OrderItem item;
    SortDirection(sort, &item.descending, &item.nulls_first);
    PLEXUS_RETURN_IF_ERROR(
        ResolveOutputItem(impl, *sort.node, "ORDER BY", scope, aggregates, targets, names, &item));
    items.push_back(std::move(item));
  }
  return items;
}

// DISTINCT ON (...) items, resolved as ORDER BY items are.
Result<std::vector<OrderItem>> BindDistinctOn(Impl& impl, const PgQuery__SelectStmt& select,
                                              Scope& scope, AggregateBinding* aggregates,
                                              const std::vector<ExprPtr>& targets,
                                              const std::vector<std::string>& names) {
  std::vector<OrderItem> items;
  if (select.n_distinct_clause == 0 || select.distinct_clause[0] == nullptr ||
      select.distinct_clause[0]->node_case == PG_QUERY__NODE__NODE__NOT_SET) {
    return items;  // no DISTINCT, or plain DISTINCT
  }
  for (size_t i = 0; i < select.n_distinct_clause; ++i) {
    OrderItem item;
    PLEXUS_RETURN_IF_ERROR(ResolveOutputItem(impl, *select.distinct_clause[i], "SELECT DISTINCT ON",
                                             scope, aggregates, targets, names, &item));
    items.push_back(std::move(item));
  }
  return items;
}

Result<PlanPtr> BindLimit(Impl& impl, const PgQuery__SelectStmt& select, PlanPtr plan) {
  if (select.limit_count == nullptr && select.limit_offset == nullptr) return plan;
  Scope empty;
  PlanPtr limit = WrapPlan(PlanKind::kLimit, std::move(plan));
  const Type bigint = Type::Of(TypeId::kInt64);
  if (select.limit_count != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr count, impl.BindExpression(*select.limit_count, empty, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(limit->limit, impl.Coerce(std::move(count), bigint, false));
  }
  if (select.limit_offset != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr offset, impl.BindExpression(*select.limit_offset, empty, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(limit->offset, impl.Coerce(std::move(offset), bigint, false));
  }
  return limit;
}

// GROUP BY items: an ordinal names a select-list entry; anything else is an expression.
// PostgreSQL's name for a set operation in its error messages.
const char* SetOperationName(PgQuery__SetOperation op) {
  switch (op) {
    case PG_QUERY__SET_OPERATION__SETOP_INTERSECT: return "INTERSECT";
    case PG_QUERY__SET_OPERATION__SETOP_EXCEPT: return "EXCEPT";
    default: return "UNION";
  }
}

// Whether output column `c` of a set operation's input is a bare NULL literal (`SELECT NULL`),
// which PostgreSQL leaves untyped until the set operation resolves the column's type.
bool IsNullOutput(const PgQuery__SelectStmt& select, size_t c) {
  if (select.op != PG_QUERY__SET_OPERATION__SETOP_NONE || select.n_values_lists > 0 ||
      c >= select.n_target_list) {
    return false;
  }
  const PgQuery__Node* value = select.target_list[c]->res_target->val;
  return value != nullptr && value->node_case == PG_QUERY__NODE__NODE_A_CONST &&
         value->a_const->isnull;
}

// Binds both inputs of a set operation and casts each to the common type of every column.
// libpg_query nests larg/rarg by precedence (INTERSECT binds tighter), so recursion suffices.
Result<std::vector<PlanPtr>> BindSetOperands(Impl& impl, const PgQuery__SelectStmt& select,
                                             Scope* outer, bool* correlated) {
  const std::string name = SetOperationName(select.op);
  bool left_correlated = false;
  bool right_correlated = false;
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr left, impl.BindSelect(*select.larg, outer, &left_correlated));
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr right, impl.BindSelect(*select.rarg, outer, &right_correlated));
  if (correlated) *correlated = left_correlated || right_correlated;
  if (left->types.size() != right->types.size()) {
    return SqlError(kSyntaxError, "each " + name + " query must have the same number of columns");
  }
  std::vector<PlanPtr> sides;
  sides.push_back(std::move(left));
  sides.push_back(std::move(right));
  const PgQuery__SelectStmt* inputs[] = {select.larg, select.rarg};
  std::vector<Type> types;
  for (size_t c = 0; c < sides[0]->types.size(); ++c) {
    Expr a;
    a.type = IsNullOutput(*inputs[0], c) ? Type::Of(TypeId::kUnknown) : sides[0]->types[c];
    Expr b;
    b.type = IsNullOutput(*inputs[1], c) ? Type::Of(TypeId::kUnknown) : sides[1]->types[c];
    PLEXUS_ASSIGN_OR_RETURN(Type type, impl.CommonType({&a, &b}, name));
    types.push_back(type);
  }
  for (size_t s = 0; s < sides.size(); ++s) {
    PlanPtr& side = sides[s];
    if (side->types == types) continue;
    std::vector<ExprPtr> casts;
    for (size_t c = 0; c < types.size(); ++c) {
      if (IsNullOutput(*inputs[s], c)) {
        casts.push_back(Expr::Constant(Value::Null(types[c])));
        continue;
      }
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr cast, impl.Coerce(Expr::Column(static_cast<uint32_t>(c),
                                                                     side->types[c]),
                                                        types[c], false));
      casts.push_back(std::move(cast));
    }
    std::vector<std::string> names = side->names;
    side = MakeProject(std::move(side), std::move(casts), std::move(names));
  }
  return sides;
}

// ORDER BY over a set operation's or a VALUES list's output: only its columns, by name or
// ordinal, or (VALUES only) expressions over them.
Result<PlanPtr> BindOutputOrder(Impl& impl, const PgQuery__SelectStmt& select, PlanPtr plan,
                                bool set_operation) {
  if (select.n_sort_clause == 0) return plan;
  Scope output;
  std::vector<ExprPtr> targets;
  for (size_t c = 0; c < plan->types.size(); ++c) {
    output.columns.push_back({"", plan->names[c], plan->types[c]});
    targets.push_back(Expr::Column(static_cast<uint32_t>(c), plan->types[c]));
  }
  PLEXUS_ASSIGN_OR_RETURN(std::vector<OrderItem> order,
                          BindOrderBy(impl, select, output, nullptr, targets, plan->names));
  PlanPtr sort = WrapPlan(PlanKind::kSort, std::move(plan));
  for (OrderItem& item : order) {
    if (set_operation && item.expr) {
      return SqlError(kFeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause");
    }
    ExprPtr key = item.expr ? std::move(item.expr)
                            : Expr::Column(static_cast<uint32_t>(item.output_column),
                                           sort->types[static_cast<size_t>(item.output_column)]);
    sort->sort_keys.push_back({std::move(key), item.descending, item.nulls_first});
  }
  return sort;
}

// UNION is UNION ALL under DISTINCT; INTERSECT and EXCEPT have their own nodes.
Result<PlanPtr> BindSetOperation(Impl& impl, const PgQuery__SelectStmt& select, Scope* outer,
                                 bool* correlated) {
  PLEXUS_ASSIGN_OR_RETURN(std::vector<PlanPtr> sides,
                          BindSetOperands(impl, select, outer, correlated));
  PlanKind kind = PlanKind::kUnion;
  if (select.op == PG_QUERY__SET_OPERATION__SETOP_INTERSECT) kind = PlanKind::kIntersect;
  if (select.op == PG_QUERY__SET_OPERATION__SETOP_EXCEPT) kind = PlanKind::kExcept;
  auto node = PlanNode::Make(kind);
  node->types = sides[0]->types;
  node->names = sides[0]->names;
  node->set_all = select.all;
  for (PlanPtr& side : sides) node->children.push_back(std::move(side));
  PlanPtr plan = std::move(node);
  if (kind == PlanKind::kUnion && !select.all) {
    plan = WrapPlan(PlanKind::kDistinct, std::move(plan));
  }
  PLEXUS_ASSIGN_OR_RETURN(plan, BindOutputOrder(impl, select, std::move(plan), true));
  return BindLimit(impl, select, std::move(plan));
}

Result<PlanPtr> BindValues(Impl& impl, const PgQuery__SelectStmt& select, Scope* outer) {
  Scope scope;
  scope.outer = outer;
  auto values = PlanNode::Make(PlanKind::kValues);
  size_t width = 0;
  for (size_t r = 0; r < select.n_values_lists; ++r) {
    const PgQuery__List& list = *select.values_lists[r]->list;
    if (r == 0) width = list.n_items;
    if (list.n_items != width) {
      return SqlError(kSyntaxError, "VALUES lists must all be the same length");
    }
    std::vector<ExprPtr> row;
    for (size_t c = 0; c < list.n_items; ++c) {
      PLEXUS_ASSIGN_OR_RETURN(ExprPtr value, impl.BindExpression(*list.items[c], scope, nullptr));
      row.push_back(std::move(value));
    }
    values->rows.push_back(std::move(row));
  }
  for (size_t c = 0; c < width; ++c) {
    std::vector<const Expr*> column;
    for (const auto& row : values->rows) column.push_back(row[c].get());
    PLEXUS_ASSIGN_OR_RETURN(Type type, impl.CommonType(column, "VALUES"));
    for (auto& row : values->rows) {
      PLEXUS_ASSIGN_OR_RETURN(row[c], impl.Coerce(std::move(row[c]), type, false));
    }
    values->types.push_back(type);
    values->names.push_back("column" + std::to_string(c + 1));
  }
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr plan, BindOutputOrder(impl, select, std::move(values), false));
  return BindLimit(impl, select, std::move(plan));
}

std::string_view LockingStrengthName(const PgQuery__SelectStmt& select) {
  switch (select.locking_clause[0]->locking_clause->strength) {
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORKEYSHARE: return "FOR KEY SHARE";
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORSHARE: return "FOR SHARE";
    case PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORNOKEYUPDATE: return "FOR NO KEY UPDATE";
    default: return "FOR UPDATE";
  }
}

}  // namespace

std::optional<RowLocking> LockingOf(const PgQuery__SelectStmt& select, std::string_view relation) {
  std::optional<RowLocking> result;
  for (size_t i = 0; i < select.n_locking_clause; ++i) {
    const PgQuery__LockingClause& clause = *select.locking_clause[i]->locking_clause;
    bool applies = clause.n_locked_rels == 0 || relation.empty();
    for (size_t r = 0; r < clause.n_locked_rels && !applies; ++r) {
      applies = relation == clause.locked_rels[r]->range_var->relname;
    }
    if (!applies) continue;
    if (!result) result.emplace().exclusive = false;
    result->exclusive |= clause.strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORUPDATE ||
                         clause.strength == PG_QUERY__LOCK_CLAUSE_STRENGTH__LCS_FORNOKEYUPDATE;
    if (clause.wait_policy == PG_QUERY__LOCK_WAIT_POLICY__LockWaitError) {
      result->wait = LockWait::kNoWait;
    } else if (clause.wait_policy == PG_QUERY__LOCK_WAIT_POLICY__LockWaitSkip &&
               result->wait == LockWait::kBlock) {
      result->wait = LockWait::kSkipLocked;
    }
  }
  return result;
}

namespace {

// SELECT ... FOR UPDATE/NO KEY UPDATE/SHARE/KEY SHARE [OF ...] [NOWAIT | SKIP LOCKED]. The
// tables of the FROM clause it names (or all) lock their rows in kLockRows (BindRangeVar gave
// their scans the key and row columns it reads); see LockRowsOfFromItem for views and
// subqueries. FOR UPDATE and NO KEY UPDATE take the exclusive row lock, FOR SHARE and KEY SHARE
// a shared one (KEY SHARE and NO KEY UPDATE conflict here, stricter than PostgreSQL).
Status BindLockingClause(const PgQuery__SelectStmt& select, const AggregateBinding& aggregates,
                         const Binder::Scope& scope) {
  if (select.n_locking_clause == 0) return Status::Ok();
  const std::string strength(LockingStrengthName(select));
  const auto not_allowed = [&](std::string_view with) {
    return SqlError(kFeatureNotSupported, strength + " is not allowed with " + std::string(with));
  };
  if (select.n_distinct_clause > 0) return not_allowed("DISTINCT clause");
  if (select.n_group_clause > 0) return not_allowed("GROUP BY clause");
  if (select.having_clause != nullptr) return not_allowed("HAVING clause");
  if (!aggregates.aggregates.empty()) return not_allowed("aggregate functions");
  if (!aggregates.windows.empty()) return not_allowed("window functions");
  if (!aggregates.set_functions.empty()) return not_allowed("set-returning functions in the target list");
  for (size_t i = 0; i < select.n_locking_clause; ++i) {
    const PgQuery__LockingClause& clause = *select.locking_clause[i]->locking_clause;
    for (size_t r = 0; r < clause.n_locked_rels; ++r) {
      const std::string_view name = clause.locked_rels[r]->range_var->relname;
      const bool found = std::any_of(scope.columns.begin(), scope.columns.end(),
                                     [&](const Binder::Scope::Column& c) { return c.table == name; });
      if (!found) {
        return SqlError(kUndefinedTable, "relation \"" + std::string(name) + "\" in " + strength +
                                             " clause not found in FROM clause");
      }
    }
  }
  return Status::Ok();
}

// Types whose stored key order is the order ORDER BY sorts them in (bytewise text, as our sort).
bool KeyOrderIsSortOrder(TypeId type) {
  switch (type) {
    case TypeId::kBool:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kUuid:
      return true;
    default:
      return false;
  }
}

// Whether `project` (a projection over filters over a primary-key scan of one table) already
// returns its rows in `order`: a prefix of the primary key, ascending (or the whole key, after
// which nothing else matters) — then ORDER BY needs no sort, and ORDER BY ... LIMIT reads only
// the rows it returns.
bool InPrimaryKeyOrder(const PlanNode& project, const std::vector<OrderItem>& order) {
  if (project.kind != PlanKind::kProject) return false;
  const PlanNode* input = project.children[0].get();
  while (input->kind == PlanKind::kFilter) input = input->children[0].get();
  if (input->kind != PlanKind::kTableScan || input->index >= 0 || !input->table) return false;
  const catalog::TableDef& table = *input->table;
  if (table.primary_key.empty() || input->types.size() < table.columns.size()) return false;
  size_t matched = 0;
  for (const OrderItem& item : order) {
    if (matched == table.primary_key.size()) return true;  // the key is unique: ties are done
    if (item.descending || item.output_column < 0) return false;
    const Expr& expr = *project.expressions[static_cast<size_t>(item.output_column)];
    const uint32_t key_column = table.primary_key[matched];
    if (expr.kind != ExprKind::kColumn || expr.column != key_column ||
        !KeyOrderIsSortOrder(table.columns[key_column].type.id)) {
      return false;
    }
    ++matched;
  }
  return true;
}

}  // namespace

Result<PlanPtr> Binder::Impl::BindQuery(const PgQuery__Node& statement, Scope* outer,
                                        bool* correlated) {
  if (statement.node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return SqlError(kFeatureNotSupported, "only SELECT can be used here");
  }
  return BindSelect(*statement.select_stmt, outer, correlated);
}

Result<PlanPtr> Binder::Impl::BindSelect(const PgQuery__SelectStmt& select, Scope* outer,
                                         bool* correlated) {
  if (select.with_clause != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(size_t visible, PushWith(*select.with_clause));
    PgQuery__SelectStmt body = select;
    body.with_clause = nullptr;
    Result<PlanPtr> plan = BindSelect(body, outer, correlated);
    PopWith(visible);
    return plan;
  }
  if (select.op != PG_QUERY__SET_OPERATION__SETOP_NONE) {
    if (select.n_locking_clause > 0) {
      return SqlError(kFeatureNotSupported, std::string(LockingStrengthName(select)) +
                                                " is not allowed with UNION/INTERSECT/EXCEPT");
    }
    return BindSetOperation(*this, select, outer, correlated);
  }
  if (select.n_values_lists > 0) return BindValues(*this, select, outer);
  Scope scope;
  scope.outer = outer;
  RowLockState row_locks;
  row_locks.select = &select;
  RowLockState* const enclosing_row_locks = row_locks_;
  row_locks_ = select.n_locking_clause > 0 ? &row_locks : nullptr;
  Result<PlanPtr> from = BindFromWhere(*this, select, scope);
  row_locks_ = enclosing_row_locks;
  PLEXUS_ASSIGN_OR_RETURN(PlanPtr plan, std::move(from));

  AggregateBinding aggregates;
  aggregates.select = &select;
  PLEXUS_RETURN_IF_ERROR(BindGroups(*this, select, scope, &aggregates));
  std::vector<ExprPtr> targets;
  std::vector<std::string> names;
  aggregates.windows_allowed = true;
  aggregates.set_functions_allowed = true;
  PLEXUS_RETURN_IF_ERROR(BindTargetList(*this, select.target_list, select.n_target_list, scope,
                                        &aggregates, &targets, &names));
  aggregates.set_functions_allowed = false;
  ExprPtr having;
  if (select.having_clause != nullptr) {
    aggregates.windows_allowed = false;
    PLEXUS_ASSIGN_OR_RETURN(having, BindExpression(*select.having_clause, scope, &aggregates));
    PLEXUS_ASSIGN_OR_RETURN(having, Coerce(std::move(having), Type::Of(TypeId::kBool), false));
    aggregates.active = true;
    aggregates.windows_allowed = true;
  }
  PLEXUS_ASSIGN_OR_RETURN(std::vector<OrderItem> order,
                          BindOrderBy(*this, select, scope, &aggregates, targets, names));
  aggregates.windows_allowed = false;
  PLEXUS_ASSIGN_OR_RETURN(std::vector<OrderItem> distinct_on,
                          BindDistinctOn(*this, select, scope, &aggregates, targets, names));
  PLEXUS_RETURN_IF_ERROR(BindLockingClause(select, aggregates, scope));

  if (aggregates.active) {
    auto aggregate = PlanNode::Make(PlanKind::kAggregate);
    for (const ExprPtr& group : aggregates.groups) {
      aggregate->types.push_back(group->type);
      aggregate->names.push_back(group->name);
      aggregate->groups.push_back(group->Clone());
    }
    for (AggregateCall& call : aggregates.aggregates) {
      aggregate->types.push_back(call.type);
      aggregate->names.push_back(call.name);
    }
    for (size_t i = 0; i < aggregates.grouping_calls.size(); ++i) {
      aggregate->types.push_back(Type::Of(TypeId::kInt32));
      aggregate->names.push_back("grouping");
    }
    for (ExprPtr& target : targets) {
      PLEXUS_ASSIGN_OR_RETURN(target, LiftOverAggregate(std::move(target), aggregates));
    }
    for (std::vector<OrderItem>* items : {&order, &distinct_on}) {
      for (OrderItem& item : *items) {
        if (item.expr) {
          PLEXUS_ASSIGN_OR_RETURN(item.expr, LiftOverAggregate(std::move(item.expr), aggregates));
        }
      }
    }
    if (having) {
      PLEXUS_ASSIGN_OR_RETURN(having, LiftOverAggregate(std::move(having), aggregates));
    }
    for (TableFunctionCall& call : aggregates.set_functions) {
      for (ExprPtr& arg : call.args) {
        PLEXUS_ASSIGN_OR_RETURN(arg, LiftOverAggregate(std::move(arg), aggregates));
      }
    }
    aggregate->aggregates = std::move(aggregates.aggregates);
    aggregate->grouping_sets = std::move(aggregates.grouping_sets);
    aggregate->grouping_calls = std::move(aggregates.grouping_calls);
    aggregate->children.push_back(std::move(plan));
    plan = std::move(aggregate);
    if (having) plan = MakeFilter(std::move(plan), std::move(having));
  }
  if (!aggregates.windows.empty()) {
    std::vector<ExprPtr*> uses;
    for (ExprPtr& target : targets) uses.push_back(&target);
    for (OrderItem& item : order) uses.push_back(&item.expr);
    for (OrderItem& item : distinct_on) uses.push_back(&item.expr);
    for (TableFunctionCall& call : aggregates.set_functions) {
      for (ExprPtr& arg : call.args) uses.push_back(&arg);
    }
    PLEXUS_ASSIGN_OR_RETURN(plan, BuildWindowPlan(*this, std::move(plan), aggregates, uses));
  }
  // Set-returning functions run after aggregation and windows, before DISTINCT and ORDER BY.
  if (!aggregates.set_functions.empty()) {
    std::vector<ExprPtr*> uses;
    for (ExprPtr& target : targets) uses.push_back(&target);
    for (OrderItem& item : order) uses.push_back(&item.expr);
    for (OrderItem& item : distinct_on) uses.push_back(&item.expr);
    if (having) uses.push_back(&having);
    plan = BuildProjectSet(std::move(plan), aggregates, uses);
  }

  // Unknown-typed outputs ('abc', NULL) are text, as in PostgreSQL.
  for (ExprPtr& target : targets) {
    if (target->type.id == TypeId::kUnknown) {
      PLEXUS_ASSIGN_OR_RETURN(target, Coerce(std::move(target), Type::Of(TypeId::kText), false));
    }
  }
  const size_t visible = targets.size();
  std::vector<std::string> project_names = names;
  for (OrderItem& item : order) {
    if (!item.expr) continue;
    item.output_column = static_cast<int>(targets.size());
    targets.push_back(std::move(item.expr));
    project_names.push_back("?sort?");
  }
  for (OrderItem& item : distinct_on) {
    if (!item.expr) continue;
    // The same expression may already be there as a hidden ORDER BY column.
    for (size_t t = visible; t < targets.size() && item.expr; ++t) {
      if (SameExpression(*item.expr, *targets[t])) {
        item.output_column = static_cast<int>(t);
        item.expr.reset();
      }
    }
    if (!item.expr) continue;
    item.output_column = static_cast<int>(targets.size());
    targets.push_back(std::move(item.expr));
    project_names.push_back("?distinct?");
  }
  // The key and row columns of the tables kLockRows locks.
  for (size_t c = 0; c < scope.columns.size(); ++c) {
    const int32_t index = scope.columns[c].lock_target;
    if (index < 0) continue;
    RowLockTarget& target = row_locks.targets[static_cast<size_t>(index)];
    const Type bytea = Type::Of(TypeId::kBytea);
    target.key_column = static_cast<uint32_t>(targets.size());
    targets.push_back(Expr::Column(static_cast<uint32_t>(c), bytea));
    target.row_column = static_cast<uint32_t>(targets.size());
    targets.push_back(Expr::Column(static_cast<uint32_t>(c + 1), bytea));
    project_names.insert(project_names.end(), {"?key?", "?row?"});
  }
  const bool distinct = select.n_distinct_clause > 0 && distinct_on.empty();
  if (distinct && targets.size() > visible) {
    return SqlError(kInvalidColumnReference,
                    "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
  }
  // DISTINCT ON (keys): the first row of each key in ORDER BY order, which must start with them.
  for (size_t i = 0; i < order.size() && i < distinct_on.size(); ++i) {
    const bool is_key = std::any_of(distinct_on.begin(), distinct_on.end(), [&](const OrderItem& key) {
      return key.output_column == order[i].output_column;
    });
    if (!is_key) {
      return SqlError(kInvalidColumnReference,
                      "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
    }
  }
  plan = MakeProject(std::move(plan), std::move(targets), std::move(project_names));
  if (distinct) plan = WrapPlan(PlanKind::kDistinct, std::move(plan));
  if (!order.empty() && !InPrimaryKeyOrder(*plan, order)) {
    PlanPtr sort = WrapPlan(PlanKind::kSort, std::move(plan));
    for (const OrderItem& item : order) {
      const size_t column = static_cast<size_t>(item.output_column);
      sort->sort_keys.push_back({Expr::Column(static_cast<uint32_t>(column), sort->types[column]),
                                 item.descending, item.nulls_first});
    }
    plan = std::move(sort);
  }
  if (!distinct_on.empty()) {
    plan = WrapPlan(PlanKind::kDistinct, std::move(plan));
    for (const OrderItem& key : distinct_on) plan->column_map.push_back(key.output_column);
  }
  if (!row_locks.targets.empty()) {
    // Under the LIMIT, which tells it how many rows to lock.
    plan = WrapPlan(PlanKind::kLockRows, std::move(plan));
    plan->lock_targets = std::move(row_locks.targets);
  }
  PLEXUS_ASSIGN_OR_RETURN(plan, BindLimit(*this, select, std::move(plan)));
  if (plan->types.size() > visible) {
    std::vector<ExprPtr> keep;
    for (size_t c = 0; c < visible; ++c) keep.push_back(Expr::Column(static_cast<uint32_t>(c), plan->types[c]));
    plan = MakeProject(std::move(plan), std::move(keep), names);
  }
  if (correlated) *correlated = scope.referenced_outer;
  return plan;
}

}  // namespace plexus::sql
