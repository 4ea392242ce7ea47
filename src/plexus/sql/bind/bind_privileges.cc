// Privilege checks of a bound statement, as PostgreSQL makes them: SELECT on every table a
// query reads, INSERT/UPDATE/DELETE on a DML target (SELECT too when its WHERE, SET or
// RETURNING reads the target's columns), TRUNCATE, USAGE on the schemas of those tables,
// ownership for DDL on an existing object and CREATE on the schema of a new one. Checked once
// per binding: a prepared statement is bound again only when the catalog version changed, and
// every GRANT, REVOKE and role change bumps it. A new table or sequence is stamped with its
// owner here.
#include <algorithm>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/bind/binder.h"
#include "plexus/sql/bind/binder_internal.h"
#include "plexus/sql/plan/plan_walk.h"
#include "plexus/sql/system/access_control.h"
#include "plexus/sql/system/session_info.h"

namespace plexus::sql {

namespace {

using catalog::Privileges;

struct Checker {
  txn::Transaction& transaction;
  catalog::Catalog& catalog;
  const system::Actor& actor;
  std::vector<std::string> usable_schemas;

  Status Schema(std::string_view schema) {
    if (std::find(usable_schemas.begin(), usable_schemas.end(), schema) != usable_schemas.end()) {
      return Status::Ok();
    }
    PLEXUS_ASSIGN_OR_RETURN(Privileges privileges,
                            catalog::SchemaPrivileges(transaction, schema));
    if (!system::Holds(actor, privileges, catalog::kSchemaPrivilegesAll, catalog::kPrivilegeUsage)) {
      return system::PermissionDenied("schema", schema);
    }
    usable_schemas.emplace_back(schema);
    return Status::Ok();
  }

  Status Table(const catalog::TableDef& table, uint32_t wanted,
               std::string_view kind = "table") {
    PLEXUS_RETURN_IF_ERROR(Schema(table.schema));
    if (!system::Holds(actor, table.privileges, catalog::kTablePrivilegesAll, wanted)) {
      return system::PermissionDenied(kind, table.name);
    }
    return Status::Ok();
  }

  // A view (bind_select.cc marks its plan with a projection naming it): SELECT on the view, then
  // its tables with the rights of the view's owner, as PostgreSQL checks them.
  Status View(const PlanNode& node) {
    PLEXUS_RETURN_IF_ERROR(Table(*node.table, catalog::kPrivilegeSelect, "view"));
    PLEXUS_ASSIGN_OR_RETURN(std::vector<catalog::RoleDefPtr> roles,
                            catalog::ListRoles(transaction));
    system::Actor owner;  // no such role (the bootstrap owner of old definitions): unrestricted
    for (const auto& role : roles) {
      if (role->oid == node.table->privileges.owner) {
        PLEXUS_ASSIGN_OR_RETURN(owner, system::ActorOf(transaction, *role));
      }
    }
    if (owner.unrestricted) return Status::Ok();
    Checker inner{transaction, catalog, owner, {"pg_catalog", "information_schema"}};
    return inner.Plan(*node.children[0], nullptr);
  }

  // Every table `node` reads needs SELECT, except the scan `target_scan` of a DML statement's
  // own table (checked by its caller).
  Status Plan(const PlanNode& node, const PlanNode* target_scan) {
    if (node.kind == PlanKind::kProject && node.table) return View(node);
    if (node.kind == PlanKind::kTableScan && &node != target_scan && node.table) {
      PLEXUS_RETURN_IF_ERROR(Table(*node.table, catalog::kPrivilegeSelect));
    }
    return ForEachSubplan(node, [&](const PlanNode& subplan) { return Plan(subplan, target_scan); });
  }

  Status Dml(const PlanNode& node);
};

// The scan of the DML target's rows under an UPDATE or DELETE, and whether anything between
// it and the statement reads its columns (a filter, a key range, a join).
const PlanNode* TargetScan(const PlanNode& node, bool* filtered) {
  const PlanNode* current = &node;
  while (current->kind != PlanKind::kTableScan) {
    if (current->children.empty()) return nullptr;
    if (current->kind != PlanKind::kProject) *filtered = true;
    current = current->children[0].get();
  }
  if (!current->key_prefix.empty() || current->key_lower || current->key_upper) *filtered = true;
  return current;
}

bool ReadsColumns(const Expr* expr) {
  if (expr == nullptr) return false;
  if (expr->kind == ExprKind::kColumn || expr->kind == ExprKind::kSubquery) return true;
  return std::any_of(expr->args.begin(), expr->args.end(),
                     [](const ExprPtr& arg) { return ReadsColumns(arg.get()); });
}

Status Checker::Dml(const PlanNode& node) {
  const catalog::TableDef& table = *node.table;
  uint32_t wanted = node.kind == PlanKind::kInsert ? catalog::kPrivilegeInsert
                    : node.kind == PlanKind::kUpdate ? catalog::kPrivilegeUpdate
                                                     : catalog::kPrivilegeDelete;
  if (node.kind == PlanKind::kInsert && node.conflict_action == ConflictAction::kUpdate) {
    wanted |= catalog::kPrivilegeUpdate;
  }
  if (!node.returning.empty()) wanted |= catalog::kPrivilegeSelect;
  const PlanNode* target_scan = nullptr;
  if (node.kind != PlanKind::kInsert && !node.children.empty()) {
    bool filtered = false;
    target_scan = TargetScan(*node.children[0], &filtered);
    for (size_t i = 0; i < node.expressions.size(); ++i) {
      const bool set = i < node.column_map.size() && node.column_map[i] != 0;
      if (set && ReadsColumns(node.expressions[i].get())) filtered = true;
    }
    if (filtered) wanted |= catalog::kPrivilegeSelect;
  }
  PLEXUS_RETURN_IF_ERROR(Table(table, wanted));
  // Its input and its expressions' subqueries; the target scan (a pointer into the input) is
  // nowhere else.
  return ForEachSubplan(node, [&](const PlanNode& subplan) { return Plan(subplan, target_scan); });
}

Status CheckOwner(Checker& checker, txn::Transaction& transaction, catalog::Catalog& catalog,
                  const BoundStatement& bound) {
  const system::Actor& actor = checker.actor;
  for (const ObjectName& name : bound.objects) {
    switch (bound.kind) {
      case StatementKind::kDropTable:
      case StatementKind::kTruncate: {
        auto table = catalog.FindTable(transaction, name.schema, name.name);
        if (!table.ok()) continue;  // the statement reports what is missing
        if (bound.kind == StatementKind::kTruncate) {
          PLEXUS_RETURN_IF_ERROR(checker.Table(**table, catalog::kPrivilegeTruncate));
        } else if (!system::Owns(actor, (*table)->privileges)) {
          return system::MustBeOwner("table", name.name);
        }
        break;
      }
      case StatementKind::kDropView: {
        auto view = catalog.FindView(transaction, name.schema, name.name);
        if (view.ok() && !system::Owns(actor, (*view)->privileges)) {
          return system::MustBeOwner("view", name.name);
        }
        break;
      }
      case StatementKind::kDropSequence: {
        auto sequence = catalog.FindSequence(transaction, name.schema, name.name);
        if (sequence.ok() && !system::Owns(actor, (*sequence)->privileges)) {
          return system::MustBeOwner("sequence", name.name);
        }
        break;
      }
      case StatementKind::kDropIndex: {
        PLEXUS_ASSIGN_OR_RETURN(auto tables, catalog.ListTables(transaction));
        for (const auto& table : tables) {
          for (const catalog::IndexDef& index : table->indexes) {
            if (index.name == name.name && !system::Owns(actor, table->privileges)) {
              return system::MustBeOwner("index", name.name);
            }
          }
        }
        break;
      }
      case StatementKind::kDropSchema: {
        PLEXUS_ASSIGN_OR_RETURN(bool exists, catalog.SchemaExists(transaction, name.schema));
        if (!exists) continue;
        PLEXUS_ASSIGN_OR_RETURN(Privileges privileges,
                                catalog::SchemaPrivileges(transaction, name.schema));
        if (!system::Owns(actor, privileges)) return system::MustBeOwner("schema", name.schema);
        break;
      }
      default:
        break;
    }
  }
  return Status::Ok();
}

Status CheckCreateIn(Checker& checker, std::string_view schema) {
  PLEXUS_ASSIGN_OR_RETURN(Privileges privileges,
                          catalog::SchemaPrivileges(checker.transaction, schema));
  if (!system::Holds(checker.actor, privileges, catalog::kSchemaPrivilegesAll,
                     catalog::kPrivilegeCreate)) {
    return system::PermissionDenied("schema", schema);
  }
  return Status::Ok();
}

}  // namespace

Status CheckPrivileges(BoundStatement& bound, txn::Transaction& transaction,
                       catalog::Catalog& catalog) {
  PLEXUS_ASSIGN_OR_RETURN(system::Actor actor, system::SessionActor(transaction));
  // What a role creates, it owns; sequences that ALTER TABLE adds belong to the table's owner.
  const bool creates = bound.kind == StatementKind::kCreateTable ||
                       bound.kind == StatementKind::kCreateSequence ||
                       bound.kind == StatementKind::kCreateSchema ||
                       bound.kind == StatementKind::kCreateView;
  if (creates && actor.oid != catalog::kBootstrapOwnerOid) {
    bound.table.privileges.owner = actor.oid;
    bound.view.privileges.owner = actor.oid;
    for (catalog::SequenceDef& sequence : bound.sequences) sequence.privileges.owner = actor.oid;
  }
  if (bound.kind == StatementKind::kAlterTable) {
    for (catalog::SequenceDef& sequence : bound.sequences) {
      sequence.privileges.owner = bound.table.privileges.owner;
    }
  }
  if (actor.unrestricted) return Status::Ok();
  Checker checker{transaction, catalog, actor, {"pg_catalog", "information_schema"}};
  switch (bound.kind) {
    case StatementKind::kQuery:
      return bound.plan ? checker.Plan(*bound.plan, nullptr) : Status::Ok();
    case StatementKind::kDml:
      if (!bound.plan) return Status::Ok();
      if (bound.plan->table) return checker.Dml(*bound.plan);
      return checker.Plan(*bound.plan, nullptr);
    case StatementKind::kCreateTable:
      return CheckCreateIn(checker, bound.table.schema);
    case StatementKind::kCreateView:
      return CheckCreateIn(checker, bound.view.schema);
    case StatementKind::kCreateSequence:
      return bound.sequences.empty() ? Status::Ok()
                                     : CheckCreateIn(checker, bound.sequences[0].schema);
    case StatementKind::kCreateIndex:
      if (!system::Owns(actor, bound.table.privileges)) {
        return system::MustBeOwner("table", bound.table.name);
      }
      return Status::Ok();
    case StatementKind::kAlterTable:
      if (bound.altered && !system::Owns(actor, bound.altered->privileges)) {
        return system::MustBeOwner("table", bound.altered->name);
      }
      return Status::Ok();
    case StatementKind::kCreateSchema:
      return system::PermissionDenied("database", system::CurrentDatabase());
    default:
      return CheckOwner(checker, transaction, catalog, bound);
  }
}

}  // namespace plexus::sql
