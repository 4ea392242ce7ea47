// The user objects of the catalog as one transaction sees them, loaded once per statement for
// the system relations and catalog functions, with PostgreSQL-style OIDs for each object.
//
// OIDs: tables, indexes and sequences use their catalog ids (>= 16384, never reused). Schemas
// and views have no id; theirs is a hash of the name in [kHashedOidBase, kHashedOidBase + 2^28).
// Constraints: kConstraintOidBase + table id * 64 + ordinal (0: primary key, then unique
// indexes, checks and foreign keys). Column defaults (pg_attrdef): kAttrdefOidBase + hash.
// Fixed schemas: pg_catalog 11, public 2200, information_schema 13000.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/roles.h"
#include "plexus/catalog/table.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn
namespace plexus::catalog {
class Catalog;
}  // namespace plexus::catalog

namespace plexus::sql::system {

inline constexpr int64_t kPgCatalogNamespaceOid = 11;
inline constexpr int64_t kPublicNamespaceOid = 2200;
inline constexpr int64_t kInformationSchemaNamespaceOid = 13000;
inline constexpr int64_t kBootstrapUserOid = 10;
inline constexpr int64_t kDatabaseOid = 16383;  // the one database (below user object ids)
inline constexpr int64_t kHashedOidBase = int64_t{1} << 28;
inline constexpr int64_t kConstraintOidBase = int64_t{1} << 29;
inline constexpr int64_t kAttrdefOidBase = int64_t{3} << 29;
inline constexpr int64_t kBtreeAmOid = 403;
inline constexpr int64_t kHeapAmOid = 2;
inline constexpr int64_t kPgClassOid = 1259;
inline constexpr int64_t kPgConstraintOid = 2606;

int64_t NamespaceOid(std::string_view schema);
int64_t ViewOid(std::string_view schema, std::string_view name);
int64_t ConstraintOid(uint32_t table_id, uint32_t ordinal);

struct ViewInfo {
  std::string schema;
  std::string name;
  std::string query;
  std::vector<std::string> column_names;  // of the definition (may be fewer than the query's)
  catalog::Privileges privileges;
};

// One constraint of a table, as pg_constraint lists it.
struct ConstraintInfo {
  int64_t oid = 0;
  char type = 'p';  // p, u, c, f
  std::string name;
  const catalog::TableDef* table = nullptr;
  std::vector<uint32_t> columns;  // positions (p, u, f)
  int32_t index = -1;             // u: position in table->indexes
  const catalog::CheckDef* check = nullptr;
  const catalog::ForeignKeyDef* foreign_key = nullptr;
};

class CatalogSnapshot {
 public:
  CatalogSnapshot(txn::Transaction* transaction, catalog::Catalog* catalog)
      : transaction_(transaction), catalog_(catalog) {}

  txn::Transaction& transaction() { return *transaction_; }
  catalog::Catalog& catalog() { return *catalog_; }

  Result<const std::vector<catalog::TableDefPtr>*> Tables();
  Result<const std::vector<std::shared_ptr<const catalog::SequenceDef>>*> Sequences();
  Result<const std::vector<ViewInfo>*> Views();
  // Every schema: pg_catalog, public, information_schema, then created ones by name.
  Result<const std::vector<std::string>*> Schemas();

  // By OID; null when no such object.
  Result<const catalog::TableDef*> TableByOid(int64_t oid);
  // The table owning index `oid` and the index's position, if any.
  Result<std::optional<std::pair<const catalog::TableDef*, uint32_t>>> IndexByOid(int64_t oid);
  Result<const catalog::TableDef*> TableByName(std::string_view schema, std::string_view name);
  // The constraints of a table, in OID order.
  std::vector<ConstraintInfo> Constraints(const catalog::TableDef& table);
  Result<std::optional<ConstraintInfo>> ConstraintByOid(int64_t oid);
  Result<std::optional<std::string>> SchemaByOid(int64_t oid);
  // Every role (catalog/roles.h); without any (an embedded database), the session's user as
  // the bootstrap superuser (OID 10). Objects are all owned by OID 10.
  Result<const std::vector<catalog::RoleDefPtr>*> Roles();

 private:
  txn::Transaction* transaction_;
  catalog::Catalog* catalog_;
  std::optional<std::vector<catalog::TableDefPtr>> tables_;
  std::optional<std::vector<std::shared_ptr<const catalog::SequenceDef>>> sequences_;
  std::optional<std::vector<ViewInfo>> views_;
  std::optional<std::vector<std::string>> schemas_;
  std::optional<std::vector<catalog::RoleDefPtr>> roles_;
};

// Whether `name` is visible without qualification: the first schema of pg_catalog +
// search_path that has a relation of that name is `schema`.
Result<bool> RelationVisible(CatalogSnapshot& snapshot, std::string_view schema,
                             std::string_view name);
// The name as PostgreSQL's regclass output shows it: qualified when not visible, each part
// quoted where needed.
Result<std::string> RelationDisplayName(CatalogSnapshot& snapshot, std::string_view schema,
                                        std::string_view name);
// quote_ident.
std::string QuoteIdentifier(std::string_view name);

}  // namespace plexus::sql::system
