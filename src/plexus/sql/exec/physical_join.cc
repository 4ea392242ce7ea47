// Joins. The right input is buffered once. A join whose condition has equalities between a left
// and a right expression is a hash join: the buffered rows are hashed on their side's values,
// each left row meets only the rows with its values, and the whole condition then filters the
// pairs. Otherwise a nested loop pairs each left row with every buffered right batch.
// LEFT and FULL joins emit an unmatched left row once, padded with NULLs; FULL joins remember
// which buffered right rows matched and emit the others, padded, after the last left row.
//
// Grace hash join: when the buffered right rows pass work_mem, the right input (what is buffered
// and the rest) and then the left input are split by a hash of their key into kSpillPartitions
// spill files, and the partitions are joined one by one as above — equal keys meet in the same
// partition. Rows with a NULL key (never equal) go to partition 0, where LEFT and FULL joins
// still emit them padded.
#include <algorithm>
#include <unordered_map>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/join_keys.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// An inner hash join hashes its left input instead of its right when the left ends within this
// many rows (without statistics, the size of the left side is learnt by reading it).
constexpr size_t kBuildLeftRowsMax = 8 * kBatchRowsMax;

// What a buffered right row costs in the hash table besides its values (entry, key, index).
constexpr size_t kHashEntryBytes = 64;

class JoinOperator final : public Operator {
 public:
  JoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right)
      : Operator(plan), left_(std::move(left)), right_(std::move(right)),
        left_batch_(left_->plan().types), right_rows_(right_->plan().types),
        right_batch_(right_->plan().types) {
    if (plan.predicate) predicate_ = std::make_unique<ExpressionEvaluator>(*plan.predicate);
    if (plan.predicate && plan.join_type != JoinType::kCross) {
      CollectJoinKeys(*plan.predicate, left_->plan().types.size(), &left_keys_, &right_keys_);
      for (const ExprPtr& key : left_keys_) left_key_evaluators_.emplace_back(*key);
      for (const ExprPtr& key : right_keys_) right_key_evaluators_.emplace_back(*key);
    }
  }

  Status Open(ExecContext& context) override {
    PLEXUS_RETURN_IF_ERROR(left_->Open(context));
    PLEXUS_RETURN_IF_ERROR(right_->Open(context));
    left_buffered_count_ = 0;
    left_replay_ = 0;
    build_left_ = false;
    if (plan().join_type == JoinType::kInner && !left_keys_.empty()) {
      PLEXUS_ASSIGN_OR_RETURN(build_left_, BufferSmallLeft(context));
      if (build_left_) {
        right_batch_.Reset();
        right_row_ = 0;
        right_done_ = false;
        candidate_ = 0;
        return BuildHashTable(context, left_key_evaluators_, left_buffered_, left_buffered_count_);
      }
    }
    right_rows_.Clear();
    grace_.Reset();
    while (true) {
      right_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(right_->Next(context, &right_batch_));
      if (right_batch_.rows() == 0) break;
      if (grace_.started()) {
        PLEXUS_RETURN_IF_ERROR(grace_.AddRight(context, right_key_evaluators_, right_batch_));
        continue;
      }
      for (size_t row = 0; row < right_batch_.rows(); ++row) right_rows_.Append(right_batch_, row);
      if (!left_keys_.empty() &&
          right_rows_.memory_bytes() + right_rows_.size() * kHashEntryBytes > context.work_mem()) {
        PLEXUS_RETURN_IF_ERROR(StartGrace(context));
      }
    }
    if (grace_.started()) return PartitionLeft(context);
    return StartJoining(context);
  }

  // Joins with the rows in right_rows_ (all of them, or a partition's).
  Status StartJoining(ExecContext& context) {
    left_batch_.Reset();
    left_row_ = 0;
    right_chunk_ = 0;
    matched_ = false;
    candidate_ = 0;
    left_unmatched_done_ = true;
    left_done_ = false;
    right_unmatched_next_ = 0;
    right_matched_.assign(plan().join_type == JoinType::kFull ? right_rows_.size() : 0, 0);
    if (!left_keys_.empty()) {
      PLEXUS_RETURN_IF_ERROR(BuildHashTable(context, right_key_evaluators_, right_rows_.chunks(),
                                            right_rows_.chunk_count()));
    }
    return Status::Ok();
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (build_left_) return NextBuildingLeft(context, out);
    if (!left_keys_.empty()) return NextHashed(context, out);
    const size_t left_width = left_->plan().types.size();
    while (true) {
      if (left_row_ >= left_batch_.rows()) {
        PLEXUS_ASSIGN_OR_RETURN(bool more, NextLeftBatch(context));
        if (!more) {
          EmitUnmatchedRight(out, left_width);
          return Status::Ok();
        }
      }
      if (right_chunk_ < right_rows_.chunk_count()) {
        PLEXUS_RETURN_IF_ERROR(PairWithChunk(context, out, left_width));
        ++right_chunk_;
        if (out->rows() > 0) return Status::Ok();
        continue;
      }
      // Every right chunk has been paired with this left row.
      const bool emit_unmatched = KeepsLeft() && !matched_;
      if (emit_unmatched) EmitLeftWithNulls(out, left_width);
      ++left_row_;
      right_chunk_ = 0;
      matched_ = false;
      if (emit_unmatched) return Status::Ok();
    }
  }

 private:
  Status PairWithChunk(ExecContext& context, Batch* out, size_t left_width) {
    out->Reset();
    const Batch& chunk = right_rows_.chunk(right_chunk_);
    const size_t rows = chunk.rows();
    for (size_t column = 0; column < left_width; ++column) {
      FillValue(&out->column(column), rows, GetValue(left_batch_.column(column), left_row_));
      if (out->column(column).physical() == PhysicalType::kString &&
          !left_batch_.column(column).IsNull(left_row_)) {
        // FillValue does not copy strings; point at the left batch's bytes instead.
        std::fill_n(out->column(column).values<std::string_view>(), rows,
                    left_batch_.column(column).GetString(left_row_));
      }
    }
    for (size_t column = 0; column < chunk.column_count(); ++column) {
      Vector& target = out->column(left_width + column);
      for (size_t row = 0; row < rows; ++row) target.CopyRow(chunk.column(column), row, row);
    }
    out->set_rows(rows);
    if (predicate_) {
      PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, *out, keep_));
    } else {
      std::fill_n(keep_, rows, 1);
    }
    if (!right_matched_.empty()) {
      for (size_t row = 0; row < rows; ++row) {
        if (keep_[row]) right_matched_[right_chunk_ * kBatchRowsMax + row] = 1;
      }
    }
    if (predicate_) out->Compact(keep_);
    if (out->rows() > 0) matched_ = true;
    return Status::Ok();
  }

  bool KeepsLeft() const {
    return plan().join_type == JoinType::kLeft || plan().join_type == JoinType::kFull;
  }

  // Reads the next left batch and starts at its first row; false at the end of the left input.
  Result<bool> NextLeftBatch(ExecContext& context) {
    left_batch_.Reset();
    if (left_done_) return false;  // FULL joins call on while they emit unmatched right rows
    if (grace_.started()) {
      PLEXUS_RETURN_IF_ERROR(grace_.NextLeft(&left_batch_));
    } else if (left_replay_ < left_buffered_count_) {
      std::swap(left_batch_, left_buffered_[left_replay_++]);  // read ahead by BufferSmallLeft
    } else {
      PLEXUS_RETURN_IF_ERROR(left_->Next(context, &left_batch_));
    }
    left_done_ = left_batch_.rows() == 0;
    left_row_ = 0;
    right_chunk_ = 0;
    matched_ = false;
    candidate_ = 0;
    return left_batch_.rows() > 0;
  }


  // Hashes rows [0, count) batches of `batches` on their key values: row r of batch b is
  // b * kBatchRowsMax + r.
  template <typename Batches>
  Status BuildHashTable(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                        const Batches& batches, size_t count) {
    table_.clear();
    std::vector<const Vector*> parts(evaluators.size());
    std::string key;
    for (size_t chunk = 0; chunk < count; ++chunk) {
      const Batch& batch = Deref(batches[chunk]);
      for (size_t i = 0; i < parts.size(); ++i) {
        PLEXUS_ASSIGN_OR_RETURN(parts[i], evaluators[i].Evaluate(context, batch, nullptr));
      }
      for (size_t row = 0; row < batch.rows(); ++row) {
        PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(parts, row, &key));
        if (valid) table_[key].push_back(static_cast<uint32_t>(chunk * kBatchRowsMax + row));
      }
    }
    return Status::Ok();
  }
  static const Batch& Deref(const Batch& batch) { return batch; }
  static const Batch& Deref(const std::unique_ptr<Batch>& batch) { return *batch; }

  // An inner join reads its left input first: when it ends within kBuildLeftRowsMax rows, the
  // left rows are hashed and the right input streams past them (the smaller side hashed, as
  // PostgreSQL's planner would choose). Otherwise the batches read are replayed first.
  Result<bool> BufferSmallLeft(ExecContext& context) {
    return ReadAhead(context, *left_, kBuildLeftRowsMax, &left_buffered_, &left_buffered_count_);
  }

  // Inner hash join over hashed left rows: each right row meets the left rows of its key.
  Status NextBuildingLeft(ExecContext& context, Batch* out) {
    const size_t left_width = left_->plan().types.size();
    while (true) {
      if (right_row_ >= right_batch_.rows()) {
        out->Reset();
        if (right_done_) return Status::Ok();
        right_batch_.Reset();
        PLEXUS_RETURN_IF_ERROR(right_->Next(context, &right_batch_));
        if (right_batch_.rows() == 0) {
          right_done_ = true;
          return Status::Ok();
        }
        PLEXUS_RETURN_IF_ERROR(ProbeRows(context, right_key_evaluators_, right_batch_));
        right_row_ = 0;
        candidate_ = 0;
      }
      out->Reset();
      size_t rows = 0;
      while (right_row_ < right_batch_.rows() && rows < kBatchRowsMax) {
        const std::vector<uint32_t>* matches = probes_[right_row_];
        const size_t count = matches ? matches->size() : 0;
        for (; candidate_ < count && rows < kBatchRowsMax; ++candidate_, ++rows) {
          const size_t left = (*matches)[candidate_];
          const Batch& chunk = left_buffered_[left / kBatchRowsMax];
          for (size_t column = 0; column < left_width; ++column) {
            out->column(column).CopyRow(chunk.column(column), RowBuffer::Slot(left), rows);
          }
          for (size_t column = 0; column < right_batch_.column_count(); ++column) {
            out->column(left_width + column).CopyRow(right_batch_.column(column), right_row_, rows);
          }
        }
        if (candidate_ < count) break;  // the batch is full in the middle of this row's matches
        ++right_row_;
        candidate_ = 0;
      }
      out->set_rows(rows);
      if (rows == 0) continue;
      PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, *out, keep_));
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

  // Looks up the key of every row of `batch` in the hash table: probes_[row].
  Status ProbeRows(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                   const Batch& batch) {
    std::vector<const Vector*> parts(evaluators.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      PLEXUS_ASSIGN_OR_RETURN(parts[i], evaluators[i].Evaluate(context, batch, nullptr));
    }
    probes_.resize(batch.rows());
    std::string key;
    for (size_t row = 0; row < batch.rows(); ++row) {
      PLEXUS_ASSIGN_OR_RETURN(bool valid, EncodeJoinKey(parts, row, &key));
      auto found = valid ? table_.find(key) : table_.end();
      probes_[row] = found == table_.end() ? nullptr : &found->second;
    }
    return Status::Ok();
  }

  // Hash join: pairs each left row with the right rows of equal key values, then filters the
  // pairs with the whole condition. LEFT/FULL: once a left batch is done, its rows without a
  // surviving pair follow, padded with NULLs.
  Status NextHashed(ExecContext& context, Batch* out) {
    const size_t left_width = left_->plan().types.size();
    while (true) {
      if (left_row_ >= left_batch_.rows()) {
        if (!left_unmatched_done_) {
          left_unmatched_done_ = true;
          EmitUnmatchedLeft(out, left_width);
          if (out->rows() > 0) return Status::Ok();
        }
        PLEXUS_ASSIGN_OR_RETURN(bool more, NextLeftBatch(context));
        if (!more) {
          EmitUnmatchedRight(out, left_width);
          if (out->rows() == 0 && grace_.started()) {
            if (grace_.NextPartition()) {
              PLEXUS_RETURN_IF_ERROR(LoadPartition(context));
              continue;
            }
            context.set_explain_note(&plan(), grace_.Summary());
          }
          return Status::Ok();
        }
        PLEXUS_RETURN_IF_ERROR(Probe(context));
      }
      out->Reset();
      size_t rows = 0;
      while (left_row_ < left_batch_.rows() && rows < kBatchRowsMax) {
        const std::vector<uint32_t>* matches = probes_[left_row_];
        const size_t count = matches ? matches->size() : 0;
        for (; candidate_ < count && rows < kBatchRowsMax; ++candidate_, ++rows) {
          const size_t right = (*matches)[candidate_];
          for (size_t column = 0; column < left_width; ++column) {
            out->column(column).CopyRow(left_batch_.column(column), left_row_, rows);
          }
          const Batch& chunk = right_rows_.chunk(right / kBatchRowsMax);
          for (size_t column = 0; column < chunk.column_count(); ++column) {
            out->column(left_width + column).CopyRow(chunk.column(column), RowBuffer::Slot(right), rows);
          }
          pair_left_[rows] = static_cast<uint32_t>(left_row_);
          pair_right_[rows] = static_cast<uint32_t>(right);
        }
        if (candidate_ < count) break;  // the batch is full in the middle of this row's matches
        ++left_row_;
        candidate_ = 0;
      }
      out->set_rows(rows);
      if (rows == 0) continue;
      PLEXUS_RETURN_IF_ERROR(predicate_->EvaluatePredicate(context, *out, keep_));
      for (size_t row = 0; row < rows; ++row) {
        if (!keep_[row]) continue;
        if (!left_matched_.empty()) left_matched_[pair_left_[row]] = 1;
        if (!right_matched_.empty()) right_matched_[pair_right_[row]] = 1;
      }
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

  // The right rows pass work_mem: they (and the rest of the right input) go to partitions.
  Status StartGrace(ExecContext& context) {
    grace_.Start();
    grace_.NoteMemory(right_rows_.memory_bytes() + right_rows_.size() * kHashEntryBytes);
    for (size_t chunk = 0; chunk < right_rows_.chunk_count(); ++chunk) {
      PLEXUS_RETURN_IF_ERROR(
          grace_.AddRight(context, right_key_evaluators_, right_rows_.chunk(chunk)));
    }
    right_rows_.Clear();
    return Status::Ok();
  }

  // Splits the left input (with the batches BufferSmallLeft read ahead) into its partitions,
  // then starts on partition 0.
  Status PartitionLeft(ExecContext& context) {
    for (; left_replay_ < left_buffered_count_; ++left_replay_) {
      PLEXUS_RETURN_IF_ERROR(
          grace_.AddLeft(context, left_key_evaluators_, left_buffered_[left_replay_]));
    }
    while (true) {
      left_batch_.Reset();
      PLEXUS_RETURN_IF_ERROR(left_->Next(context, &left_batch_));
      if (left_batch_.rows() == 0) break;
      PLEXUS_RETURN_IF_ERROR(grace_.AddLeft(context, left_key_evaluators_, left_batch_));
    }
    PLEXUS_RETURN_IF_ERROR(grace_.Seal());
    return LoadPartition(context);
  }

  // Reads the open partition's right rows into right_rows_ and starts joining its left rows.
  Status LoadPartition(ExecContext& context) {
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    right_rows_.Clear();
    if (std::unique_ptr<SpillFile> right = grace_.TakeRight()) {
      SpillReader reader(right.get(), 0, right->offset());
      while (true) {
        PLEXUS_RETURN_IF_ERROR(reader.Next(&right_batch_));
        if (right_batch_.rows() == 0) break;
        for (size_t row = 0; row < right_batch_.rows(); ++row) right_rows_.Append(right_batch_, row);
      }
    }
    grace_.NoteMemory(right_rows_.memory_bytes() + right_rows_.size() * kHashEntryBytes);
    return StartJoining(context);
  }

  // Looks up the key of every row of the new left batch.
  Status Probe(ExecContext& context) {
    PLEXUS_RETURN_IF_ERROR(ProbeRows(context, left_key_evaluators_, left_batch_));
    if (KeepsLeft()) {
      left_matched_.assign(left_batch_.rows(), 0);
      left_unmatched_done_ = false;
    }
    return Status::Ok();
  }

  // The rows of the current left batch that no pair kept, padded with NULLs.
  void EmitUnmatchedLeft(Batch* out, size_t left_width) {
    out->Reset();
    size_t rows = 0;
    for (size_t row = 0; row < left_matched_.size(); ++row) {
      if (left_matched_[row]) continue;
      for (size_t column = 0; column < left_width; ++column) {
        out->column(column).CopyRow(left_batch_.column(column), row, rows);
      }
      for (size_t column = left_width; column < out->column_count(); ++column) {
        out->column(column).SetNull(rows, true);
      }
      ++rows;
    }
    out->set_rows(rows);
  }

  // FULL join, after the last left row: the next buffered right rows that never matched, with
  // NULLs for the left columns; no rows once they are all out.
  void EmitUnmatchedRight(Batch* out, size_t left_width) {
    out->Reset();
    size_t rows = 0;
    for (; right_unmatched_next_ < right_matched_.size() && rows < kBatchRowsMax;
         ++right_unmatched_next_) {
      const size_t right = right_unmatched_next_;
      if (right_matched_[right]) continue;
      for (size_t column = 0; column < left_width; ++column) out->column(column).SetNull(rows, true);
      const Batch& chunk = right_rows_.chunk(right / kBatchRowsMax);
      for (size_t column = 0; column < chunk.column_count(); ++column) {
        out->column(left_width + column).CopyRow(chunk.column(column), RowBuffer::Slot(right), rows);
      }
      ++rows;
    }
    out->set_rows(rows);
  }

  void EmitLeftWithNulls(Batch* out, size_t left_width) {
    out->Reset();
    for (size_t column = 0; column < left_width; ++column) {
      out->column(column).CopyRow(left_batch_.column(column), left_row_, 0);
    }
    for (size_t column = left_width; column < out->column_count(); ++column) {
      out->column(column).SetNull(0, true);
    }
    out->set_rows(1);
  }

  OperatorPtr left_;
  OperatorPtr right_;
  std::unique_ptr<ExpressionEvaluator> predicate_;
  Batch left_batch_;
  RowBuffer right_rows_;
  Batch right_batch_;
  size_t left_row_ = 0;
  size_t right_chunk_ = 0;
  bool matched_ = false;
  uint8_t keep_[kBatchRowsMax];
  // Hash join: key expressions per side, the right rows by key, each left row's matches.
  std::vector<ExprPtr> left_keys_;
  std::vector<ExprPtr> right_keys_;
  std::vector<ExpressionEvaluator> left_key_evaluators_;
  std::vector<ExpressionEvaluator> right_key_evaluators_;
  std::unordered_map<std::string, std::vector<uint32_t>> table_;
  std::vector<const std::vector<uint32_t>*> probes_;
  // Inner hash joins: left batches read ahead (left_buffered_count_ of left_buffered_), hashed
  // when that was all of the left input (build_left_), else replayed by NextLeftBatch.
  std::vector<Batch> left_buffered_;
  size_t left_buffered_count_ = 0;
  size_t left_replay_ = 0;
  bool build_left_ = false;
  size_t right_row_ = 0;
  bool right_done_ = false;
  size_t candidate_ = 0;
  // Outer joins: which rows of the left batch (hash join) and of the buffered right rows (FULL)
  // were part of a pair the condition kept; the left and right row of each pair of a batch.
  std::vector<uint8_t> left_matched_;
  bool left_unmatched_done_ = true;
  bool left_done_ = false;
  std::vector<uint8_t> right_matched_;
  size_t right_unmatched_next_ = 0;
  uint32_t pair_left_[kBatchRowsMax];
  uint32_t pair_right_[kBatchRowsMax];
  GracePartitions grace_;  // past work_mem
};

}  // namespace

bool JoinUsesHash(const PlanNode& plan) {
  if (!plan.predicate || plan.join_type == JoinType::kCross) return false;
  std::vector<ExprPtr> left;
  std::vector<ExprPtr> right;
  CollectJoinKeys(*plan.predicate, plan.children[0]->types.size(), &left, &right);
  return !left.empty();
}

OperatorPtr MakeHashOrLoopJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  return std::make_unique<JoinOperator>(plan, std::move(left), std::move(right));
}

OperatorPtr MakeJoinOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  if (LookupJoinApplies(plan)) {
    return MakeLookupJoinOperator(plan, std::move(left), std::move(right));
  }
  if (plan.join_type == JoinType::kSemi || plan.join_type == JoinType::kAnti) {
    return MakeSemiJoinOperator(plan, std::move(left), std::move(right));
  }
  return MakeHashOrLoopJoinOperator(plan, std::move(left), std::move(right));
}

}  // namespace plexus::sql
