// BuildOperator: one operator per plan node, children first (each wrapped in a counting one for
// EXPLAIN ANALYZE).
#include "plexus/sql/exec/operator.h"

#include <chrono>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// EXPLAIN ANALYZE: counts the rows, runs and time of the operator it wraps.
class CountingOperator final : public Operator {
 public:
  CountingOperator(OperatorPtr inner, OperatorStats* stats)
      : Operator(inner->plan()), inner_(std::move(inner)), stats_(stats) {}

  Status Open(ExecContext& context) override {
    const auto start = Clock::now();
    Status status = inner_->Open(context);
    ++stats_->loops;
    run_ms_ = Milliseconds(start);
    stats_->total_ms += run_ms_;
    first_row_pending_ = true;
    return status;
  }

  Status Next(ExecContext& context, Batch* out) override {
    const auto start = Clock::now();
    Status status = inner_->Next(context, out);
    const double elapsed = Milliseconds(start);
    run_ms_ += elapsed;
    stats_->total_ms += elapsed;
    stats_->rows += out->rows();
    if (first_row_pending_) {
      first_row_pending_ = false;
      stats_->startup_ms += run_ms_;
    }
    return status;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static double Milliseconds(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }

  OperatorPtr inner_;
  OperatorStats* stats_;
  double run_ms_ = 0;
  bool first_row_pending_ = false;
};

Result<OperatorPtr> BuildOne(const PlanNode& plan, OperatorStatsMap* stats);

}  // namespace

Result<std::unique_ptr<Operator>> BuildOperator(const PlanNode& plan, OperatorStatsMap* stats) {
  PLEXUS_ASSIGN_OR_RETURN(OperatorPtr built, BuildOne(plan, stats));
  if (stats == nullptr) return built;
  return OperatorPtr(std::make_unique<CountingOperator>(std::move(built), &(*stats)[&plan]));
}

namespace {

Result<OperatorPtr> BuildOne(const PlanNode& plan, OperatorStatsMap* stats) {
  std::vector<OperatorPtr> children;
  for (const auto& child : plan.children) {
    PLEXUS_ASSIGN_OR_RETURN(OperatorPtr built, BuildOperator(*child, stats));
    children.push_back(std::move(built));
  }
  auto child = [&]() { return std::move(children.at(0)); };
  switch (plan.kind) {
    case PlanKind::kOneRow:
    case PlanKind::kValues: return MakeValuesOperator(plan);
    case PlanKind::kTableScan:
      return plan.index >= 0 ? MakeIndexScanOperator(plan) : MakeTableScanOperator(plan);
    case PlanKind::kFilter: return MakeFilterOperator(plan, child());
    case PlanKind::kProject: return MakeProjectOperator(plan, child());
    case PlanKind::kAggregate: return MakeAggregateOperator(plan, child());
    case PlanKind::kSort: return MakeSortOperator(plan, child());
    case PlanKind::kLimit: return MakeLimitOperator(plan, child());
    case PlanKind::kLockRows: return MakeLockRowsOperator(plan, child());
    case PlanKind::kDistinct: return MakeDistinctOperator(plan, child());
    case PlanKind::kWindow: return MakeWindowOperator(plan, child());
    case PlanKind::kWorkTableScan: return MakeWorkTableScanOperator(plan);
    case PlanKind::kProjectSet:
    case PlanKind::kFunctionScan: return MakeTableFunctionOperator(plan, child());
    case PlanKind::kRecursiveUnion: {
      OperatorPtr initial = std::move(children.at(0));
      return MakeRecursiveUnionOperator(plan, std::move(initial), std::move(children.at(1)));
    }
    case PlanKind::kJoin: {
      OperatorPtr left = std::move(children.at(0));
      return MakeJoinOperator(plan, std::move(left), std::move(children.at(1)));
    }
    case PlanKind::kApply: {
      OperatorPtr input = std::move(children.at(0));
      return MakeApplyOperator(plan, std::move(input), std::move(children.at(1)));
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

}  // namespace

Result<Value> EvaluateConstant(ExecContext& context, const Expr& expr) {
  Batch one_row;
  one_row.set_rows(1);
  ExpressionEvaluator evaluator(expr);
  PLEXUS_ASSIGN_OR_RETURN(const Vector* result, evaluator.Evaluate(context, one_row, nullptr));
  return GetValue(*result, 0);
}

}  // namespace plexus::sql
