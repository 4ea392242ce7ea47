#include "plexus/sql/system/type_rows.h"

namespace plexus::sql::system {

namespace {

std::vector<PgTypeInfo> BuildTypes() {
  struct Base { int64_t oid; std::string_view name; std::string_view array_name; int16_t length;
                bool by_value; char category; bool preferred; int64_t array; int64_t collation; };
  const Base bases[] = {
      {16, "bool", "_bool", 1, true, 'B', true, 1000, 0},
      {17, "bytea", "_bytea", -1, false, 'U', false, 1001, 0},
      {18, "char", "_char", 1, true, 'Z', false, 1002, 0},
      {19, "name", "_name", 64, false, 'S', false, 1003, 950},
      {20, "int8", "_int8", 8, true, 'N', false, 1016, 0},
      {21, "int2", "_int2", 2, true, 'N', false, 1005, 0},
      {22, "int2vector", "_int2vector", -1, false, 'A', false, 1006, 0},
      {23, "int4", "_int4", 4, true, 'N', false, 1007, 0},
      {24, "regproc", "_regproc", 4, true, 'N', false, 1008, 0},
      {25, "text", "_text", -1, false, 'S', true, 1009, 100},
      {26, "oid", "_oid", 4, true, 'N', true, 1028, 0},
      {28, "xid", "_xid", 4, true, 'U', false, 1011, 0},
      {30, "oidvector", "_oidvector", -1, false, 'A', false, 1013, 0},
      {114, "json", "_json", -1, false, 'U', false, 199, 0},
      {700, "float4", "_float4", 4, true, 'N', false, 1021, 0},
      {701, "float8", "_float8", 8, true, 'N', true, 1022, 0},
      {1033, "aclitem", "_aclitem", 12, false, 'U', false, 1034, 0},
      {1042, "bpchar", "_bpchar", -1, false, 'S', false, 1014, 100},
      {1043, "varchar", "_varchar", -1, false, 'S', false, 1015, 100},
      {1082, "date", "_date", 4, true, 'D', false, 1182, 0},
      {1083, "time", "_time", 8, true, 'D', false, 1183, 0},
      {1114, "timestamp", "_timestamp", 8, true, 'D', false, 1115, 0},
      {1184, "timestamptz", "_timestamptz", 8, true, 'D', true, 1185, 0},
      {1186, "interval", "_interval", 16, false, 'T', true, 1187, 0},
      {1700, "numeric", "_numeric", -1, false, 'N', false, 1231, 0},
      {2205, "regclass", "_regclass", 4, true, 'N', false, 2210, 0},
      {2206, "regtype", "_regtype", 4, true, 'N', false, 2211, 0},
      {2950, "uuid", "_uuid", 16, false, 'U', false, 2951, 0},
      {3802, "jsonb", "_jsonb", -1, false, 'U', false, 3807, 0},
      {4089, "regnamespace", "_regnamespace", 4, true, 'N', false, 4090, 0},
  };
  std::vector<PgTypeInfo> types;
  for (const Base& base : bases) {
    types.push_back({base.oid, base.name, base.length, base.by_value, 'b', base.category,
                     base.preferred, 0, base.array, base.collation});
  }
  for (const Base& base : bases) {
    types.push_back({base.array, base.array_name, -1, false, 'b', 'A', false, base.oid, 0,
                     base.collation});
  }
  types.push_back({194, "pg_node_tree", -1, false, 'b', 'Z', false, 0, 0, 100});
  types.push_back({705, "unknown", -2, false, 'p', 'X', false, 0, 0, 0});
  types.push_back({2249, "record", -1, false, 'p', 'P', false, 0, 2287, 0});
  types.push_back({2278, "void", 4, true, 'p', 'P', false, 0, 0, 0});
  types.push_back({2276, "any", 4, true, 'p', 'P', false, 0, 0, 0});
  types.push_back({2277, "anyarray", -1, false, 'p', 'P', false, 0, 0, 0});
  types.push_back({2283, "anyelement", 4, true, 'p', 'P', false, 0, 0, 0});
  return types;
}

}  // namespace

const std::vector<PgTypeInfo>& PgTypes() {
  static const std::vector<PgTypeInfo> types = BuildTypes();
  return types;
}

const PgTypeInfo* PgTypeByOid(int64_t oid) {
  for (const PgTypeInfo& type : PgTypes()) {
    if (type.oid == oid) return &type;
  }
  return nullptr;
}

const PgTypeInfo* PgTypeByName(std::string_view name) {
  for (const PgTypeInfo& type : PgTypes()) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

}  // namespace plexus::sql::system
