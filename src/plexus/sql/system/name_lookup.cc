#include "plexus/sql/system/name_lookup.h"

#include <cctype>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/row_generators.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/system/system_relations.h"
#include "plexus/sql/system/type_rows.h"

namespace plexus::sql::system {

std::vector<std::string> SplitQualifiedName(std::string_view text) {
  std::vector<std::string> parts;
  std::string part;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            part += '"';
            i += 2;
            continue;
          }
          break;
        }
        part += text[i++];
      }
      if (i >= text.size()) return {};
      ++i;
    } else if (text[i] == '.') {
      parts.push_back(std::move(part));
      part.clear();
      ++i;
    } else {
      part += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
      ++i;
    }
  }
  parts.push_back(std::move(part));
  for (const std::string& p : parts) {
    if (p.empty()) return {};
  }
  return parts;
}

namespace {

std::optional<int64_t> DecimalOid(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  return value;
}

// The OID of relation `name` in `schema`, or 0.
Result<int64_t> RelationOidIn(CatalogSnapshot& snapshot, std::string_view schema,
                              std::string_view name) {
  if (const SystemRelation* relation = FindSystemRelation(schema, name)) return relation->oid;
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    if (table->schema != schema) continue;
    if (table->name == name) return int64_t{table->id};
    const std::string pkey =
        table->primary_key_name.empty() ? table->name + "_pkey" : table->primary_key_name;
    if (!table->primary_key.empty() && pkey == name) return PrimaryKeyIndexOid(table->id);
    for (const auto& index : table->indexes) {
      if (index.name == name) return int64_t{index.id};
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    if (sequence->schema == schema && sequence->name == name) return int64_t{sequence->id};
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) {
    if (view.schema == schema && view.name == name) return ViewOid(view.schema, view.name);
  }
  return int64_t{0};
}

std::string_view CanonicalTypeName(std::string_view name) {
  struct Alias { std::string_view alias; std::string_view name; };
  static constexpr Alias kAliases[] = {
      {"integer", "int4"}, {"int", "int4"}, {"bigint", "int8"}, {"smallint", "int2"},
      {"boolean", "bool"}, {"real", "float4"}, {"double precision", "float8"},
      {"character varying", "varchar"}, {"character", "bpchar"}, {"decimal", "numeric"},
      {"timestamp without time zone", "timestamp"},
      {"timestamp with time zone", "timestamptz"}, {"time without time zone", "time"},
      {"\"char\"", "char"}};
  for (const Alias& alias : kAliases) {
    if (alias.alias == name) return alias.name;
  }
  return name;
}

}  // namespace

Result<int64_t> LookupRelationOid(CatalogSnapshot& snapshot, std::string_view text,
                                  bool missing_error) {
  if (auto oid = DecimalOid(text)) return *oid;
  std::vector<std::string> parts = SplitQualifiedName(text);
  if (parts.empty() || parts.size() > 3) {
    return SqlError(kInvalidTextRepresentation, "invalid name syntax");
  }
  const std::string& name = parts.back();
  int64_t oid = 0;
  if (parts.size() >= 2) {
    PLEXUS_ASSIGN_OR_RETURN(oid, RelationOidIn(snapshot, parts[parts.size() - 2], name));
  } else {
    std::vector<std::string> path{"pg_catalog"};
    for (const std::string& schema : SearchPathSchemas()) path.push_back(schema);
    for (const std::string& schema : path) {
      PLEXUS_ASSIGN_OR_RETURN(oid, RelationOidIn(snapshot, schema, name));
      if (oid != 0) break;
    }
  }
  if (oid == 0 && missing_error) {
    return SqlError(kUndefinedTable, "relation \"" + std::string(text) + "\" does not exist");
  }
  return oid;
}

Result<int64_t> LookupTypeOid(std::string_view text, bool missing_error) {
  if (auto oid = DecimalOid(text)) return *oid;
  std::string name(text);
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (name.rfind("pg_catalog.", 0) == 0) name = name.substr(11);
  bool array = false;
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "[]") == 0) {
    array = true;
    name.resize(name.size() - 2);
  }
  const size_t paren = name.find('(');
  if (paren != std::string::npos) name.resize(paren);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  const PgTypeInfo* type = PgTypeByName(CanonicalTypeName(name));
  if (type != nullptr && array) type = PgTypeByOid(type->array);
  if (type == nullptr) {
    if (!missing_error) return int64_t{0};
    return SqlError(kUndefinedObject, "type \"" + std::string(text) + "\" does not exist");
  }
  return type->oid;
}

Result<int64_t> LookupNamespaceOid(CatalogSnapshot& snapshot, std::string_view text,
                                   bool missing_error) {
  if (auto oid = DecimalOid(text)) return *oid;
  std::vector<std::string> parts = SplitQualifiedName(text);
  if (parts.size() != 1) return SqlError(kInvalidTextRepresentation, "invalid name syntax");
  PLEXUS_ASSIGN_OR_RETURN(auto schemas, snapshot.Schemas());
  for (const std::string& schema : *schemas) {
    if (schema == parts[0]) return NamespaceOid(schema);
  }
  if (!missing_error) return int64_t{0};
  return SqlError(kInvalidSchemaName, "schema \"" + parts[0] + "\" does not exist");
}

const std::vector<PredefinedRole>& PredefinedRoles() {
  static const std::vector<PredefinedRole> roles{
      {6171, "pg_database_owner"}, {6181, "pg_read_all_data"}, {6182, "pg_write_all_data"}};
  return roles;
}

Result<int64_t> LookupRoleOid(CatalogSnapshot& snapshot, std::string_view text,
                              bool missing_error) {
  if (auto oid = DecimalOid(text)) return *oid;
  std::vector<std::string> parts = SplitQualifiedName(text);
  if (parts.size() == 1) {
    PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
    for (const auto& role : *roles) {
      if (role->name == parts[0]) return int64_t{role->oid};
    }
    for (const PredefinedRole& role : PredefinedRoles()) {
      if (role.name == parts[0]) return role.oid;
    }
  }
  if (!missing_error) return int64_t{0};
  return SqlError(kUndefinedObject, "role \"" + std::string(text) + "\" does not exist");
}

Result<std::optional<RelationName>> RelationByOid(CatalogSnapshot& snapshot, int64_t oid) {
  if (const SystemRelation* relation = SystemRelationByOid(oid)) {
    return std::optional(RelationName{std::string(relation->schema), std::string(relation->name),
                                      relation->kind});
  }
  PLEXUS_ASSIGN_OR_RETURN(auto tables, snapshot.Tables());
  for (const auto& table : *tables) {
    if (table->id == oid) return std::optional(RelationName{table->schema, table->name, 'r'});
    if (!table->primary_key.empty() && PrimaryKeyIndexOid(table->id) == oid) {
      return std::optional(RelationName{
          table->schema,
          table->primary_key_name.empty() ? table->name + "_pkey" : table->primary_key_name,
          'i'});
    }
    for (const auto& index : table->indexes) {
      if (index.id == oid) return std::optional(RelationName{table->schema, index.name, 'i'});
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    if (sequence->id == oid) {
      return std::optional(RelationName{sequence->schema, sequence->name, 'S'});
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) {
    if (ViewOid(view.schema, view.name) == oid) {
      return std::optional(RelationName{view.schema, view.name, 'v'});
    }
  }
  return std::optional<RelationName>();
}

Result<std::string> RoleName(CatalogSnapshot& snapshot, int64_t oid) {
  PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
  for (const auto& role : *roles) {
    if (role->oid == oid) return role->name;
  }
  for (const PredefinedRole& role : PredefinedRoles()) {
    if (role.oid == oid) return std::string(role.name);
  }
  return "unknown (OID=" + std::to_string(oid) + ")";
}

std::string FormatTypeOid(int64_t oid, int32_t typmod) {
  const catalog::Type type = TypeFromPg(oid, typmod);
  if (type.id != catalog::TypeId::kUnknown) {
    // format_type without a modifier names bpchar as such (with one: character(n)).
    if (type.id == catalog::TypeId::kChar && typmod < 0) return "bpchar";
    return catalog::FormatType(type);
  }
  struct Named { int64_t oid; std::string_view name; };
  static constexpr Named kNames[] = {
      {18, "\"char\""}, {19, "name"}, {22, "int2vector"}, {24, "regproc"}, {26, "oid"},
      {28, "xid"}, {30, "oidvector"}, {114, "json"}, {194, "pg_node_tree"},
      {1033, "aclitem"}, {2205, "regclass"}, {2206, "regtype"}, {4089, "regnamespace"},
      {705, "unknown"}, {2249, "record"}, {2278, "void"}, {2276, "\"any\""},
      {2277, "anyarray"}, {2283, "anyelement"}, {1028, "oid[]"}, {1002, "\"char\"[]"},
      {1003, "name[]"}, {1034, "aclitem[]"}, {199, "json[]"}};
  for (const Named& named : kNames) {
    if (named.oid == oid) return std::string(named.name);
  }
  return "???";
}

}  // namespace plexus::sql::system
