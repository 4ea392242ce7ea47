// Helpers for the catalog functions' kernels: per-row loops that read OIDs and text arguments
// and write text, bool or bigint results (or NULL).
#pragma once

#include <optional>
#include <string>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/func/function.h"

namespace plexus::sql::system {

using catalog::Type;
using catalog::TypeId;
using OptionalText = std::optional<std::string>;
using OptionalInteger = std::optional<int64_t>;

// The result and argument types the kernels are registered with (OIDs are bigint).
inline Type Oid() { return Type::Of(TypeId::kInt64); }
inline Type Text() { return Type::Of(TypeId::kText); }
inline Type Int4() { return Type::Of(TypeId::kInt32); }
inline Type Bool() { return Type::Of(TypeId::kBool); }

inline int64_t IntegerArgument(const Vector& vector, size_t row) {
  switch (vector.physical()) {
    case PhysicalType::kInt16: return vector.values<int16_t>()[row];
    case PhysicalType::kInt32: return vector.values<int32_t>()[row];
    case PhysicalType::kInt64: return vector.values<int64_t>()[row];
    case PhysicalType::kBool: return vector.values<uint8_t>()[row];
    default: return 0;
  }
}

inline std::string_view TextArgument(const Vector& vector, size_t row) {
  return vector.GetString(row);
}

// Runs `compute(row)` -> Result<std::optional<std::string>> for every active row.
template <typename Compute>
Status ForEachText(size_t rows, const uint8_t* active, Vector* out, Compute compute) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    Result<std::optional<std::string>> value = compute(row);
    if (!value.ok()) return value.status();
    if (value->has_value()) {
      out->SetString(row, **value);
    } else {
      out->SetNull(row, true);
    }
  }
  return Status::Ok();
}

// `compute(row)` -> Result<std::optional<int64_t>> into a bigint, integer or bool vector.
template <typename Compute>
Status ForEachInteger(size_t rows, const uint8_t* active, Vector* out, Compute compute) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    Result<std::optional<int64_t>> value = compute(row);
    if (!value.ok()) return value.status();
    if (!value->has_value()) {
      out->SetNull(row, true);
      continue;
    }
    out->SetNull(row, false);
    switch (out->physical()) {
      case PhysicalType::kBool: out->values<uint8_t>()[row] = **value != 0; break;
      case PhysicalType::kInt16: out->values<int16_t>()[row] = static_cast<int16_t>(**value); break;
      case PhysicalType::kInt32: out->values<int32_t>()[row] = static_cast<int32_t>(**value); break;
      default: out->values<int64_t>()[row] = **value; break;
    }
  }
  return Status::Ok();
}

}  // namespace plexus::sql::system
