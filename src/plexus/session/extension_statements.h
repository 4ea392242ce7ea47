// CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE] and
// DROP EXTENSION [IF EXISTS] name [, ...] [CASCADE | RESTRICT], over catalog/extensions.h: the
// extensions whose functions Plexus has built in can be created and dropped; any other is
// 0A000 "extension ... is not available", as PostgreSQL says of one not installed on its host.
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include "plexus/base/status.h"
#include "plexus/session/role_statements.h"

namespace plexus::session {

Status ExecuteCreateExtension(const PgQuery__CreateExtensionStmt& statement,
                              RoleStatementContext& context);
Status ExecuteDropExtension(const PgQuery__DropStmt& statement, RoleStatementContext& context);

}  // namespace plexus::session
