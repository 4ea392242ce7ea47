// What the join operators share: the equality conjuncts of a join condition that pair a left
// expression with a right one (the keys a hash join hashes on and a lookup join reads the right
// table by), reading an input ahead to learn whether it is small, and splitting rows into spill
// partitions by key past work_mem.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/plan/expression.h"

namespace plexus::sql {

// The conjuncts `left expr = right expr` of `condition` (over the left input's `left_width`
// columns followed by the right input's) whose sides encode equal values to equal key bytes;
// the right expressions are rewritten to read the right input's own columns.
void CollectJoinKeys(const Expr& condition, size_t left_width, std::vector<ExprPtr>* left,
                     std::vector<ExprPtr>* right);

// Whether values of types `a` and `b` that are equal have equal key bytes (AppendKeyPart), so a
// hash on those bytes finds equal values: the same type, or integers of any width, or two string
// types other than char(n); not floats, numerics or intervals, whose equal values differ in bytes.
bool SameKeyEncoding(const Type& a, const Type& b);

// Whether the kSubquery `expr` runs as a hashed subplan (expression_evaluator.cc): uncorrelated
// `x = ANY (subquery)` / `x <> ALL (subquery)` (IN / NOT IN) whose comparison is a strict `=`
// (`<>`) between keys of the same encoding; its rows are then hashed once per execution.
bool SubqueryHashes(const Expr& expr);

// The hash key of row `row` of the key vectors `parts` (their AppendKeyPart bytes); false when
// a part is NULL (never equal to anything).
Result<bool> EncodeJoinKey(const std::vector<const Vector*>& parts, size_t row, std::string* key);

// Reads `input` into (*batches)[0, *count), reusing their memory, until it ends (true) or more
// than `rows_max` rows have been read (false: the batches read are to be replayed first).
Result<bool> ReadAhead(ExecContext& context, Operator& input, size_t rows_max,
                       std::vector<Batch>* batches, size_t* count);

class ExpressionEvaluator;
class SpillFile;
class SpillReader;

// A grace hash join's spill files (PostgreSQL's hybrid hash join without the in-memory batch):
// past work_mem each side's rows go to kSpillPartitions files by a hash of their key (equal keys
// meet in the same partition; rows with a NULL key go to partition 0), and the partitions are
// joined one after the other: the right side of one kept in memory, its left rows read back.
class GracePartitions {
 public:
  GracePartitions();
  ~GracePartitions();

  // Back to not spilling (the operator is opened again).
  void Reset();
  // Spilling from now on.
  void Start();
  bool started() const { return started_; }

  // Appends each row of `batch` to its side's partition, its key being what `evaluators` compute.
  Status AddRight(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                  const Batch& batch);
  Status AddLeft(ExecContext& context, std::vector<ExpressionEvaluator>& evaluators,
                 const Batch& batch);
  // The right side's partition of an already encoded key.
  Result<SpillFile*> RightFile(ExecContext& context, std::string_view key);
  // Both sides are written: flushes the files; partition 0 opens.
  Status Seal();

  // The open partition's right file (null when it has none), handed over to be read back.
  std::unique_ptr<SpillFile> TakeRight();
  // The open partition's next left rows into `out`; none when they are done.
  Status NextLeft(Batch* out);
  // Opens the next partition; false when the last one was open (the files are then closed).
  bool NextPartition();
  // The memory a partition's right side took; for EXPLAIN ANALYZE.
  void NoteMemory(size_t bytes);
  // EXPLAIN ANALYZE's note: "Batches: 16  Memory Usage: NkB  Disk Usage: NkB".
  std::string Summary() const;

 private:
  void OpenPartition();

  bool started_ = false;
  std::vector<std::unique_ptr<SpillFile>> right_;
  std::vector<std::unique_ptr<SpillFile>> left_;
  size_t partition_ = 0;
  std::unique_ptr<SpillFile> left_reading_;
  std::unique_ptr<SpillReader> left_reader_;
  size_t peak_bytes_ = 0;
  uint64_t disk_bytes_ = 0;
};

}  // namespace plexus::sql
