// Index scan: the rows of a table whose secondary index entries lie in the access path's range
// (equal values on a prefix of the index columns, bounds on the next), fetched by the row keys
// the entries hold. The conditions still filter the rows above the scan.
#include <string>

#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/key_range.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/row_locks.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

class IndexScanOperator final : public Operator {
 public:
  explicit IndexScanOperator(const PlanNode& plan)
      : Operator(plan), index_(plan.table->indexes[plan.index]), range_(plan) {}

  Status Open(ExecContext& context) override {
    PLEXUS_ASSIGN_OR_RETURN(
        KeyRangeEvaluator::Range range,
        range_.Evaluate(context, IndexKeyPrefix(index_.id),
                        [this](const Vector& value, size_t position, std::string* key) {
                          return AppendIndexPart(value, 0, index_.descending[position], key);
                        }));
    PLEXUS_ASSIGN_OR_RETURN(iterator_, context.transaction().Scan(storage::Family::kIndex,
                                                                  range.start, range.end));
    return Status::Ok();
  }

  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    const catalog::TableDef& table = *plan().table;
    const std::string table_prefix = TableKeyPrefix(table.id);
    const size_t index_prefix_size = IndexKeyPrefix(index_.id).size();
    size_t rows = 0;
    std::string row_key;
    std::string value;
    for (; rows < kBatchRowsMax && iterator_->Valid(); iterator_->Next()) {
      // The unique form holds the row key suffix as its value; the other form ends its key
      // with it, after the index columns.
      row_key = table_prefix;
      if (!iterator_->value().empty()) {
        row_key += iterator_->value();
      } else {
        std::string_view rest = iterator_->key().substr(index_prefix_size);
        for (size_t i = 0; i < index_.columns.size(); ++i) {
          KeyPart part;
          PLEXUS_RETURN_IF_ERROR(storage::DecodeNextPart(&rest, &part));
        }
        row_key += rest;
      }
      // The rows of an UPDATE or DELETE are locked, and read as they are now.
      if (plan().lock_rows) {
        PLEXUS_ASSIGN_OR_RETURN(const RowLockResult locked,
                                LockRow(context, plan().locking, table.name, row_key, &value));
        if (locked != RowLockResult::kLocked) continue;  // deleted since read, or SKIP LOCKED
      } else {
        const Status found = context.transaction().Get(storage::Family::kRows, row_key, &value);
        if (found.IsNotFound()) continue;  // entries and rows change together; never expected
        PLEXUS_RETURN_IF_ERROR(found);
      }
      out->set_rows(rows + 1);
      PLEXUS_RETURN_IF_ERROR(DecodeRow(value, out, rows));
      if (plan().row_keys) {
        out->column(table.columns.size()).SetString(rows, row_key);
        if (plan().row_values) out->column(table.columns.size() + 1).SetString(rows, value);
      }
      ++rows;
    }
    PLEXUS_RETURN_IF_ERROR(iterator_->status());
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  const catalog::IndexDef& index_;
  KeyRangeEvaluator range_;
  std::unique_ptr<txn::Iterator> iterator_;
};

}  // namespace

OperatorPtr MakeIndexScanOperator(const PlanNode& plan) {
  return std::make_unique<IndexScanOperator>(plan);
}

}  // namespace plexus::sql
