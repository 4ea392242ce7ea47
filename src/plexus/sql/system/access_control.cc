// The session's role and its privilege checks. A role's memberships are read once per catalog
// version on each thread: a binding of a simple query pays a cache lookup, not a catalog read.
#include "plexus/sql/system/access_control.h"

#include <algorithm>
#include <unordered_map>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql::system {

namespace {

struct ActorCache {
  uint64_t catalog_instance = 0;  // catalog::Catalog::instance(), never 0
  uint64_t catalog_version = ~uint64_t{0};
  std::string user;
  Actor actor;
};
thread_local ActorCache actor_cache;

}  // namespace

Result<Actor> ActorOf(txn::Transaction& transaction, const catalog::RoleDef& role) {
  Actor actor;
  actor.unrestricted = role.superuser;
  actor.oid = role.oid;
  actor.name = role.name;
  actor.roles.push_back(role.oid);
  if (role.superuser || role.member_of.empty()) return actor;
  // Memberships: each role passes on the roles granted to it when it inherits (INHERIT).
  PLEXUS_ASSIGN_OR_RETURN(std::vector<catalog::RoleDefPtr> roles, catalog::ListRoles(transaction));
  std::unordered_map<uint32_t, const catalog::RoleDef*> by_oid;
  for (const auto& each : roles) by_oid[each->oid] = each.get();
  std::vector<const catalog::RoleDef*> pending{&role};
  while (!pending.empty()) {
    const catalog::RoleDef* member = pending.back();
    pending.pop_back();
    if (!member->inherit) continue;
    for (const catalog::RoleMembership& membership : member->member_of) {
      if (std::find(actor.roles.begin(), actor.roles.end(), membership.role) !=
          actor.roles.end()) {
        continue;
      }
      actor.roles.push_back(membership.role);
      auto found = by_oid.find(membership.role);
      if (found != by_oid.end()) pending.push_back(found->second);
    }
  }
  return actor;
}

Result<Actor> SessionActor(txn::Transaction& transaction, const catalog::Catalog* catalog) {
  const SessionInfo* info = CurrentSessionInfo();
  if (info == nullptr || !info->checks_privileges()) return Actor{};
  const std::string user = info->user();
  // A transaction that wrote the catalog may see roles nobody else does yet; a REPEATABLE READ
  // one may see older ones. Only READ COMMITTED reads of others are shared through the cache.
  if (catalog == nullptr) catalog = CurrentBindCatalog();
  const bool cacheable = catalog != nullptr && !info->catalog_written() &&
                         transaction.isolation() == IsolationLevel::kReadCommitted;
  const uint64_t version = catalog != nullptr ? catalog->version() : 0;
  const uint64_t instance = catalog != nullptr ? catalog->instance() : 0;
  if (cacheable && actor_cache.catalog_instance == instance &&
      actor_cache.catalog_version == version && actor_cache.user == user) {
    return actor_cache.actor;
  }
  auto role = catalog::FindRole(transaction, user);
  Actor actor;
  if (role.ok()) {
    PLEXUS_ASSIGN_OR_RETURN(actor, ActorOf(transaction, **role));
  } else if (!role.status().IsNotFound()) {
    return role.status();
  }  // else: a trust user that is no role acts as a superuser, as role DDL treats it
  if (cacheable) actor_cache = ActorCache{instance, version, user, actor};
  return actor;
}

bool Holds(const Actor& actor, const catalog::Privileges& privileges, uint32_t all,
           uint32_t wanted) {
  if (actor.unrestricted) return true;
  return (catalog::HeldPrivileges(privileges, all, actor.roles) & wanted) == wanted;
}

bool Owns(const Actor& actor, const catalog::Privileges& privileges) {
  if (actor.unrestricted) return true;
  return std::find(actor.roles.begin(), actor.roles.end(), privileges.owner) != actor.roles.end();
}

Status CheckSequenceAccess(txn::Transaction& transaction, const catalog::Catalog& catalog,
                           const catalog::SequenceDef& sequence, uint32_t any_of) {
  PLEXUS_ASSIGN_OR_RETURN(Actor actor, SessionActor(transaction, &catalog));
  if (actor.unrestricted) return Status::Ok();
  const uint32_t held =
      catalog::HeldPrivileges(sequence.privileges, catalog::kSequencePrivilegesAll, actor.roles);
  if ((held & any_of) == 0) return PermissionDenied("sequence", sequence.name);
  return Status::Ok();
}

Status PermissionDenied(std::string_view kind, std::string_view name) {
  return SqlError(kInsufficientPrivilege,
                  "permission denied for " + std::string(kind) + " " + std::string(name));
}

Status MustBeOwner(std::string_view kind, std::string_view name) {
  return SqlError(kInsufficientPrivilege,
                  "must be owner of " + std::string(kind) + " " + std::string(name));
}

uint32_t PrivilegeBit(std::string_view name, uint32_t all) {
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  // has_*_privilege accepts "SELECT WITH GRANT OPTION"; the grant option is not asked here.
  if (const size_t with = lower.find(" with grant option"); with != std::string::npos) {
    lower.resize(with);
  }
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  while (!lower.empty() && lower.front() == ' ') lower.erase(lower.begin());
  if (lower == "all" || lower == "all privileges") return all;
  static constexpr std::pair<std::string_view, uint32_t> kNames[] = {
      {"insert", catalog::kPrivilegeInsert},   {"select", catalog::kPrivilegeSelect},
      {"update", catalog::kPrivilegeUpdate},   {"delete", catalog::kPrivilegeDelete},
      {"truncate", catalog::kPrivilegeTruncate}, {"references", catalog::kPrivilegeReferences},
      {"trigger", catalog::kPrivilegeTrigger}, {"execute", catalog::kPrivilegeExecute},
      {"usage", catalog::kPrivilegeUsage},     {"create", catalog::kPrivilegeCreate},
      {"temporary", catalog::kPrivilegeTemporary}, {"temp", catalog::kPrivilegeTemporary},
      {"connect", catalog::kPrivilegeConnect}};
  for (const auto& [each, bit] : kNames) {
    if (each == lower) return (bit & all) != 0 ? bit : 0;
  }
  return 0;
}

}  // namespace plexus::sql::system
