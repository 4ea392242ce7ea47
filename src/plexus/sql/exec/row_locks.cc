// Row locks. A locking SELECT, UPDATE or DELETE reads its rows at the statement's snapshot and
// locks only those that reach kLockRows (past the conditions and joins; for SELECT after the
// sort and no more than the limit takes), as PostgreSQL's LockRows and ModifyTable nodes do.
#include "plexus/sql/exec/row_locks.h"

#include <memory>
#include <unordered_set>
#include <utility>
#include <vector>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {


Result<RowLockResult> LockRow(ExecContext& context, const RowLocking& locking,
                              std::string_view relation, std::string_view key,
                              std::string* latest) {
  txn::Transaction& transaction = context.transaction();
  const Status status = transaction.GetForUpdate(
      storage::Family::kRows, key, latest,
      {.exclusive = locking.exclusive, .wait = locking.wait == LockWait::kBlock});
  if (status.ok()) return RowLockResult::kLocked;
  if (status.IsNotFound()) {
    transaction.UndoGetForUpdate(storage::Family::kRows, key);
    return RowLockResult::kGone;
  }
  if (status.code() == StatusCode::kLockTimeout && locking.wait != LockWait::kBlock) {
    if (locking.wait == LockWait::kSkipLocked) return RowLockResult::kSkipped;
    return SqlError(kLockNotAvailable,
                    "could not obtain lock on row in relation \"" + std::string(relation) + "\"");
  }
  return status;
}

namespace {

// UPDATE/DELETE (plan().table): each row is locked as it comes; one that changed since the
// snapshot passes on as it is now if the WHERE still holds for it, PostgreSQL's READ COMMITTED
// re-check (the other tables' rows of UPDATE ... FROM stay as read, as there).
class LockRowsToModifyOperator final : public Operator {
 public:
  LockRowsToModifyOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)) {
    if (plan.predicate) recheck_ = std::make_unique<ExpressionEvaluator>(*plan.predicate);
  }

  Status Open(ExecContext& context) override {
    passed_.clear();
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    const RowLockTarget& target = plan().lock_targets[0];
    while (true) {
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, out));
      const size_t rows = out->rows();
      if (rows == 0) return Status::Ok();
      bool any_changed = false;
      for (size_t row = 0; row < rows; ++row) {
        keep_[row] = 0;
        changed_[row] = 0;
        const std::string_view key = out->column(target.key_column).GetString(row);
        if (plan().set_all && !passed_.emplace(key).second) continue;  // updated once already
        PLEXUS_ASSIGN_OR_RETURN(const RowLockResult locked,
                                LockRow(context, target.locking, target.relation, key, &latest_));
        if (locked != RowLockResult::kLocked) continue;  // deleted since read
        keep_[row] = 1;
        if (latest_ == out->column(target.row_column).GetString(row)) continue;
        // Changed by a transaction that committed since the snapshot: the row as it is now.
        PLEXUS_RETURN_IF_ERROR(DecodeRow(latest_, out, row));
        out->column(target.row_column).SetString(row, latest_);
        changed_[row] = 1;
        any_changed = true;
      }
      if (any_changed && recheck_) {
        PLEXUS_ASSIGN_OR_RETURN(const Vector* holds, recheck_->Evaluate(context, *out, changed_));
        for (size_t row = 0; row < rows; ++row) {
          if (changed_[row] && (holds->IsNull(row) || holds->values<uint8_t>()[row] == 0)) {
            keep_[row] = 0;
          }
        }
      }
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

 private:
  OperatorPtr child_;
  std::unique_ptr<ExpressionEvaluator> recheck_;
  std::unordered_set<std::string> passed_;  // set_all: the keys passed on
  std::string latest_;
  uint8_t keep_[kBatchRowsMax];
  uint8_t changed_[kBatchRowsMax];
};

class LockRowsOperator final : public Operator {
 public:
  LockRowsOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), input_(child_->plan().types), rows_(plan.types) {}

  // Locks every row it will pass on before passing any, so that when a locked row turns out
  // changed since the snapshot the query can run again: this round's locks are given back and
  // a new snapshot taken (READ COMMITTED). PostgreSQL re-checks such a row's conditions on its
  // new version instead; running again gives the same rows, and never one that no longer
  // qualifies or one twice.
  Status Open(ExecContext& context) override {
    next_chunk_ = 0;
    const uint64_t bound = context.row_bound(&plan());  // 0: no LIMIT above
    for (bool first = true;; first = false) {
      if (!first) {
        // REPEATABLE READ never gets here: its locking read of a row changed since the
        // transaction's snapshot fails with 40001.
        if (context.transaction().isolation() != IsolationLevel::kReadCommitted) {
          return SqlError(kSerializationFailure, "could not serialize access due to concurrent update");
        }
        for (const std::string& key : locked_)
          context.transaction().UndoGetForUpdate(storage::Family::kRows, key);
        context.transaction().BeginStatement();
        PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      }
      rows_.Clear();
      locked_.clear();
      PLEXUS_RETURN_IF_ERROR(child_->Open(context));
      PLEXUS_ASSIGN_OR_RETURN(const bool unchanged, LockAll(context, bound));
      if (unchanged) return Status::Ok();
    }
  }

  Status Next(ExecContext&, Batch* out) override {
    out->Reset();
    if (next_chunk_ == rows_.chunk_count()) return Status::Ok();
    // Copied, not swapped: operators above may hold pointers to `out`'s vectors.
    const Batch& chunk = rows_.chunk(next_chunk_++);
    for (size_t column = 0; column < chunk.column_count(); ++column) {
      for (size_t row = 0; row < chunk.rows(); ++row) {
        out->column(column).CopyRow(chunk.column(column), row, row);
      }
    }
    out->set_rows(chunk.rows());
    return Status::Ok();
  }

 private:
  // Locks the rows of each input row until `bound` rows are kept (0: all); false when a row
  // changed since it was read.
  Result<bool> LockAll(ExecContext& context, uint64_t bound) {
    const auto wanted = [&] { return bound == 0 || rows_.size() < bound; };
    while (wanted()) {
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &input_));
      if (input_.rows() == 0) break;
      for (size_t row = 0; row < input_.rows() && wanted(); ++row) {
        bool keep = true;
        for (const RowLockTarget& target : plan().lock_targets) {
          const Vector& keys = input_.column(target.key_column);
          if (keys.IsNull(row)) continue;  // the padded side of an outer join
          const std::string_view key = keys.GetString(row);
          PLEXUS_ASSIGN_OR_RETURN(const RowLockResult locked,
                                  LockRow(context, target.locking, target.relation, key, &latest_));
          if (locked != RowLockResult::kLocked) {
            keep = false;  // deleted since read, or SKIP LOCKED
            break;
          }
          locked_.emplace_back(key);
          if (latest_ != input_.column(target.row_column).GetString(row)) return false;
        }
        if (keep) rows_.Append(input_, row);
      }
    }
    return true;
  }

  OperatorPtr child_;
  Batch input_;
  RowBuffer rows_;  // the rows to pass on, all locked
  size_t next_chunk_ = 0;
  std::vector<std::string> locked_;  // keys locked in this round
  std::string latest_;
};

}  // namespace

OperatorPtr MakeLockRowsOperator(const PlanNode& plan, OperatorPtr child) {
  if (plan.table) return std::make_unique<LockRowsToModifyOperator>(plan, std::move(child));
  return std::make_unique<LockRowsOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
