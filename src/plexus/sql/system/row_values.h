// Small constructors of system-row values, named by PostgreSQL's column types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/sql/system/system_relations.h"
#include "plexus/sql/types/array.h"

namespace plexus::sql::system {

inline Value OidValue(int64_t oid) { return Value::Int64(oid); }
inline Value NameValue(std::string_view name) { return Value::Text(name); }
inline Value TextValue(std::string_view text) { return Value::Text(text); }
inline Value BoolValue(bool value) { return Value::Bool(value); }
inline Value CharValue(char ch) {
  return Value::String(CharType(), ch == '\0' ? std::string() : std::string(1, ch));
}
inline Value Int16Value(int64_t value) { return Value::Int16(static_cast<int16_t>(value)); }
inline Value Int32Value(int64_t value) { return Value::Int32(static_cast<int32_t>(value)); }
inline Value Int64Value(int64_t value) { return Value::Int64(value); }
inline Value Float32Value(float value) { return Value::Float32(value); }
inline Value NullValue(const catalog::Type& type) { return Value::Null(type); }

// An int2[] (or int2vector, with its type) of `values`.
inline Value Int16ArrayValue(const std::vector<int64_t>& values,
                             const catalog::Type& type = catalog::Type::ArrayOf(
                                 catalog::TypeId::kInt16)) {
  ArrayBuilder builder(catalog::Type::Of(catalog::TypeId::kInt16));
  for (int64_t value : values) builder.AppendValue(Int16Value(value));
  return Value::String(type, builder.Finish());
}

inline Value OidArrayValue(const std::vector<int64_t>& values) {
  ArrayBuilder builder(catalog::Type::Of(catalog::TypeId::kInt64));
  for (int64_t value : values) builder.AppendValue(Int64Value(value));
  return Value::String(OidArrayType(), builder.Finish());
}

}  // namespace plexus::sql::system
