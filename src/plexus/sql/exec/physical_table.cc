// Operators that read and write table rows: scan, insert, update, delete.
#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/row_id_allocator.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

constexpr storage::Family kRows = storage::Family::kRows;

class TableScanOperator final : public Operator {
 public:
  using Operator::Operator;
  Status Open(ExecContext& context) override {
    prefix_ = TableKeyPrefix(plan().table->id);
    PLEXUS_ASSIGN_OR_RETURN(iterator_, context.transaction().Scan(
                                           kRows, prefix_, storage::PrefixSuccessor(prefix_)));
    return Status::Ok();
  }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    if (context.canceled()) {
      return SqlError(kQueryCanceled, "canceling statement due to user request");
    }
    const size_t table_columns = plan().table->columns.size();
    size_t rows = 0;
    for (; rows < kBatchRowsMax && iterator_->Valid(); iterator_->Next(), ++rows) {
      out->set_rows(rows + 1);
      PLEXUS_RETURN_IF_ERROR(DecodeRow(iterator_->value(), out, rows));
      if (plan().row_keys) out->column(table_columns).SetString(rows, iterator_->key());
    }
    PLEXUS_RETURN_IF_ERROR(iterator_->status());
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  std::string prefix_;
  std::unique_ptr<txn::Iterator> iterator_;
};

// The key of row `row` of a table whose columns are `columns`, allocating a hidden row id for
// tables without a primary key.
Result<std::string> RowKey(ExecContext& context, const catalog::TableDef& table,
                           const Batch& columns, size_t row) {
  std::string key = TableKeyPrefix(table.id);
  if (table.primary_key.empty()) {
    if (context.row_ids() == nullptr) return SqlError(kInternalError, "no row id allocator");
    PLEXUS_ASSIGN_OR_RETURN(int64_t row_id, context.row_ids()->Next(context.transaction(), table.id));
    storage::AppendInt(&key, row_id, SortOrder::kAscending);
    return key;
  }
  for (uint32_t column : table.primary_key) {
    PLEXUS_RETURN_IF_ERROR(AppendKeyPart(columns.column(column), row, &key));
  }
  return key;
}

Status CheckNotNull(const catalog::TableDef& table, const Batch& columns, size_t row) {
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (!table.columns[i].not_null || !columns.column(i).IsNull(row)) continue;
    Status status = SqlError(kNotNullViolation, "null value in column \"" + table.columns[i].name +
                                                    "\" of relation \"" + table.name +
                                                    "\" violates not-null constraint");
    return status;
  }
  return Status::Ok();
}

Status DuplicateKey(const catalog::TableDef& table, const Batch& columns, size_t row) {
  std::string names;
  std::string values;
  for (uint32_t column : table.primary_key) {
    if (!names.empty()) {
      names += ", ";
      values += ", ";
    }
    names += table.columns[column].name;
    std::string text;
    if (FormatText(columns.column(column), row, &text).ok()) values += text;
  }
  Status status = SqlError(kUniqueViolation, "duplicate key value violates unique constraint \"" +
                                                 table.primary_key_name + "\"");
  status.SetDetail("Key (" + names + ")=(" + values + ") already exists.");
  return status;
}

// Writes row `row` of `columns` (table column order) under a new key: PK uniqueness is checked
// under the key's lock.
Status WriteNewRow(ExecContext& context, const catalog::TableDef& table, const Batch& columns,
                   size_t row, std::string* encoded) {
  PLEXUS_RETURN_IF_ERROR(CheckNotNull(table, columns, row));
  PLEXUS_ASSIGN_OR_RETURN(std::string key, RowKey(context, table, columns, row));
  if (!table.primary_key.empty()) {
    std::string existing;
    Status found = context.transaction().GetForUpdate(kRows, key, &existing);
    if (found.ok()) return DuplicateKey(table, columns, row);
    if (!found.IsNotFound()) return found;
  }
  std::vector<const Vector*> vectors;
  for (size_t i = 0; i < table.columns.size(); ++i) vectors.push_back(&columns.column(i));
  encoded->clear();
  EncodeRow(vectors, row, encoded);
  PLEXUS_RETURN_IF_ERROR(context.transaction().Put(kRows, key, *encoded));
  if (table.indexes.empty()) return Status::Ok();
  std::vector<IndexEntry> entries;
  const size_t prefix_bytes = TableKeyPrefix(table.id).size();
  PLEXUS_RETURN_IF_ERROR(
      IndexEntries(table, columns, row, std::string_view(key).substr(prefix_bytes), &entries));
  return PutIndexEntries(context.transaction(), entries);
}

std::vector<Type> TableTypes(const catalog::TableDef& table) {
  std::vector<Type> types;
  for (const auto& column : table.columns) types.push_back(column.type);
  return types;
}

class InsertOperator final : public Operator {
 public:
  InsertOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types),
        row_(TableTypes(*plan.table)) {
    for (const ExprPtr& expr : plan.defaults) {
      defaults_.push_back(expr ? std::make_unique<ExpressionEvaluator>(*expr) : nullptr);
    }
  }
  Status Open(ExecContext& context) override { return child_->Open(context); }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    const catalog::TableDef& table = *plan().table;
    while (true) {
      input_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      if (input_.rows() == 0) return Status::Ok();
      row_.Reset();
      row_.set_rows(input_.rows());
      for (size_t column = 0; column < table.columns.size(); ++column) {
        PLEXUS_RETURN_IF_ERROR(FillColumn(context, column));
      }
      for (size_t row = 0; row < input_.rows(); ++row) {
        PLEXUS_RETURN_IF_ERROR(WriteNewRow(context, table, row_, row, &encoded_));
      }
      context.affected_rows() += input_.rows();
    }
  }

 private:
  Status FillColumn(ExecContext& context, size_t column) {
    const int32_t source = plan().column_map[column];
    Vector& target = row_.column(column);
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
  Batch row_;
  std::vector<std::unique_ptr<ExpressionEvaluator>> defaults_;
  std::string encoded_;
};

// UPDATE and DELETE read rows from a scan that also outputs each row's key (the last column).
class ModifyOperator final : public Operator {
 public:
  ModifyOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types),
        row_(TableTypes(*plan.table)) {
    for (const ExprPtr& expr : plan.expressions) {
      setters_.push_back(expr ? std::make_unique<ExpressionEvaluator>(*expr) : nullptr);
    }
  }
  Status Open(ExecContext& context) override { return child_->Open(context); }
  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    // Rows are collected first so that the scan never sees the statement's own changes
    // (an UPDATE that moves a row forward must not update it twice).
    std::vector<std::pair<std::string, std::string>> writes;  // key -> new row ("" = delete)
    const catalog::TableDef& table = *plan().table;
    const size_t key_column = input_.column_count() - 1;
    while (true) {
      input_.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      if (input_.rows() == 0) break;
      const size_t prefix_bytes = TableKeyPrefix(table.id).size();
      for (size_t row = 0; row < input_.rows() && !table.indexes.empty(); ++row) {
        std::string_view old_key = input_.column(key_column).GetString(row);
        PLEXUS_RETURN_IF_ERROR(
            IndexEntries(table, input_, row, old_key.substr(prefix_bytes), &old_entries_));
      }
      if (plan().kind == PlanKind::kDelete) {
        for (size_t row = 0; row < input_.rows(); ++row) {
          writes.emplace_back(std::string(input_.column(key_column).GetString(row)), "");
        }
        continue;
      }
      PLEXUS_RETURN_IF_ERROR(ComputeNewRows(context));
      for (size_t row = 0; row < input_.rows(); ++row) {
        PLEXUS_RETURN_IF_ERROR(CheckNotNull(table, row_, row));
        std::vector<const Vector*> vectors;
        for (size_t i = 0; i < table.columns.size(); ++i) vectors.push_back(&row_.column(i));
        std::string encoded;
        EncodeRow(vectors, row, &encoded);
        std::string new_key = TableKeyPrefix(table.id);
        for (uint32_t column : table.primary_key) {
          PLEXUS_RETURN_IF_ERROR(AppendKeyPart(row_.column(column), row, &new_key));
        }
        std::string old_key(input_.column(key_column).GetString(row));
        if (!table.indexes.empty()) {
          const std::string& kept_key = table.primary_key.empty() ? old_key : new_key;
          PLEXUS_RETURN_IF_ERROR(IndexEntries(
              table, row_, row, std::string_view(kept_key).substr(TableKeyPrefix(table.id).size()),
              &new_entries_));
        }
        if (!table.primary_key.empty() && new_key != old_key) {
          // The primary key changed: the row moves.
          writes.emplace_back(old_key, "");
          moved_.emplace_back(new_key, encoded);
        } else {
          writes.emplace_back(old_key, std::move(encoded));
        }
      }
    }
    return Apply(context, writes);
  }

 private:
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
        PLEXUS_RETURN_IF_ERROR(context.transaction().Delete(kRows, key));
      } else {
        PLEXUS_RETURN_IF_ERROR(context.transaction().Put(kRows, key, row));
      }
    }
    for (const auto& [key, row] : moved_) {
      std::string existing;
      Status found = context.transaction().GetForUpdate(kRows, key, &existing);
      if (found.ok()) {
        return SqlError(kUniqueViolation, "duplicate key value violates unique constraint \"" +
                                              plan().table->primary_key_name + "\"");
      }
      if (!found.IsNotFound()) return found;
      PLEXUS_RETURN_IF_ERROR(context.transaction().Put(kRows, key, row));
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
  std::vector<std::unique_ptr<ExpressionEvaluator>> setters_;
  std::vector<std::pair<std::string, std::string>> moved_;
  std::vector<IndexEntry> old_entries_;  // of the rows read
  std::vector<IndexEntry> new_entries_;  // of the rows written by an UPDATE
};

}  // namespace

OperatorPtr MakeTableScanOperator(const PlanNode& plan) {
  return std::make_unique<TableScanOperator>(plan);
}
OperatorPtr MakeInsertOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<InsertOperator>(plan, std::move(child));
}
OperatorPtr MakeUpdateOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<ModifyOperator>(plan, std::move(child));
}
OperatorPtr MakeDeleteOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<ModifyOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
