// FROM and WHERE: the FROM items joined left to right, each WHERE conjunct applied at the first
// join (or scan) that has all of its columns.
#include <algorithm>

#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_builders.h"

namespace plexus::sql {

namespace {

using Impl = Binder::Impl;
using Scope = Binder::Scope;

int MaxColumn(const Expr& expr) {
  if (expr.kind == ExprKind::kSubquery) return INT32_MAX;
  int result = expr.kind == ExprKind::kColumn ? static_cast<int>(expr.column) : -1;
  for (const ExprPtr& arg : expr.args) result = std::max(result, MaxColumn(*arg));
  return result;
}

void SplitConjuncts(ExprPtr expr, std::vector<ExprPtr>* conjuncts) {
  if (expr->kind == ExprKind::kAnd) {
    for (ExprPtr& arg : expr->args) SplitConjuncts(std::move(arg), conjuncts);
    return;
  }
  conjuncts->push_back(std::move(expr));
}

// Moves the conjuncts that read only columns below `width` out of `pending`.
ExprPtr TakeApplicable(std::vector<ExprPtr>* pending, size_t width) {
  std::vector<ExprPtr> taken;
  for (auto it = pending->begin(); it != pending->end();) {
    if (MaxColumn(**it) < static_cast<int>(width)) {
      taken.push_back(std::move(*it));
      it = pending->erase(it);
    } else {
      ++it;
    }
  }
  return AndOf(std::move(taken));
}

}  // namespace

Result<PlanPtr> BindFromWhere(Impl& impl, const PgQuery__SelectStmt& select, Scope& scope) {
  std::vector<FromItem> items;
  for (size_t i = 0; i < select.n_from_clause; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(FromItem item, BindFromItem(impl, *select.from_clause[i], scope.outer));
    scope.columns.insert(scope.columns.end(), item.columns.begin(), item.columns.end());
    items.push_back(std::move(item));
  }
  std::vector<ExprPtr> pending;
  if (select.where_clause != nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(ExprPtr where, impl.BindExpression(*select.where_clause, scope, nullptr));
    PLEXUS_ASSIGN_OR_RETURN(where, impl.Coerce(std::move(where), Type::Of(TypeId::kBool), false));
    SplitConjuncts(std::move(where), &pending);
  }
  if (items.empty()) {
    PlanPtr plan = PlanNode::Make(PlanKind::kOneRow);
    ExprPtr predicate = AndOf(std::move(pending));
    if (!predicate) return plan;
    auto filter = WrapPlan(PlanKind::kFilter, std::move(plan));
    filter->predicate = std::move(predicate);
    return filter;
  }
  PlanPtr plan = std::move(items[0].plan);
  size_t width = items[0].columns.size();
  if (ExprPtr predicate = TakeApplicable(&pending, width)) {
    plan = WrapPlan(PlanKind::kFilter, std::move(plan));
    plan->predicate = std::move(predicate);
  }
  for (size_t i = 1; i < items.size(); ++i) {
    width += items[i].columns.size();
    auto join = PlanNode::Make(PlanKind::kJoin);
    join->types = plan->types;
    join->names = plan->names;
    join->types.insert(join->types.end(), items[i].plan->types.begin(), items[i].plan->types.end());
    join->names.insert(join->names.end(), items[i].plan->names.begin(), items[i].plan->names.end());
    join->predicate = TakeApplicable(&pending, width);
    join->join_type = join->predicate ? JoinType::kInner : JoinType::kCross;
    join->children.push_back(std::move(plan));
    join->children.push_back(std::move(items[i].plan));
    plan = std::move(join);
  }
  if (ExprPtr rest = AndOf(std::move(pending))) {
    plan = WrapPlan(PlanKind::kFilter, std::move(plan));
    plan->predicate = std::move(rest);
  }
  return plan;
}

}  // namespace plexus::sql
