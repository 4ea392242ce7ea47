// Sort: buffers the input with its sort keys, orders row indexes, then emits in order. NULLs
// sort per each key's NULLS FIRST/LAST; equal rows keep their input order.
//   - In memory (quicksort) while the buffer fits in work_mem.
//   - Under a LIMIT (ExecContext::row_bound) only the first N rows are kept: when the buffer
//     reaches 2N rows it is cut back to its N smallest (top-N heapsort).
//   - Past work_mem (external merge): each full buffer is sorted and written to a spill file as
//     a run; at the end the runs are merged, at most a fan-in at a time — passes that merge
//     groups of runs into longer runs, then a last merge that streams out.
#include <algorithm>
#include <numeric>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/operators.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/exec/vector_compare.h"

namespace plexus::sql {

namespace {

std::vector<Type> BufferTypes(const PlanNode& plan) {
  std::vector<Type> types = plan.types;
  for (const SortKey& key : plan.sort_keys) types.push_back(key.expr->type);
  return types;
}

std::string Kilobytes(uint64_t bytes) { return std::to_string((bytes + 1023) / 1024) + "kB"; }

// One run being merged: its reader and the batch of rows it is at.
struct RunCursor {
  RunCursor(const SpillFile* file, uint64_t begin, uint64_t end, const std::vector<Type>& types)
      : reader(file, begin, end), batch(types) {
    for (const Vector& column : batch.columns()) columns.push_back(&column);
  }
  SpillReader reader;
  Batch batch;
  size_t row = 0;
  std::vector<const Vector*> columns;  // batch's, for SpillFile::Append
};

struct Run {
  uint64_t begin;
  uint64_t end;
};

class SortOperator final : public Operator {
 public:
  SortOperator(const PlanNode& plan, OperatorPtr child)
      : Operator(plan), child_(std::move(child)), buffer_(BufferTypes(plan)),
        input_(BufferTypes(plan)), child_batch_(plan.types) {
    for (const SortKey& key : plan.sort_keys) keys_.emplace_back(*key.expr);
  }

  Status Open(ExecContext& context) override {
    buffer_.Clear();
    order_.clear();
    next_ = 0;
    sorted_ = false;
    ReleaseSpill();
    return child_->Open(context);
  }

  Status Next(ExecContext& context, Batch* out) override {
    if (!sorted_) PLEXUS_RETURN_IF_ERROR(BufferAndSort(context));
    if (file_ != nullptr) return NextMerged(context, out);
    out->Reset();
    size_t rows = 0;
    for (; rows < kBatchRowsMax && next_ < order_.size(); ++rows, ++next_) {
      const size_t source = order_[next_];
      for (size_t column = 0; column < out->column_count(); ++column) {
        out->column(column).CopyRow(buffer_.column(source, column), RowBuffer::Slot(source), rows);
      }
    }
    out->set_rows(rows);
    return Status::Ok();
  }

 private:
  Status BufferAndSort(ExecContext& context) {
    const size_t width = plan().types.size();
    const size_t work_mem = context.work_mem();
    const uint64_t bound = context.row_bound(&plan());
    bool bounded = bound > 0 && bound <= kBoundRowsMax;
    bool cut = false;  // the buffer was cut to its top N
    size_t peak_bytes = 0;
    Batch& input = input_;
    while (true) {
      input.Reset();
      // The child fills the first `width` columns; the keys go after them.
      Batch& child_batch = child_batch_;
      child_batch.Reset();
      PLEXUS_RETURN_IF_ERROR(child_->Next(context, &child_batch));
      if (child_batch.rows() == 0) break;
      for (size_t i = 0; i < keys_.size(); ++i) {
        PLEXUS_ASSIGN_OR_RETURN(const Vector* key, keys_[i].Evaluate(context, child_batch, nullptr));
        for (size_t row = 0; row < child_batch.rows(); ++row) {
          input.column(width + i).CopyRow(*key, row, row);
        }
      }
      for (size_t column = 0; column < width; ++column) {
        std::swap(input.column(column), child_batch.column(column));
      }
      input.set_rows(child_batch.rows());
      for (size_t row = 0; row < input.rows(); ++row) buffer_.Append(input, row);
      for (size_t column = 0; column < width; ++column) {
        std::swap(input.column(column), child_batch.column(column));
      }
      if (bounded && buffer_.size() >= 2 * bound && buffer_.size() >= kBatchRowsMax) {
        peak_bytes = std::max(peak_bytes, BufferBytes());
        KeepFirst(static_cast<size_t>(bound), width);
        cut = true;
      }
      const size_t bytes = BufferBytes();
      peak_bytes = std::max(peak_bytes, bytes);
      if (bytes > work_mem) {
        // Past work_mem even with a bound (its N rows do not fit): sort everything, spilling.
        bounded = false;
        PLEXUS_RETURN_IF_ERROR(WriteRun(context, width));
      }
    }
    if (file_ == nullptr && bounded && buffer_.size() > bound) {
      KeepFirst(static_cast<size_t>(bound), width);
      cut = true;
    } else if (file_ == nullptr) {
      SortBuffer(width);
    }
    if (file_ != nullptr) {
      if (buffer_.size() > 0) PLEXUS_RETURN_IF_ERROR(WriteRun(context, width));
      context.set_explain_note(&plan(), "Sort Method: external merge  Disk: " +
                                            Kilobytes(file_->offset()));
      PLEXUS_RETURN_IF_ERROR(StartMerge(context));
    } else {
      context.set_explain_note(&plan(), std::string("Sort Method: ") +
                                            (cut ? "top-N heapsort" : "quicksort") +
                                            "  Memory: " + Kilobytes(peak_bytes));
    }
    sorted_ = true;
    return Status::Ok();
  }

  size_t BufferBytes() const { return buffer_.memory_bytes() + buffer_.size() * sizeof(size_t); }

  void SortBuffer(size_t width) {
    order_.resize(buffer_.size());
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return Less(a, b, width); });
  }

  // Orders the buffer's first `count` rows and drops the rest from it (top-N): ties go by
  // position, so equal rows keep their input order.
  void KeepFirst(size_t count, size_t width) {
    order_.resize(buffer_.size());
    std::iota(order_.begin(), order_.end(), 0);
    count = std::min(count, order_.size());
    std::partial_sort(order_.begin(), order_.begin() + static_cast<ptrdiff_t>(count), order_.end(),
                      [&](size_t a, size_t b) {
                        if (Less(a, b, width)) return true;
                        if (Less(b, a, width)) return false;
                        return a < b;
                      });
    RowBuffer kept(buffer_.types());
    for (size_t i = 0; i < count; ++i) {
      kept.Append(buffer_.chunk(order_[i] / kBatchRowsMax), RowBuffer::Slot(order_[i]));
    }
    buffer_ = std::move(kept);
    order_.resize(count);
    std::iota(order_.begin(), order_.end(), 0);
  }

  // Sorts the buffer and writes it to the spill file as one run; empties the buffer.
  Status WriteRun(ExecContext& context, size_t width) {
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    if (file_ == nullptr) {
      PLEXUS_ASSIGN_OR_RETURN(file_, SpillFile::Create(context));
    }
    SortBuffer(width);
    std::vector<std::vector<const Vector*>> columns(buffer_.chunk_count());
    for (size_t chunk = 0; chunk < columns.size(); ++chunk) {
      const Batch& rows = buffer_.chunk(chunk);
      for (size_t i = 0; i < rows.column_count(); ++i) columns[chunk].push_back(&rows.column(i));
    }
    const uint64_t begin = file_->offset();
    for (size_t source : order_) {
      PLEXUS_RETURN_IF_ERROR(
          file_->Append(columns[source / kBatchRowsMax], RowBuffer::Slot(source)));
    }
    PLEXUS_RETURN_IF_ERROR(file_->Flush());
    runs_.push_back({begin, file_->offset()});
    buffer_.Clear();
    order_.clear();
    return Status::Ok();
  }

  // Merges runs a fan-in at a time into a new file until one merge can take them all, then
  // opens that last merge.
  Status StartMerge(ExecContext& context) {
    const size_t fan_in = std::clamp<size_t>(context.work_mem() / (256 * 1024), 8, 64);
    while (runs_.size() > fan_in) {
      PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<SpillFile> merged, SpillFile::Create(context));
      std::vector<Run> merged_runs;
      for (size_t start = 0; start < runs_.size(); start += fan_in) {
        PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
        PLEXUS_RETURN_IF_ERROR(OpenCursors(start, std::min(runs_.size(), start + fan_in)));
        const uint64_t begin = merged->offset();
        while (!heap_.empty()) {
          PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
          RunCursor& cursor = *cursors_[heap_.front()];
          PLEXUS_RETURN_IF_ERROR(merged->Append(cursor.columns, cursor.row));
          PLEXUS_RETURN_IF_ERROR(Advance());
        }
        PLEXUS_RETURN_IF_ERROR(merged->Flush());
        merged_runs.push_back({begin, merged->offset()});
      }
      file_ = std::move(merged);
      runs_ = std::move(merged_runs);
    }
    return OpenCursors(0, runs_.size());
  }

  // Opens a cursor on each of runs_[first, last) and heaps those with rows.
  Status OpenCursors(size_t first, size_t last) {
    cursors_.clear();
    heap_.clear();
    for (size_t run = first; run < last; ++run) {
      cursors_.push_back(
          std::make_unique<RunCursor>(file_.get(), runs_[run].begin, runs_[run].end, buffer_.types()));
      RunCursor& cursor = *cursors_.back();
      PLEXUS_RETURN_IF_ERROR(cursor.reader.Next(&cursor.batch));
      if (cursor.batch.rows() == 0) continue;
      heap_.push_back(cursors_.size() - 1);
      std::push_heap(heap_.begin(), heap_.end(), Later());
    }
    return Status::Ok();
  }

  // Moves the cursor at the top of the heap to its next row (or drops it at its run's end).
  Status Advance() {
    std::pop_heap(heap_.begin(), heap_.end(), Later());
    RunCursor& cursor = *cursors_[heap_.back()];
    if (++cursor.row == cursor.batch.rows()) {
      PLEXUS_RETURN_IF_ERROR(cursor.reader.Next(&cursor.batch));
      cursor.row = 0;
      if (cursor.batch.rows() == 0) {
        heap_.pop_back();
        return Status::Ok();
      }
    }
    std::push_heap(heap_.begin(), heap_.end(), Later());
    return Status::Ok();
  }

  Status NextMerged(ExecContext& context, Batch* out) {
    PLEXUS_RETURN_IF_ERROR(context.CheckInterrupts());
    out->Reset();
    size_t rows = 0;
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

  void ReleaseSpill() {
    cursors_.clear();
    heap_.clear();
    runs_.clear();
    file_.reset();
  }

  // Heap order over cursors: a comes out after b (the top is the smallest; ties by run, which
  // is input order).
  struct LaterCompare {
    const SortOperator* sort;
    bool operator()(size_t a, size_t b) const {
      const RunCursor& left = *sort->cursors_[a];
      const RunCursor& right = *sort->cursors_[b];
      const int comparison = sort->CompareRows(left.batch, left.row, right.batch, right.row);
      return comparison != 0 ? comparison > 0 : a > b;
    }
  };
  LaterCompare Later() const { return LaterCompare{this}; }

  int CompareRows(const Batch& a, size_t a_row, const Batch& b, size_t b_row) const {
    const size_t width = plan().types.size();
    for (size_t i = 0; i < keys_.size(); ++i) {
      const SortKey& key = plan().sort_keys[i];
      const Vector& left = a.column(width + i);
      const Vector& right = b.column(width + i);
      const bool left_null = left.IsNull(a_row);
      const bool right_null = right.IsNull(b_row);
      if (left_null || right_null) {
        if (left_null == right_null) continue;
        return left_null == key.nulls_first ? -1 : 1;
      }
      const int comparison = CompareSlots(left, a_row, right, b_row);
      if (comparison != 0) return key.descending ? -comparison : comparison;
    }
    return 0;
  }

  bool Less(size_t a, size_t b, size_t width) const {
    for (size_t i = 0; i < keys_.size(); ++i) {
      const SortKey& key = plan().sort_keys[i];
      const Vector& left = buffer_.column(a, width + i);
      const Vector& right = buffer_.column(b, width + i);
      const bool left_null = left.IsNull(RowBuffer::Slot(a));
      const bool right_null = right.IsNull(RowBuffer::Slot(b));
      if (left_null || right_null) {
        if (left_null == right_null) continue;
        return left_null == key.nulls_first;
      }
      int comparison = CompareSlots(left, RowBuffer::Slot(a), right, RowBuffer::Slot(b));
      if (comparison != 0) return key.descending ? comparison > 0 : comparison < 0;
    }
    return false;
  }

  // Past this LIMIT the sort does not keep a top N (it sorts everything, spilling as needed).
  static constexpr uint64_t kBoundRowsMax = uint64_t{1} << 24;

  OperatorPtr child_;
  std::vector<ExpressionEvaluator> keys_;
  RowBuffer buffer_;
  Batch input_;
  Batch child_batch_;  // the child's columns; swapped into input_ to add the keys
  std::vector<size_t> order_;
  size_t next_ = 0;
  bool sorted_ = false;
  // External merge: the runs in file_, and while merging, a cursor per run and a heap of the
  // cursors not at their end.
  std::unique_ptr<SpillFile> file_;
  std::vector<Run> runs_;
  std::vector<std::unique_ptr<RunCursor>> cursors_;
  std::vector<size_t> heap_;
};

}  // namespace

OperatorPtr MakeSortOperator(const PlanNode& plan, OperatorPtr child) {
  return std::make_unique<SortOperator>(plan, std::move(child));
}

}  // namespace plexus::sql
