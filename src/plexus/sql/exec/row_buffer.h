// RowBuffer: rows kept by a blocking operator (sort, aggregate, join build side), stored as full
// batches with their own copies of string bytes. Row i lives in chunk i / kBatchRowsMax.
#pragma once

#include <memory>
#include <vector>

#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

class RowBuffer {
 public:
  explicit RowBuffer(std::vector<Type> types) : types_(std::move(types)) {
    for (const Type& type : types_) {
      chunk_bytes_ += kBatchRowsMax * (PhysicalWidth(PhysicalTypeOf(type)) + 1);
    }
  }

  // Copies row `row` of `batch` (whose first types_.size() columns match) into the buffer.
  void Append(const Batch& batch, size_t row) {
    if (chunks_.empty() || chunks_.back()->rows() == kBatchRowsMax) {
      if (!chunks_.empty()) closed_bytes_ += chunk_bytes_ + ArenaBytes(*chunks_.back());
      chunks_.push_back(std::make_unique<Batch>(types_));
    }
    Batch& chunk = *chunks_.back();
    const size_t target = chunk.rows();
    for (size_t column = 0; column < types_.size(); ++column) {
      chunk.column(column).CopyRow(batch.column(column), row, target);
    }
    chunk.set_rows(target + 1);
    ++size_;
  }

  size_t size() const { return size_; }
  const Batch& chunk(size_t index) const { return *chunks_[index]; }
  size_t chunk_count() const { return chunks_.size(); }
  const std::vector<std::unique_ptr<Batch>>& chunks() const { return chunks_; }
  Batch& mutable_chunk(size_t index) { return *chunks_[index]; }
  const Vector& column(size_t row, size_t column) const {
    return chunks_[row / kBatchRowsMax]->column(column);
  }
  static size_t Slot(size_t row) { return row % kBatchRowsMax; }
  const std::vector<Type>& types() const { return types_; }

  // The memory the rows hold, roughly: the chunks' vectors and string arenas (for work_mem).
  size_t memory_bytes() const {
    return chunks_.empty() ? 0 : closed_bytes_ + chunk_bytes_ + ArenaBytes(*chunks_.back());
  }

  void Clear() {
    chunks_.clear();
    size_ = 0;
    closed_bytes_ = 0;
  }

 private:
  static size_t ArenaBytes(Batch& chunk) {
    size_t bytes = 0;
    for (Vector& column : chunk.columns()) bytes += column.arena().allocated_bytes();
    return bytes;
  }

  std::vector<Type> types_;
  std::vector<std::unique_ptr<Batch>> chunks_;
  size_t size_ = 0;
  size_t chunk_bytes_ = 0;   // one chunk's vectors
  size_t closed_bytes_ = 0;  // the full chunks, with their arenas
};

}  // namespace plexus::sql
