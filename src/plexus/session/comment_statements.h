// COMMENT ON TABLE / COLUMN / INDEX / SCHEMA ... IS 'text' | NULL: stored in the object's
// definition through the statement's transaction (so it commits or rolls back with it), shown
// by pg_description, obj_description and col_description.
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include "plexus/base/status.h"
#include "plexus/session/role_statements.h"

namespace plexus::session {

Status ExecuteComment(const PgQuery__CommentStmt& statement, RoleStatementContext& context);

}  // namespace plexus::session
