// Vector: one column of a batch, up to kBatchRowsMax values of one SQL type in a typed array,
// with a null flag per row. Variable-length values (text, bytea, numeric, jsonb) are
// std::string_view entries pointing into the vector's arena. Batch: the columns of up to
// kBatchRowsMax rows, the unit every operator passes on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "plexus/base/assert.h"
#include "plexus/catalog/type.h"
#include "plexus/sql/exec/arena.h"

namespace plexus::sql {

using catalog::Type;
using catalog::TypeId;

inline constexpr size_t kBatchRowsMax = 2048;

// How a type's values are laid out in a vector.
enum class PhysicalType : uint8_t {
  kBool,     // uint8_t 0/1
  kInt16,    // int16_t
  kInt32,    // int32_t (also date: days since 2000-01-01)
  kInt64,    // int64_t (also time, timestamp, timestamptz: microseconds)
  kFloat32,  // float
  kFloat64,  // double
  kBytes16,  // 16 bytes (interval {micros, days, months}; uuid)
  kString,   // std::string_view into the arena (text, varchar, char, bytea, numeric, jsonb, arrays)
};

PhysicalType PhysicalTypeOf(const Type& type);
size_t PhysicalWidth(PhysicalType physical);

struct Bytes16 {
  uint8_t bytes[16];
};

class Vector {
 public:
  explicit Vector(const Type& type);
  Vector(Vector&&) noexcept = default;
  Vector& operator=(Vector&&) noexcept = default;

  const Type& type() const { return type_; }
  PhysicalType physical() const { return physical_; }

  // REQUIRES: T matches physical() (uint8_t for kBool, std::string_view for kString, ...).
  template <typename T>
  T* values() {
    return reinterpret_cast<T*>(data_.get());
  }
  template <typename T>
  const T* values() const {
    return reinterpret_cast<const T*>(data_.get());
  }

  bool IsNull(size_t row) const { return nulls_[row] != 0; }
  void SetNull(size_t row, bool is_null) { nulls_[row] = is_null ? 1 : 0; }
  uint8_t* nulls() { return nulls_.get(); }
  const uint8_t* nulls() const { return nulls_.get(); }

  // Copies `value` into the arena. REQUIRES: physical() == kString.
  void SetString(size_t row, std::string_view value) {
    PLEXUS_DCHECK(physical_ == PhysicalType::kString);
    values<std::string_view>()[row] = arena_.Copy(value);
    nulls_[row] = 0;
  }
  std::string_view GetString(size_t row) const { return values<std::string_view>()[row]; }
  Arena& arena() { return arena_; }

  // Copies row `from_row` of `from` (same physical type) into row `to_row`.
  void CopyRow(const Vector& from, size_t from_row, size_t to_row);
  // Forgets variable-length values; call before refilling the vector.
  void ResetArena() { arena_.Reset(); }

 private:
  Type type_;
  PhysicalType physical_;
  std::unique_ptr<uint64_t[]> data_;  // kBatchRowsMax values, 8-byte aligned
  std::unique_ptr<uint8_t[]> nulls_;
  Arena arena_;
};

class Batch {
 public:
  Batch() = default;
  explicit Batch(const std::vector<Type>& types);

  size_t rows() const { return rows_; }
  void set_rows(size_t rows) {
    PLEXUS_DCHECK(rows <= kBatchRowsMax);
    rows_ = rows;
  }
  size_t column_count() const { return columns_.size(); }
  Vector& column(size_t index) { return columns_[index]; }
  const Vector& column(size_t index) const { return columns_[index]; }
  std::vector<Vector>& columns() { return columns_; }

  // Empties the batch for refilling (keeps its memory).
  void Reset();
  // Keeps only the rows whose `keep` flag is 1, in order. REQUIRES: keep has rows() entries.
  void Compact(const uint8_t* keep);

 private:
  std::vector<Vector> columns_;
  size_t rows_ = 0;
};

}  // namespace plexus::sql
