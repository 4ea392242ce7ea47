// PostgreSQL's types as pg_type lists them: the ones Plexus supports, their arrays, and the
// catalog types (oid, name, regclass, ...) the system relations and tools use.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace plexus::sql::system {

struct PgTypeInfo {
  int64_t oid;
  std::string_view name;
  int16_t length;
  bool by_value;
  char type;      // b base, p pseudo
  char category;  // typcategory
  bool preferred;
  int64_t element;  // arrays: the element type
  int64_t array;    // the array type of this one
  int64_t collation;
};

const std::vector<PgTypeInfo>& PgTypes();
// Null when unknown.
const PgTypeInfo* PgTypeByOid(int64_t oid);
const PgTypeInfo* PgTypeByName(std::string_view name);

}  // namespace plexus::sql::system
