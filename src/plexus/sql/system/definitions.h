// Definitions as text, as PostgreSQL's pg_get_indexdef, pg_get_constraintdef and pg_get_expr
// print them.
#pragma once

#include <string>

#include "plexus/base/status.h"
#include "plexus/sql/system/catalog_snapshot.h"

namespace plexus::sql::system {

// "CREATE [UNIQUE] INDEX name ON schema.table USING btree (a, b DESC)"; index -1: the primary
// key's index.
std::string IndexDefinition(const catalog::TableDef& table, int32_t index);
// Just the column list of an index: "a, b DESC".
std::string IndexColumns(const catalog::TableDef& table, int32_t index);
// "PRIMARY KEY (id)", "UNIQUE (a)", "CHECK (expression)", "FOREIGN KEY (a) REFERENCES t(b) ON
// DELETE CASCADE".
// Not `pretty`: a CHECK's expression gets the extra parentheses PostgreSQL's plain form has.
Result<std::string> ConstraintDefinition(CatalogSnapshot& snapshot, const ConstraintInfo& info,
                                         bool pretty);
// A column default as pg_get_expr shows it: nextval's argument gets its ::regclass.
std::string DefaultExpressionText(const std::string& expression);

}  // namespace plexus::sql::system
