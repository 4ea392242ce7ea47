// ExternalSorter: in-memory, top-N and external merge sorts (see external_sort.h).
#include "plexus/sql/exec/external_sort.h"

#include <algorithm>
#include <numeric>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/exec/vector_compare.h"

namespace plexus::sql {

namespace {

// Past this bound the sorter does not keep a top N (it sorts everything, spilling as needed).
constexpr uint64_t kBoundRowsMax = uint64_t{1} << 24;

// Orders two values of a key column: NULLs per the key's NULLS FIRST/LAST.
int CompareKey(const SortColumn& key, const Vector& left, size_t left_slot, const Vector& right,
               size_t right_slot) {
  const bool left_null = left.IsNull(left_slot);
  const bool right_null = right.IsNull(right_slot);
  if (left_null || right_null) {
    if (left_null == right_null) return 0;
    return left_null == key.nulls_first ? -1 : 1;
  }
  const int comparison = CompareSlots(left, left_slot, right, right_slot);
  return key.descending ? -comparison : comparison;
}

}  // namespace

// One run being merged: its reader and the batch of rows it is at.
struct ExternalSorter::RunCursor {
  RunCursor(const SpillFile* file, uint64_t begin, uint64_t end, const std::vector<Type>& types)
      : reader(file, begin, end), batch(types) {
    for (const Vector& column : batch.columns()) columns.push_back(&column);
  }
  SpillReader reader;
  Batch batch;
  size_t row = 0;
  std::vector<const Vector*> columns;  // batch's, for SpillFile::Append
};

// Heap order over cursors: a comes out after b (the top is the smallest; ties by run, which is
// input order).
struct ExternalSorter::LaterCompare {
  const ExternalSorter* sorter;
  bool operator()(size_t a, size_t b) const {
    const RunCursor& left = *sorter->cursors_[a];
    const RunCursor& right = *sorter->cursors_[b];
    const int comparison = sorter->Compare(left.batch, left.row, right.batch, right.row);
    return comparison != 0 ? comparison > 0 : a > b;
  }
};

ExternalSorter::ExternalSorter(std::vector<Type> types, std::vector<SortColumn> keys)
    : keys_(std::move(keys)), buffer_(std::move(types)) {}

ExternalSorter::~ExternalSorter() = default;

void ExternalSorter::Reset(uint64_t bound) {
  buffer_.Clear();
  order_.clear();
  next_ = 0;
  bound_ = bound <= kBoundRowsMax ? bound : 0;
  cut_ = false;
  peak_bytes_ = 0;
  disk_bytes_ = 0;
  ReleaseSpill();
}

Status ExternalSorter::Add(ExecContext& context, const Batch& batch) {
  for (size_t row = 0; row < batch.rows(); ++row) buffer_.Append(batch, row);
  if (bound_ > 0 && buffer_.size() >= 2 * bound_ && buffer_.size() >= kBatchRowsMax) {
    peak_bytes_ = std::max(peak_bytes_, BufferBytes());
    KeepFirst(static_cast<size_t>(bound_));
    cut_ = true;
  }
  const size_t bytes = BufferBytes();
  peak_bytes_ = std::max(peak_bytes_, bytes);
  if (bytes > context.work_mem()) {
    // Past work_mem even with a bound (its N rows do not fit): sort everything, spilling.
    bound_ = 0;
    PLEXUS_RETURN_IF_ERROR(WriteRun(context));
  }
  return Status::Ok();
}

Status ExternalSorter::Finish(ExecContext& context) {
  if (file_ == nullptr) {
    if (bound_ > 0 && buffer_.size() > bound_) {
      KeepFirst(static_cast<size_t>(bound_));
      cut_ = true;
    } else {
      SortBuffer();
    }
    return Status::Ok();
  }
  if (buffer_.size() > 0) PLEXUS_RETURN_IF_ERROR(WriteRun(context));
  disk_bytes_ = file_->offset();
  return StartMerge(context);
}

std::string ExternalSorter::Report() const {
  if (spilled()) return "Sort Method: external merge  Disk: " + Kilobytes(disk_bytes_);
  return std::string("Sort Method: ") + (cut_ ? "top-N heapsort" : "quicksort") +
         "  Memory: " + Kilobytes(peak_bytes_);
}

Status ExternalSorter::Next(ExecContext& context, Batch* out) {
  out->Reset();
  size_t rows = 0;
  if (file_ == nullptr) {
    for (; rows < kBatchRowsMax && next_ < order_.size(); ++rows, ++next_) {
      const size_t source = order_[next_];
      for (size_t column = 0; column < out->column_count(); ++column) {
        out->column(column).CopyRow(buffer_.column(source, column), RowBuffer::Slot(source), rows);
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }
  PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
  for (; rows < kBatchRowsMax && !heap_.empty(); ++rows) {
    RunCursor& cursor = *cursors_[heap_.front()];
    for (size_t column = 0; column < out->column_count(); ++column) {
      out->column(column).CopyRow(cursor.batch.column(column), cursor.row, rows);
    }
    PLEXUS_RETURN_IF_ERROR(Advance());
  }
  out->set_rows(rows);
  if (heap_.empty()) ReleaseSpill();
  return Status::Ok();
}

int ExternalSorter::Compare(const Batch& a, size_t a_row, const Batch& b, size_t b_row) const {
  for (const SortColumn& key : keys_) {
    const int comparison =
        CompareKey(key, a.column(key.column), a_row, b.column(key.column), b_row);
    if (comparison != 0) return comparison;
  }
  return 0;
}

bool ExternalSorter::Less(size_t a, size_t b) const {
  for (const SortColumn& key : keys_) {
    const int comparison =
        CompareKey(key, buffer_.column(a, key.column), RowBuffer::Slot(a),
                   buffer_.column(b, key.column), RowBuffer::Slot(b));
    if (comparison != 0) return comparison < 0;
  }
  return false;
}

void ExternalSorter::SortBuffer() {
  order_.resize(buffer_.size());
  std::iota(order_.begin(), order_.end(), 0);
  std::stable_sort(order_.begin(), order_.end(), [&](size_t a, size_t b) { return Less(a, b); });
  next_ = 0;
}

// Orders the buffer's first `count` rows and drops the rest from it (top-N): ties go by
// position, so equal rows keep their input order.
void ExternalSorter::KeepFirst(size_t count) {
  order_.resize(buffer_.size());
  std::iota(order_.begin(), order_.end(), 0);
  count = std::min(count, order_.size());
  std::partial_sort(order_.begin(), order_.begin() + static_cast<ptrdiff_t>(count), order_.end(),
                    [&](size_t a, size_t b) {
                      if (Less(a, b)) return true;
                      if (Less(b, a)) return false;
                      return a < b;
                    });
  RowBuffer kept(buffer_.types());
  for (size_t i = 0; i < count; ++i) {
    kept.Append(buffer_.chunk(order_[i] / kBatchRowsMax), RowBuffer::Slot(order_[i]));
  }
  buffer_ = std::move(kept);
  order_.resize(count);
  std::iota(order_.begin(), order_.end(), 0);
  next_ = 0;
}

// Sorts the buffer and writes it to the spill file as one run; empties the buffer.
Status ExternalSorter::WriteRun(ExecContext& context) {
  PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
  if (file_ == nullptr) {
    PLEXUS_ASSIGN_OR_RETURN(file_, SpillFile::Create(context));
  }
  SortBuffer();
  std::vector<std::vector<const Vector*>> columns(buffer_.chunk_count());
  for (size_t chunk = 0; chunk < columns.size(); ++chunk) {
    const Batch& rows = buffer_.chunk(chunk);
    for (size_t i = 0; i < buffer_.types().size(); ++i) columns[chunk].push_back(&rows.column(i));
  }
  const uint64_t begin = file_->offset();
  for (size_t source : order_) {
    PLEXUS_RETURN_IF_ERROR(file_->Append(columns[source / kBatchRowsMax], RowBuffer::Slot(source)));
  }
  PLEXUS_RETURN_IF_ERROR(file_->Flush());
  runs_.push_back({begin, file_->offset()});
  buffer_.Clear();
  order_.clear();
  return Status::Ok();
}

// Merges runs a fan-in at a time into a new file until one merge can take them all, then
// opens that last merge.
Status ExternalSorter::StartMerge(ExecContext& context) {
  const size_t fan_in = std::clamp<size_t>(context.work_mem() / (256 * 1024), 8, 64);
  while (runs_.size() > fan_in) {
    PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<SpillFile> merged, SpillFile::Create(context));
    std::vector<Run> merged_runs;
    for (size_t start = 0; start < runs_.size(); start += fan_in) {
      PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
      PLEXUS_RETURN_IF_ERROR(OpenCursors(start, std::min(runs_.size(), start + fan_in)));
      const uint64_t begin = merged->offset();
      while (!heap_.empty()) {
        RunCursor& cursor = *cursors_[heap_.front()];
        PLEXUS_RETURN_IF_ERROR(merged->Append(cursor.columns, cursor.row));
        PLEXUS_RETURN_IF_ERROR(Advance());
      }
      PLEXUS_RETURN_IF_ERROR(merged->Flush());
      merged_runs.push_back({begin, merged->offset()});
    }
    cursors_.clear();
    file_ = std::move(merged);
    runs_ = std::move(merged_runs);
  }
  return OpenCursors(0, runs_.size());
}

// Opens a cursor on each of runs_[first, last) and heaps those with rows.
Status ExternalSorter::OpenCursors(size_t first, size_t last) {
  cursors_.clear();
  heap_.clear();
  for (size_t run = first; run < last; ++run) {
    cursors_.push_back(
        std::make_unique<RunCursor>(file_.get(), runs_[run].begin, runs_[run].end, buffer_.types()));
    RunCursor& cursor = *cursors_.back();
    PLEXUS_RETURN_IF_ERROR(cursor.reader.Next(&cursor.batch));
    if (cursor.batch.rows() == 0) continue;
    heap_.push_back(cursors_.size() - 1);
    std::push_heap(heap_.begin(), heap_.end(), LaterCompare{this});
  }
  return Status::Ok();
}

// Moves the cursor at the top of the heap to its next row (or drops it at its run's end).
Status ExternalSorter::Advance() {
  std::pop_heap(heap_.begin(), heap_.end(), LaterCompare{this});
  RunCursor& cursor = *cursors_[heap_.back()];
  if (++cursor.row == cursor.batch.rows()) {
    PLEXUS_RETURN_IF_ERROR(cursor.reader.Next(&cursor.batch));
    cursor.row = 0;
    if (cursor.batch.rows() == 0) {
      heap_.pop_back();
      return Status::Ok();
    }
  }
  std::push_heap(heap_.begin(), heap_.end(), LaterCompare{this});
  return Status::Ok();
}

void ExternalSorter::ReleaseSpill() {
  cursors_.clear();
  heap_.clear();
  runs_.clear();
  file_.reset();
}

}  // namespace plexus::sql
