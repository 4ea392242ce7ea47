#include "plexus/sql/plan/plan_walk.h"

namespace plexus::sql {

namespace {

using Visit = std::function<Status(const PlanNode&)>;

Status VisitExpression(const Expr* expr, const Visit& visit) {
  if (expr == nullptr) return Status::Ok();
  if (expr->kind == ExprKind::kSubquery && expr->subquery) {
    PLEXUS_RETURN_IF_ERROR(visit(*expr->subquery));
  }
  for (const ExprPtr& arg : expr->args) PLEXUS_RETURN_IF_ERROR(VisitExpression(arg.get(), visit));
  return Status::Ok();
}

Status VisitExpressions(const std::vector<ExprPtr>& exprs, const Visit& visit) {
  for (const ExprPtr& expr : exprs) PLEXUS_RETURN_IF_ERROR(VisitExpression(expr.get(), visit));
  return Status::Ok();
}

}  // namespace

Status ForEachSubplan(const PlanNode& node, const Visit& visit) {
  for (const auto& child : node.children) PLEXUS_RETURN_IF_ERROR(visit(*child));
  PLEXUS_RETURN_IF_ERROR(VisitExpression(node.predicate.get(), visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpressions(node.expressions, visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpressions(node.groups, visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpressions(node.key_prefix, visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpression(node.key_lower.get(), visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpression(node.key_upper.get(), visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpression(node.limit.get(), visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpression(node.offset.get(), visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpressions(node.returning, visit));
  PLEXUS_RETURN_IF_ERROR(VisitExpressions(node.defaults, visit));
  for (const auto& row : node.rows) PLEXUS_RETURN_IF_ERROR(VisitExpressions(row, visit));
  for (const SortKey& key : node.sort_keys) {
    PLEXUS_RETURN_IF_ERROR(VisitExpression(key.expr.get(), visit));
  }
  for (const AggregateCall& call : node.aggregates) {
    PLEXUS_RETURN_IF_ERROR(VisitExpressions(call.args, visit));
    PLEXUS_RETURN_IF_ERROR(VisitExpression(call.filter.get(), visit));
    for (const SortKey& key : call.order) {
      PLEXUS_RETURN_IF_ERROR(VisitExpression(key.expr.get(), visit));
    }
  }
  for (const TableFunctionCall& call : node.functions) {
    PLEXUS_RETURN_IF_ERROR(VisitExpressions(call.args, visit));
  }
  return Status::Ok();
}

}  // namespace plexus::sql
