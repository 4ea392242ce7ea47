// INTERSECT [ALL] and EXCEPT [ALL] by hashing: the right input is counted per row key (row_codec's
// key parts, under which NULLs are equal, as set operations require), then the left input streams
// through the counts. Output rows are copied into full batches; their order is unspecified.
//
// Past work_mem (a grace hash, as the hash join's): when the right input's counts outgrow
// work_mem, they are written out — each key's first row as many times as it was counted — to
// kSpillPartitions files by a hash of the key, and so is the rest of the right input; the left
// input then goes to partition files by the same hash, and each pair of partitions is a pass of
// its own (depth first), which may split again one level down. EXCEPT also remembers the left
// keys it output: past work_mem, left rows of keys not yet seen go to partition files whose
// passes have no right rows.
#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>

#include "plexus/base/assert.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"

namespace plexus::sql {

namespace {

// What a key costs in the counts besides its bytes.
constexpr size_t kSetKeyOverheadBytes = 64;

std::vector<const Vector*> ColumnsOf(const Batch& batch) {
  std::vector<const Vector*> columns;
  for (size_t i = 0; i < batch.column_count(); ++i) columns.push_back(&batch.column(i));
  return columns;
}

class SetOperationOperator final : public Operator {
 public:
  SetOperationOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right)
      : Operator(plan),
        left_(std::move(left)),
        right_(std::move(right)),
        left_batch_(left_->plan().types),
        right_batch_(right_->plan().types),
        firsts_(right_->plan().types) {
    PLEXUS_ASSERT(plan.kind == PlanKind::kIntersect || plan.kind == PlanKind::kExcept);
    PLEXUS_ASSERT(left_->plan().types.size() == plan.types.size());
    PLEXUS_ASSERT(right_->plan().types.size() == plan.types.size());
  }

  // Counts the right input's rows by key; the left input then streams in Next.
  Status Open(ExecContext& context) override {
    PLEXUS_RETURN_IF_ERROR(left_->Open(context));
    PLEXUS_RETURN_IF_ERROR(right_->Open(context));
    pending_.clear();
    level_ = 0;
    from_children_ = true;
    right_reader_.reset();
    left_reader_.reset();
    passes_ = 1;
    peak_bytes_ = 0;
    disk_bytes_ = 0;
    return Build(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    out->Reset();
    std::string key;
    while (out->rows() < kBatchRowsMax) {
      if (left_row_ >= left_batch_.rows()) {
        // The rows copied into `out` own their bytes, so the left batch may be refilled.
        left_batch_.Reset();
        left_row_ = 0;
        PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
        PLEXUS_RETURN_IF_ERROR(NextLeft(context));
        if (left_batch_.rows() > 0) continue;
        PLEXUS_RETURN_IF_ERROR(EndPass(context));
        if (left_reader_ == nullptr) {  // no pass left
          Report(context);
          break;
        }
        continue;
      }
      const size_t row = left_row_++;
      PLEXUS_RETURN_IF_ERROR(RowKey(left_batch_, row, &key));
      if (spilled_) {
        PLEXUS_RETURN_IF_ERROR(SpillRow(context, key, left_batch_, row, &left_partitions_));
        continue;
      }
      if (!Emit(context, key)) continue;
      if (spill_new_left_) {
        // EXCEPT past work_mem: a key new to the counts waits in a partition.
        PLEXUS_RETURN_IF_ERROR(SpillRow(context, key, left_batch_, row, &left_partitions_));
        continue;
      }
      const size_t target = out->rows();
      for (size_t column = 0; column < out->column_count(); ++column) {
        out->column(column).CopyRow(left_batch_.column(column), row, target);
      }
      out->set_rows(target + 1);
    }
    return Status::Ok();
  }

 private:
  // A key's count and the index of its first right row in firsts_.
  struct Entry {
    int64_t count = 0;
    size_t first = 0;
  };
  // A pair of partitions waiting for its pass (either may have no file: no rows).
  struct Pass {
    std::unique_ptr<SpillFile> right;
    std::unique_ptr<SpillFile> left;
    uint32_t level;  // of the hash that split them
  };

  static Status RowKey(const Batch& batch, size_t row, std::string* key) {
    key->clear();
    for (size_t column = 0; column < batch.column_count(); ++column) {
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(batch.column(column), row, key));
    }
    return Status::Ok();
  }

  size_t MemoryBytes() const { return firsts_.memory_bytes() + key_bytes_; }

  // Reads this pass's right input into the counts (spilling past work_mem) and readies the
  // left input.
  Status Build(ExecContext& context) {
    counts_.clear();
    firsts_.Clear();
    key_bytes_ = 0;
    spilled_ = false;
    spill_new_left_ = false;
    right_partitions_.clear();
    left_partitions_.clear();
    std::string key;
    while (true) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      if (from_children_) {
        right_batch_.Reset();
        PLEXUS_RETURN_IF_ERROR(right_->Next(context, &right_batch_));
      } else if (right_reader_ != nullptr) {
        PLEXUS_RETURN_IF_ERROR(right_reader_->Next(&right_batch_));
      } else {
        break;
      }
      if (right_batch_.rows() == 0) break;
      for (size_t row = 0; row < right_batch_.rows(); ++row) {
        PLEXUS_RETURN_IF_ERROR(RowKey(right_batch_, row, &key));
        if (spilled_) {
          PLEXUS_RETURN_IF_ERROR(SpillRow(context, key, right_batch_, row, &right_partitions_));
          continue;
        }
        auto [found, inserted] = counts_.try_emplace(key, Entry{0, firsts_.size()});
        if (inserted) {
          firsts_.Append(right_batch_, row);
          key_bytes_ += key.size() + kSetKeyOverheadBytes;
        }
        ++found->second.count;
      }
      peak_bytes_ = std::max(peak_bytes_, MemoryBytes());
      if (!spilled_ && MemoryBytes() > context.work_mem() && level_ < kSpillLevelsMax) {
        PLEXUS_RETURN_IF_ERROR(SpillCounts(context));
      }
    }
    right_reader_.reset();
    right_reading_.reset();
    left_batch_.Reset();
    left_row_ = 0;
    return Status::Ok();
  }

  // Writes each counted key's first row, count times, to the right partitions.
  Status SpillCounts(ExecContext& context) {
    spilled_ = true;
    for (const auto& [key, entry] : counts_) {
      const Batch& chunk = firsts_.chunk(entry.first / kBatchRowsMax);
      for (int64_t i = 0; i < entry.count; ++i) {
        PLEXUS_RETURN_IF_ERROR(
            SpillRow(context, key, chunk, RowBuffer::Slot(entry.first), &right_partitions_));
      }
    }
    counts_.clear();
    firsts_.Clear();
    key_bytes_ = 0;
    return Status::Ok();
  }

  Status SpillRow(ExecContext& context, std::string_view key, const Batch& batch, size_t row,
                  std::vector<std::unique_ptr<SpillFile>>* partitions) {
    if (partitions->empty()) partitions->resize(kSpillPartitions);
    std::unique_ptr<SpillFile>& file = (*partitions)[SpillPartitionOf(key, level_)];
    if (file == nullptr) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      PLEXUS_ASSIGN_OR_RETURN(file, SpillFile::Create(context));
    }
    return file->Append(ColumnsOf(batch), row);
  }

  // Reads this pass's next left rows into left_batch_ (none: its end).
  Status NextLeft(ExecContext& context) {
    if (from_children_) return left_->Next(context, &left_batch_);
    if (left_reader_ != nullptr) return left_reader_->Next(&left_batch_);
    return Status::Ok();
  }

  // The pass's left input is read: its partition pairs wait ahead of older ones (a pair with
  // no left rows outputs nothing), and the next pair, if any, is built.
  Status EndPass(ExecContext& context) {
    left_reader_.reset();
    left_reading_.reset();
    for (size_t p = left_partitions_.size(); p-- > 0;) {
      if (left_partitions_[p] == nullptr) continue;
      PLEXUS_RETURN_IF_ERROR(left_partitions_[p]->Flush());
      disk_bytes_ += left_partitions_[p]->offset();
      std::unique_ptr<SpillFile> right;
      if (p < right_partitions_.size() && right_partitions_[p] != nullptr) {
        PLEXUS_RETURN_IF_ERROR(right_partitions_[p]->Flush());
        disk_bytes_ += right_partitions_[p]->offset();
        right = std::move(right_partitions_[p]);
      }
      pending_.push_front({std::move(right), std::move(left_partitions_[p]), level_});
    }
    right_partitions_.clear();
    left_partitions_.clear();
    counts_.clear();
    firsts_.Clear();
    from_children_ = false;
    if (pending_.empty()) return Status::Ok();
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    Pass next = std::move(pending_.front());
    pending_.pop_front();
    ++passes_;
    level_ = next.level + 1;
    right_reading_ = std::move(next.right);
    if (right_reading_ != nullptr) {
      right_reader_ = std::make_unique<SpillReader>(right_reading_.get(), 0, right_reading_->offset());
    }
    left_reading_ = std::move(next.left);
    left_reader_ = std::make_unique<SpillReader>(left_reading_.get(), 0, left_reading_->offset());
    return Build(context);
  }

  // EXPLAIN ANALYZE's line, as for a hash aggregate.
  void Report(ExecContext& context) {
    std::string line = "Batches: " + std::to_string(passes_) +
                       "  Memory Usage: " + Kilobytes(peak_bytes_);
    if (disk_bytes_ > 0) line += "  Disk Usage: " + Kilobytes(disk_bytes_);
    context.set_explain_note(&plan(), std::move(line));
  }

  // Whether a left row with `key` is output, updating the counts. A count is how many more
  // copies of the row the right input can match (INTERSECT ALL) or cancel (EXCEPT ALL).
  bool Emit(ExecContext& context, const std::string& key) {
    auto found = counts_.find(key);
    const bool on_right = found != counts_.end() && found->second.count > 0;
    spill_new_left_ = false;
    if (plan().kind == PlanKind::kIntersect) {
      if (!on_right) return false;
      // INTERSECT outputs a row once: zeroing its count drops the left's later copies.
      found->second.count = plan().set_all ? found->second.count - 1 : 0;
      return true;
    }
    if (plan().set_all) {
      if (!on_right) return true;
      --found->second.count;
      return false;
    }
    // EXCEPT: a key present at all (on the right, or already output) is not output again.
    if (found != counts_.end()) return false;
    if (MemoryBytes() > context.work_mem() && level_ < kSpillLevelsMax) {
      spill_new_left_ = true;
      return true;
    }
    counts_.emplace(key, Entry{0, 0});
    key_bytes_ += key.size() + kSetKeyOverheadBytes;
    peak_bytes_ = std::max(peak_bytes_, MemoryBytes());
    return true;
  }

  OperatorPtr left_;
  OperatorPtr right_;
  Batch left_batch_;
  Batch right_batch_;
  std::unordered_map<std::string, Entry> counts_;
  RowBuffer firsts_;  // each counted key's first right row
  size_t key_bytes_ = 0;
  size_t left_row_ = 0;
  // Spilling (see the top of the file).
  bool from_children_ = true;    // the first pass reads the children, the others partitions
  bool spilled_ = false;         // this pass's counts went to right partitions
  bool spill_new_left_ = false;  // Emit's answer: the row goes to a left partition instead
  uint32_t level_ = 0;           // of this pass's partition hash
  std::vector<std::unique_ptr<SpillFile>> right_partitions_;
  std::vector<std::unique_ptr<SpillFile>> left_partitions_;
  std::deque<Pass> pending_;
  std::unique_ptr<SpillFile> right_reading_;
  std::unique_ptr<SpillReader> right_reader_;
  std::unique_ptr<SpillFile> left_reading_;
  std::unique_ptr<SpillReader> left_reader_;
  uint64_t passes_ = 1;
  size_t peak_bytes_ = 0;
  uint64_t disk_bytes_ = 0;
};

}  // namespace

OperatorPtr MakeSetOperationOperator(const PlanNode& plan, OperatorPtr left, OperatorPtr right) {
  return std::make_unique<SetOperationOperator>(plan, std::move(left), std::move(right));
}

}  // namespace plexus::sql
