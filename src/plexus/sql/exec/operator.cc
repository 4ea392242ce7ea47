// BuildOperator: one operator per plan node, children first.
#include "plexus/sql/exec/operator.h"

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

Result<std::unique_ptr<Operator>> BuildOperator(const PlanNode& plan) {
  std::vector<OperatorPtr> children;
  for (const auto& child : plan.children) {
    PLEXUS_ASSIGN_OR_RETURN(OperatorPtr built, BuildOperator(*child));
    children.push_back(std::move(built));
  }
  auto child = [&]() { return std::move(children.at(0)); };
  switch (plan.kind) {
    case PlanKind::kOneRow:
    case PlanKind::kValues: return MakeValuesOperator(plan);
    case PlanKind::kTableScan: return MakeTableScanOperator(plan);
    case PlanKind::kFilter: return MakeFilterOperator(plan, child());
    case PlanKind::kProject: return MakeProjectOperator(plan, child());
    case PlanKind::kAggregate: return MakeAggregateOperator(plan, child());
    case PlanKind::kSort: return MakeSortOperator(plan, child());
    case PlanKind::kLimit: return MakeLimitOperator(plan, child());
    case PlanKind::kDistinct: return MakeDistinctOperator(plan, child());
    case PlanKind::kWindow: return MakeWindowOperator(plan, child());
    case PlanKind::kWorkTableScan: return MakeWorkTableScanOperator(plan);
    case PlanKind::kRecursiveUnion: {
      OperatorPtr initial = std::move(children.at(0));
      return MakeRecursiveUnionOperator(plan, std::move(initial), std::move(children.at(1)));
    }
    case PlanKind::kJoin: {
      OperatorPtr left = std::move(children.at(0));
      return MakeJoinOperator(plan, std::move(left), std::move(children.at(1)));
    }
    case PlanKind::kUnion: return MakeUnionOperator(plan, std::move(children));
    case PlanKind::kIntersect:
    case PlanKind::kExcept: {
      OperatorPtr left = std::move(children.at(0));
      return MakeSetOperationOperator(plan, std::move(left), std::move(children.at(1)));
    }
    case PlanKind::kInsert: return MakeInsertOperator(plan, child());
    case PlanKind::kUpdate: return MakeUpdateOperator(plan, child());
    case PlanKind::kDelete: return MakeDeleteOperator(plan, child());
  }
  return SqlError(kInternalError, "unknown plan node");
}

Result<Value> EvaluateConstant(ExecContext& context, const Expr& expr) {
  Batch one_row;
  one_row.set_rows(1);
  ExpressionEvaluator evaluator(expr);
  PLEXUS_ASSIGN_OR_RETURN(const Vector* result, evaluator.Evaluate(context, one_row, nullptr));
  return GetValue(*result, 0);
}

}  // namespace plexus::sql
