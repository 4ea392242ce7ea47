// Sort: buffers the input with its sort keys, orders row indexes, then emits in order. NULLs
// sort per each key's NULLS FIRST/LAST. (Spilling past work_mem is a later item.)
#include <algorithm>
#include <numeric>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/vector_compare.h"

namespace plexus::sql {

namespace {

std::vector<Type> BufferTypes(const PlanNode& plan) {
  std::vector<Type> types = plan.types;
  for (const SortKey& key : plan.sort_keys) types.push_back(key.expr->type);
  return types;
}

class SortOperator final : public Operator {
 public:
  SortOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), buffer_(BufferTypes(plan)),
        input_(BufferTypes(plan)), child_batch_(plan.types) {
    for (const SortKey& key : plan.sort_keys) keys_.emplace_back(*key.expr);
  }

  Status Open(ExecContext& context) override {
    buffer_.Clear();
    order_.clear();
    next_ = 0;
    sorted_ = false;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (!sorted_) PLEXUS_RETURN_IF_ERROR(BufferAndSort(context));
    out->Reset();
    size_t rows = 0;
    for (; rows < kBatchRowsMax && next_ < order_.size(); ++rows, ++next_) {
      const size_t source = order_[next_];
      for (size_t column = 0; column < out->column_count(); ++column) {
        out->column(column).CopyRow(buffer_.column(source, column), RowBuffer::Slot(source), rows);
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  Status BufferAndSort(ExecContext& context) {
    const size_t width = plan().types.size();
    Batch& input = input_;
    while (true) {
      input.Reset();
      // The child fills the first `width` columns; the keys go after them.
      Batch& child_batch = child_batch_;
      child_batch.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &child_batch));
      if (child_batch.rows() == 0) break;
      for (size_t i = 0; i < keys_.size(); ++i) {
        PLEXUS_ASSIGN_OR_RETURN(const Vector* key, keys_[i].Evaluate(context, child_batch, nullptr));
        for (size_t row = 0; row < child_batch.rows(); ++row) {
          input.column(width + i).CopyRow(*key, row, row);
        }
      }
      for (size_t column = 0; column < width; ++column) {
        std::swap(input.column(column), child_batch.column(column));
      }
      input.set_rows(child_batch.rows());
      for (size_t row = 0; row < input.rows(); ++row) buffer_.Append(input, row);
      for (size_t column = 0; column < width; ++column) {
        std::swap(input.column(column), child_batch.column(column));
      }
    }
    order_.resize(buffer_.size());
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return Less(a, b, width); });
    sorted_ = true;
    return Status::Ok();
  }

  bool Less(size_t a, size_t b, size_t width) const {
    for (size_t i = 0; i < keys_.size(); ++i) {
      const SortKey& key = plan().sort_keys[i];
      const Vector& left = buffer_.column(a, width + i);
      const Vector& right = buffer_.column(b, width + i);
      const bool left_null = left.IsNull(RowBuffer::Slot(a));
      const bool right_null = right.IsNull(RowBuffer::Slot(b));
      if (left_null || right_null) {
        if (left_null == right_null) continue;
        return left_null == key.nulls_first;
      }
      int comparison = CompareSlots(left, RowBuffer::Slot(a), right, RowBuffer::Slot(b));
      if (comparison != 0) return key.descending ? comparison > 0 : comparison < 0;
    }
    return false;
  }

  OperatorPtr child_;
  std::vector<ExpressionEvaluator> keys_;
  RowBuffer buffer_;
  Batch input_;
  Batch child_batch_;  // the child's columns; swapped into input_ to add the keys
  std::vector<size_t> order_;
  size_t next_ = 0;
  bool sorted_ = false;
};

}  // namespace

OperatorPtr MakeSortOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<SortOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
