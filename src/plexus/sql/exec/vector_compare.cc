// Slot orders that need decoding: jsonb values and arrays.
#include "plexus/sql/exec/vector_compare.h"

#include <algorithm>

#include "plexus/sql/types/array.h"
#include "plexus/sql/types/jsonb.h"

namespace plexus::sql {

int CompareJsonbSlots(const Vector& a, size_t i, const Vector& b, size_t j) {
  Result<Jsonb> left = DecodeJsonb(a.GetString(i));
  Result<Jsonb> right = DecodeJsonb(b.GetString(j));
  PLEXUS_ASSERT(left.ok() && right.ok());
  return CompareJsonb(*left, *right);
}

int CompareArraySlots(const Vector& a, size_t i, const Vector& b, size_t j) {
  const Type element = ArrayElementType(a.type());
  Result<ArrayView> left = ArrayView::Open(a.GetString(i), element);
  Result<ArrayView> right = ArrayView::Open(b.GetString(j), ArrayElementType(b.type()));
  PLEXUS_ASSERT(left.ok() && right.ok());
  const size_t common = std::min(left->size(), right->size());
  Vector left_values(element);
  Vector right_values(ArrayElementType(b.type()));
  // As PostgreSQL's array_cmp: element by element, NULL above any value, then by length.
  for (size_t first = 0; first < common; first += kBatchRowsMax) {
    const size_t count = std::min(kBatchRowsMax, common - first);
    left_values.ResetArena();
    right_values.ResetArena();
    for (size_t k = 0; k < count; ++k) {
      left->CopyTo(first + k, &left_values, k);
      right->CopyTo(first + k, &right_values, k);
      const bool left_null = left_values.IsNull(k);
      const bool right_null = right_values.IsNull(k);
      if (left_null || right_null) {
        if (left_null != right_null) return left_null ? 1 : -1;
        continue;
      }
      if (int result = CompareSlots(left_values, k, right_values, k)) return result;
    }
  }
  if (left->size() == right->size()) return 0;
  return left->size() < right->size() ? -1 : 1;
}

}  // namespace plexus::sql
