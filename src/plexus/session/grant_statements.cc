// GRANT/REVOKE and OWNER TO with PostgreSQL 15's rules (catalog/aclchk.c, commands/user.c): an
// owner or superuser grants as the owner; anyone else grants what they hold WITH GRANT OPTION,
// as themselves.
#include "plexus/session/grant_statements.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "plexus/catalog/catalog.h"
#include "plexus/catalog/roles.h"
#include "plexus/session/session.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/access_control.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/session_info.h"

namespace plexus::session {

namespace {

using catalog::Privileges;
using sql::SqlError;
namespace system = sql::system;

// One object a GRANT names: its kind's name and privileges, and how to store new ones.
struct GrantTarget {
  std::string kind;  // "table", "sequence", "schema"
  std::string name;
  uint32_t all = 0;
  Privileges privileges;
  std::function<Status(const Privileges&)> store;
};

std::string_view KindName(PgQuery__ObjectType type) {
  switch (type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: return "table";
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return "sequence";
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: return "schema";
    default: return "";
  }
}

uint32_t AllOf(PgQuery__ObjectType type) {
  switch (type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: return catalog::kTablePrivilegesAll;
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return catalog::kSequencePrivilegesAll;
    default: return catalog::kSchemaPrivilegesAll;
  }
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return upper;
}

Status RoleDoesNotExist(std::string_view name) {
  return SqlError(sql::kUndefinedObject, "role \"" + std::string(name) + "\" does not exist");
}

Result<catalog::RoleDefPtr> RoleNamed(std::string_view name, RoleStatementContext& context) {
  auto role = catalog::FindRole(*context.transaction, name);
  if (role.status().IsNotFound()) return RoleDoesNotExist(name);
  return role;
}

// A RoleSpec's OID: PUBLIC is kPublicGrantee; CURRENT_USER and friends the session's role.
Result<uint32_t> RoleSpecOid(const PgQuery__Node* node, RoleStatementContext& context) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC) {
    return SqlError(sql::kSyntaxError, "role name expected");
  }
  const PgQuery__RoleSpec& spec = *node->role_spec;
  if (spec.roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC) return catalog::kPublicGrantee;
  std::string name = spec.rolename ? spec.rolename : "";
  if (spec.roletype != PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING) {
    name = std::string(context.session_user);
    if (name.empty()) return catalog::kBootstrapOwnerOid;
  }
  PLEXUS_ASSIGN_OR_RETURN(catalog::RoleDefPtr role, RoleNamed(name, context));
  return role->oid;
}

// The privilege bits a GRANT lists (none listed: ALL), checked against the object kind.
Result<uint32_t> ListedPrivileges(const PgQuery__GrantStmt& statement) {
  const uint32_t all = AllOf(statement.objtype);
  if (statement.n_privileges == 0) return all;
  uint32_t rights = 0;
  for (size_t i = 0; i < statement.n_privileges; ++i) {
    const PgQuery__Node* node = statement.privileges[i];
    if (node->node_case != PG_QUERY__NODE__NODE_ACCESS_PRIV) continue;
    const PgQuery__AccessPriv& privilege = *node->access_priv;
    const std::string name = privilege.priv_name ? privilege.priv_name : "";
    if (privilege.n_cols > 0) {
      return SqlError(sql::kFeatureNotSupported, "column privileges are not supported yet");
    }
    const uint32_t bit = system::PrivilegeBit(name, all);
    if (bit == 0) {
      return SqlError(system::kInvalidGrantOperation, "invalid privilege type " + Upper(name) +
                                                          " for " +
                                                          std::string(KindName(statement.objtype)));
    }
    rights |= bit;
  }
  return rights;
}

Result<std::string> SchemaOfRange(const PgQuery__RangeVar& range) {
  if (range.schemaname != nullptr && range.schemaname[0] != '\0') return std::string(range.schemaname);
  return system::ExistingSchemaOf(range.relname);
}

Status RelationDoesNotExist(std::string_view name) {
  return SqlError(sql::kUndefinedTable, "relation \"" + std::string(name) + "\" does not exist");
}

GrantTarget TableTarget(const catalog::TableDef& table, RoleStatementContext& context) {
  return GrantTarget{"table", table.name, catalog::kTablePrivilegesAll, table.privileges,
                     [&context, table](const Privileges& privileges) {
                       catalog::TableDef updated = table;
                       updated.privileges = privileges;
                       return context.catalog->UpdateTable(*context.transaction, updated);
                     }};
}

GrantTarget SequenceTarget(const catalog::SequenceDef& sequence, RoleStatementContext& context) {
  return GrantTarget{"sequence", sequence.name, catalog::kSequencePrivilegesAll,
                     sequence.privileges, [&context, sequence](const Privileges& privileges) {
                       catalog::SequenceDef updated = sequence;
                       updated.privileges = privileges;
                       return context.catalog->UpdateSequence(*context.transaction, updated);
                     }};
}

GrantTarget ViewTarget(const catalog::ViewDef& view, RoleStatementContext& context) {
  return GrantTarget{"view", view.name, catalog::kTablePrivilegesAll, view.privileges,
                     [&context, view](const Privileges& privileges) {
                       catalog::ViewDef updated = view;
                       updated.privileges = privileges;
                       // Views are stored whole: replaced within the transaction.
                       PLEXUS_RETURN_IF_ERROR(
                           context.catalog->DropView(*context.transaction, view));
                       return context.catalog->CreateView(*context.transaction, updated);
                     }};
}

Result<GrantTarget> SchemaTarget(const std::string& schema, RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(bool exists, context.catalog->SchemaExists(*context.transaction, schema));
  if (!exists) {
    return SqlError(sql::kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
  }
  PLEXUS_ASSIGN_OR_RETURN(Privileges privileges,
                          catalog::SchemaPrivileges(*context.transaction, schema));
  txn::Transaction* transaction = context.transaction;
  return GrantTarget{"schema", schema, catalog::kSchemaPrivilegesAll, privileges,
                     [transaction, schema](const Privileges& updated) {
                       return catalog::SetSchemaPrivileges(*transaction, schema, updated);
                     }};
}

// The objects a GRANT names (ON t, ON SCHEMA s, ON ALL TABLES IN SCHEMA s).
Result<std::vector<GrantTarget>> GrantTargets(const PgQuery__GrantStmt& statement,
                                              RoleStatementContext& context) {
  std::vector<GrantTarget> targets;
  catalog::Catalog& catalog = *context.catalog;
  txn::Transaction& transaction = *context.transaction;
  const bool sequences = statement.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE;
  for (size_t i = 0; i < statement.n_objects; ++i) {
    const PgQuery__Node* node = statement.objects[i];
    if (statement.targtype == PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_ALL_IN_SCHEMA ||
        statement.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) {
      if (node->node_case != PG_QUERY__NODE__NODE_STRING) continue;
      const std::string schema = node->string->sval ? node->string->sval : "";
      PLEXUS_ASSIGN_OR_RETURN(GrantTarget target, SchemaTarget(schema, context));
      if (statement.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) {
        targets.push_back(std::move(target));
        continue;
      }
      if (sequences) {
        PLEXUS_ASSIGN_OR_RETURN(auto all, catalog.ListSequences(transaction));
        for (const auto& sequence : all) {
          if (sequence->schema == schema) targets.push_back(SequenceTarget(*sequence, context));
        }
      } else {
        PLEXUS_ASSIGN_OR_RETURN(auto all, catalog.ListTables(transaction));
        for (const auto& table : all) {
          if (table->schema == schema) targets.push_back(TableTarget(*table, context));
        }
        sql::system::CatalogSnapshot snapshot(&transaction, &catalog);
        PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
        for (const auto& info : *views) {
          if (info.schema != schema) continue;
          PLEXUS_ASSIGN_OR_RETURN(auto view, catalog.FindView(transaction, schema, info.name));
          targets.push_back(ViewTarget(*view, context));
        }
      }
      continue;
    }
    if (node->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) continue;
    const PgQuery__RangeVar& range = *node->range_var;
    PLEXUS_ASSIGN_OR_RETURN(std::string schema, SchemaOfRange(range));
    if (!sequences) {
      auto table = catalog.FindTable(transaction, schema, range.relname);
      if (table.ok()) {
        targets.push_back(TableTarget(**table, context));
        continue;
      }
      if (!table.status().IsNotFound()) return table.status();
    }
    auto sequence = catalog.FindSequence(transaction, schema, range.relname);
    if (sequence.ok()) {
      targets.push_back(SequenceTarget(**sequence, context));
      continue;
    }
    if (!sequence.status().IsNotFound()) return sequence.status();
    if (!sequences) {
      auto view = catalog.FindView(transaction, schema, range.relname);
      if (view.ok()) {
        targets.push_back(ViewTarget(**view, context));
        continue;
      }
      if (!view.status().IsNotFound()) return view.status();
    }
    return RelationDoesNotExist(range.relname);
  }
  return targets;
}

}  // namespace

Status ExecuteGrant(const PgQuery__GrantStmt& statement, RoleStatementContext& context) {
  const std::string_view tag = statement.is_grant ? "GRANT" : "REVOKE";
  if (KindName(statement.objtype).empty() ||
      statement.targtype == PG_QUERY__GRANT_TARGET_TYPE__ACL_TARGET_DEFAULTS) {
    return SqlError(sql::kFeatureNotSupported,
                    std::string(tag) + " on this kind of object is not supported yet");
  }
  sql::system::BindScope scope(context.transaction, context.catalog);  // search_path lookups
  PLEXUS_ASSIGN_OR_RETURN(uint32_t rights, ListedPrivileges(statement));
  std::vector<uint32_t> grantees;
  for (size_t i = 0; i < statement.n_grantees; ++i) {
    PLEXUS_ASSIGN_OR_RETURN(uint32_t grantee, RoleSpecOid(statement.grantees[i], context));
    grantees.push_back(grantee);
  }
  PLEXUS_ASSIGN_OR_RETURN(std::vector<GrantTarget> targets, GrantTargets(statement, context));
  PLEXUS_ASSIGN_OR_RETURN(system::Actor actor, system::SessionActor(*context.transaction));
  for (GrantTarget& target : targets) {
    // The owner (or a superuser) grants as the owner; others grant what they may pass on.
    uint32_t grantor = target.privileges.owner;
    uint32_t may_grant = target.all;
    if (!system::Owns(actor, target.privileges)) {
      grantor = actor.oid;
      uint32_t held = 0;
      uint32_t grant_options = 0;
      for (const catalog::AclItem& item : catalog::EffectiveAcl(target.privileges, target.all)) {
        if (item.grantee != catalog::kPublicGrantee &&
            std::find(actor.roles.begin(), actor.roles.end(), item.grantee) == actor.roles.end()) {
          continue;
        }
        held |= item.privileges;
        grant_options |= item.grant_options;
      }
      if (held == 0) return system::PermissionDenied(target.kind, target.name);
      may_grant = grant_options;
      if ((rights & may_grant) == 0) {
        context.sink->Notice({NoticeSeverity::kWarning, statement.is_grant ? "01007" : "01006",
                              std::string("no privileges were ") +
                                  (statement.is_grant ? "granted" : "revoked") + " for \"" +
                                  target.name + "\""});
        continue;
      }
    }
    Privileges updated = target.privileges;
    for (uint32_t grantee : grantees) {
      if (statement.is_grant) {
        catalog::GrantPrivileges(&updated, target.all, grantee, grantor, rights & may_grant,
                                 statement.grant_option);
      } else {
        catalog::RevokePrivileges(&updated, target.all, grantee, rights & may_grant,
                                  statement.grant_option);
      }
    }
    if (updated != target.privileges) PLEXUS_RETURN_IF_ERROR(target.store(updated));
  }
  return context.sink->Complete(tag);
}

Status ExecuteGrantRole(const PgQuery__GrantRoleStmt& statement, RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(system::Actor actor, system::SessionActor(*context.transaction));
  PLEXUS_ASSIGN_OR_RETURN(std::vector<catalog::RoleDefPtr> roles,
                          catalog::ListRoles(*context.transaction));
  bool create_role = actor.unrestricted;
  for (const auto& role : roles) {
    if (role->oid == actor.oid && role->create_role) create_role = true;
  }
  for (size_t i = 0; i < statement.n_granted_roles; ++i) {
    const PgQuery__Node* node = statement.granted_roles[i];
    if (node->node_case != PG_QUERY__NODE__NODE_ACCESS_PRIV) continue;
    const std::string granted_name = node->access_priv->priv_name ? node->access_priv->priv_name : "";
    PLEXUS_ASSIGN_OR_RETURN(catalog::RoleDefPtr granted, RoleNamed(granted_name, context));
    if (granted->superuser && !actor.unrestricted) {
      return SqlError(system::kInsufficientPrivilege,
                      "must be superuser to alter superusers");
    }
    if (!create_role) {
      return SqlError(system::kInsufficientPrivilege,
                      "must have admin option on role \"" + granted_name + "\"");
    }
    for (size_t j = 0; j < statement.n_grantee_roles; ++j) {
      const PgQuery__Node* grantee_node = statement.grantee_roles[j];
      if (grantee_node->node_case != PG_QUERY__NODE__NODE_ROLE_SPEC) continue;
      const PgQuery__RoleSpec& spec = *grantee_node->role_spec;
      std::string member_name = spec.rolename ? spec.rolename : "";
      if (spec.roletype != PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_CSTRING) {
        member_name = std::string(context.session_user);
      }
      PLEXUS_ASSIGN_OR_RETURN(catalog::RoleDefPtr member_role, RoleNamed(member_name, context));
      catalog::RoleDef member = *member_role;
      auto existing = std::find_if(member.member_of.begin(), member.member_of.end(),
                                   [&](const catalog::RoleMembership& membership) {
                                     return membership.role == granted->oid;
                                   });
      if (!statement.is_grant) {
        if (existing == member.member_of.end()) {
          context.sink->Notice({NoticeSeverity::kWarning, "01000",
                                "role \"" + member.name + "\" is not a member of role \"" +
                                    granted->name + "\""});
          continue;
        }
        if (statement.admin_opt) {
          existing->admin_option = false;
        } else {
          member.member_of.erase(existing);
        }
        PLEXUS_RETURN_IF_ERROR(catalog::UpdateRole(*context.transaction, member.name, member));
        continue;
      }
      if (existing != member.member_of.end()) {
        if (!statement.admin_opt || existing->admin_option) {
          context.sink->Notice({.message = "role \"" + member.name +
                                           "\" is already a member of role \"" + granted->name +
                                           "\""});
          continue;
        }
        existing->admin_option = true;
        PLEXUS_RETURN_IF_ERROR(catalog::UpdateRole(*context.transaction, member.name, member));
        continue;
      }
      // A role cannot become a member of itself, directly or through others.
      PLEXUS_ASSIGN_OR_RETURN(system::Actor granted_actor,
                              system::ActorOf(*context.transaction, *granted));
      const bool loop = granted->oid == member.oid ||
                        std::find(granted_actor.roles.begin(), granted_actor.roles.end(),
                                  member.oid) != granted_actor.roles.end();
      if (loop) {
        return SqlError(system::kInvalidGrantOperation, "role \"" + granted->name +
                                                            "\" is a member of role \"" +
                                                            member.name + "\"");
      }
      member.member_of.push_back({granted->oid, actor.oid, statement.admin_opt != 0});
      PLEXUS_RETURN_IF_ERROR(catalog::UpdateRole(*context.transaction, member.name, member));
    }
  }
  return context.sink->Complete(statement.is_grant ? "GRANT ROLE" : "REVOKE ROLE");
}

namespace {

// PostgreSQL's aclnewowner: the old owner's entries (as grantee or grantor) become the new's.
Privileges WithNewOwner(const Privileges& privileges, uint32_t new_owner) {
  Privileges updated = privileges;
  if (updated.acl) {
    for (catalog::AclItem& item : *updated.acl) {
      if (item.grantee == privileges.owner) item.grantee = new_owner;
      if (item.grantor == privileges.owner) item.grantor = new_owner;
    }
  }
  updated.owner = new_owner;
  return updated;
}

// OWNER TO: a superuser, or the owner when a member of the new owner.
Status CheckOwnerChange(const system::Actor& actor, const Privileges& privileges,
                        uint32_t new_owner, std::string_view kind, std::string_view name,
                        std::string_view new_owner_name) {
  if (actor.unrestricted || privileges.owner == new_owner) return Status::Ok();
  if (!system::Owns(actor, privileges)) return system::MustBeOwner(kind, name);
  if (std::find(actor.roles.begin(), actor.roles.end(), new_owner) == actor.roles.end()) {
    return SqlError(system::kInsufficientPrivilege,
                    "must be able to SET ROLE \"" + std::string(new_owner_name) + "\"");
  }
  return Status::Ok();
}

}  // namespace

bool IsAlterTableOwner(const PgQuery__AlterTableStmt& statement) {
  return statement.n_cmds == 1 &&
         statement.cmds[0]->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD &&
         statement.cmds[0]->alter_table_cmd->subtype ==
             PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner;
}

Status ExecuteAlterTableOwner(const PgQuery__AlterTableStmt& statement,
                              RoleStatementContext& context) {
  sql::system::BindScope scope(context.transaction, context.catalog);  // search_path lookups
  const PgQuery__AlterTableCmd& command = *statement.cmds[0]->alter_table_cmd;
  if (command.newowner == nullptr ||
      command.newowner->roletype == PG_QUERY__ROLE_SPEC_TYPE__ROLESPEC_PUBLIC) {
    return RoleDoesNotExist("public");
  }
  PgQuery__Node spec_node = PG_QUERY__NODE__INIT;
  spec_node.node_case = PG_QUERY__NODE__NODE_ROLE_SPEC;
  spec_node.role_spec = command.newowner;
  PLEXUS_ASSIGN_OR_RETURN(uint32_t new_owner, RoleSpecOid(&spec_node, context));
  const std::string new_owner_name =
      command.newowner->rolename ? command.newowner->rolename : std::string(context.session_user);
  PLEXUS_ASSIGN_OR_RETURN(system::Actor actor, system::SessionActor(*context.transaction));
  const PgQuery__RangeVar& range = *statement.relation;
  PLEXUS_ASSIGN_OR_RETURN(std::string schema, SchemaOfRange(range));
  const bool sequence = statement.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE;
  auto view = context.catalog->FindView(*context.transaction, schema, range.relname);
  if (view.ok()) {
    PLEXUS_RETURN_IF_ERROR(CheckOwnerChange(actor, (*view)->privileges, new_owner, "view",
                                            range.relname, new_owner_name));
    GrantTarget target = ViewTarget(**view, context);
    PLEXUS_RETURN_IF_ERROR(target.store(WithNewOwner(target.privileges, new_owner)));
    return context.sink->Complete(statement.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW
                                      ? "ALTER VIEW"
                                      : "ALTER TABLE");
  }
  if (!view.status().IsNotFound()) return view.status();
  if (!sequence) {
    auto table = context.catalog->FindTable(*context.transaction, schema, range.relname);
    if (table.status().IsNotFound()) {
      if (statement.missing_ok) return context.sink->Complete("ALTER TABLE");
      return RelationDoesNotExist(range.relname);
    }
    PLEXUS_RETURN_IF_ERROR(table.status());
    PLEXUS_RETURN_IF_ERROR(CheckOwnerChange(actor, (*table)->privileges, new_owner, "table",
                                            range.relname, new_owner_name));
    catalog::TableDef updated = **table;
    updated.privileges = WithNewOwner(updated.privileges, new_owner);
    PLEXUS_RETURN_IF_ERROR(context.catalog->UpdateTable(*context.transaction, updated));
    return context.sink->Complete("ALTER TABLE");
  }
  auto found = context.catalog->FindSequence(*context.transaction, schema, range.relname);
  if (found.status().IsNotFound()) return RelationDoesNotExist(range.relname);
  PLEXUS_RETURN_IF_ERROR(found.status());
  PLEXUS_RETURN_IF_ERROR(CheckOwnerChange(actor, (*found)->privileges, new_owner, "sequence",
                                          range.relname, new_owner_name));
  catalog::SequenceDef updated = **found;
  updated.privileges = WithNewOwner(updated.privileges, new_owner);
  PLEXUS_RETURN_IF_ERROR(context.catalog->UpdateSequence(*context.transaction, updated));
  return context.sink->Complete("ALTER SEQUENCE");
}

Status ExecuteAlterOwner(const PgQuery__AlterOwnerStmt& statement, RoleStatementContext& context) {
  if (statement.object_type != PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA || statement.object == nullptr ||
      statement.object->node_case != PG_QUERY__NODE__NODE_STRING) {
    return SqlError(sql::kFeatureNotSupported, "ALTER ... OWNER TO of this object is not supported yet");
  }
  const std::string schema = statement.object->string->sval ? statement.object->string->sval : "";
  PgQuery__Node spec_node = PG_QUERY__NODE__INIT;
  spec_node.node_case = PG_QUERY__NODE__NODE_ROLE_SPEC;
  spec_node.role_spec = statement.newowner;
  PLEXUS_ASSIGN_OR_RETURN(uint32_t new_owner, RoleSpecOid(&spec_node, context));
  PLEXUS_ASSIGN_OR_RETURN(GrantTarget target, SchemaTarget(schema, context));
  PLEXUS_ASSIGN_OR_RETURN(system::Actor actor, system::SessionActor(*context.transaction));
  const std::string new_owner_name = statement.newowner && statement.newowner->rolename
                                         ? statement.newowner->rolename
                                         : std::string(context.session_user);
  PLEXUS_RETURN_IF_ERROR(CheckOwnerChange(actor, target.privileges, new_owner, "schema", schema,
                                          new_owner_name));
  PLEXUS_RETURN_IF_ERROR(target.store(WithNewOwner(target.privileges, new_owner)));
  return context.sink->Complete("ALTER SCHEMA");
}

Status CheckRoleDroppable(const catalog::RoleDef& role, RoleStatementContext& context) {
  std::vector<std::string> details;
  auto note = [&](const Privileges& privileges, std::string_view kind, std::string_view name) {
    if (privileges.owner == role.oid) details.push_back("owner of " + std::string(kind) + " " + std::string(name));
    if (!privileges.acl) return;
    for (const catalog::AclItem& item : *privileges.acl) {
      if (item.grantee == role.oid || item.grantor == role.oid) {
        details.push_back("privileges for " + std::string(kind) + " " + std::string(name));
        return;
      }
    }
  };
  PLEXUS_ASSIGN_OR_RETURN(auto tables, context.catalog->ListTables(*context.transaction));
  for (const auto& table : tables) note(table->privileges, "table", table->name);
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, context.catalog->ListSequences(*context.transaction));
  for (const auto& sequence : sequences) note(sequence->privileges, "sequence", sequence->name);
  sql::system::CatalogSnapshot snapshot(context.transaction, context.catalog);
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const auto& view : *views) note(view.privileges, "view", view.name);
  PLEXUS_ASSIGN_OR_RETURN(auto schemas, snapshot.Schemas());
  for (const std::string& schema : *schemas) {
    PLEXUS_ASSIGN_OR_RETURN(Privileges privileges,
                            catalog::SchemaPrivileges(*context.transaction, schema));
    note(privileges, "schema", schema);
  }
  if (details.empty()) return Status::Ok();
  Status status = SqlError(sql::kDependentObjectsStillExist,
                           "role \"" + role.name +
                               "\" cannot be dropped because some objects depend on it");
  std::string detail;
  for (const std::string& line : details) detail += (detail.empty() ? "" : "\n") + line;
  status.SetDetail(detail);
  return status;
}

Status ForgetMemberships(uint32_t role_oid, RoleStatementContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(auto roles, catalog::ListRoles(*context.transaction));
  for (const auto& role : roles) {
    catalog::RoleDef updated = *role;
    std::erase_if(updated.member_of, [&](const catalog::RoleMembership& membership) {
      return membership.role == role_oid;
    });
    if (updated.member_of.size() != role->member_of.size()) {
      PLEXUS_RETURN_IF_ERROR(catalog::UpdateRole(*context.transaction, updated.name, updated));
    }
  }
  return Status::Ok();
}

}  // namespace plexus::session
