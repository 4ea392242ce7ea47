// Table scan and INSERT (with ON CONFLICT and RETURNING).
#include <optional>
#include <string>
#include <unordered_set>

#include "plexus/sql/exec/constraints.h"
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/key_range.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/physical_table.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/row_locks.h"
#include "plexus/sql/exec/table_writes.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

class TableScanOperator final : public Operator {
 public:
  explicit TableScanOperator(const PlanNode& plan) : Operator(plan), range_(plan) {}

  Status Open(ExecContext& context) override {
    PLEXUS_ASSIGN_OR_RETURN(
        KeyRangeEvaluator::Range range,
        range_.Evaluate(context, TableKeyPrefix(plan().table->id),
                        [](const Vector& value, size_t, std::string* key) {
                          return AppendKeyPart(value, 0, key);
                        }));
    point_done_ = false;
    point_key_.reset();
    if (!range.empty && !range_.bounded() && !plan().table->primary_key.empty() &&
        range_.prefix_parts() == plan().table->primary_key.size()) {
      // The whole primary key is fixed: at most one row, read with a point lookup (bloom
      // filters, no iterator to build) instead of a range scan.
      point_key_ = std::move(range.prefix);
      iterator_.reset();
      return Status::Ok();
    }
    PLEXUS_ASSIGN_OR_RETURN(
        iterator_, context.transaction().Scan(storage::Family::kRows, range.start, range.end));
    return Status::Ok();
  }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    const size_t table_columns = plan().table->columns.size();
    if (point_key_) return NextPoint(context, table_columns, out);
    size_t rows = 0;
    std::string latest;
    for (; rows < kBatchRowsMax && iterator_->Valid(); iterator_->Next()) {
      std::string_view value = iterator_->value();
      if (plan().lock_rows) {
        // The rows of an UPDATE or DELETE: locked, and read as they are now.
        PLEXUS_ASSIGN_OR_RETURN(const RowLockResult locked,
                                LockRow(context, plan().locking, plan().table->name,
                                        iterator_->key(), &latest));
        if (locked != RowLockResult::kLocked) continue;  // deleted since read, or SKIP LOCKED
        value = latest;
      }
      out->set_rows(rows + 1);
      PLEXUS_RETURN_IF_ERROR(DecodeRow(value, out, rows));
      SetRowKey(iterator_->key(), value, table_columns, out, rows);
      ++rows;
    }
    PLEXUS_RETURN_IF_ERROR(iterator_->status());
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  Status NextPoint(ExecContext& context, size_t table_columns, Batch* out) {
    if (point_done_) return Status::Ok();
    point_done_ = true;
    // The row of an UPDATE or DELETE is locked, and read as it is now.
    if (plan().lock_rows) {
      PLEXUS_ASSIGN_OR_RETURN(const RowLockResult locked,
                              LockRow(context, plan().locking, plan().table->name, *point_key_,
                                      &point_value_));
      if (locked != RowLockResult::kLocked) return Status::Ok();
    } else {
      const Status found =
          context.transaction().Get(storage::Family::kRows, *point_key_, &point_value_);
      if (found.IsNotFound()) return Status::Ok();
      PLEXUS_RETURN_IF_ERROR(found);
    }
    out->set_rows(1);
    PLEXUS_RETURN_IF_ERROR(DecodeRow(point_value_, out, 0));
    SetRowKey(*point_key_, point_value_, table_columns, out, 0);
    return Status::Ok();
  }

  // The row's storage key (row_keys) and stored bytes (row_values) after its columns.
  void SetRowKey(std::string_view key, std::string_view value, size_t table_columns, Batch* out,
                 size_t row) const {
    if (!plan().row_keys) return;
    out->column(table_columns).SetString(row, key);
    if (plan().row_values) out->column(table_columns + 1).SetString(row, value);
  }

  KeyRangeEvaluator range_;
  std::unique_ptr<txn::Iterator> iterator_;
  std::optional<std::string> point_key_;  // set when the scan reads one primary key
  // The row read by key: kept, with its capacity, for the next execution of a prepared plan.
  std::string point_value_;
  bool point_done_ = false;
};

}  // namespace

Status EmitReturning(ExecContext& context, std::vector<ExpressionEvaluator>& returning,
                     const Batch& written, Batch* out) {
  for (size_t i = 0; i < returning.size(); ++i) {
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value, returning[i].Evaluate(context, written, nullptr));
    for (size_t row = 0; row < written.rows(); ++row) out->column(i).CopyRow(*value, row, row);
  }
  out->set_rows(written.rows());
  return Status::Ok();
}

namespace {

class InsertOperator final : public Operator {
 public:
  InsertOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types), checks_(plan),
        foreign_keys_(plan.table) {
    // Batches are allocated per execution (a prepared single-row INSERT builds this operator
    // each time), so only those the statement needs: the input itself when it already holds
    // the table's columns in order, and the written rows only for RETURNING or foreign keys.
    const std::vector<Type> table_types = TableTypes(*plan.table);
    bool identity = child_->plan().types == table_types;
    for (size_t column = 0; column < plan.column_map.size() && identity; ++column) {
      identity = plan.column_map[column] == static_cast<int32_t>(column);
    }
    if (!identity) row_ = std::make_unique<Batch>(table_types);
    if (!plan.returning.empty() || foreign_keys_.references()) {
      written_ = std::make_unique<Batch>(table_types);
    }
    if (plan.conflict_action == ConflictAction::kUpdate) {
      existing_ = std::make_unique<Batch>(PairTypes(*plan.table));
    }
    for (const ExprPtr& expr : plan.defaults) {
      defaults_.push_back(expr ? std::make_unique<ExpressionEvaluator>(*expr) : nullptr);
    }
    for (const ExprPtr& expr : plan.returning) returning_.emplace_back(*expr);
    for (const ExprPtr& expr : plan.expressions) {
      setters_.push_back(expr ? std::make_unique<ExpressionEvaluator>(*expr) : nullptr);
    }
    if (plan.predicate) condition_ = std::make_unique<ExpressionEvaluator>(*plan.predicate);
  }
  Status Open(ExecContext& context) override {
    touched_.clear();
    if (foreign_keys_.references()) PLEXUS_RETURN_IF_ERROR(foreign_keys_.PrepareReferences(context));
    return child_->Open(context);
  }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    const catalog::TableDef& table = *plan().table;
    while (true) {
      input_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      if (input_.rows() == 0) return Status::Ok();
      if (row_) {
        row_->Reset();
        row_->set_rows(input_.rows());
        for (size_t column = 0; column < table.columns.size(); ++column) {
          PLEXUS_RETURN_IF_ERROR(FillColumn(context, column));
        }
      }
      PLEXUS_RETURN_IF_ERROR(checks_.Check(context, Rows(), input_.rows()));
      if (written_) written_->Reset();
      written_count_ = 0;
      for (size_t row = 0; row < input_.rows(); ++row) {
        PLEXUS_RETURN_IF_ERROR(InsertRow(context, row));
      }
      context.affected_rows() += written_count_;
      if (!written_) continue;
      // Foreign keys after the batch, so that its rows may reference each other.
      for (size_t row = 0; row < written_->rows() && foreign_keys_.references(); ++row) {
        PLEXUS_RETURN_IF_ERROR(foreign_keys_.CheckReferences(context, *written_, row));
      }
      if (returning_.empty() || written_->rows() == 0) continue;
      return EmitReturning(context, returning_, *written_, out);
    }
  }

 private:
  // The existing row's columns followed by the proposed row's (ON CONFLICT DO UPDATE's input).
  static std::vector<Type> PairTypes(const catalog::TableDef& table) {
    std::vector<Type> types = TableTypes(table);
    std::vector<Type> twice = types;
    twice.insert(twice.end(), types.begin(), types.end());
    return twice;
  }

  // The table's columns of the input batch: row_, or the input itself when it has them.
  Batch& Rows() { return row_ ? *row_ : input_; }

  // Counts a row written; keeps a copy only when RETURNING or foreign keys read it.
  void Written(const Batch& values, size_t row) {
    ++written_count_;
    if (!written_) return;
    const size_t target = written_->rows();
    for (size_t c = 0; c < written_->column_count(); ++c) {
      written_->column(c).CopyRow(values.column(c), row, target);
    }
    written_->set_rows(target + 1);
  }

  Status InsertRow(ExecContext& context, size_t row) {
    const catalog::TableDef& table = *plan().table;
    const Batch& values = Rows();
    PLEXUS_RETURN_IF_ERROR(CheckNotNull(table, values, row));
    PLEXUS_ASSIGN_OR_RETURN(std::string key, NewRowKey(context, table, values, row));
    if (plan().conflict_action != ConflictAction::kNone) {
      PLEXUS_ASSIGN_OR_RETURN(std::optional<Conflict> conflict,
                              FindConflict(context, table, values, row, key));
      const bool covered = conflict && (plan().conflict_key == kConflictAnyKey ||
                                        plan().conflict_key == conflict->unique_key);
      if (covered && plan().conflict_action == ConflictAction::kNothing) return Status::Ok();
      if (covered) return UpdateExisting(context, conflict->row_key, row);
    }
    PLEXUS_RETURN_IF_ERROR(WriteNewRow(context, table, values, row, key));
    if (plan().conflict_action == ConflictAction::kUpdate) touched_.insert(key);
    Written(values, row);
    return Status::Ok();
  }

  // ON CONFLICT DO UPDATE: the existing row, updated from itself and the proposed row.
  Status UpdateExisting(ExecContext& context, const std::string& key, size_t row) {
    const catalog::TableDef& table = *plan().table;
    const size_t width = table.columns.size();
    if (!touched_.insert(key).second) {
      Status status = SqlError(kCardinalityViolation,
                               "ON CONFLICT DO UPDATE command cannot affect row a second time");
      status.SetHint("Ensure that no rows proposed for insertion within the same command have "
                     "duplicate constrained values.");
      return status;
    }
    Batch& existing = *existing_;
    existing.Reset();
    existing.set_rows(1);
    PLEXUS_RETURN_IF_ERROR(ReadRow(context, key, &existing, 0));
    for (size_t c = 0; c < width; ++c) existing.column(width + c).CopyRow(Rows().column(c), row, 0);
    if (condition_) {
      PLEXUS_ASSIGN_OR_RETURN(const Vector* pass, condition_->Evaluate(context, existing, nullptr));
      if (pass->IsNull(0) || !pass->values<uint8_t>()[0]) return Status::Ok();
    }
    Batch updated(TableTypes(table));
    updated.set_rows(1);
    for (size_t c = 0; c < width; ++c) {
      const Vector* value = &existing.column(c);
      if (setters_[c]) {
        PLEXUS_ASSIGN_OR_RETURN(value, setters_[c]->Evaluate(context, existing, nullptr));
      }
      updated.column(c).CopyRow(*value, 0, 0);
    }
    PLEXUS_RETURN_IF_ERROR(checks_.Check(context, updated, 1));
    PLEXUS_RETURN_IF_ERROR(ReplaceRow(context, table, key, existing, 0, updated, 0));
    Written(updated, 0);
    return Status::Ok();
  }

  Status FillColumn(ExecContext& context, size_t column) {
    const int32_t source = plan().column_map[column];
    Vector& target = row_->column(column);
    if (source >= 0) {
      for (size_t row = 0; row < input_.rows(); ++row) {
        target.CopyRow(input_.column(static_cast<size_t>(source)), row, row);
      }
      return Status::Ok();
    }
    if (!defaults_[column]) {
      std::fill_n(target.nulls(), input_.rows(), 1);
      return Status::Ok();
    }
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value,
                            defaults_[column]->Evaluate(context, input_, nullptr));
    for (size_t row = 0; row < input_.rows(); ++row) target.CopyRow(*value, row, row);
    return Status::Ok();
  }

  OperatorPtr child_;
  Batch input_;
  std::unique_ptr<Batch> row_;  // the input's values in table column order; null: input_ is so
  // Rows inserted or updated from this input batch; only for RETURNING and foreign keys.
  std::unique_ptr<Batch> written_;
  size_t written_count_ = 0;
  std::unique_ptr<Batch> existing_;  // ON CONFLICT DO UPDATE: existing row + proposed row
  std::vector<std::unique_ptr<ExpressionEvaluator>> defaults_;
  std::vector<ExpressionEvaluator> returning_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> setters_;
  std::unique_ptr<ExpressionEvaluator> condition_;
  std::unordered_set<std::string> touched_;  // rows this statement inserted or updated
  CheckConstraints checks_;
  ForeignKeys foreign_keys_;
};

}  // namespace

OperatorPtr MakeTableScanOperator(const PlanNode& plan) {
  return std::make_unique<TableScanOperator>(plan);
}
OperatorPtr MakeInsertOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<InsertOperator>(plan, std::move(child));
}
}  // namespace plexus::sql
