#include "plexus/sql/plan/point_read.h"

#include "plexus/sql/func/function.h"

namespace plexus::sql {

namespace {

bool WithoutEffects(const Expr* expr) {
  if (expr == nullptr) return true;
  if (expr->kind == ExprKind::kSubquery) return false;
  if (expr->kind == ExprKind::kCall && (expr->function == nullptr || expr->function->volatile_)) {
    return false;
  }
  for (const ExprPtr& arg : expr->args) {
    if (!WithoutEffects(arg.get())) return false;
  }
  return WithoutEffects(expr->compare.get());
}

bool AllWithoutEffects(const std::vector<ExprPtr>& exprs) {
  for (const ExprPtr& expr : exprs) {
    if (!WithoutEffects(expr.get())) return false;
  }
  return true;
}

bool IsUniqueKeyLookup(const PlanNode& scan) {
  if (!scan.table || scan.lock_rows || scan.key_lower || scan.key_upper) return false;
  const catalog::TableDef& table = *scan.table;
  if (scan.index >= 0) {
    const auto& index = table.indexes[static_cast<size_t>(scan.index)];
    return index.unique && scan.key_prefix.size() == index.columns.size();
  }
  return !table.primary_key.empty() && scan.key_prefix.size() == table.primary_key.size();
}

}  // namespace

bool IsPointRead(const PlanNode& plan) {
  switch (plan.kind) {
    case PlanKind::kOneRow:
      return true;
    case PlanKind::kValues:
      for (const std::vector<ExprPtr>& row : plan.rows) {
        if (!AllWithoutEffects(row)) return false;
      }
      return true;
    case PlanKind::kTableScan:
      return IsUniqueKeyLookup(plan) && AllWithoutEffects(plan.key_prefix);
    case PlanKind::kFilter:
      if (!WithoutEffects(plan.predicate.get())) return false;
      break;
    case PlanKind::kProject:
      if (!AllWithoutEffects(plan.expressions)) return false;
      break;
    case PlanKind::kLimit:
      if (!WithoutEffects(plan.limit.get()) || !WithoutEffects(plan.offset.get())) return false;
      break;
    default:
      return false;
  }
  return plan.children.size() == 1 && IsPointRead(*plan.children[0]);
}

bool IsSingleKeyRead(const PlanNode& plan) {
  switch (plan.kind) {
    case PlanKind::kOneRow:
    case PlanKind::kValues:
      return true;
    case PlanKind::kTableScan:
      return plan.index < 0;
    case PlanKind::kFilter:
    case PlanKind::kProject:
    case PlanKind::kLimit:
      return plan.children.size() == 1 && IsSingleKeyRead(*plan.children[0]);
    default:
      return false;
  }
}

}  // namespace plexus::sql
