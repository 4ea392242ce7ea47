// WITH RECURSIVE: the recursive union runs its first child once, then its second child round
// after round, each round reading (through a work table scan) the rows the previous round added,
// until a round adds nothing. Without ALL, rows seen before are dropped (so cycles end).
#include <unordered_set>

#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

class RecursiveUnionOperator final : public Operator {
 public:
  RecursiveUnionOperator(const PlanNode& plan, OperatorPtr initial, OperatorPtr recursive)
      : Operator(plan), initial_(std::move(initial)), recursive_(std::move(recursive)) {}

  Status Open(ExecContext& context) override {
    seen_.clear();
    work_ = std::make_unique<RowBuffer>(plan().types);
    next_work_ = std::make_unique<RowBuffer>(plan().types);
    in_recursive_term_ = false;
    return initial_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    while (true) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      Operator& source = in_recursive_term_ ? *recursive_ : *initial_;
      PLEXUS_RETURN_IF_ERROR(source.Next(context, out));
      if (out->rows() > 0) {
        PLEXUS_RETURN_IF_ERROR(KeepNew(out));
        if (out->rows() > 0) return Status::Ok();
        continue;
      }
      // This round is over: the next one reads what it added.
      if (next_work_->size() == 0) return Status::Ok();
      std::swap(work_, next_work_);
      next_work_->Clear();
      auto& tables = context.work_tables();
      const size_t id = static_cast<size_t>(plan().work_table);
      if (tables.size() <= id) tables.resize(id + 1, nullptr);
      tables[id] = work_.get();
      in_recursive_term_ = true;
      PLEXUS_RETURN_IF_ERROR(recursive_->Open(context));
    }
  }

 private:
  // Drops rows seen before (UNION without ALL) and records the rest for the next round.
  Status KeepNew(Batch* batch) {
    if (!plan().set_all) {
      std::string key;
      for (size_t row = 0; row < batch->rows(); ++row) {
        key.clear();
        for (size_t column = 0; column < batch->column_count(); ++column) {
          PLEXUS_RETURN_IF_ERROR(AppendKeyPart(batch->column(column), row, &key));
        }
        keep_[row] = seen_.insert(key).second;
      }
      batch->Compact(keep_);
    }
    for (size_t row = 0; row < batch->rows(); ++row) next_work_->Append(*batch, row);
    return Status::Ok();
  }

  OperatorPtr initial_;
  OperatorPtr recursive_;
  std::unique_ptr<RowBuffer> work_;       // the previous round's rows
  std::unique_ptr<RowBuffer> next_work_;  // this round's rows
  std::unordered_set<std::string> seen_;
  bool in_recursive_term_ = false;
  uint8_t keep_[kBatchRowsMax];
};

class WorkTableScanOperator final : public Operator {
 public:
  explicit WorkTableScanOperator(const PlanNode& plan) : Operator(plan) {}

  Status Open(ExecContext& context) override {
    const auto& tables = context.work_tables();
    const size_t id = static_cast<size_t>(plan().work_table);
    table_ = id < tables.size() ? tables[id] : nullptr;
    chunk_ = 0;
    return Status::Ok();
  }

  Status Next(ExecContext&, Batch* out) override {
    out->Reset();
    if (table_ == nullptr || chunk_ >= table_->chunk_count()) return Status::Ok();
    const Batch& chunk = table_->chunk(chunk_++);
    for (size_t column = 0; column < out->column_count(); ++column) {
      for (size_t row = 0; row < chunk.rows(); ++row) {
        out->column(column).CopyRow(chunk.column(column), row, row);
      }
    }
    out->set_rows(chunk.rows());
    return Status::Ok();
  }

 private:
  const RowBuffer* table_ = nullptr;
  size_t chunk_ = 0;
};

}  // namespace

OperatorPtr MakeRecursiveUnionOperator(const PlanNode& plan, OperatorPtr initial,
                                       OperatorPtr recursive) {
  return std::make_unique<RecursiveUnionOperator>(plan, std::move(initial), std::move(recursive));
}

OperatorPtr MakeWorkTableScanOperator(const PlanNode& plan) {
  return std::make_unique<WorkTableScanOperator>(plan);
}

}  // namespace plexus::sql
