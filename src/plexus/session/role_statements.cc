// Role DDL with PostgreSQL 15's options, privilege checks and messages (commands/user.c).
#include "plexus/session/role_statements.h"

#include <optional>
#include <string>

#include "plexus/base/scram.h"
#include "plexus/catalog/catalog.h"
#include "plexus/catalog/roles.h"
#include "plexus/session/grant_statements.h"
#include "plexus/session/session.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::session {

namespace {

using sql::SqlError;
using sql::SqlState;

inline constexpr SqlState kInsufficientPrivilege{"42501", StatusCode::kInvalidArgument};
inline constexpr SqlState kReservedName{"42939", StatusCode::kInvalidArgument};
inline constexpr SqlState kObjectInUse{"55006", StatusCode::kInvalidArgument};

Status NoSuchRole(std::string_view name) {
  return SqlError(sql::kUndefinedObject, "role \"" + std::string(name) + "\" does not exist");
}

// The options of CREATE/ALTER ROLE, each given at most once.
struct RoleOptions {
  std::optional<bool> superuser, inherit, create_role, create_db, can_login, replication,
      bypass_rls;
  std::optional<int32_t> connection_limit;
  bool has_password = false;
  std::optional<std::string> password;  // nullopt: PASSWORD NULL
  std::optional<std::string> valid_until;
  // CREATE ROLE ... IN ROLE (roles it joins), ROLE (its members), ADMIN (members with admin).
  std::vector<std::string> in_roles, members, admins;
};

// The names of a RoleSpec list (CREATE ROLE's IN ROLE / ROLE / ADMIN).
std::vector<std::string> RoleNames(const PgQuery__Node* arg) {
  std::vector<std::string> names;
  if (arg == nullptr || arg->node_case != PG_QUERY__NODE__NODE_LIST) return names;
  for (size_t i = 0; i < arg->list->n_items; ++i) {
    const PgQuery__Node* item = arg->list->items[i];
    if (item->node_case == PG_QUERY__NODE__NODE_ROLE_SPEC && item->role_spec->rolename) {
      names.emplace_back(item->role_spec->rolename);
    }
  }
  return names;
}

bool ArgBool(const PgQuery__Node* arg) {
  if (arg == nullptr) return true;
  if (arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN) return arg->boolean->boolval;
  if (arg->node_case == PG_QUERY__NODE__NODE_INTEGER) return arg->integer->ival != 0;
  return true;
}

std::optional<std::string> ArgString(const PgQuery__Node* arg) {
  if (arg == nullptr || arg->node_case != PG_QUERY__NODE__NODE_STRING) return std::nullopt;
  return std::string(arg->string->sval ? arg->string->sval : "");
}

Result<RoleOptions> ParseRoleOptions(PgQuery__Node** options, size_t count, bool create) {
  RoleOptions parsed;
  std::vector<std::string> seen;
  for (size_t i = 0; i < count; ++i) {
    if (options[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
    const PgQuery__DefElem& option = *options[i]->def_elem;
    const std::string name = option.defname ? option.defname : "";
    for (const std::string& earlier : seen) {
      if (earlier == name) return SqlError(sql::kSyntaxError, "conflicting or redundant options");
    }
    seen.push_back(name);
    const PgQuery__Node* arg = option.arg;
    if (name == "password") {
      parsed.has_password = true;
      parsed.password = ArgString(arg);
    } else if (name == "superuser") {
      parsed.superuser = ArgBool(arg);
    } else if (name == "inherit") {
      parsed.inherit = ArgBool(arg);
    } else if (name == "createrole") {
      parsed.create_role = ArgBool(arg);
    } else if (name == "createdb") {
      parsed.create_db = ArgBool(arg);
    } else if (name == "canlogin") {
      parsed.can_login = ArgBool(arg);
    } else if (name == "isreplication") {
      parsed.replication = ArgBool(arg);
    } else if (name == "bypassrls") {
      parsed.bypass_rls = ArgBool(arg);
    } else if (name == "connectionlimit") {
      const int32_t limit = arg != nullptr && arg->node_case == PG_QUERY__NODE__NODE_INTEGER
                                ? arg->integer->ival
                                : 0;
      if (limit < -1) {
        return SqlError(sql::kInvalidParameterValue,
                        "invalid connection limit: " + std::to_string(limit));
      }
      parsed.connection_limit = limit;
    } else if (name == "validUntil") {
      parsed.valid_until = ArgString(arg);
    } else if (name == "sysid" && create) {
      // PostgreSQL says "SYSID can no longer be specified" and goes on.
    } else if (create && name == "addroleto") {
      parsed.in_roles = RoleNames(arg);
    } else if (create && name == "rolemembers") {
      parsed.members = RoleNames(arg);
    } else if (create && name == "adminmembers") {
      parsed.admins = RoleNames(arg);
    } else {
      return SqlError(sql::kFeatureNotSupported,
                      "option \"" + name + "\" is not supported for roles");
    }
  }
  return parsed;
}

// What the session's role may do: empty (embedded) or unknown (trust) counts as a superuser.
struct Actor {
  std::string name;
  bool superuser = true;
  bool create_role = true;
};

Result<Actor> CurrentActor(RoleStatementContext& context) {
  Actor actor;
  actor.name = context.session_user;
  if (actor.name.empty()) return actor;
  auto role = catalog::FindRole(*context.transaction, actor.name);
  if (role.status().IsNotFound()) return actor;
  PLEXUS_RETURN_IF_ERROR(role.status());
  actor.superuser = (*role)->superuser;
  actor.create_role = (*role)->superuser || (*role)->create_role;
  return actor;
}

// The OID of the session's role (the grantor of memberships it creates); the bootstrap
// superuser's for embedded sessions and trust users that are no role.
Result<uint32_t> ActorOid(const Actor& actor, RoleStatementContext& context) {
  if (actor.name.empty()) return catalog::kBootstrapRoleOid;
  auto role = catalog::FindRole(*context.transaction, actor.name);
  if (role.status().IsNotFound()) return catalog::kBootstrapRoleOid;
  PLEXUS_RETURN_IF_ERROR(role.status());
  return (*role)->oid;
}

// Applies parsed options to `role`; a password becomes a verifier.
Status ApplyRoleOptions(const RoleOptions& options, RoleStatementContext& context,
                        catalog::RoleDef* role) {
  if (options.superuser) role->superuser = *options.superuser;
  if (options.inherit) role->inherit = *options.inherit;
  if (options.create_role) role->create_role = *options.create_role;
  if (options.create_db) role->create_db = *options.create_db;
  if (options.can_login) role->can_login = *options.can_login;
  if (options.replication) role->replication = *options.replication;
  if (options.bypass_rls) role->bypass_rls = *options.bypass_rls;
  if (options.connection_limit) role->connection_limit = *options.connection_limit;
  if (options.has_password) {
    if (!options.password) {
      role->password.clear();
    } else if (options.password->empty()) {
      context.sink->Notice({.message = "empty string is not a valid password, clearing password"});
      role->password.clear();
    } else if (base::IsScramVerifier(*options.password)) {
      role->password = *options.password;  // already a verifier (psql's \password sends one)
    } else {
      role->password = base::NewScramVerifierText(*options.password);
    }
  }
  if (options.valid_until) {
    PLEXUS_ASSIGN_OR_RETURN(sql::TimestampTz until,
                            sql::ParseTimestampTz(*options.valid_until, context.time));
    role->has_valid_until = true;
    role->valid_until_us = until.micros;
  }
  return Status::Ok();
}

Result<std::string> RoleSpecName(const PgQuery__RoleSpec* spec, RoleStatementContext& context) {
  if (spec == nullptr) return SqlError(sql::kSyntaxError, "role name expected");
  switch (spec->roletype) {
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING: return std::string(spec->rolename);
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_ROLE:
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CURRENT_USER:
    case PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_SESSION_USER:
      if (context.session_user.empty()) return SqlError(sql::kUndefinedObject, "no session user");
      return std::string(context.session_user);
    default:
      return SqlError(sql::kUndefinedObject, "role \"public\" does not exist");
  }
}

}  // namespace

Status ExecuteCreateRole(const PgQuery__CreateRoleStmt& statement, RoleStatementContext& context) {
  if (statement.stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_GROUP) {
    return SqlError(sql::kFeatureNotSupported, "CREATE GROUP is not supported yet");
  }
  PLEXUS_ASSIGN_OR_RETURN(RoleOptions options,
                          ParseRoleOptions(statement.options, statement.n_options, true));
  PLEXUS_ASSIGN_OR_RETURN(Actor actor, CurrentActor(context));
  if (!actor.superuser) {
    if (options.superuser.value_or(false)) {
      return SqlError(kInsufficientPrivilege, "must be superuser to create superusers");
    }
    if (options.replication.value_or(false)) {
      return SqlError(kInsufficientPrivilege, "must be superuser to create replication users");
    }
    if (options.bypass_rls.value_or(false)) {
      return SqlError(kInsufficientPrivilege, "must be superuser to create bypassrls users");
    }
    if (!actor.create_role) return SqlError(kInsufficientPrivilege, "permission denied to create role");
  }
  const std::string name = statement.role ? statement.role : "";
  if (name == "public" || name == "none") {
    return SqlError(kReservedName, "role name \"" + name + "\" is reserved");
  }
  if (name.rfind("pg_", 0) == 0) {
    Status status = SqlError(kReservedName, "role name \"" + name + "\" is reserved");
    status.SetDetail("Role names starting with \"pg_\" are reserved.");
    return status;
  }
  catalog::RoleDef role;
  role.name = name;
  role.can_login = statement.stmt_type == PG_QUERY__ROLE_STMT_TYPE__ROLESTMT_USER;
  PLEXUS_RETURN_IF_ERROR(ApplyRoleOptions(options, context, &role));
  PLEXUS_ASSIGN_OR_RETURN(uint32_t grantor, ActorOid(actor, context));
  for (const std::string& granted : options.in_roles) {
    auto found = catalog::FindRole(*context.transaction, granted);
    if (found.status().IsNotFound()) return NoSuchRole(granted);
    PLEXUS_RETURN_IF_ERROR(found.status());
    role.member_of.push_back({(*found)->oid, grantor, false});
  }
  Status status = catalog::CreateRole(*context.catalog, *context.transaction, &role);
  if (status.code() == StatusCode::kAlreadyExists) {
    return SqlError(sql::kDuplicateObject, "role \"" + name + "\" already exists");
  }
  PLEXUS_RETURN_IF_ERROR(status);
  for (const auto& [names, admin] : {std::pair{&options.members, false},
                                     std::pair{&options.admins, true}}) {
    for (const std::string& member_name : *names) {
      auto found = catalog::FindRole(*context.transaction, member_name);
      if (found.status().IsNotFound()) return NoSuchRole(member_name);
      PLEXUS_RETURN_IF_ERROR(found.status());
      catalog::RoleDef member = **found;
      member.member_of.push_back({role.oid, grantor, admin});
      PLEXUS_RETURN_IF_ERROR(catalog::UpdateRole(*context.transaction, member.name, member));
    }
  }
  return context.sink->Complete("CREATE ROLE");
}

Status ExecuteAlterRole(const PgQuery__AlterRoleStmt& statement, RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(RoleOptions options,
                          ParseRoleOptions(statement.options, statement.n_options, false));
  PLEXUS_ASSIGN_OR_RETURN(std::string name, RoleSpecName(statement.role, context));
  auto found = catalog::FindRole(*context.transaction, name);
  if (found.status().IsNotFound()) return NoSuchRole(name);
  PLEXUS_RETURN_IF_ERROR(found.status());
  catalog::RoleDef role = **found;
  PLEXUS_ASSIGN_OR_RETURN(Actor actor, CurrentActor(context));
  if (!actor.superuser) {
    const bool only_own_password =
        actor.name == role.name && !options.superuser && !options.inherit &&
        !options.create_role && !options.create_db && !options.can_login &&
        !options.replication && !options.bypass_rls && !options.connection_limit &&
        !options.valid_until;
    if (role.superuser || options.superuser || options.replication || options.bypass_rls) {
      return SqlError(kInsufficientPrivilege,
                      "must be superuser to alter superuser roles or change superuser attribute");
    }
    if (!actor.create_role && !only_own_password) {
      return SqlError(kInsufficientPrivilege, "permission denied");
    }
  }
  PLEXUS_RETURN_IF_ERROR(ApplyRoleOptions(options, context, &role));
  PLEXUS_RETURN_IF_ERROR(catalog::UpdateRole(*context.transaction, name, role));
  return context.sink->Complete("ALTER ROLE");
}

Status ExecuteRenameRole(const PgQuery__RenameStmt& statement, RoleStatementContext& context) {
  const std::string old_name = statement.subname ? statement.subname : "";
  const std::string new_name = statement.newname ? statement.newname : "";
  auto found = catalog::FindRole(*context.transaction, old_name);
  if (found.status().IsNotFound()) return NoSuchRole(old_name);
  PLEXUS_RETURN_IF_ERROR(found.status());
  if (old_name == context.session_user) {
    return SqlError(sql::kFeatureNotSupported, "session user cannot be renamed");
  }
  if (new_name == "public" || new_name == "none" || new_name.rfind("pg_", 0) == 0) {
    return SqlError(kReservedName, "role name \"" + new_name + "\" is reserved");
  }
  PLEXUS_ASSIGN_OR_RETURN(Actor actor, CurrentActor(context));
  if (!actor.superuser && ((*found)->superuser || !actor.create_role)) {
    return SqlError(kInsufficientPrivilege, (*found)->superuser
                                                ? "must be superuser to rename superusers"
                                                : "permission denied to rename role");
  }
  catalog::RoleDef role = **found;
  role.name = new_name;
  Status status = catalog::UpdateRole(*context.transaction, old_name, role);
  if (status.code() == StatusCode::kAlreadyExists) {
    return SqlError(sql::kDuplicateObject, "role \"" + new_name + "\" already exists");
  }
  PLEXUS_RETURN_IF_ERROR(status);
  return context.sink->Complete("ALTER ROLE");
}

Status ExecuteDropRole(const PgQuery__DropRoleStmt& statement, RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(Actor actor, CurrentActor(context));
  if (!actor.create_role) return SqlError(kInsufficientPrivilege, "permission denied to drop role");
  for (size_t i = 0; i < statement.n_roles; ++i) {
    const PgQuery__Node* node = statement.roles[i];
    if (node->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC) continue;
    const PgQuery__RoleSpec& spec = *node->role_spec;
    if (spec.roletype != PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING) {
      return SqlError(sql::kSyntaxError, "cannot use special role specifier in DROP ROLE");
    }
    const std::string name = spec.rolename ? spec.rolename : "";
    auto found = catalog::FindRole(*context.transaction, name);
    if (found.status().IsNotFound()) {
      if (!statement.missing_ok) return NoSuchRole(name);
      context.sink->Notice({.message = "role \"" + name + "\" does not exist, skipping"});
      continue;
    }
    PLEXUS_RETURN_IF_ERROR(found.status());
    if (name == actor.name && !name.empty()) {
      return SqlError(kObjectInUse, "current user cannot be dropped");
    }
    if ((*found)->oid == catalog::kBootstrapRoleOid) {
      return SqlError(sql::kDependentObjectsStillExist,
                      "cannot drop role " + name + " because it is required by the database system");
    }
    if ((*found)->superuser && !actor.superuser) {
      return SqlError(kInsufficientPrivilege, "must be superuser to drop superusers");
    }
    PLEXUS_RETURN_IF_ERROR(CheckRoleDroppable(**found, context));
    PLEXUS_RETURN_IF_ERROR(catalog::DropRole(*context.transaction, name));
    PLEXUS_RETURN_IF_ERROR(ForgetMemberships((*found)->oid, context));
  }
  return context.sink->Complete("DROP ROLE");
}

}  // namespace plexus::session
