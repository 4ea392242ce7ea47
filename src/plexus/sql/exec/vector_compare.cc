// Slot orders that need decoding: jsonb values and arrays.
#include "plexus/sql/exec/vector_compare.h"

#include <algorithm>
#include <cstring>

#include "plexus/sql/types/array.h"
#include "plexus/sql/types/jsonb.h"

namespace plexus::sql {

int CompareJsonbSlots(const Vector& a, size_t i, const Vector& b, size_t j) {
  Result<Jsonb> left = DecodeJsonb(a.GetString(i));
  Result<Jsonb> right = DecodeJsonb(b.GetString(j));
  PLEXUS_ASSERT(left.ok() && right.ok());
  return CompareJsonb(*left, *right);
}

namespace {

template <typename T>
int CompareFixed(std::string_view a, std::string_view b) {
  T left;
  T right;
  PLEXUS_ASSERT(a.size() == sizeof(T) && b.size() == sizeof(T));
  std::memcpy(&left, a.data(), sizeof(T));
  std::memcpy(&right, b.data(), sizeof(T));
  return CompareValues(left, right);
}

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

// Two non-NULL array elements of type `element` from their stored bytes, as CompareSlots would
// order them in vectors (no vector is filled: sorting arrays compares many pairs).
int CompareElementBytes(const Type& element, std::string_view a, std::string_view b) {
  switch (PhysicalTypeOf(element)) {
    case PhysicalType::kBool:
      return CompareFixed<uint8_t>(a, b);
    case PhysicalType::kInt16:
      return CompareFixed<int16_t>(a, b);
    case PhysicalType::kInt32:
      return CompareFixed<int32_t>(a, b);
    case PhysicalType::kInt64:
      return CompareFixed<int64_t>(a, b);
    case PhysicalType::kFloat32:
      return CompareFixed<float>(a, b);
    case PhysicalType::kFloat64:
      return CompareFixed<double>(a, b);
    case PhysicalType::kBytes16: {
      PLEXUS_ASSERT(a.size() == 16 && b.size() == 16);
      if (element.id != TypeId::kInterval) return Sign(std::memcmp(a.data(), b.data(), 16));
      Interval left;
      Interval right;
      std::memcpy(&left, a.data(), sizeof(left));
      std::memcpy(&right, b.data(), sizeof(right));
      const std::strong_ordering order = CompareIntervals(left, right);
      return order < 0 ? -1 : (order > 0 ? 1 : 0);
    }
    case PhysicalType::kString:
      break;
  }
  if (element.id == TypeId::kNumeric) {
    Result<Numeric> left = Numeric::Decode(a);
    Result<Numeric> right = Numeric::Decode(b);
    PLEXUS_ASSERT(left.ok() && right.ok());
    return left->Compare(*right);
  }
  if (element.id == TypeId::kJsonb) {
    Result<Jsonb> left = DecodeJsonb(a);
    Result<Jsonb> right = DecodeJsonb(b);
    PLEXUS_ASSERT(left.ok() && right.ok());
    return CompareJsonb(*left, *right);
  }
  return Sign(a.compare(b));
}

}  // namespace

int CompareArraySlots(const Vector& a, size_t i, const Vector& b, size_t j) {
  const Type element = ArrayElementType(a.type());
  Result<ArrayView> left = ArrayView::Open(a.GetString(i), element);
  Result<ArrayView> right = ArrayView::Open(b.GetString(j), ArrayElementType(b.type()));
  PLEXUS_ASSERT(left.ok() && right.ok());
  const size_t common = std::min(left->size(), right->size());
  // As PostgreSQL's array_cmp: element by element, NULL above any value, then by length.
  for (size_t k = 0; k < common; ++k) {
    const bool left_null = left->IsNull(k);
    const bool right_null = right->IsNull(k);
    if (left_null || right_null) {
      if (left_null != right_null) return left_null ? 1 : -1;
      continue;
    }
    if (int result = CompareElementBytes(element, left->Bytes(k), right->Bytes(k))) return result;
  }
  if (left->size() == right->size()) return 0;
  return left->size() < right->size() ? -1 : 1;
}

}  // namespace plexus::sql
