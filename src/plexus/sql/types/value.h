// Value: one SQL value outside a vector — a constant in a plan, a bound parameter, a default.
// Fixed-width types keep their payload in the same representation as a Vector's slot; variable
// width types (text, bytea, numeric, jsonb, arrays) keep their bytes in a std::string.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "plexus/catalog/type.h"

namespace plexus::sql {

using catalog::Type;
using catalog::TypeId;

class Value {
 public:
  Value() = default;  // NULL of unknown type
  static Value Null(const Type& type) {
    Value value;
    value.type_ = type;
    return value;
  }
  static Value Bool(bool b) { return Fixed(Type::Of(TypeId::kBool), b ? 1 : 0); }
  static Value Int16(int16_t i) { return Fixed(Type::Of(TypeId::kInt16), i); }
  static Value Int32(int32_t i) { return Fixed(Type::Of(TypeId::kInt32), i); }
  static Value Int64(int64_t i) { return Fixed(Type::Of(TypeId::kInt64), i); }
  // Any type whose vector slot is an integer (dates, times, timestamps) from that integer.
  static Value Integer(const Type& type, int64_t i) { return Fixed(type, i); }
  static Value Float32(float f) { return Floating(Type::Of(TypeId::kFloat32), f); }
  static Value Float64(double d) { return Floating(Type::Of(TypeId::kFloat64), d); }
  // Text, varchar, char, bytea, numeric (encoded), jsonb, arrays: the bytes of the value.
  static Value String(const Type& type, std::string_view bytes) {
    Value value;
    value.type_ = type;
    value.null_ = false;
    value.string_ = bytes;
    return value;
  }
  static Value Text(std::string_view text) { return String(Type::Of(TypeId::kText), text); }
  static Value Bytes16Of(const Type& type, const void* bytes) {
    Value value;
    value.type_ = type;
    value.null_ = false;
    std::memcpy(value.bytes16_, bytes, 16);
    return value;
  }

  const Type& type() const { return type_; }
  bool is_null() const { return null_; }
  bool bool_value() const { return integer_ != 0; }
  int64_t integer_value() const { return integer_; }
  double float_value() const { return float_; }
  std::string_view string_value() const { return string_; }
  const uint8_t* bytes16() const { return bytes16_; }

  // The same payload, seen as another type with the same representation (e.g. varchar → text).
  Value Relabel(const Type& type) const {
    Value value = *this;
    value.type_ = type;
    return value;
  }

 private:
  static Value Fixed(const Type& type, int64_t i) {
    Value value;
    value.type_ = type;
    value.null_ = false;
    value.integer_ = i;
    return value;
  }
  static Value Floating(const Type& type, double d) {
    Value value;
    value.type_ = type;
    value.null_ = false;
    value.float_ = d;
    return value;
  }

  Type type_;
  bool null_ = true;
  int64_t integer_ = 0;
  double float_ = 0;
  uint8_t bytes16_[16] = {};
  std::string string_;
};

}  // namespace plexus::sql
