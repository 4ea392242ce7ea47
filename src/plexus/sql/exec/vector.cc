// Vector layout by type, and the row copies and compaction operators build on.
#include "plexus/sql/exec/vector.h"

#include <cstring>

namespace plexus::sql {

PhysicalType PhysicalTypeOf(const Type& type) {
  switch (type.id) {
    case TypeId::kBool: return PhysicalType::kBool;
    case TypeId::kInt16: return PhysicalType::kInt16;
    case TypeId::kInt32:
    case TypeId::kDate: return PhysicalType::kInt32;
    case TypeId::kInt64:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return PhysicalType::kInt64;
    case TypeId::kFloat32: return PhysicalType::kFloat32;
    case TypeId::kFloat64: return PhysicalType::kFloat64;
    case TypeId::kInterval:
    case TypeId::kUuid: return PhysicalType::kBytes16;
    case TypeId::kUnknown:
    case TypeId::kNumeric:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kChar:
    case TypeId::kBytea:
    case TypeId::kJsonb:
    case TypeId::kArray: return PhysicalType::kString;
  }
  return PhysicalType::kString;
}

size_t PhysicalWidth(PhysicalType physical) {
  switch (physical) {
    case PhysicalType::kBool: return 1;
    case PhysicalType::kInt16: return 2;
    case PhysicalType::kInt32: return 4;
    case PhysicalType::kInt64: return 8;
    case PhysicalType::kFloat32: return 4;
    case PhysicalType::kFloat64: return 8;
    case PhysicalType::kBytes16: return 16;
    case PhysicalType::kString: return sizeof(std::string_view);
  }
  return 8;
}

static_assert(sizeof(std::string_view) == 16);
static_assert(sizeof(Bytes16) == 16);

Vector::Vector(const Type& type)
    : type_(type),
      physical_(PhysicalTypeOf(type)),
      data_(new uint64_t[(kBatchRowsMax * PhysicalWidth(physical_) + 7) / 8]()),
      nulls_(new uint8_t[kBatchRowsMax]()) {}

void Vector::CopyRow(const Vector& from, size_t from_row, size_t to_row) {
  PLEXUS_DCHECK(from.physical_ == physical_);
  nulls_[to_row] = from.nulls_[from_row];
  if (physical_ == PhysicalType::kString) {
    values<std::string_view>()[to_row] =
        from.nulls_[from_row] ? std::string_view() : arena_.Copy(from.GetString(from_row));
    return;
  }
  const size_t width = PhysicalWidth(physical_);
  std::memcpy(reinterpret_cast<char*>(data_.get()) + to_row * width,
              reinterpret_cast<const char*>(from.data_.get()) + from_row * width, width);
}

Batch::Batch(const std::vector<Type>& types) {
  columns_.reserve(types.size());
  for (const Type& type : types) columns_.emplace_back(type);
}

void Batch::Reset() {
  rows_ = 0;
  for (Vector& column : columns_) column.ResetArena();
}

void Batch::Compact(const uint8_t* keep) {
  size_t kept = 0;
  for (size_t row = 0; row < rows_; ++row) {
    if (!keep[row]) continue;
    if (kept != row) {
      for (Vector& column : columns_) {
        // Strings stay where they are in the arena; only the fixed-width slot moves.
        const size_t width = PhysicalWidth(column.physical());
        char* base = reinterpret_cast<char*>(column.values<uint8_t>());
        std::memcpy(base + kept * width, base + row * width, width);
        column.nulls()[kept] = column.nulls()[row];
      }
    }
    ++kept;
  }
  rows_ = kept;
}

}  // namespace plexus::sql
