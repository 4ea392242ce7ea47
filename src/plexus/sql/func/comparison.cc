// Comparison operators (=, <>, <, <=, >, >=) for every type with a vector representation.
// Strings compare bytewise (the "C" collation); floats order NaN above every other value and
// treat NaN as equal to NaN, as PostgreSQL does.
#include <cmath>
#include <cstring>
#include <string_view>

#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

template <typename T>
int Compare(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>) {
    const bool a_nan = std::isnan(a);
    const bool b_nan = std::isnan(b);
    if (a_nan || b_nan) return a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
  }
  if constexpr (std::is_same_v<T, std::string_view>) {
    int result = a.compare(b);
    return result < 0 ? -1 : (result > 0 ? 1 : 0);
  } else if constexpr (std::is_same_v<T, Bytes16>) {
    return std::memcmp(a.bytes, b.bytes, 16);
  } else {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
}

enum class Test { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

template <Test kTest>
inline bool Holds(int comparison) {
  switch (kTest) {
    case Test::kEqual: return comparison == 0;
    case Test::kNotEqual: return comparison != 0;
    case Test::kLess: return comparison < 0;
    case Test::kLessEqual: return comparison <= 0;
    case Test::kGreater: return comparison > 0;
    case Test::kGreaterEqual: return comparison >= 0;
  }
  return false;
}

template <typename T, Test kTest>
Status CompareKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext&) {
  const T* left = args[0]->values<T>();
  const T* right = args[1]->values<T>();
  uint8_t* result = out->values<uint8_t>();
  for (size_t row = 0; row < rows; ++row) {
    result[row] = active[row] ? Holds<kTest>(Compare(left[row], right[row])) : 0;
  }
  return Status::Ok();
}

// Types whose slots need decoding to compare (jsonb, arrays): through CompareSlots.
template <Test kTest>
Status SlotCompareKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                         Vector* out, ExecContext&) {
  if (args[0]->type() != args[1]->type()) {
    // The binder unifies array operands first; this is the last line of defense.
    return SqlError(kDatatypeMismatch, "cannot compare " + catalog::FormatType(args[0]->type()) +
                                           " with " + catalog::FormatType(args[1]->type()));
  }
  uint8_t* result = out->values<uint8_t>();
  for (size_t row = 0; row < rows; ++row) {
    result[row] = active[row] ? Holds<kTest>(CompareSlots(*args[0], row, *args[1], row)) : 0;
  }
  return Status::Ok();
}

void AddSlotComparisons(FunctionRegistry& registry, const Type& type) {
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"=", {type, type}, boolean, SlotCompareKernel<Test::kEqual>});
  registry.Add({"<>", {type, type}, boolean, SlotCompareKernel<Test::kNotEqual>});
  registry.Add({"<", {type, type}, boolean, SlotCompareKernel<Test::kLess>});
  registry.Add({"<=", {type, type}, boolean, SlotCompareKernel<Test::kLessEqual>});
  registry.Add({">", {type, type}, boolean, SlotCompareKernel<Test::kGreater>});
  registry.Add({">=", {type, type}, boolean, SlotCompareKernel<Test::kGreaterEqual>});
}

template <typename T>
void AddComparisons(FunctionRegistry& registry, const Type& type) {
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"=", {type, type}, boolean, CompareKernel<T, Test::kEqual>});
  registry.Add({"<>", {type, type}, boolean, CompareKernel<T, Test::kNotEqual>});
  registry.Add({"<", {type, type}, boolean, CompareKernel<T, Test::kLess>});
  registry.Add({"<=", {type, type}, boolean, CompareKernel<T, Test::kLessEqual>});
  registry.Add({">", {type, type}, boolean, CompareKernel<T, Test::kGreater>});
  registry.Add({">=", {type, type}, boolean, CompareKernel<T, Test::kGreaterEqual>});
}

}  // namespace

void RegisterComparison(FunctionRegistry& registry) {
  AddComparisons<uint8_t>(registry, Type::Of(TypeId::kBool));
  AddComparisons<int16_t>(registry, Type::Of(TypeId::kInt16));
  AddComparisons<int32_t>(registry, Type::Of(TypeId::kInt32));
  AddComparisons<int64_t>(registry, Type::Of(TypeId::kInt64));
  AddComparisons<float>(registry, Type::Of(TypeId::kFloat32));
  AddComparisons<double>(registry, Type::Of(TypeId::kFloat64));
  AddComparisons<std::string_view>(registry, Type::Of(TypeId::kText));
  AddComparisons<std::string_view>(registry, Type::Of(TypeId::kBytea));
  AddComparisons<int32_t>(registry, Type::Of(TypeId::kDate));
  AddComparisons<int64_t>(registry, Type::Of(TypeId::kTime));
  AddComparisons<int64_t>(registry, Type::Of(TypeId::kTimestamp));
  AddComparisons<int64_t>(registry, Type::Of(TypeId::kTimestampTz));
  AddComparisons<Bytes16>(registry, Type::Of(TypeId::kUuid));
  AddSlotComparisons(registry, Type::Of(TypeId::kJsonb));
  // Any array (element kUnknown is polymorphic: the binder passes arrays through unchanged).
  AddSlotComparisons(registry, Type::ArrayOf(TypeId::kUnknown));
}

}  // namespace plexus::sql
