// Moving single values between Value and a Vector slot.
#pragma once

#include <cstddef>

#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/value.h"

namespace plexus::sql {

// The value at `row` (a copy; strings are copied out of the arena).
Value GetValue(const Vector& vector, size_t row);
// Stores `value` (of the vector's physical type, or NULL) at `row`; strings are copied into
// the vector's arena.
void SetValue(Vector* vector, size_t row, const Value& value);
// As SetValue for rows [0, rows), without copying strings: `value` must outlive the vector's
// current contents (plan constants and parameters do).
void FillValue(Vector* vector, size_t rows, const Value& value);

}  // namespace plexus::sql
