// The streaming operators: VALUES / one row, filter, projection, limit, union.
#include <algorithm>
#include <cstring>
#include <optional>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/key_range.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// Copies slots of `from` into `to` for rows [0, rows) (strings stay in the source's arena).
void CopySlots(const Vector& from, size_t rows, Vector* to) {
  std::memcpy(to->nulls(), from.nulls(), rows);
  std::memcpy(to->values<uint8_t>(), from.values<uint8_t>(), rows * PhysicalWidth(to->physical()));
}

class ValuesOperator final : public Operator {
 public:
  using Operator::Operator;
  Status Open(ExecContext&) override {
    next_row_ = 0;
    if (cells_.empty()) {
      for (const auto& row : plan().rows) {
        std::vector<Cell> cells;
        for (const ExprPtr& value : row) {
          Cell& cell = cells.emplace_back();
          // A constant or a parameter is stored as it is (an INSERT of many rows, COPY's
          // VALUES of parameters): no evaluator, whose vectors would be allocated per cell.
          if (value->kind == ExprKind::kConstant || value->kind == ExprKind::kParameter) {
            cell.direct = value.get();
          } else {
            cell.evaluator = std::make_unique<ExpressionEvaluator>(*value);
          }
        }
        cells_.push_back(std::move(cells));
      }
    }
    return Status::Ok();
  }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    if (plan().kind == PlanKind::kOneRow) {
      out->set_rows(next_row_++ == 0 ? 1 : 0);
      return Status::Ok();
    }
    Batch one_row;
    one_row.set_rows(1);
    size_t rows = 0;
    while (next_row_ < cells_.size() && rows < kBatchRowsMax) {
      std::vector<Cell>& row = cells_[next_row_++];
      for (size_t column = 0; column < row.size(); ++column) {
        if (const Expr* direct = row[column].direct) {
          if (direct->kind == ExprKind::kConstant) {
            SetValue(&out->column(column), rows, direct->constant);
            continue;
          }
          if (direct->parameter >= context.parameters().size()) {
            return SqlError(kUndefinedParameter,
                            "there is no parameter $" + std::to_string(direct->parameter + 1));
          }
          SetValue(&out->column(column), rows, context.parameters()[direct->parameter]);
          continue;
        }
        PLEXUS_ASSIGN_OR_RETURN(const Vector* value,
                                row[column].evaluator->Evaluate(context, one_row, nullptr));
        out->column(column).CopyRow(*value, 0, rows);
      }
      ++rows;
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  struct Cell {
    const Expr* direct = nullptr;  // a constant or parameter, stored without evaluation
    std::unique_ptr<ExpressionEvaluator> evaluator;
  };
  size_t next_row_ = 0;
  std::vector<std::vector<Cell>> cells_;
};

class FilterOperator final : public Operator {
 public:
  FilterOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)) {
    // Conditions a primary key range scan below already applied are not tested again.
    std::optional<ExprPtr> residual = ResidualFilter(plan);
    if (!residual) {
      predicate_.emplace(*plan.predicate);
    } else if (*residual) {
      residual_ = std::move(*residual);
      predicate_.emplace(*residual_);
    }
  }
  Status Open(ExecContext& context) override { return child_->Open(context); }
  Status Next(ExecContext& context, Batch* out) override {
    while (true) {
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, out));
      if (out->rows() == 0 || !predicate_) return Status::Ok();
      PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, *out, keep_));
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

 private:
  OperatorPtr child_;
  ExprPtr residual_;  // what predicate_ tests when it is not the plan's whole predicate
  std::optional<ExpressionEvaluator> predicate_;  // none: the scan below enforces it all
  uint8_t keep_[kBatchRowsMax];
};

class ProjectOperator final : public Operator {
 public:
  ProjectOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types) {
    for (const ExprPtr& expr : plan.expressions) evaluators_.emplace_back(*expr);
  }
  Status Open(ExecContext& context) override { return child_->Open(context); }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    input_.Reset();
    PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
    for (size_t i = 0; i < evaluators_.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(const Vector* value,
                              evaluators_[i].Evaluate(context, input_, nullptr));
      CopySlots(*value, input_.rows(), &out->column(i));
    }
    out->set_rows(input_.rows());
    return Status::Ok();
  }

 private:
  OperatorPtr child_;
  Batch input_;
  std::vector<ExpressionEvaluator> evaluators_;
};

class LimitOperator final : public Operator {
 public:
  LimitOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)) {}
  Status Open(ExecContext& context) override {
    limit_ = -1;
    to_skip_ = 0;
    if (plan().limit) {
      PLEXUS_ASSIGN_OR_RETURN(Value limit, EvaluateConstant(context, *plan().limit));
      if (!limit.is_null()) limit_ = limit.integer_value();
      if (limit_ < -1 || (!limit.is_null() && limit_ < 0)) {
        return SqlError(kInvalidRowCountInLimitClause, "LIMIT must not be negative");
      }
    }
    if (plan().offset) {
      PLEXUS_ASSIGN_OR_RETURN(Value offset, EvaluateConstant(context, *plan().offset));
      if (!offset.is_null()) to_skip_ = offset.integer_value();
      if (to_skip_ < 0) {
        return SqlError(kInvalidRowCountInResultOffsetClause, "OFFSET must not be negative");
      }
    }
    // A sort below (through projections) needs to order only the rows read: top-N.
    const PlanNode* below = &child_->plan();
    while (below->kind == PlanKind::kProject && !below->children.empty()) {
      below = below->children[0].get();
    }
    context.set_row_bound(
        below, limit_ > 0 ? static_cast<uint64_t>(limit_) + static_cast<uint64_t>(to_skip_) : 0);
    return child_->Open(context);
  }
  Status Next(ExecContext& context, Batch* out) override {
    while (true) {
      if (limit_ == 0) {
        out->Reset();
        return Status::Ok();
      }
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, out));
      if (out->rows() == 0) return Status::Ok();
      size_t rows = out->rows();
      size_t skip = static_cast<size_t>(std::min<int64_t>(to_skip_, static_cast<int64_t>(rows)));
      to_skip_ -= static_cast<int64_t>(skip);
      std::fill_n(keep_, rows, 1);
      std::fill_n(keep_, skip, 0);
      size_t kept = rows - skip;
      if (limit_ >= 0 && static_cast<int64_t>(kept) > limit_) {
        std::fill(keep_ + skip + limit_, keep_ + rows, 0);
        kept = static_cast<size_t>(limit_);
      }
      if (limit_ >= 0) limit_ -= static_cast<int64_t>(kept);
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

 private:
  OperatorPtr child_;
  int64_t limit_ = -1;  // -1: no limit
  int64_t to_skip_ = 0;
  uint8_t keep_[kBatchRowsMax];
};

class UnionOperator final : public Operator {
 public:
  UnionOperator(const PlanNode& plan, std::vector<OperatorPtr> children)
      : Operator(plan), children_(std::move(children)) {}
  Status Open(ExecContext& context) override {
    current_ = 0;
    for (auto& child : children_) PLEXUS_RETURN_IF_ERROR(child->Open(context));
    return Status::Ok();
  }
  Status Next(ExecContext& context, Batch* out) override {
    while (current_ < children_.size()) {
      PLEXUS_RETURN_IF_ERROR(children_[current_]->Next(context, out));
      if (out->rows() > 0) return Status::Ok();
      ++current_;
    }
    out->Reset();
    return Status::Ok();
  }

 private:
  std::vector<OperatorPtr> children_;
  size_t current_ = 0;
};

}  // namespace

OperatorPtr MakeValuesOperator(const PlanNode& plan) {
  return std::make_unique<ValuesOperator>(plan);
}
OperatorPtr MakeFilterOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<FilterOperator>(plan, std::move(child));
}
OperatorPtr MakeProjectOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<ProjectOperator>(plan, std::move(child));
}
OperatorPtr MakeLimitOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<LimitOperator>(plan, std::move(child));
}
OperatorPtr MakeUnionOperator(const PlanNode& plan, std::vector<OperatorPtr> children) {
  return std::make_unique<UnionOperator>(plan, std::move(children));
}

}  // namespace plexus::sql
