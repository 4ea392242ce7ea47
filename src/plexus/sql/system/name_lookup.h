// Names to OIDs and back, as the reg* types' input and output do: relations (search_path
// applies to unqualified names, pg_catalog first), types, schemas, roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/system/catalog_snapshot.h"

namespace plexus::sql::system {

// Splits a possibly qualified, possibly quoted name ("a.b", "\"A\".b") into its parts,
// lower-casing unquoted parts. Empty when malformed.
std::vector<std::string> SplitQualifiedName(std::string_view text);

// With `missing_error`: 42P01 (relation), 42704 (type, role) or 3F000 (schema) when missing;
// otherwise 0. A decimal number is taken as the OID itself.
Result<int64_t> LookupRelationOid(CatalogSnapshot& snapshot, std::string_view text,
                                  bool missing_error);
Result<int64_t> LookupTypeOid(std::string_view text, bool missing_error);
Result<int64_t> LookupNamespaceOid(CatalogSnapshot& snapshot, std::string_view text,
                                   bool missing_error);
Result<int64_t> LookupRoleOid(CatalogSnapshot& snapshot, std::string_view text,
                              bool missing_error);

struct RelationName {
  std::string schema;
  std::string name;
  char kind = 'r';
};
// The relation with this OID: a table, index, sequence, view or system relation.
Result<std::optional<RelationName>> RelationByOid(CatalogSnapshot& snapshot, int64_t oid);
// Role name of an OID ("unknown (OID=n)" when none), as pg_get_userbyid.
Result<std::string> RoleName(CatalogSnapshot& snapshot, int64_t oid);
// The predefined roles PostgreSQL lists in pg_roles besides the created ones.
struct PredefinedRole {
  int64_t oid;
  std::string_view name;
};
const std::vector<PredefinedRole>& PredefinedRoles();
// format_type(oid, typmod): typmod -1 for none.
std::string FormatTypeOid(int64_t oid, int32_t typmod);

}  // namespace plexus::sql::system
