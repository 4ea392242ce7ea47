// UPDATE and DELETE: read the rows to change (the table's columns, each row's key, then any
// FROM/USING columns), compute the new rows, then apply every change at once so that the scan
// never sees the statement's own writes. A row joined to several FROM rows changes once.
#include <unordered_set>

#include "plexus/sql/exec/constraints.h"
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/physical_table.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/table_writes.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

class ModifyOperator final : public Operator {
 public:
  ModifyOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types),
        row_(TableTypes(*plan.table)), returned_(TableTypes(*plan.table)),
        old_rows_(TableTypes(*plan.table)), new_rows_(TableTypes(*plan.table)), checks_(plan),
        foreign_keys_(plan.table) {
    for (const ExprPtr& expr : plan.expressions) {
      setters_.push_back(expr ? std::make_unique<ExpressionEvaluator>(*expr) : nullptr);
    }
    for (const ExprPtr& expr : plan.returning) returning_.emplace_back(*expr);
  }

  Status Open(ExecContext& context) override {
    applied_ = false;
    next_chunk_ = 0;
    returned_.Clear();
    old_rows_.Clear();
    new_rows_.Clear();
    seen_.clear();
    if (plan().kind == PlanKind::kUpdate && foreign_keys_.references()) {
      PLEXUS_RETURN_IF_ERROR(foreign_keys_.PrepareReferences(context));
    }
    PLEXUS_RETURN_IF_ERROR(foreign_keys_.PrepareReferencing(context));
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    if (!applied_) {
      PLEXUS_RETURN_IF_ERROR(CollectAndApply(context));
      applied_ = true;
    }
    if (returning_.empty() || next_chunk_ >= returned_.chunk_count()) return Status::Ok();
    const Batch& chunk = returned_.chunk(next_chunk_++);
    return EmitReturning(context, returning_, chunk, out);
  }

 private:
  Status CollectAndApply(ExecContext& context) {
    std::vector<std::pair<std::string, std::string>> writes;  // key -> new row ("" = delete)
    const catalog::TableDef& table = *plan().table;
    const size_t key_column = static_cast<size_t>(plan().row_key_column);
    const bool is_delete = plan().kind == PlanKind::kDelete;
    const size_t prefix_bytes = TableKeyPrefix(table.id).size();
    while (true) {
      input_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      if (input_.rows() == 0) break;
      if (!is_delete) {
        PLEXUS_RETURN_IF_ERROR(ComputeNewRows(context));
        PLEXUS_RETURN_IF_ERROR(checks_.Check(context, row_, input_.rows()));
      }
      const bool keep_rows = foreign_keys_.referenced() || (!is_delete && foreign_keys_.references());
      for (size_t row = 0; row < input_.rows(); ++row) {
        std::string old_key(input_.column(key_column).GetString(row));
        if (!seen_.insert(old_key).second) continue;  // joined to several FROM rows
        if (keep_rows) {
          old_rows_.Append(input_, row);
          if (!is_delete) new_rows_.Append(row_, row);
        }
        if (!table.indexes.empty()) {
          PLEXUS_RETURN_IF_ERROR(IndexEntries(table, input_, row,
                                              std::string_view(old_key).substr(prefix_bytes),
                                              &old_entries_));
        }
        if (is_delete) {
          if (!returning_.empty()) returned_.Append(input_, row);
          writes.emplace_back(std::move(old_key), "");
          continue;
        }
        PLEXUS_RETURN_IF_ERROR(CheckNotNull(table, row_, row));
        if (!returning_.empty()) returned_.Append(row_, row);
        std::string encoded = EncodeTableRow(table, row_, row);
        std::string new_key = old_key;
        if (!table.primary_key.empty()) {
          PLEXUS_ASSIGN_OR_RETURN(new_key, PrimaryKeyOf(table, row_, row));
        }
        if (!table.indexes.empty()) {
          PLEXUS_RETURN_IF_ERROR(IndexEntries(table, row_, row,
                                              std::string_view(new_key).substr(prefix_bytes),
                                              &new_entries_));
        }
        if (new_key != old_key) {
          // The primary key changed: the row moves.
          writes.emplace_back(std::move(old_key), "");
          moved_.emplace_back(std::move(new_key), std::move(encoded));
        } else {
          writes.emplace_back(std::move(old_key), std::move(encoded));
        }
      }
    }
    PLEXUS_RETURN_IF_ERROR(Apply(context, writes));
    // Foreign keys once the statement's rows are written.
    if (!is_delete && foreign_keys_.references()) {
      for (size_t row = 0; row < new_rows_.size(); ++row) {
        PLEXUS_RETURN_IF_ERROR(foreign_keys_.CheckReferences(
            context, new_rows_.chunk(row / kBatchRowsMax), RowBuffer::Slot(row)));
      }
    }
    if (foreign_keys_.referenced()) {
      PLEXUS_RETURN_IF_ERROR(foreign_keys_.OnRemoved(context, old_rows_, is_delete ? nullptr : &new_rows_));
    }
    return Status::Ok();
  }

  Status ComputeNewRows(ExecContext& context) {
    row_.Reset();
    row_.set_rows(input_.rows());
    for (size_t column = 0; column < setters_.size(); ++column) {
      const Vector* value = &input_.column(column);
      if (setters_[column]) {
        PLEXUS_ASSIGN_OR_RETURN(value, setters_[column]->Evaluate(context, input_, nullptr));
      }
      for (size_t row = 0; row < input_.rows(); ++row) row_.column(column).CopyRow(*value, row, row);
    }
    return Status::Ok();
  }

  Status Apply(ExecContext& context,
               const std::vector<std::pair<std::string, std::string>>& writes) {
    // Every old index entry goes before any new one is checked, so that an UPDATE may move
    // unique values between its own rows.
    PLEXUS_RETURN_IF_ERROR(DeleteIndexEntries(context.transaction(), old_entries_));
    old_entries_.clear();
    for (const auto& [key, row] : writes) {
      if (row.empty()) {
        PLEXUS_RETURN_IF_ERROR(context.transaction().Delete(storage::Family::kRows, key));
      } else {
        PLEXUS_RETURN_IF_ERROR(context.transaction().Put(storage::Family::kRows, key, row));
      }
    }
    for (const auto& [key, row] : moved_) {
      std::string existing;
      Status found = context.transaction().GetForUpdate(storage::Family::kRows, key, &existing);
      if (found.ok()) {
        return SqlError(kUniqueViolation, "duplicate key value violates unique constraint \"" +
                                              plan().table->primary_key_name + "\"");
      }
      if (!found.IsNotFound()) return found;
      PLEXUS_RETURN_IF_ERROR(context.transaction().Put(storage::Family::kRows, key, row));
    }
    PLEXUS_RETURN_IF_ERROR(PutIndexEntries(context.transaction(), new_entries_));
    new_entries_.clear();
    context.affected_rows() += writes.size();
    moved_.clear();
    return Status::Ok();
  }

  OperatorPtr child_;
  Batch input_;
  Batch row_;
  RowBuffer returned_;  // rows for RETURNING: UPDATE's new rows, DELETE's old ones
  RowBuffer old_rows_;  // for foreign keys: the rows changed, before and after
  RowBuffer new_rows_;
  CheckConstraints checks_;
  ForeignKeys foreign_keys_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> setters_;
  std::vector<ExpressionEvaluator> returning_;
  std::unordered_set<std::string> seen_;  // keys of rows already changed
  std::vector<std::pair<std::string, std::string>> moved_;
  std::vector<IndexEntry> old_entries_;  // of the rows read
  std::vector<IndexEntry> new_entries_;  // of the rows written by an UPDATE
  size_t next_chunk_ = 0;
  bool applied_ = false;
};

}  // namespace

OperatorPtr MakeUpdateOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<ModifyOperator>(plan, std::move(child));
}
OperatorPtr MakeDeleteOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<ModifyOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
