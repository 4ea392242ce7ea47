// Numeric values in vector slots: a slot holds the Numeric::EncodeTo bytes (PhysicalType::kString)
// in the vector's arena. Reading decodes them; writing encodes into the arena.
#pragma once

#include <string>

#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/numeric.h"

namespace plexus::sql {

// REQUIRES: vector.type().id == TypeId::kNumeric and the slot is not NULL.
inline Result<Numeric> NumericAt(const Vector& vector, size_t row) {
  PLEXUS_DCHECK(vector.type().id == TypeId::kNumeric);
  return Numeric::Decode(vector.GetString(row));
}

// Encodes `value` into the slot (leaving its null flag alone); `scratch` is reused between calls
// so a batch encodes without allocating per row.
inline void StoreNumeric(Vector* vector, size_t row, const Numeric& value, std::string* scratch) {
  PLEXUS_DCHECK(vector->physical() == PhysicalType::kString);
  scratch->clear();
  value.EncodeTo(scratch);
  vector->values<std::string_view>()[row] = vector->arena().Copy(*scratch);
}

// Order of two non-NULL numeric slots (Numeric::Compare), for sorting and min/max.
inline int CompareNumericSlots(const Vector& a, size_t i, const Vector& b, size_t j) {
  Result<Numeric> left = NumericAt(a, i);
  Result<Numeric> right = NumericAt(b, j);
  // Slots are only ever filled by EncodeTo, so a decode failure is a programmer error.
  PLEXUS_ASSERT(left.ok() && right.ok());
  return left->Compare(*right);
}

}  // namespace plexus::sql
