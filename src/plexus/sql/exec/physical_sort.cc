// Sort: evaluates the sort keys into columns after the row's, and orders the rows with an
// ExternalSorter (in memory, top-N under a LIMIT — ExecContext::row_bound —, or external merge
// past work_mem; see external_sort.h). NULLs sort per each key's NULLS FIRST/LAST; equal rows
// keep their input order.
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/external_sort.h"
#include "plexus/sql/exec/operators.h"

namespace plexus::sql {

namespace {

std::vector<Type> BufferTypes(const PlanNode& plan) {
  std::vector<Type> types = plan.types;
  for (const SortKey& key : plan.sort_keys) types.push_back(key.expr->type);
  return types;
}

std::vector<SortColumn> KeyColumns(const PlanNode& plan) {
  std::vector<SortColumn> keys;
  for (const SortKey& key : plan.sort_keys) {
    keys.push_back({plan.types.size() + keys.size(), key.descending, key.nulls_first});
  }
  return keys;
}

class SortOperator final : public Operator {
 public:
  SortOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), sorter_(BufferTypes(plan), KeyColumns(plan)),
        input_(BufferTypes(plan)), child_batch_(plan.types) {
    for (const SortKey& key : plan.sort_keys) keys_.emplace_back(*key.expr);
  }

  Status Open(ExecContext& context) override {
    sorter_.Reset();
    sorted_ = false;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (!sorted_) PLEXUS_RETURN_IF_ERROR(BufferAndSort(context));
    return sorter_.Next(context, out);
  }

 private:
  Status BufferAndSort(ExecContext& context) {
    const size_t width = plan().types.size();
    sorter_.Reset(context.row_bound(&plan()));
    while (true) {
      // The child fills the first `width` columns; the keys go after them.
      input_.Reset();
      child_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &child_batch_));
      if (child_batch_.rows() == 0) break;
      for (size_t i = 0; i < keys_.size(); ++i) {
        PLEXUS_ASSIGN_OR_RETURN(const Vector* key, keys_[i].Evaluate(context, child_batch_, nullptr));
        for (size_t row = 0; row < child_batch_.rows(); ++row) {
          input_.column(width + i).CopyRow(*key, row, row);
        }
      }
      for (size_t column = 0; column < width; ++column) {
        std::swap(input_.column(column), child_batch_.column(column));
      }
      input_.set_rows(child_batch_.rows());
      const Status added = sorter_.Add(context, input_);
      for (size_t column = 0; column < width; ++column) {
        std::swap(input_.column(column), child_batch_.column(column));
      }
      PLEXUS_RETURN_IF_ERROR(added);
    }
    PLEXUS_RETURN_IF_ERROR(sorter_.Finish(context));
    context.set_explain_note(&plan(), sorter_.Report());
    sorted_ = true;
    return Status::Ok();
  }

  OperatorPtr child_;
  std::vector<ExpressionEvaluator> keys_;
  ExternalSorter sorter_;
  Batch input_;
  Batch child_batch_;  // the child's columns; swapped into input_ to add the keys
  bool sorted_ = false;
};

}  // namespace

OperatorPtr MakeSortOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<SortOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
