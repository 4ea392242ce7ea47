// Roles (CREATE ROLE / CREATE USER): names, attributes and password verifiers, persisted in the
// `catalog` family through the caller's transaction like every definition, so role DDL commits
// or rolls back with its transaction. Passwords are only ever stored as SCRAM-SHA-256
// verifiers (base/scram.h). A fresh data directory gets one superuser (EnsureBootstrapRole).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::txn {
class Transaction;
class TransactionManager;
}  // namespace plexus::txn

namespace plexus::catalog {

class Catalog;

// PostgreSQL's OID of the bootstrap superuser (BOOTSTRAP_SUPERUSERID).
inline constexpr uint32_t kBootstrapRoleOid = 10;

// GRANT role TO member: one row of pg_auth_members, kept on the member.
struct RoleMembership {
  uint32_t role = 0;  // roleid: the role granted
  uint32_t grantor = kBootstrapRoleOid;
  bool admin_option = false;
  bool operator==(const RoleMembership&) const = default;
};

// The columns of pg_authid / pg_roles.
struct RoleDef {
  uint32_t oid = 0;
  std::string name;
  bool superuser = false;      // rolsuper
  bool inherit = true;         // rolinherit
  bool create_role = false;    // rolcreaterole
  bool create_db = false;      // rolcreatedb
  bool can_login = false;      // rolcanlogin (CREATE USER: true)
  bool replication = false;    // rolreplication
  bool bypass_rls = false;     // rolbypassrls
  int32_t connection_limit = -1;  // rolconnlimit; -1: no limit
  // rolpassword: a SCRAM-SHA-256 verifier, or empty for none (PASSWORD NULL).
  std::string password;
  // rolvaliduntil as PostgreSQL's timestamptz microseconds since 2000-01-01 UTC.
  bool has_valid_until = false;
  int64_t valid_until_us = 0;
  std::vector<RoleMembership> member_of;  // roles granted to this one
};
using RoleDefPtr = std::shared_ptr<const RoleDef>;

// kNotFound when no role has the name.
Result<RoleDefPtr> FindRole(txn::Transaction& transaction, std::string_view name);
// Every role, ordered by name.
Result<std::vector<RoleDefPtr>> ListRoles(txn::Transaction& transaction);
// Assigns def->oid (from the catalog's ids, or def->oid when already set). kAlreadyExists when
// the name is taken.
Status CreateRole(Catalog& catalog, txn::Transaction& transaction, RoleDef* def);
// Replaces the definition of role `old_name` (def.name may differ: ALTER ROLE ... RENAME TO).
// kNotFound / kAlreadyExists (the new name is taken).
Status UpdateRole(txn::Transaction& transaction, std::string_view old_name, const RoleDef& def);
Status DropRole(txn::Transaction& transaction, std::string_view name);

// Creates `name` as a superuser with login (oid kBootstrapRoleOid) when no role exists yet.
Status EnsureBootstrapRole(txn::TransactionManager& transactions, std::string_view name);

}  // namespace plexus::catalog
