// Spill files: where a sort or hash aggregate puts rows that do not fit in work_mem. A file is
// created in the temporary directory and unlinked at once, so it disappears when closed — when
// the operator finishes or is destroyed, on success, error or cancel — and after a crash
// nothing is left but what SetSpillRoot clears at the next start. Rows are encoded with
// EncodeRow and written in blocks of about kSpillBlockBytes; a run (the rows written between
// two offsets) is read back sequentially with pread, so several readers share one file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

class ExecContext;

inline constexpr size_t kSpillBlockBytes = 64 * 1024;
// Hash spills (aggregate, DISTINCT, INTERSECT/EXCEPT) split the rows that do not fit into this
// many partition files by a hash of their key; a partition read back may split again, one level
// down, with a different hash.
inline constexpr size_t kSpillPartitions = 16;
// Past this level a partition is processed in memory whatever its size (the keys do not split).
inline constexpr uint32_t kSpillLevelsMax = 8;

// The partition of an encoded key at spill level `level` (a different hash per level).
size_t SpillPartitionOf(std::string_view key, uint32_t level);

// EXPLAIN ANALYZE's way of showing memory and disk use: "123kB" (rounded up).
std::string Kilobytes(uint64_t bytes);

// Makes `<data_dir>/tmp` the process's temporary directory and empties it (files of a previous
// process). Without a call (or after one with ""), spill files go to a directory of the
// process under the system's temporary directory.
Status SetSpillRoot(const std::string& data_dir);
// The directory spill files of `context` go to (created on first use).
std::string SpillDirectory(const ExecContext& context);

class SpillFile {
 public:
  // Creates the (already unlinked) file in SpillDirectory(context), registered with the
  // context: it is closed when the context ends, whichever goes first.
  static Result<std::unique_ptr<SpillFile>> Create(ExecContext& context);
  ~SpillFile();
  // The context is ending: closes the file (reads and writes fail from then on).
  void Detach();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends row `row` of `columns`; writes a block when the pending one is full.
  Status Append(const std::vector<const Vector*>& columns, size_t row);
  // Writes the pending block: everything appended so far is readable.
  Status Flush();
  // Bytes written (and flushed) so far: a run is [offset before, offset after).
  uint64_t offset() const { return written_; }
  uint64_t rows() const { return rows_; }
  int fd() const { return fd_; }

 private:
  SpillFile(int fd, ExecContext* context) : fd_(fd), context_(context) {}
  int fd_;
  ExecContext* context_;  // null once detached
  std::string block_;  // pending: [uint32 length][rows...]
  uint64_t written_ = 0;
  uint64_t rows_ = 0;
};

// Reads the rows of [begin, end) of a spill file, a block at a time.
class SpillReader {
 public:
  SpillReader(const SpillFile* file, uint64_t begin, uint64_t end)
      : file_(file), offset_(begin), end_(end) {}
  // Decodes up to kBatchRowsMax rows into `out` (Reset first); no rows: the run is done.
  Status Next(Batch* out);

 private:
  Status ReadBlock();
  const SpillFile* file_;
  uint64_t offset_;
  uint64_t end_;
  std::string block_;
  size_t position_ = 0;
};

}  // namespace plexus::sql
