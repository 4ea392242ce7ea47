// Ordering of vector slots, for sorting and min/max: -1, 0 or 1. REQUIRES: neither is NULL and
// both vectors have the same type.
#pragma once

#include <cmath>
#include <cstring>

#include "plexus/sql/exec/vector.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/types/interval.h"

namespace plexus::sql {

// Orders of the types whose slots need decoding (vector_compare.cc): jsonb by PostgreSQL's
// jsonb order, arrays element by element (NULL elements last, then the shorter first).
// REQUIRES: slots filled by the engine (a decode failure is a programmer error).
int CompareJsonbSlots(const Vector& a, size_t i, const Vector& b, size_t j);
int CompareArraySlots(const Vector& a, size_t i, const Vector& b, size_t j);

template <typename T>
inline int CompareValues(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    const bool a_nan = std::isnan(a);
    const bool b_nan = std::isnan(b);
    if (a_nan || b_nan) return a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

inline int CompareSlots(const Vector& a, size_t i, const Vector& b, size_t j) {
  switch (a.physical()) {
    case PhysicalType::kBool: return CompareValues(a.values<uint8_t>()[i], b.values<uint8_t>()[j]);
    case PhysicalType::kInt16: return CompareValues(a.values<int16_t>()[i], b.values<int16_t>()[j]);
    case PhysicalType::kInt32: return CompareValues(a.values<int32_t>()[i], b.values<int32_t>()[j]);
    case PhysicalType::kInt64: return CompareValues(a.values<int64_t>()[i], b.values<int64_t>()[j]);
    case PhysicalType::kFloat32: return CompareValues(a.values<float>()[i], b.values<float>()[j]);
    case PhysicalType::kFloat64: return CompareValues(a.values<double>()[i], b.values<double>()[j]);
    case PhysicalType::kBytes16: {
      // Intervals order by normalized value ('1 mon' = '30 days'), not by their bytes.
      if (a.type().id == TypeId::kInterval) {
        Interval left;
        Interval right;
        std::memcpy(&left, a.values<Bytes16>()[i].bytes, sizeof(left));
        std::memcpy(&right, b.values<Bytes16>()[j].bytes, sizeof(right));
        const std::strong_ordering order = CompareIntervals(left, right);
        return order < 0 ? -1 : (order > 0 ? 1 : 0);
      }
      int result = std::memcmp(a.values<Bytes16>()[i].bytes, b.values<Bytes16>()[j].bytes, 16);
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
    case PhysicalType::kString: {
      // Encoded numerics do not sort bytewise: compare them by value.
      if (a.type().id == TypeId::kNumeric) return CompareNumericSlots(a, i, b, j);
      if (a.type().id == TypeId::kJsonb) return CompareJsonbSlots(a, i, b, j);
      if (a.type().id == TypeId::kArray) return CompareArraySlots(a, i, b, j);
      int result = a.GetString(i).compare(b.GetString(j));
      return result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
  }
  return 0;
}

}  // namespace plexus::sql
