// LATERAL subqueries in FROM (kApply): the subquery runs once per input row, with that row as
// its enclosing query's (the row is on ExecContext::outer_rows() only while the subquery's
// operators run, so that subqueries above this operator see their own enclosing rows).
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/vector_value.h"

namespace plexus::sql {

namespace {

class ApplyOperator final : public Operator {
 public:
  ApplyOperator(const PlanNode& plan, OperatorPtr input, OperatorPtr subquery)
      : Operator(plan),
        input_(std::move(input)),
        subquery_(std::move(subquery)),
        input_batch_(input_->plan().types),
        subquery_batch_(subquery_->plan().types) {
    if (plan.predicate) predicate_.emplace(*plan.predicate);
  }

  Status Open(ExecContext& context) override {
    input_batch_.Reset();
    input_row_ = 0;
    running_ = false;
    return input_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    const size_t width = input_batch_.column_count();
    while (out->rows() == 0) {
      if (!running_) {
        if (input_row_ >= input_batch_.rows()) {
          input_batch_.Reset();
          input_row_ = 0;
          PLEXUS_RETURN_IF_ERROR(input_->Next(context, &input_batch_));
          if (input_batch_.rows() == 0) return Status::Ok();
        }
        outer_row_.clear();
        for (int32_t column : plan().column_map) {
          outer_row_.push_back(GetValue(input_batch_.column(column), input_row_));
        }
        PLEXUS_RETURN_IF_ERROR(WithOuterRow(context, [&] { return subquery_->Open(context); }));
        running_ = true;
        matched_ = false;
      }
      subquery_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(
          WithOuterRow(context, [&] { return subquery_->Next(context, &subquery_batch_); }));
      const size_t rows = subquery_batch_.rows();
      if (rows == 0) {
        running_ = false;
        if (plan().join_type == JoinType::kLeft && !matched_) {  // the row alone, padded
          for (size_t c = 0; c < width; ++c) {
            out->column(c).CopyRow(input_batch_.column(c), input_row_, 0);
          }
          for (size_t c = width; c < out->column_count(); ++c) out->column(c).SetNull(0, true);
          out->set_rows(1);
        }
        ++input_row_;
        continue;
      }
      for (size_t c = 0; c < width; ++c) {
        for (size_t row = 0; row < rows; ++row) {
          out->column(c).CopyRow(input_batch_.column(c), input_row_, row);
        }
      }
      for (size_t c = 0; c < subquery_batch_.column_count(); ++c) {
        for (size_t row = 0; row < rows; ++row) {
          out->column(width + c).CopyRow(subquery_batch_.column(c), row, row);
        }
      }
      out->set_rows(rows);
      if (predicate_) {
        PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, *out, keep_));
        out->Compact(keep_);
      }
      matched_ |= out->rows() > 0;
    }
    return Status::Ok();
  }

 private:
  template <typename Run>
  Status WithOuterRow(ExecContext& context, const Run& run) {
    context.outer_rows().push_back(std::move(outer_row_));
    Status status = run();
    outer_row_ = std::move(context.outer_rows().back());
    context.outer_rows().pop_back();
    return status;
  }

  OperatorPtr input_;
  OperatorPtr subquery_;
  Batch input_batch_;
  size_t input_row_ = 0;
  Batch subquery_batch_;
  std::vector<Value> outer_row_;  // the current input row, as the subquery's scope had it
  bool running_ = false;          // the subquery is open for input_row_
  bool matched_ = false;          // it gave input_row_ a row that passed the predicate
  std::optional<ExpressionEvaluator> predicate_;
  uint8_t keep_[kBatchRowsMax];
};

}  // namespace

OperatorPtr MakeApplyOperator(const PlanNode& plan, OperatorPtr input, OperatorPtr subquery) {
  return std::make_unique<ApplyOperator>(plan, std::move(input), std::move(subquery));
}

}  // namespace plexus::sql
