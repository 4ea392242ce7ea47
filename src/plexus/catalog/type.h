// SQL types as the catalog records them: a type id, a type modifier (varchar(n), numeric(p,s),
// timestamp(p)) and, for arrays, the element type. PostgreSQL's OIDs and names come with each, so
// that the wire protocol and catalog views report types the way drivers expect.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace plexus::catalog {

enum class TypeId : uint8_t {
  kUnknown,  // an untyped literal or NULL before it is resolved
  kBool,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kNumeric,
  kText,
  kVarchar,
  kChar,  // bpchar: blank-padded
  kBytea,
  kDate,
  kTime,
  kTimestamp,
  kTimestampTz,
  kInterval,
  kUuid,
  kJsonb,
  kArray,  // of Type::element
};

inline constexpr int32_t kNoTypmod = -1;

struct Type {
  TypeId id = TypeId::kUnknown;
  // varchar/char: the length n; numeric: ((precision << 16) | scale); time/timestamp: precision.
  // kNoTypmod when unconstrained. (PostgreSQL adds 4 to character lengths on the wire; we do not.)
  int32_t typmod = kNoTypmod;
  TypeId element = TypeId::kUnknown;  // kArray only

  static Type Of(TypeId id) { return Type{id, kNoTypmod, TypeId::kUnknown}; }
  static Type ArrayOf(TypeId element) { return Type{TypeId::kArray, kNoTypmod, element}; }
  static Type Numeric(int precision, int scale) {
    return Type{TypeId::kNumeric, (precision << 16) | (scale & 0xffff), TypeId::kUnknown};
  }

  int numeric_precision() const { return typmod >> 16; }
  int numeric_scale() const { return static_cast<int16_t>(typmod & 0xffff); }

  bool operator==(const Type&) const = default;
};

// PostgreSQL's OID of the type (of the array type, for arrays).
uint32_t TypeOid(const Type& type);
// The type with that OID; kUnknown when we do not support it.
Type TypeFromOid(uint32_t oid);
// As PostgreSQL's format_type: "integer", "character varying(10)", "numeric(10,2)", "text[]".
std::string FormatType(const Type& type);
// The internal name PostgreSQL uses in pg_type.typname: "int4", "varchar", "_int4".
std::string_view TypeName(TypeId id);
// The inverse of TypeName; kUnknown for a name it never returns.
TypeId TypeIdFromName(std::string_view name);
// Fixed byte length as pg_type.typlen reports it; -1 for variable length.
int16_t TypeLength(TypeId id);

bool IsInteger(TypeId id);
bool IsNumeric(TypeId id);  // integers, floats and numeric
bool IsString(TypeId id);   // text, varchar, char

}  // namespace plexus::catalog
