// Names and parameter markers of the polymorphic array functions, shared by their registration
// (array_functions.cc) and the binder, which resolves their element types (bind_array.cc).
#pragma once

#include <string>
#include <string_view>

#include "plexus/sql/func/function.h"

namespace plexus::sql {

// "anyarray": an array parameter of any element type (the binder passes arrays through as
// they are and sets the call's result type).
inline Type AnyArrayType() { return Type::ArrayOf(TypeId::kUnknown); }
inline bool IsAnyArray(const Type& type) {
  return type.id == TypeId::kArray && type.element == TypeId::kUnknown;
}

// Internal function names, not callable by those names from SQL (they hold characters the
// parser never passes as a function name).
inline constexpr std::string_view kArrayConstructorName = "array[]";
inline constexpr std::string_view kArraySubscriptName = "[]";
inline constexpr std::string_view kArraySliceName = "[:]";
inline constexpr std::string_view kArrayContainsName = "array @>";  // <@ is @> swapped
inline constexpr std::string_view kArrayOverlapName = "array &&";
// "= any", "<> all", ...: x op ANY(array) / x op ALL(array).
std::string AnyAllFunctionName(std::string_view op, bool any);

}  // namespace plexus::sql
