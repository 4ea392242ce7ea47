// Nested loop join: the right input is buffered once; each left row is paired with every
// buffered right batch and the join condition filters the pairs. LEFT joins emit an unmatched
// left row once, padded with NULLs. (Hash join for equality conditions is a later item.)
#include <algorithm>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

class JoinOperator final : public Operator {
 public:
  JoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right)
      : Operator(plan), left_(std::move(left)), right_(std::move(right)),
        left_batch_(left_->plan().types), right_rows_(right_->plan().types),
        right_batch_(right_->plan().types) {
    if (plan.predicate) predicate_ = std::make_unique<ExpressionEvaluator>(*plan.predicate);
  }

  Status Open(ExecContext& context) override {
    PLEXUS_RETURN_IF_ERROR(left_->Open(context));
    PLEXUS_RETURN_IF_ERROR(right_->Open(context));
    right_rows_.Clear();
    while (true) {
      right_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(right_->Next(context, &right_batch_));
      if (right_batch_.rows() == 0) break;
      for (size_t row = 0; row < right_batch_.rows(); ++row) right_rows_.Append(right_batch_, row);
    }
    left_batch_.Reset();
    left_row_ = 0;
    right_chunk_ = 0;
    matched_ = false;
    return Status::Ok();
  }

  Status Next(ExecContext& context, Batch* out) override {
    const size_t left_width = left_->plan().types.size();
    while (true) {
      if (left_row_ >= left_batch_.rows()) {
        left_batch_.Reset();
        PLEXUS_RETURN_IF_ERROR(left_->Next(context, &left_batch_));
        if (left_batch_.rows() == 0) {
          out->Reset();
          return Status::Ok();
        }
        left_row_ = 0;
        right_chunk_ = 0;
        matched_ = false;
      }
      if (right_chunk_ < right_rows_.chunk_count()) {
        PLEXUS_RETURN_IF_ERROR(PairWithChunk(context, out, left_width));
        ++right_chunk_;
        if (out->rows() > 0) return Status::Ok();
        continue;
      }
      // Every right chunk has been paired with this left row.
      const bool emit_unmatched = plan().join_type == JoinType::kLeft && !matched_;
      if (emit_unmatched) EmitLeftWithNulls(out, left_width);
      ++left_row_;
      right_chunk_ = 0;
      matched_ = false;
      if (emit_unmatched) return Status::Ok();
    }
  }

 private:
  Status PairWithChunk(ExecContext& context, Batch* out, size_t left_width) {
    out->Reset();
    const Batch& chunk = right_rows_.chunk(right_chunk_);
    const size_t rows = chunk.rows();
    for (size_t column = 0; column < left_width; ++column) {
      FillValue(&out->column(column), rows, GetValue(left_batch_.column(column), left_row_));
      if (out->column(column).physical() == PhysicalType::kString &&
          !left_batch_.column(column).IsNull(left_row_)) {
        // FillValue does not copy strings; point at the left batch's bytes instead.
        std::fill_n(out->column(column).values<std::string_view>(), rows,
                    left_batch_.column(column).GetString(left_row_));
      }
    }
    for (size_t column = 0; column < chunk.column_count(); ++column) {
      Vector& target = out->column(left_width + column);
      for (size_t row = 0; row < rows; ++row) target.CopyRow(chunk.column(column), row, row);
    }
    out->set_rows(rows);
    if (predicate_) {
      PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, *out, keep_));
      out->Compact(keep_);
    }
    if (out->rows() > 0) matched_ = true;
    return Status::Ok();
  }

  void EmitLeftWithNulls(Batch* out, size_t left_width) {
    out->Reset();
    for (size_t column = 0; column < left_width; ++column) {
      out->column(column).CopyRow(left_batch_.column(column), left_row_, 0);
    }
    for (size_t column = left_width; column < out->column_count(); ++column) {
      out->column(column).SetNull(0, true);
    }
    out->set_rows(1);
  }

  OperatorPtr left_;
  OperatorPtr right_;
  std::unique_ptr<ExpressionEvaluator> predicate_;
  Batch left_batch_;
  RowBuffer right_rows_;
  Batch right_batch_;
  size_t left_row_ = 0;
  size_t right_chunk_ = 0;
  bool matched_ = false;
  uint8_t keep_[kBatchRowsMax];
};

}  // namespace

OperatorPtr MakeJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  return std::make_unique<JoinOperator>(plan, std::move(left), std::move(right));
}

}  // namespace plexus::sql
