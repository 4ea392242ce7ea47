// OIDs, names and lengths of the SQL types, as PostgreSQL's pg_type has them.
#include "plexus/catalog/type.h"

#include <array>

#include "plexus/catalog/type_markers.h"

namespace plexus::catalog {

namespace {

struct TypeInfo {
  TypeId id;
  uint32_t oid;
  uint32_t array_oid;
  std::string_view name;         // pg_type.typname
  std::string_view format_name;  // format_type()
  int16_t length;
};

constexpr std::array<TypeInfo, 20> kTypes{{
    {TypeId::kUnknown, 705, 0, "unknown", "unknown", -2},
    {TypeId::kBool, 16, 1000, "bool", "boolean", 1},
    {TypeId::kInt16, 21, 1005, "int2", "smallint", 2},
    {TypeId::kInt32, 23, 1007, "int4", "integer", 4},
    {TypeId::kInt64, 20, 1016, "int8", "bigint", 8},
    {TypeId::kFloat32, 700, 1021, "float4", "real", 4},
    {TypeId::kFloat64, 701, 1022, "float8", "double precision", 8},
    {TypeId::kNumeric, 1700, 1231, "numeric", "numeric", -1},
    {TypeId::kText, 25, 1009, "text", "text", -1},
    {TypeId::kVarchar, 1043, 1015, "varchar", "character varying", -1},
    {TypeId::kChar, 1042, 1014, "bpchar", "character", -1},
    {TypeId::kBytea, 17, 1001, "bytea", "bytea", -1},
    {TypeId::kDate, 1082, 1182, "date", "date", 4},
    {TypeId::kTime, 1083, 1183, "time", "time without time zone", 8},
    {TypeId::kTimestamp, 1114, 1115, "timestamp", "timestamp without time zone", 8},
    {TypeId::kTimestampTz, 1184, 1185, "timestamptz", "timestamp with time zone", 8},
    {TypeId::kInterval, 1186, 1187, "interval", "interval", 16},
    {TypeId::kUuid, 2950, 2951, "uuid", "uuid", 16},
    {TypeId::kJsonb, 3802, 3807, "jsonb", "jsonb", -1},
    {TypeId::kArray, 0, 0, "array", "array", -1},
}};

const TypeInfo& Info(TypeId id) {
  for (const TypeInfo& info : kTypes) {
    if (info.id == id) return info;
  }
  return kTypes[0];
}

std::string FormatScalar(TypeId id, int32_t typmod) {
  std::string name(Info(id).format_name);
  if (typmod == kNoTypmod) return name;
  switch (id) {
    case TypeId::kVarchar:
    case TypeId::kChar:
      return name + "(" + std::to_string(typmod) + ")";
    case TypeId::kNumeric:
      return name + "(" + std::to_string(typmod >> 16) + "," +
             std::to_string(static_cast<int16_t>(typmod & 0xffff)) + ")";
    case TypeId::kTime:
      return "time(" + std::to_string(typmod) + ") without time zone";
    case TypeId::kTimestamp:
      return "timestamp(" + std::to_string(typmod) + ") without time zone";
    case TypeId::kTimestampTz:
      return "timestamp(" + std::to_string(typmod) + ") with time zone";
    default:
      return name;
  }
}

}  // namespace

uint32_t TypeOid(const Type& type) {
  if (type.id == TypeId::kArray) return Info(type.element).array_oid;
  if (type.id == TypeId::kText && type.typmod == kInternalCharTypmod) return kInternalCharOid;
  return Info(type.id).oid;
}

Type TypeFromOid(uint32_t oid) {
  for (const TypeInfo& info : kTypes) {
    if (info.id == TypeId::kArray || info.id == TypeId::kUnknown) continue;
    if (info.oid == oid) return Type::Of(info.id);
    if (info.array_oid == oid) return Type::ArrayOf(info.id);
  }
  return Type::Of(TypeId::kUnknown);
}

std::string FormatType(const Type& type) {
  if (type.id == TypeId::kArray) return FormatScalar(type.element, type.typmod) + "[]";
  return FormatScalar(type.id, type.typmod);
}

std::string_view TypeName(TypeId id) { return Info(id).name; }

TypeId TypeIdFromName(std::string_view name) {
  for (const TypeInfo& info : kTypes) {
    if (info.name == name) return info.id;
  }
  return TypeId::kUnknown;
}

int16_t TypeLength(TypeId id) { return Info(id).length; }

bool IsInteger(TypeId id) {
  return id == TypeId::kInt16 || id == TypeId::kInt32 || id == TypeId::kInt64;
}

bool IsNumeric(TypeId id) {
  return IsInteger(id) || id == TypeId::kFloat32 || id == TypeId::kFloat64 ||
         id == TypeId::kNumeric;
}

bool IsString(TypeId id) {
  return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kChar;
}

}  // namespace plexus::catalog
