// SQL text of parse-tree fragments, by PostgreSQL's own deparser (libpg_query): used to store
// DEFAULT and CHECK expressions and view queries in the catalog as SQL.
#pragma once

#include <string>

#include "plexus/base/status.h"

struct PgQuery__Node;

namespace plexus::sql {

// The text of a scalar expression: "a + 1", "'x'::text".
Result<std::string> DeparseExpression(const PgQuery__Node& expression);
// The text of a statement (a SelectStmt for a view): "SELECT a FROM t".
Result<std::string> DeparseStatement(const PgQuery__Node& statement);

}  // namespace plexus::sql
