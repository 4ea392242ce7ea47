// The system relations of pg_catalog and information_schema: computed from the catalog when a
// statement reads them, never stored. pg_catalog relations have columns and a row generator;
// information_schema relations are SQL views over pg_catalog (as in PostgreSQL), bound like
// user views.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/type.h"
#include "plexus/sql/types/value.h"

namespace plexus::sql::system {

class CatalogSnapshot;

struct SystemColumn {
  std::string_view name;
  catalog::Type type;
};

using SystemRow = std::vector<Value>;
using RowGenerator = Status (*)(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);

struct SystemRelation {
  std::string_view schema;
  std::string_view name;
  int64_t oid = 0;
  char kind = 'r';  // 'r' table, 'v' view (PostgreSQL's relkind)
  std::vector<SystemColumn> columns;
  RowGenerator rows = nullptr;  // pg_catalog
  std::string_view query;       // views: the SELECT, bound at each use
};

// Every system relation, pg_catalog's first.
const std::vector<SystemRelation>& SystemRelations();
// Null when `schema`.`name` is not a system relation.
const SystemRelation* FindSystemRelation(std::string_view schema, std::string_view name);
// Whether some system schema has a relation of this name (a fast test before the catalog).
bool IsSystemRelationName(std::string_view name);
const SystemRelation* SystemRelationByOid(int64_t oid);

// Rows of one relation. REQUIRES: relation.rows.
Result<std::vector<SystemRow>> GenerateRows(const SystemRelation& relation,
                                            CatalogSnapshot& snapshot);

// Keywords quote_ident quotes (PostgreSQL's reserved and type/function-name keywords).
bool IsReservedKeyword(std::string_view word);

// Column types, by PostgreSQL's name for them. oid/regproc/xid are bigint, name and "char" are
// text, int2vector/oidvector arrays (int2vector's text form has the marker typmod, see below).
catalog::Type OidType();
catalog::Type NameType();
catalog::Type BoolType();
catalog::Type Int16Type();
catalog::Type Int32Type();
catalog::Type Int64Type();
catalog::Type Float32Type();
catalog::Type TextType();
catalog::Type TextArrayType();
// PostgreSQL's one-byte "char" (relkind, typtype, ...): text marked to go out as OID 18.
catalog::Type CharType();
catalog::Type OidArrayType();
// int2vector: an int2[] whose text form is space separated (indkey::varchar).
inline constexpr int32_t kInt2VectorTypmod = 0x7ffe;
catalog::Type Int2VectorType();

}  // namespace plexus::sql::system
