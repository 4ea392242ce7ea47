// Semi and anti joins (kJoin with JoinType kSemi/kAnti, made by the binder from EXISTS, IN and
// NOT EXISTS in WHERE): each left row comes out once, unchanged, when some right row satisfies
// the condition (semi) or when none does (anti). The right input is read first. With equality
// conjuncts between the sides (join_keys.h) its rows are hashed on them; when the condition is
// nothing but those equalities only the set of distinct keys is kept, so duplicates on the right
// cost nothing and a left row is decided by one lookup. Otherwise each left row is paired with
// its candidates (the rows of its key, or every right row for a nested loop) a batch of pairs
// at a time, and the condition decides; a left row stops pairing at its first match.
// A NULL key equals nothing: semi drops that left row, anti keeps it (NOT EXISTS semantics).
//
// Past work_mem (keyed joins only) it goes the grace hash join's way: what the right side has
// kept so far and the rest of it are split by a hash of the key into kSpillPartitions spill files
// (the encoded keys alone when only the set of keys is kept, else the rows), then the left input
// too (rows with a NULL key to partition 0, where they match nothing), and the partitions are
// joined one after the other; EXPLAIN ANALYZE shows "Batches: 16".
#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/join_keys.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"

namespace plexus::sql {

namespace {

// What a kept key or a buffered right row costs in its hash table besides its bytes.
constexpr size_t kSemiJoinEntryBytes = 64;

size_t ConjunctCount(const Expr& expr) {
  if (expr.kind != ExprKind::kAnd) return 1;
  size_t count = 0;
  for (const ExprPtr& arg : expr.args) count += ConjunctCount(*arg);
  return count;
}

class SemiJoinOperator final : public Operator {
 public:
  SemiJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right)
      : Operator(plan),
        left_(std::move(left)),
        right_(std::move(right)),
        right_rows_(right_->plan().types),
        right_batch_(right_->plan().types),
        keys_batch_({Type::Of(TypeId::kBytea)}),
        pairs_(PairTypes()) {
    if (plan.predicate) {
      predicate_ = std::make_unique<ExpressionEvaluator>(*plan.predicate);
      CollectJoinKeys(*plan.predicate, left_->plan().types.size(), &left_keys_, &right_keys_);
      for (const ExprPtr& key : left_keys_) left_key_evaluators_.emplace_back(*key);
      for (const ExprPtr& key : right_keys_) right_key_evaluators_.emplace_back(*key);
      keys_only_ = !left_keys_.empty() && left_keys_.size() == ConjunctCount(*plan.predicate);
    }
  }

  Status Open(ExecContext& context) override {
    PLEXUS_RETURN_IF_ERROR(left_->Open(context));
    PLEXUS_RETURN_IF_ERROR(right_->Open(context));
    ClearRight();
    grace_.Reset();
    reported_ = false;
    const bool keyed = !right_key_evaluators_.empty();
    while (true) {
      right_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(right_->Next(context, &right_batch_));
      if (right_batch_.rows() == 0) break;
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      if (grace_.started()) {
        PLEXUS_RETURN_IF_ERROR(SpillRight(context, right_batch_));
        continue;
      }
      PLEXUS_RETURN_IF_ERROR(AddRight(context, right_batch_));
      if (keyed && MemoryBytes() > context.work_mem()) PLEXUS_RETURN_IF_ERROR(StartGrace(context));
    }
    all_right_.resize(keyed ? 0 : right_rows_.size());
    for (size_t i = 0; i < all_right_.size(); ++i) all_right_[i] = static_cast<uint32_t>(i);
    if (grace_.started()) return PartitionLeft(context);
    return Status::Ok();
  }

  Status Next(ExecContext& context, Batch* out) override {
    const bool anti = plan().join_type == JoinType::kAnti;
    while (true) {
      out->Reset();
      PLEXUS_RETURN_IF_ERROR(NextLeft(context, out));
      const size_t rows = out->rows();
      if (rows == 0) return Status::Ok();
      PLEXUS_RETURN_IF_ERROR(Match(context, *out));
      for (size_t row = 0; row < rows; ++row) keep_[row] = matched_[row] != anti ? 1 : 0;
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

 private:
  std::vector<Type> PairTypes() const {
    std::vector<Type> types = left_->plan().types;
    types.insert(types.end(), right_->plan().types.begin(), right_->plan().types.end());
    return types;
  }

  void ClearRight() {
    right_rows_.Clear();
    key_set_.clear();
    table_.clear();
    key_bytes_ = 0;
  }

  // Keeps the right rows of `batch`: their distinct keys (keys_only_), or the rows, by key when
  // keyed.
  Status AddRight(ExecContext& context, const Batch& batch) {
    std::vector<const Vector*> parts(right_key_evaluators_.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(parts[i], right_key_evaluators_[i].Evaluate(context, batch, nullptr));
    }
    std::string key;
    for (size_t row = 0; row < batch.rows(); ++row) {
      if (keys_only_) {
        PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(parts, row, &key));
        if (valid) AddKey(key);
        continue;
      }
      const uint32_t index = static_cast<uint32_t>(right_rows_.size());
      right_rows_.Append(batch, row);
      if (parts.empty()) continue;
      PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(parts, row, &key));
      if (valid) table_[key].push_back(index);
    }
    return Status::Ok();
  }

  void AddKey(const std::string& key) {
    if (key_set_.insert(key).second) key_bytes_ += key.size() + kSemiJoinEntryBytes;
  }

  // What the kept right side holds in memory, roughly.
  size_t MemoryBytes() const {
    return keys_only_ ? key_bytes_
                      : right_rows_.memory_bytes() + right_rows_.size() * kSemiJoinEntryBytes;
  }

  // The kept right side passed work_mem: it goes to the partition files, and so does the rest.
  Status StartGrace(ExecContext& context) {
    grace_.Start();
    grace_.NoteMemory(MemoryBytes());
    for (const std::string& key : key_set_) PLEXUS_RETURN_IF_ERROR(SpillKey(context, key));
    for (size_t chunk = 0; chunk < right_rows_.chunk_count(); ++chunk) {
      PLEXUS_RETURN_IF_ERROR(
          grace_.AddRight(context, right_key_evaluators_, right_rows_.chunk(chunk)));
    }
    ClearRight();
    return Status::Ok();
  }

  // Grace: the right rows of `batch` to their partitions (their keys alone when keys_only_;
  // a NULL key matches nothing and is dropped).
  Status SpillRight(ExecContext& context, const Batch& batch) {
    if (!keys_only_) return grace_.AddRight(context, right_key_evaluators_, batch);
    std::vector<const Vector*> parts(right_key_evaluators_.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(parts[i], right_key_evaluators_[i].Evaluate(context, batch, nullptr));
    }
    std::string key;
    for (size_t row = 0; row < batch.rows(); ++row) {
      PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(parts, row, &key));
      if (valid) PLEXUS_RETURN_IF_ERROR(SpillKey(context, key));
    }
    return Status::Ok();
  }

  Status SpillKey(ExecContext& context, std::string_view key) {
    PLEXUS_ASSIGN_OR_RETURN(SpillFile * file, grace_.RightFile(context, key));
    Vector& column = keys_batch_.column(0);
    column.ResetArena();
    column.SetString(0, key);
    return file->Append({&column}, 0);
  }

  // Grace: the whole left input to its partitions, then partition 0 is loaded.
  Status PartitionLeft(ExecContext& context) {
    Batch batch(left_->plan().types);
    while (true) {
      batch.Reset();
      PLEXUS_RETURN_IF_ERROR(left_->Next(context, &batch));
      if (batch.rows() == 0) break;
      PLEXUS_RETURN_IF_ERROR(grace_.AddLeft(context, left_key_evaluators_, batch));
    }
    PLEXUS_RETURN_IF_ERROR(grace_.Seal());
    return LoadPartition(context);
  }

  // Keeps the open partition's right side.
  Status LoadPartition(ExecContext& context) {
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    ClearRight();
    if (std::unique_ptr<SpillFile> right = grace_.TakeRight()) {
      SpillReader reader(right.get(), 0, right->offset());
      Batch& batch = keys_only_ ? keys_batch_ : right_batch_;
      while (true) {
        PLEXUS_RETURN_IF_ERROR(reader.Next(&batch));
        if (batch.rows() == 0) break;
        if (!keys_only_) {
          PLEXUS_RETURN_IF_ERROR(AddRight(context, batch));
          continue;
        }
        for (size_t row = 0; row < batch.rows(); ++row) {
          AddKey(std::string(batch.column(0).GetString(row)));
        }
      }
    }
    grace_.NoteMemory(MemoryBytes());
    return Status::Ok();
  }

  // The next batch of left rows: the input's, or under grace the open partition's, moving on to
  // the next partition when it ends. No rows: done.
  Status NextLeft(ExecContext& context, Batch* out) {
    if (!grace_.started()) return left_->Next(context, out);
    while (true) {
      PLEXUS_RETURN_IF_ERROR(grace_.NextLeft(out));
      if (out->rows() > 0) return Status::Ok();
      if (!grace_.NextPartition()) {
        if (!reported_) context.set_explain_note(&plan(), grace_.Summary());
        reported_ = true;
        ClearRight();
        return Status::Ok();
      }
      PLEXUS_RETURN_IF_ERROR(LoadPartition(context));
    }
  }

  // matched_[row] for every row of the left batch `left`.
  Status Match(ExecContext& context, const Batch& left) {
    const size_t rows = left.rows();
    std::fill_n(matched_, rows, 0);
    std::fill_n(candidates_, rows, nullptr);
    std::vector<const Vector*> parts(left_key_evaluators_.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(parts[i], left_key_evaluators_[i].Evaluate(context, left, nullptr));
    }
    std::string key;
    for (size_t row = 0; row < rows; ++row) {
      if (parts.empty()) {
        candidates_[row] = &all_right_;
        continue;
      }
      PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(parts, row, &key));
      if (!valid) continue;
      if (keys_only_) {
        matched_[row] = key_set_.count(key) > 0 ? 1 : 0;
      } else if (auto found = table_.find(key); found != table_.end()) {
        candidates_[row] = &found->second;
      }
    }
    if (keys_only_) return Status::Ok();
    if (!predicate_) {
      // No condition: a cross semi join (EXISTS over rows, none correlated).
      for (size_t row = 0; row < rows; ++row) matched_[row] = right_rows_.size() > 0 ? 1 : 0;
      return Status::Ok();
    }
    const size_t left_width = left.column_count();
    size_t row = 0;
    size_t next = 0;  // the next candidate of `row`
    while (row < rows) {
      pairs_.Reset();
      size_t count = 0;
      while (row < rows && count < kBatchRowsMax) {
        const std::vector<uint32_t>* list = candidates_[row];
        if (matched_[row] || list == nullptr || next >= list->size()) {
          ++row;
          next = 0;
          continue;
        }
        for (; next < list->size() && count < kBatchRowsMax; ++next, ++count) {
          const uint32_t right = (*list)[next];
          for (size_t column = 0; column < left_width; ++column) {
            pairs_.column(column).CopyRow(left.column(column), row, count);
          }
          const Batch& chunk = right_rows_.chunk(right / kBatchRowsMax);
          for (size_t column = 0; column < chunk.column_count(); ++column) {
            pairs_.column(left_width + column)
                .CopyRow(chunk.column(column), RowBuffer::Slot(right), count);
          }
          pair_left_[count] = static_cast<uint32_t>(row);
        }
      }
      if (count == 0) break;
      pairs_.set_rows(count);
      PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, pairs_, keep_));
      for (size_t i = 0; i < count; ++i) {
        if (keep_[i]) matched_[pair_left_[i]] = 1;
      }
    }
    return Status::Ok();
  }

  OperatorPtr left_;
  OperatorPtr right_;
  std::unique_ptr<ExpressionEvaluator> predicate_;
  std::vector<ExprPtr> left_keys_;
  std::vector<ExprPtr> right_keys_;
  std::vector<ExpressionEvaluator> left_key_evaluators_;
  std::vector<ExpressionEvaluator> right_key_evaluators_;
  bool keys_only_ = false;                 // the condition is just the key equalities
  std::unordered_set<std::string> key_set_;  // keys_only_: the right side's distinct keys
  RowBuffer right_rows_;                   // otherwise: the right rows,
  std::unordered_map<std::string, std::vector<uint32_t>> table_;  // by key (when keyed),
  std::vector<uint32_t> all_right_;        // or all of them as every left row's candidates
  size_t key_bytes_ = 0;                   // keys_only_: what key_set_ holds, roughly
  Batch right_batch_;
  Batch keys_batch_;  // one bytea column: the keys spilled when keys_only_
  Batch pairs_;
  uint8_t matched_[kBatchRowsMax];
  uint8_t keep_[kBatchRowsMax];
  const std::vector<uint32_t>* candidates_[kBatchRowsMax];
  uint32_t pair_left_[kBatchRowsMax];
  GracePartitions grace_;  // past work_mem
  bool reported_ = false;  // the last partition is done and EXPLAIN's note set
};

}  // namespace

OperatorPtr MakeSemiJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  return std::make_unique<SemiJoinOperator>(plan, std::move(left), std::move(right));
}

}  // namespace plexus::sql
