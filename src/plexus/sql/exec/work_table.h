// A WITH RECURSIVE work table: one round's rows, kept in memory up to work_mem and in a spill
// file past it; read by the next round's work table scans (physical_recursive.cc).
#pragma once

#include <memory>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/exec/spill_file.h"

namespace plexus::sql {

class ExecContext;

class WorkTable {
 public:
  explicit WorkTable(std::vector<Type> types) : rows_(std::move(types)) {}

  // Adds the rows of `batch`; past work_mem, every row so far and each one after goes to the
  // spill file instead.
  Status Append(ExecContext& context, const Batch& batch);
  // The round is over: the spill file (if any) is readable whole.
  Status Seal();
  void Clear();

  bool empty() const { return rows_.size() == 0 && (file_ == nullptr || file_->rows() == 0); }
  // The rows in memory, then those of file() (null when none spilled), in that order.
  const RowBuffer& rows() const { return rows_; }
  const SpillFile* file() const { return file_.get(); }
  // What it holds: in memory, or in its file once sealed.
  uint64_t bytes() const { return file_ == nullptr ? rows_.memory_bytes() : file_->offset(); }

 private:
  Status AppendToFile(const Batch& batch);

  RowBuffer rows_;
  std::unique_ptr<SpillFile> file_;
};

}  // namespace plexus::sql
