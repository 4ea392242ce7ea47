// CREATE ROLE / CREATE USER, ALTER ROLE (options, RENAME TO), DROP ROLE: PostgreSQL's options,
// checks and errors over the catalog's roles (catalog/roles.h).
#pragma once

#include <pg_query/pg_query.pb-c.h>

#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/types/datetime_input.h"

namespace plexus::catalog {
class Catalog;
}  // namespace plexus::catalog
namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::session {

class ResultSink;

struct RoleStatementContext {
  catalog::Catalog* catalog;
  txn::Transaction* transaction;
  // The session's role; empty (embedded use) or unknown (trust) acts as a superuser.
  std::string_view session_user;
  sql::DateTimeContext time;  // VALID UNTIL input
  ResultSink* sink;
};

// Each ends with the statement's CommandComplete on success.
Status ExecuteCreateRole(const PgQuery__CreateRoleStmt& statement, RoleStatementContext& context);
Status ExecuteAlterRole(const PgQuery__AlterRoleStmt& statement, RoleStatementContext& context);
Status ExecuteRenameRole(const PgQuery__RenameStmt& statement, RoleStatementContext& context);
Status ExecuteDropRole(const PgQuery__DropRoleStmt& statement, RoleStatementContext& context);

}  // namespace plexus::session
