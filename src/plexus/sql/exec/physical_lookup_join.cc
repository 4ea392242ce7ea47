// Lookup join: an inner, left, semi or anti join whose right input is a table read whole
// (perhaps under a filter of its own) and whose condition equates every primary-key column of
// that table to a left value. Such a join can read each left row's partner by key — one point
// read, with bloom filters — instead of reading and hashing the whole right table, which wins
// while the left side is small next to the table (SQLite's and PostgreSQL's nested loop over a
// primary-key index).
//
// Without statistics the size of the left side is learnt by reading it: up to kLookupRowsMax left
// rows are buffered; when the left input ends there, rows are looked up; otherwise the join runs
// as the hash join it would have been, over the buffered rows followed by the rest of the input.
#include <algorithm>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/join_keys.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {

namespace {

// Past this many left rows, hashing the right table is the safer bet than one read per row.
constexpr size_t kLookupRowsMax = 8 * kBatchRowsMax;

// The table scan a lookup join reads by key: the right child itself, or the child of its filter.
const PlanNode* KeyLookupScan(const PlanNode& right) {
  const PlanNode* scan = right.kind == PlanKind::kFilter ? right.children[0].get() : &right;
  const bool whole_table = scan->kind == PlanKind::kTableScan && scan->index < 0 &&
                           scan->key_prefix.empty() && !scan->key_lower && !scan->key_upper &&
                           !scan->row_keys && !scan->lock_rows && scan->table &&
                           !scan->table->primary_key.empty() &&
                           scan->types.size() == scan->table->columns.size();
  return whole_table ? scan : nullptr;
}

// For each primary-key column of the scanned table, the left expression it is equal to; empty
// when some key column is not equated to a left value.
std::vector<ExprPtr> LookupKeys(const PlanNode& join) {
  if (!join.predicate) return {};
  const PlanNode* scan = KeyLookupScan(*join.children[1]);
  if (scan == nullptr) return {};
  std::vector<ExprPtr> left;
  std::vector<ExprPtr> right;
  CollectJoinKeys(*join.predicate, join.children[0]->types.size(), &left, &right);
  const std::vector<uint32_t>& primary_key = scan->table->primary_key;
  std::vector<ExprPtr> keys(primary_key.size());
  for (size_t i = 0; i < right.size(); ++i) {
    if (right[i]->kind != ExprKind::kColumn) continue;
    auto part = std::find(primary_key.begin(), primary_key.end(), right[i]->column);
    if (part != primary_key.end() && !keys[part - primary_key.begin()]) {
      keys[part - primary_key.begin()] = std::move(left[i]);
    }
  }
  for (const ExprPtr& key : keys) {
    if (!key) return {};
  }
  return keys;
}

// Hands on the left batches the lookup join buffered, then the rest of the left input (for the
// hash join it falls back to). The lookup join opens the input itself.
class ReplayOperator final : public Operator {
 public:
  ReplayOperator(OperatorPtr input, std::vector<Batch>* buffered, const size_t* count)
      : Operator(input->plan()), input_(std::move(input)), buffered_(buffered), count_(count) {}

  Operator& input() { return *input_; }

  Status Open(ExecContext&) override {
    next_ = 0;
    return Status::Ok();
  }
  Status Next(ExecContext& context, Batch* out) override {
    if (next_ < *count_) {
      // The buffered batch is not needed again in this run: hand over its contents.
      std::swap(*out, (*buffered_)[next_++]);
      return Status::Ok();
    }
    return input_->Next(context, out);
  }

 private:
  OperatorPtr input_;
  std::vector<Batch>* buffered_;
  const size_t* count_;
  size_t next_ = 0;
};

class LookupJoinOperator final : public Operator {
 public:
  LookupJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right)
      : Operator(plan),
        scan_(*KeyLookupScan(*plan.children[1])),
        key_prefix_(TableKeyPrefix(scan_.table->id)),
        right_batch_(scan_.types),
        predicate_(*plan.predicate),
        semi_(plan.join_type == JoinType::kSemi || plan.join_type == JoinType::kAnti) {
    if (semi_) {
      // Semi/anti joins output the left columns only: pairs are made in a batch of their own.
      std::vector<Type> types = plan.children[0]->types;
      types.insert(types.end(), plan.children[1]->types.begin(), plan.children[1]->types.end());
      pairs_ = Batch(types);
    }
    for (ExprPtr& key : LookupKeys(plan)) {
      keys_.push_back(std::move(key));
      key_evaluators_.emplace_back(*keys_.back());
    }
    const PlanNode& right_plan = *plan.children[1];
    if (right_plan.kind == PlanKind::kFilter) {
      right_filter_ = std::make_unique<ExpressionEvaluator>(*right_plan.predicate);
    }
    auto replay = std::make_unique<ReplayOperator>(std::move(left), &left_batches_, &left_count_);
    replay_ = replay.get();
    hash_join_ = semi_ ? MakeSemiJoinOperator(plan, std::move(replay), std::move(right))
                       : MakeHashOrLoopJoinOperator(plan, std::move(replay), std::move(right));
  }

  Status Open(ExecContext& context) override {
    Operator& left = replay_->input();
    PLEXUS_RETURN_IF_ERROR(left.Open(context));
    next_left_ = 0;
    PLEXUS_ASSIGN_OR_RETURN(lookup_,
                            ReadAhead(context, left, kLookupRowsMax, &left_batches_, &left_count_));
    if (lookup_) return Status::Ok();
    return hash_join_->Open(context);  // replays the buffered batches first
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (!lookup_) return hash_join_->Next(context, out);
    out->Reset();
    while (next_left_ < left_count_) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      PLEXUS_RETURN_IF_ERROR(JoinBatch(context, left_batches_[next_left_++], out));
      if (out->rows() > 0) return Status::Ok();
    }
    return Status::Ok();
  }

 private:
  // Looks up the partner of every row of `left`, and puts the pairs the condition keeps (and,
  // for a LEFT join, the left rows without one, padded with NULLs) into `out`; for a semi (anti)
  // join, the left rows with (without) such a partner.
  Status JoinBatch(ExecContext& context, const Batch& left, Batch* out) {
    std::vector<const Vector*>& parts = parts_;
    parts.resize(key_evaluators_.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(parts[i], key_evaluators_[i].Evaluate(context, left, nullptr));
    }
    // The keys of the batch, read in key order: neighbouring reads share index and data blocks
    // in the caches, and the storage is walked once from left to right.
    row_keys_.resize(left.rows());
    order_.clear();
    for (size_t row = 0; row < left.rows(); ++row) {
      std::string& key = row_keys_[row];
      key = key_prefix_;
      bool valid = true;
      for (const Vector* part : parts) {
        if (part->IsNull(row)) {
          valid = false;  // NULL equals nothing
          break;
        }
        PLEXUS_RETURN_IF_ERROR(AppendKeyPart(*part, row, &key));
      }
      if (valid) order_.push_back(static_cast<uint32_t>(row));
    }
    std::sort(order_.begin(), order_.end(),
              [&](uint32_t a, uint32_t b) { return row_keys_[a] < row_keys_[b]; });
    right_batch_.Reset();
    size_t found = 0;
    std::string& value = value_;
    for (const uint32_t row : order_) {
      const Status read = context.transaction().Get(storage::Family::kRows, row_keys_[row], &value);
      if (read.IsNotFound()) continue;
      PLEXUS_RETURN_IF_ERROR(read);
      right_batch_.set_rows(found + 1);
      PLEXUS_RETURN_IF_ERROR(DecodeRow(value, &right_batch_, found));
      pair_left_[found++] = row;
    }
    if (right_filter_ && found > 0) {
      PLEXUS_RETURN_IF_ERROR(right_filter_->EvaluatePredicate(context, right_batch_, keep_));
      size_t kept = 0;
      for (size_t i = 0; i < found; ++i) {
        if (keep_[i]) pair_left_[kept++] = pair_left_[i];
      }
      right_batch_.Compact(keep_);
      found = kept;
    }
    const size_t left_width = left.column_count();
    Batch* pairs = semi_ ? &pairs_ : out;
    pairs->Reset();
    for (size_t i = 0; i < found; ++i) {
      for (size_t column = 0; column < left_width; ++column) {
        pairs->column(column).CopyRow(left.column(column), pair_left_[i], i);
      }
      for (size_t column = 0; column < right_batch_.column_count(); ++column) {
        pairs->column(left_width + column).CopyRow(right_batch_.column(column), i, i);
      }
    }
    pairs->set_rows(found);
    if (found > 0) {
      PLEXUS_RETURN_IF_ERROR(predicate_.EvaluatePredicate(context, *pairs, keep_));
      if (!semi_) out->Compact(keep_);
    }
    if (semi_) {
      matched_.assign(left.rows(), 0);
      for (size_t i = 0; i < found; ++i) {
        if (keep_[i]) matched_[pair_left_[i]] = 1;
      }
      const uint8_t want = plan().join_type == JoinType::kSemi ? 1 : 0;
      size_t rows = 0;
      for (size_t row = 0; row < left.rows(); ++row) {
        if (matched_[row] != want) continue;
        for (size_t column = 0; column < left_width; ++column) {
          out->column(column).CopyRow(left.column(column), row, rows);
        }
        ++rows;
      }
      out->set_rows(rows);
      return Status::Ok();
    }
    if (plan().join_type == JoinType::kLeft) {
      matched_.assign(left.rows(), 0);
      for (size_t i = 0; i < found; ++i) {
        if (keep_[i]) matched_[pair_left_[i]] = 1;
      }
      size_t rows = out->rows();
      for (size_t row = 0; row < left.rows(); ++row) {
        if (matched_[row]) continue;
        for (size_t column = 0; column < left_width; ++column) {
          out->column(column).CopyRow(left.column(column), row, rows);
        }
        for (size_t column = left_width; column < out->column_count(); ++column) {
          out->column(column).SetNull(rows, true);
        }
        ++rows;
      }
      out->set_rows(rows);
    }
    return Status::Ok();
  }

  const PlanNode& scan_;
  const std::string key_prefix_;
  std::vector<ExprPtr> keys_;  // per primary-key column, over the left columns
  std::vector<ExpressionEvaluator> key_evaluators_;
  std::unique_ptr<ExpressionEvaluator> right_filter_;
  Batch right_batch_;
  ExpressionEvaluator predicate_;
  const bool semi_;  // kSemi or kAnti
  Batch pairs_;      // semi_: (left row, partner) pairs for the condition
  ReplayOperator* replay_ = nullptr;  // owned by hash_join_; owns the left input
  OperatorPtr hash_join_;
  std::vector<Batch> left_batches_;  // the buffered left input, left_count_ batches of it
  size_t left_count_ = 0;
  size_t next_left_ = 0;
  bool lookup_ = false;
  std::vector<const Vector*> parts_;
  std::vector<std::string> row_keys_;  // the storage key per left row of the batch
  std::vector<uint32_t> order_;    // the rows with a key, in key order
  std::string value_;
  std::vector<uint8_t> matched_;
  uint8_t keep_[kBatchRowsMax];
  uint32_t pair_left_[kBatchRowsMax];
};

}  // namespace

size_t LookupJoinRowsMax() { return kLookupRowsMax; }

bool LookupJoinApplies(const PlanNode& plan) {
  if (plan.join_type == JoinType::kRight || plan.join_type == JoinType::kFull ||
      plan.join_type == JoinType::kCross) {
    return false;
  }
  return !LookupKeys(plan).empty();
}

OperatorPtr MakeLookupJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  return std::make_unique<LookupJoinOperator>(plan, std::move(left), std::move(right));
}

}  // namespace plexus::sql
