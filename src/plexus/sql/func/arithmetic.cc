// Arithmetic operators on integers and floats, with PostgreSQL's overflow and division errors:
// integer overflow is an error (22003), never a wrap-around.
#include <cmath>
#include <limits>
#include <string>

#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

template <typename T>
Status OutOfRange() {
  if constexpr (std::is_same_v<T, int16_t>) return SqlError(kNumericValueOutOfRange, "smallint out of range");
  if constexpr (std::is_same_v<T, int32_t>) return SqlError(kNumericValueOutOfRange, "integer out of range");
  return SqlError(kNumericValueOutOfRange, "bigint out of range");
}

Status DivisionByZero() { return SqlError(kDivisionByZero, "division by zero"); }

// Integer operations: false on overflow, with `error` set for division by zero.
template <typename T>
struct IntAdd {
  static Status Apply(T a, T b, T* r) { return __builtin_add_overflow(a, b, r) ? OutOfRange<T>() : Status::Ok(); }
};
template <typename T>
struct IntSubtract {
  static Status Apply(T a, T b, T* r) { return __builtin_sub_overflow(a, b, r) ? OutOfRange<T>() : Status::Ok(); }
};
template <typename T>
struct IntMultiply {
  static Status Apply(T a, T b, T* r) { return __builtin_mul_overflow(a, b, r) ? OutOfRange<T>() : Status::Ok(); }
};
template <typename T>
struct IntDivide {
  static Status Apply(T a, T b, T* r) {
    if (b == 0) return DivisionByZero();
    if (b == -1) {
      if (a == std::numeric_limits<T>::min()) return OutOfRange<T>();
      *r = static_cast<T>(-a);
      return Status::Ok();
    }
    *r = static_cast<T>(a / b);  // truncates toward zero, as PostgreSQL does
    return Status::Ok();
  }
};
template <typename T>
struct IntModulo {
  static Status Apply(T a, T b, T* r) {
    if (b == 0) return DivisionByZero();
    *r = b == -1 ? 0 : static_cast<T>(a % b);  // INT_MIN % -1 would trap
    return Status::Ok();
  }
};

// Float results: infinity from finite inputs is overflow, zero from non-zero is underflow.
template <typename T>
Status CheckFloat(T result, T a, T b, bool zero_is_ok) {
  if (std::isinf(result) && !std::isinf(a) && !std::isinf(b)) {
    return SqlError(kNumericValueOutOfRange, "value out of range: overflow");
  }
  if (result == 0 && !zero_is_ok) {
    return SqlError(kNumericValueOutOfRange, "value out of range: underflow");
  }
  return Status::Ok();
}
template <typename T>
struct FloatAdd {
  static Status Apply(T a, T b, T* r) { *r = a + b; return CheckFloat(*r, a, b, true); }
};
template <typename T>
struct FloatSubtract {
  static Status Apply(T a, T b, T* r) { *r = a - b; return CheckFloat(*r, a, b, true); }
};
template <typename T>
struct FloatMultiply {
  static Status Apply(T a, T b, T* r) {
    *r = a * b;
    return CheckFloat(*r, a, b, a == 0 || b == 0);
  }
};
template <typename T>
struct FloatDivide {
  static Status Apply(T a, T b, T* r) {
    if (b == 0) return DivisionByZero();
    *r = a / b;
    return CheckFloat(*r, a, b, a == 0 || std::isinf(b));
  }
};

template <typename T, typename Operation>
Status BinaryKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  const T* left = args[0]->values<T>();
  const T* right = args[1]->values<T>();
  T* result = out->values<T>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    Status status = Operation::Apply(left[row], right[row], &result[row]);
    if (!status.ok()) [[unlikely]] return status;
  }
  return Status::Ok();
}

template <typename T>
Status NegateKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  const T* value = args[0]->values<T>();
  T* result = out->values<T>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if constexpr (std::is_integral_v<T>) {
      if (value[row] == std::numeric_limits<T>::min()) return OutOfRange<T>();
    }
    result[row] = static_cast<T>(-value[row]);
  }
  return Status::Ok();
}

template <typename T>
Status AbsKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                 ExecContext&) {
  const T* value = args[0]->values<T>();
  T* result = out->values<T>();
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if constexpr (std::is_integral_v<T>) {
      if (value[row] == std::numeric_limits<T>::min()) return OutOfRange<T>();
      result[row] = value[row] < 0 ? static_cast<T>(-value[row]) : value[row];
    } else {
      result[row] = std::fabs(value[row]);
    }
  }
  return Status::Ok();
}

template <typename T>
void AddIntegerFamily(FunctionRegistry& registry, TypeId id) {
  const Type type = Type::Of(id);
  registry.Add({"+", {type, type}, type, BinaryKernel<T, IntAdd<T>>});
  registry.Add({"-", {type, type}, type, BinaryKernel<T, IntSubtract<T>>});
  registry.Add({"*", {type, type}, type, BinaryKernel<T, IntMultiply<T>>});
  registry.Add({"/", {type, type}, type, BinaryKernel<T, IntDivide<T>>});
  registry.Add({"%", {type, type}, type, BinaryKernel<T, IntModulo<T>>});
  registry.Add({"mod", {type, type}, type, BinaryKernel<T, IntModulo<T>>});
  registry.Add({"-", {type}, type, NegateKernel<T>});
  registry.Add({"abs", {type}, type, AbsKernel<T>});
}

template <typename T>
void AddFloatFamily(FunctionRegistry& registry, TypeId id) {
  const Type type = Type::Of(id);
  registry.Add({"+", {type, type}, type, BinaryKernel<T, FloatAdd<T>>});
  registry.Add({"-", {type, type}, type, BinaryKernel<T, FloatSubtract<T>>});
  registry.Add({"*", {type, type}, type, BinaryKernel<T, FloatMultiply<T>>});
  registry.Add({"/", {type, type}, type, BinaryKernel<T, FloatDivide<T>>});
  registry.Add({"-", {type}, type, NegateKernel<T>});
  registry.Add({"abs", {type}, type, AbsKernel<T>});
}

}  // namespace

void RegisterArithmetic(FunctionRegistry& registry) {
  AddIntegerFamily<int16_t>(registry, TypeId::kInt16);
  AddIntegerFamily<int32_t>(registry, TypeId::kInt32);
  AddIntegerFamily<int64_t>(registry, TypeId::kInt64);
  AddFloatFamily<float>(registry, TypeId::kFloat32);
  AddFloatFamily<double>(registry, TypeId::kFloat64);
}

}  // namespace plexus::sql
