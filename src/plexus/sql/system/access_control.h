// Who the session acts as and what it may do: the session's role with the roles it inherits
// (GRANT role TO role), checked against the owner and ACL of tables, sequences and schemas
// (catalog/privileges.h) with PostgreSQL's messages (42501).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/privileges.h"
#include "plexus/catalog/roles.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn
namespace plexus::catalog {
class Catalog;
struct SequenceDef;
}  // namespace plexus::catalog

namespace plexus::sql::system {

inline constexpr SqlState kInsufficientPrivilege{"42501", StatusCode::kInvalidArgument};
inline constexpr SqlState kInvalidGrantOperation{"0LP01", StatusCode::kInvalidArgument};

struct Actor {
  // Superusers, embedded sessions and trust users that are no role pass every check.
  bool unrestricted = true;
  uint32_t oid = catalog::kBootstrapOwnerOid;  // the role's OID (the owner of what it creates)
  std::string name;
  // The role and every role whose privileges it has (INHERIT through memberships).
  std::vector<uint32_t> roles;
};

// The session's role on this thread (sql/system/session_info.h), read through `transaction`.
// Cached per thread for one (user, catalog version) when the transaction reads committed roles;
// `catalog` (by default the one being bound on this thread) tells the version.
Result<Actor> SessionActor(txn::Transaction& transaction,
                           const catalog::Catalog* catalog = nullptr);
// `role` as a privilege check sees it (has_table_privilege's user argument).
Result<Actor> ActorOf(txn::Transaction& transaction, const catalog::RoleDef& role);

// Whether the actor holds every privilege of `wanted` on an object.
bool Holds(const Actor& actor, const catalog::Privileges& privileges, uint32_t all,
           uint32_t wanted);
// Whether the actor owns the object (or is a member of its owner, or unrestricted).
bool Owns(const Actor& actor, const catalog::Privileges& privileges);

// The session may use sequence functions on `sequence` when it holds any of `any_of` (nextval:
// USAGE or UPDATE; currval: USAGE or SELECT; setval: UPDATE); else 42501.
Status CheckSequenceAccess(txn::Transaction& transaction, const catalog::Catalog& catalog,
                           const catalog::SequenceDef& sequence, uint32_t any_of);

// 42501 "permission denied for <kind> <name>" / "must be owner of <kind> <name>".
Status PermissionDenied(std::string_view kind, std::string_view name);
Status MustBeOwner(std::string_view kind, std::string_view name);

// A privilege name of GRANT/REVOKE or has_*_privilege ("SELECT", "usage", "ALL" ...); 0 when
// unknown. `all` is the object kind's full set (ALL PRIVILEGES).
uint32_t PrivilegeBit(std::string_view name, uint32_t all);

}  // namespace plexus::sql::system
