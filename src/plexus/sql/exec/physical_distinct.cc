// DISTINCT and DISTINCT ON: a row is output when its key (every column, or the DISTINCT ON
// columns) is new. Rows stream: the first row of each key goes out as it arrives.
//   - Over a sort whose first keys are the DISTINCT ON columns, equal keys are adjacent: only
//     the previous row's key is kept.
//   - Else the keys seen are hashed. Past work_mem (as the hash aggregate spills), the keys in
//     memory keep dropping their duplicates, but rows of new keys go to kSpillPartitions spill
//     files by a hash of their key; when the input ends, each partition is read back as the
//     input of a fresh pass (depth first), which may spill again one level down. A key's rows
//     keep their input order in its partition, so its first row is still the one output. Output
//     order is then not input order, which only DISTINCT ON over unsorted input could notice
//     (whose order is unspecified): DISTINCT ON over another input keeps its keys in memory.
#include <algorithm>
#include <deque>
#include <string>
#include <unordered_set>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/spill_file.h"

namespace plexus::sql {

namespace {

// What a key costs in the hash set besides its bytes.
constexpr size_t kKeyOverheadBytes = 64;

// Whether plan's input is a sort whose first keys are the DISTINCT ON columns.
bool KeysAdjacent(const PlanNode& plan) {
  if (plan.column_map.empty()) return false;
  const PlanNode& child = *plan.children[0];
  if (child.kind != PlanKind::kSort || child.sort_keys.size() < plan.column_map.size()) return false;
  for (size_t i = 0; i < plan.column_map.size(); ++i) {
    const Expr& key = *child.sort_keys[i].expr;
    if (key.kind != ExprKind::kColumn) return false;
    if (std::find(plan.column_map.begin(), plan.column_map.end(),
                  static_cast<int32_t>(key.column)) == plan.column_map.end()) {
      return false;
    }
  }
  return true;
}

class DistinctOperator final : public Operator {
 public:
  DistinctOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), adjacent_(KeysAdjacent(plan)),
        may_spill_(plan.column_map.empty()) {}

  Status Open(ExecContext& context) override {
    ClearPass();
    have_previous_ = false;
    pending_.clear();
    reader_.reset();
    reading_.reset();
    level_ = 0;
    batches_ = 1;
    peak_bytes_ = 0;
    disk_bytes_ = 0;
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    std::string key;
    while (true) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      if (reader_ != nullptr) {
        PLEXUS_RETURN_IF_ERROR(reader_->Next(out));
      } else {
        PLEXUS_RETURN_IF_ERROR(child_->Next(context, out));
      }
      if (out->rows() == 0) {
        PLEXUS_RETURN_IF_ERROR(EndPass(context));
        if (reader_ == nullptr) {
          if (plan().column_map.empty()) Report(context);
          return Status::Ok();
        }
        continue;
      }
      std::vector<const Vector*> columns;
      for (const Vector& column : out->columns()) columns.push_back(&column);
      for (size_t row = 0; row < out->rows(); ++row) {
        PLEXUS_RETURN_IF_ERROR(Key(*out, row, &key));
        if (adjacent_) {
          keep_[row] = !have_previous_ || key != previous_;
          if (keep_[row]) previous_.swap(key);
          have_previous_ = true;
          continue;
        }
        if (!spilling_) {
          const bool inserted = seen_.insert(key).second;
          if (inserted) key_bytes_ += key.size() + kKeyOverheadBytes;
          keep_[row] = inserted;
          continue;
        }
        keep_[row] = 0;
        if (seen_.count(key) == 0) PLEXUS_RETURN_IF_ERROR(SpillRow(context, key, columns, row));
      }
      if (!adjacent_ && !spilling_) {
        peak_bytes_ = std::max(peak_bytes_, key_bytes_);
        spilling_ = may_spill_ && key_bytes_ > context.work_mem() && level_ < kSpillLevelsMax;
      }
      out->Compact(keep_);
      if (out->rows() > 0) return Status::Ok();
    }
  }

 private:
  Status Key(const Batch& batch, size_t row, std::string* key) const {
    key->clear();
    // DISTINCT ON: only the key columns (column_map); plain DISTINCT: every column.
    if (plan().column_map.empty()) {
      for (size_t column = 0; column < batch.column_count(); ++column) {
        PLEXUS_RETURN_IF_ERROR(AppendKeyPart(batch.column(column), row, key));
      }
      return Status::Ok();
    }
    for (int32_t column : plan().column_map) {
      PLEXUS_RETURN_IF_ERROR(AppendKeyPart(batch.column(static_cast<size_t>(column)), row, key));
    }
    return Status::Ok();
  }

  // Sends row `row` (of a key not in memory) to its partition's file.
  Status SpillRow(ExecContext& context, std::string_view key,
                  const std::vector<const Vector*>& columns, size_t row) {
    if (partitions_.empty()) partitions_.resize(kSpillPartitions);
    std::unique_ptr<SpillFile>& file = partitions_[SpillPartitionOf(key, level_)];
    if (file == nullptr) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      PLEXUS_ASSIGN_OR_RETURN(file, SpillFile::Create(context));
    }
    return file->Append(columns, row);
  }

  // The pass's input is read: its partitions wait for their passes ahead of older ones; the
  // next pending partition, if any, becomes the input (reader_).
  Status EndPass(ExecContext& context) {
    reader_.reset();
    reading_.reset();
    const uint32_t level = level_;
    for (auto file = partitions_.rbegin(); file != partitions_.rend(); ++file) {
      if (*file == nullptr) continue;
      PLEXUS_RETURN_IF_ERROR((*file)->Flush());
      disk_bytes_ += (*file)->offset();
      pending_.push_front({std::move(*file), level});
    }
    ClearPass();
    if (pending_.empty()) return Status::Ok();
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    Partition& next = pending_.front();
    level_ = next.level + 1;
    reader_ = std::make_unique<SpillReader>(next.file.get(), 0, next.file->offset());
    reading_ = std::move(next.file);
    pending_.pop_front();
    ++batches_;
    return Status::Ok();
  }

  void ClearPass() {
    seen_.clear();
    key_bytes_ = 0;
    spilling_ = false;
    partitions_.clear();
  }

  // EXPLAIN ANALYZE's line, as PostgreSQL's HashAggregate shows it.
  void Report(ExecContext& context) {
    std::string line = "Batches: " + std::to_string(batches_) +
                       "  Memory Usage: " + Kilobytes(peak_bytes_);
    if (disk_bytes_ > 0) line += "  Disk Usage: " + Kilobytes(disk_bytes_);
    context.set_explain_note(&plan(), std::move(line));
  }

  // Rows of keys that did not fit, waiting for their pass.
  struct Partition {
    std::unique_ptr<SpillFile> file;
    uint32_t level;  // of the hash that put rows here
  };

  OperatorPtr child_;
  const bool adjacent_;   // DISTINCT ON over a sort by its keys: compare with the previous row
  const bool may_spill_;  // plain DISTINCT: output order may change
  std::string previous_;
  bool have_previous_ = false;
  std::unordered_set<std::string> seen_;
  size_t key_bytes_ = 0;
  bool spilling_ = false;  // this pass takes no new keys
  uint32_t level_ = 0;     // of this pass's partition hash
  std::vector<std::unique_ptr<SpillFile>> partitions_;
  std::deque<Partition> pending_;
  std::unique_ptr<SpillFile> reading_;  // the partition this pass reads, through reader_
  std::unique_ptr<SpillReader> reader_;
  uint64_t batches_ = 1;
  size_t peak_bytes_ = 0;
  uint64_t disk_bytes_ = 0;
  uint8_t keep_[kBatchRowsMax];
};

}  // namespace

OperatorPtr MakeDistinctOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<DistinctOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
