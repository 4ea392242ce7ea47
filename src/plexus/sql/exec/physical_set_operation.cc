// INTERSECT [ALL] and EXCEPT [ALL] by hashing: the right input is counted per row key (row_codec's
// key parts, under which NULLs are equal, as set operations require), then the left input streams
// through the counts. Output rows are copied into full batches; their order is unspecified.
#include <string>
#include <unordered_map>

#include "plexus/base/assert.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_codec.h"

namespace plexus::sql {

namespace {

class SetOperationOperator final : public Operator {
 public:
  SetOperationOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right)
      : Operator(plan),
        left_(std::move(left)),
        right_(std::move(right)),
        left_batch_(left_->plan().types),
        right_batch_(right_->plan().types) {
    PLEXUS_ASSERT(plan.kind == PlanKind::kIntersect || plan.kind == PlanKind::kExcept);
    PLEXUS_ASSERT(left_->plan().types.size() == plan.types.size());
    PLEXUS_ASSERT(right_->plan().types.size() == plan.types.size());
  }

  // Counts the right input's rows by key; the left input then streams in Next.
  Status Open(ExecContext& context) override {
    PLEXUS_RETURN_IF_ERROR(left_->Open(context));
    PLEXUS_RETURN_IF_ERROR(right_->Open(context));
    counts_.clear();
    std::string key;
    while (true) {
      right_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(right_->Next(context, &right_batch_));
      if (right_batch_.rows() == 0) break;
      for (size_t row = 0; row < right_batch_.rows(); ++row) {
        PLEXUS_RETURN_IF_ERROR(RowKey(right_batch_, row, &key));
        ++counts_[key];
      }
    }
    left_batch_.Reset();
    left_row_ = 0;
    left_done_ = false;
    return Status::Ok();
  }

  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    std::string key;
    while (out->rows() < kBatchRowsMax && !left_done_) {
      if (left_row_ >= left_batch_.rows()) {
        // The rows copied into `out` own their bytes, so the left arena may be refilled.
        left_batch_.Reset();
        left_row_ = 0;
        PLEXUS_RETURN_IF_ERROR(left_->Next(context, &left_batch_));
        if (left_batch_.rows() == 0) left_done_ = true;
        continue;
      }
      const size_t row = left_row_++;
      PLEXUS_RETURN_IF_ERROR(RowKey(left_batch_, row, &key));
      if (!Emit(key)) continue;
      const size_t target = out->rows();
      for (size_t column = 0; column < out->column_count(); ++column) {
        out->column(column).CopyRow(left_batch_.column(column), row, target);
      }
      out->set_rows(target + 1);
    }
    return Status::Ok();
  }

 private:
  static Status RowKey(const Batch& batch, size_t row, std::string* key) {
    key->clear();
    for (size_t column = 0; column < batch.column_count(); ++column) {
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(batch.column(column), row, key));
    }
    return Status::Ok();
  }

  // Whether a left row with `key` is output, updating the counts. A count is how many more
  // copies of the row the right input can match (INTERSECT ALL) or cancel (EXCEPT ALL).
  bool Emit(const std::string& key) {
    auto found = counts_.find(key);
    const bool on_right = found != counts_.end() && found->second > 0;
    if (plan().kind == PlanKind::kIntersect) {
      if (!on_right) return false;
      // INTERSECT outputs a row once: zeroing its count drops the left's later copies.
      found->second = plan().set_all ? found->second - 1 : 0;
      return true;
    }
    if (plan().set_all) {
      if (!on_right) return true;
      --found->second;
      return false;
    }
    // EXCEPT: a key present at all (on the right, or already output) is not output again.
    if (found != counts_.end()) return false;
    counts_.emplace(key, 0);
    return true;
  }

  OperatorPtr left_;
  OperatorPtr right_;
  Batch left_batch_;
  Batch right_batch_;
  std::unordered_map<std::string, int64_t> counts_;
  size_t left_row_ = 0;
  bool left_done_ = false;
};

}  // namespace

OperatorPtr MakeSetOperationOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  return std::make_unique<SetOperationOperator>(plan, std::move(left), std::move(right));
}

}  // namespace plexus::sql
