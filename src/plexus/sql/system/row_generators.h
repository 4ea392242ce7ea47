// The row generators of the pg_catalog relations (system_relations.cc lists their columns; the
// rows here must match them in number and type).
#pragma once

#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/system/system_relations.h"

namespace plexus::sql::system {

// OID of the primary key's index (PostgreSQL has one; we key rows by it instead).
int64_t PrimaryKeyIndexOid(uint32_t table_id);
// pg_attribute.atttypmod of a column type (PostgreSQL adds 4 to character and numeric
// modifiers), and back.
int32_t PgTypmod(const catalog::Type& type);
catalog::Type TypeFromPg(int64_t type_oid, int32_t pg_typmod);

// pg_class_rows.cc
Status PgClassRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgNamespaceRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgAttributeRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgAttrdefRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgIndexRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgConstraintRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgSequenceRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgSequencesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgViewsRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgTablesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgIndexesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgDependRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);

// pg_static_rows.cc
Status PgTypeRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgAmRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgDatabaseRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgRolesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgUserRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgAuthMembersRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgSettingsRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgTablespaceRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgCollationRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgExtensionRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgLanguageRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status NoRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);

// statistics_rows.cc: ANALYZE's statistics (pg_stats, pg_stat_user_tables), and a table's
// pg_class reltuples/relpages from them.
inline constexpr size_t kRelpagesColumn = 9;
inline constexpr size_t kReltuplesColumn = 10;
Status PgStatsRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status PgStatUserTablesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
Status SetTableEstimates(CatalogSnapshot& snapshot, const catalog::TableDef& table,
                         SystemRow* row);

// pg_proc_rows.cc
Status PgProcRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);

}  // namespace plexus::sql::system
