// GRANT/REVOKE of privileges on tables, sequences and schemas, GRANT/REVOKE of role
// membership, and ALTER TABLE/SEQUENCE/SCHEMA ... OWNER TO: PostgreSQL 15's rules and messages
// over the owners and ACLs kept in the catalog (catalog/privileges.h).
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include "plexus/base/status.h"
#include "plexus/catalog/roles.h"
#include "plexus/session/role_statements.h"

namespace plexus::session {

Status ExecuteGrant(const PgQuery__GrantStmt& statement, RoleStatementContext& context);
Status ExecuteGrantRole(const PgQuery__GrantRoleStmt& statement, RoleStatementContext& context);
// ALTER TABLE t OWNER TO r (an AlterTableStmt whose one command is AT_ChangeOwner), and
// ALTER SCHEMA s OWNER TO r.
Status ExecuteAlterTableOwner(const PgQuery__AlterTableStmt& statement,
                              RoleStatementContext& context);
Status ExecuteAlterOwner(const PgQuery__AlterOwnerStmt& statement, RoleStatementContext& context);
// Whether an AlterTableStmt is only OWNER TO (run here, not by the binder).
bool IsAlterTableOwner(const PgQuery__AlterTableStmt& statement);

// DROP ROLE: 2BP01 when the role owns or has privileges on something, as PostgreSQL refuses;
// otherwise forgets its memberships in other roles' definitions.
Status CheckRoleDroppable(const catalog::RoleDef& role, RoleStatementContext& context);
Status ForgetMemberships(uint32_t role_oid, RoleStatementContext& context);

}  // namespace plexus::session
