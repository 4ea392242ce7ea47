// ExternalSorter: orders rows by some of their columns within work_mem. The sort operator, the
// window operator (its partitions) and sort-based consumers share it.
//   - In memory (stable sort) while the buffer fits in work_mem.
//   - With a bound N (a LIMIT above) only the first N rows are kept: when the buffer reaches 2N
//     rows it is cut back to its N smallest (top-N heapsort).
//   - Past work_mem (external merge): each full buffer is sorted and written to a spill file as
//     a run; at the end the runs are merged, at most a fan-in at a time — passes that merge
//     groups of runs into longer runs, then a last merge that streams out.
// Equal rows keep their input order in every case.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

class ExecContext;
class SpillFile;

// A column the rows are ordered by.
struct SortColumn {
  size_t column = 0;
  bool descending = false;
  bool nulls_first = false;
};

class ExternalSorter {
 public:
  ExternalSorter(std::vector<Type> types, std::vector<SortColumn> keys);
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // Forgets every row and spill file; `bound` (0: none) keeps only the first rows.
  void Reset(uint64_t bound = 0);
  // Adds rows [0, batch.rows()) of `batch` (whose first types().size() columns are the rows');
  // writes a sorted run to disk when the buffer passes work_mem.
  Status Add(ExecContext& context, const Batch& batch);
  // The input is complete: sorts the buffer, or starts the merge of the runs.
  Status Finish(ExecContext& context);
  // Copies the next rows in order into `out` (its first out->column_count() columns; Reset
  // first); no rows: the end.
  Status Next(ExecContext& context, Batch* out);

  const std::vector<Type>& types() const { return buffer_.types(); }
  bool spilled() const { return disk_bytes_ > 0; }
  // EXPLAIN ANALYZE's line: "Sort Method: ..." as PostgreSQL prints it.
  std::string Report() const;
  // Compares two rows (of any batches of types()) by the keys.
  int Compare(const Batch& a, size_t a_row, const Batch& b, size_t b_row) const;

 private:
  struct Run {
    uint64_t begin;
    uint64_t end;
  };
  struct RunCursor;
  struct LaterCompare;

  size_t BufferBytes() const { return buffer_.memory_bytes() + buffer_.size() * sizeof(size_t); }
  bool Less(size_t a, size_t b) const;
  void SortBuffer();
  void KeepFirst(size_t count);
  Status WriteRun(ExecContext& context);
  Status StartMerge(ExecContext& context);
  Status OpenCursors(size_t first, size_t last);
  Status Advance();
  void ReleaseSpill();

  std::vector<SortColumn> keys_;
  RowBuffer buffer_;
  uint64_t bound_ = 0;
  bool cut_ = false;  // the buffer was cut to its top N
  size_t peak_bytes_ = 0;
  uint64_t disk_bytes_ = 0;
  std::vector<size_t> order_;
  size_t next_ = 0;
  // External merge: the runs in file_, and while merging, a cursor per run and a heap of the
  // cursors not at their end.
  std::unique_ptr<SpillFile> file_;
  std::vector<Run> runs_;
  std::vector<std::unique_ptr<RunCursor>> cursors_;
  std::vector<size_t> heap_;
};

}  // namespace plexus::sql
