// WITH RECURSIVE: the recursive union runs its first child once, then its second child round
// after round, each round reading (through a work table scan) the rows the previous round added,
// until a round adds nothing. Without ALL, rows seen before are dropped (so cycles end); as in
// PostgreSQL, the set of rows seen stays in memory. A round's rows past work_mem go to a spill
// file (PostgreSQL's work table is a tuplestore that does the same).
#include "plexus/sql/exec/work_table.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

Status WorkTable::Append(ExecContext& context, const Batch& batch) {
  if (file_ == nullptr) {
    for (size_t row = 0; row < batch.rows(); ++row) rows_.Append(batch, row);
    if (rows_.memory_bytes() <= context.work_mem()) return Status::Ok();
    PLEXUS_ASSIGN_OR_RETURN(file_, SpillFile::Create(context));
    for (size_t chunk = 0; chunk < rows_.chunk_count(); ++chunk) {
      PLEXUS_RETURN_IF_ERROR(AppendToFile(rows_.chunk(chunk)));
    }
    rows_.Clear();
    return Status::Ok();
  }
  return AppendToFile(batch);
}

Status WorkTable::AppendToFile(const Batch& batch) {
  std::vector<const Vector*> columns(batch.column_count());
  for (size_t i = 0; i < columns.size(); ++i) columns[i] = &batch.column(i);
  for (size_t row = 0; row < batch.rows(); ++row) {
    PLEXUS_RETURN_IF_ERROR(file_->Append(columns, row));
  }
  return Status::Ok();
}

Status WorkTable::Seal() { return file_ == nullptr ? Status::Ok() : file_->Flush(); }

void WorkTable::Clear() {
  rows_.Clear();
  file_.reset();
}

namespace {

class RecursiveUnionOperator final : public Operator {
 public:
  RecursiveUnionOperator(const PlanNode& plan, OperatorPtr initial, OperatorPtr recursive)
      : Operator(plan), initial_(std::move(initial)), recursive_(std::move(recursive)) {}

  Status Open(ExecContext& context) override {
    seen_.clear();
    work_ = std::make_unique<WorkTable>(plan().types);
    next_work_ = std::make_unique<WorkTable>(plan().types);
    in_recursive_term_ = false;
    spilled_ = false;
    largest_bytes_ = 0;
    return initial_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    while (true) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      Operator& source = in_recursive_term_ ? *recursive_ : *initial_;
      PLEXUS_RETURN_IF_ERROR(source.Next(context, out));
      if (out->rows() > 0) {
        PLEXUS_RETURN_IF_ERROR(KeepNew(context, out));
        if (out->rows() > 0) return Status::Ok();
        continue;
      }
      // This round is over: the next one reads what it added.
      if (next_work_->empty()) {
        // As PostgreSQL 18's EXPLAIN ANALYZE: the largest round's rows, and where they were.
        context.set_explain_note(&plan(), std::string("Storage: ") + (spilled_ ? "Disk" : "Memory") +
                                              "  Maximum Storage: " + Kilobytes(largest_bytes_));
        return Status::Ok();
      }
      PLEXUS_RETURN_IF_ERROR(next_work_->Seal());
      spilled_ = spilled_ || next_work_->file() != nullptr;
      largest_bytes_ = std::max<uint64_t>(largest_bytes_, next_work_->bytes());
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
  Status KeepNew(ExecContext& context, Batch* batch) {
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
    return next_work_->Append(context, *batch);
  }

  OperatorPtr initial_;
  OperatorPtr recursive_;
  std::unique_ptr<WorkTable> work_;       // the previous round's rows
  std::unique_ptr<WorkTable> next_work_;  // this round's rows
  std::unordered_set<std::string> seen_;
  bool in_recursive_term_ = false;
  bool spilled_ = false;        // some round's rows went to disk
  uint64_t largest_bytes_ = 0;  // of the largest round
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
    reader_.reset();
    if (table_ != nullptr && table_->file() != nullptr) {
      reader_ = std::make_unique<SpillReader>(table_->file(), 0, table_->file()->offset());
    }
    return Status::Ok();
  }

  Status Next(ExecContext&, Batch* out) override {
    out->Reset();
    if (table_ == nullptr) return Status::Ok();
    if (chunk_ >= table_->rows().chunk_count()) {
      return reader_ == nullptr ? Status::Ok() : reader_->Next(out);
    }
    const Batch& chunk = table_->rows().chunk(chunk_++);
    for (size_t column = 0; column < out->column_count(); ++column) {
      for (size_t row = 0; row < chunk.rows(); ++row) {
        out->column(column).CopyRow(chunk.column(column), row, row);
      }
    }
    out->set_rows(chunk.rows());
    return Status::Ok();
  }

 private:
  const WorkTable* table_ = nullptr;
  size_t chunk_ = 0;
  std::unique_ptr<SpillReader> reader_;  // of the table's spill file, after its chunks
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
