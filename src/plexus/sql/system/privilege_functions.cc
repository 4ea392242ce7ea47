// has_table_privilege, has_sequence_privilege, has_schema_privilege and pg_has_role over the
// owners and ACLs of the catalog (access_control.h): a privilege list ("SELECT, INSERT") is true
// when any is held; a missing OID is NULL, a missing name an error, as in PostgreSQL.
#include <algorithm>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/access_control.h"
#include "plexus/sql/system/catalog_functions.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/function_support.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/system/system_relations.h"

namespace plexus::sql::system {

namespace {

enum class ObjectKind { kTable, kSequence, kSchema };

bool IsOid(const Vector& vector) { return vector.physical() == PhysicalType::kInt64; }

// An object's privileges, or none when the catalog's own (everyone may read those).
struct Found {
  bool exists = false;
  bool system = false;
  catalog::Privileges privileges;
  uint32_t all = catalog::kTablePrivilegesAll;
};

// "a.b" / "\"A\".b" into its parts, unquoted (unquoted parts fold to lower case).
std::vector<std::string> NameParts(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (ch == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += quoted ? ch : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return parts;
}

Result<Found> RelationByName(CatalogSnapshot& snapshot, std::string_view text, ObjectKind kind) {
  std::vector<std::string> parts = NameParts(text);
  const std::string name = parts.back();
  std::vector<std::string> schemas;
  if (parts.size() >= 2) {
    schemas.push_back(parts[parts.size() - 2]);
  } else {
    schemas.push_back("pg_catalog");
    for (const std::string& schema : SearchPathSchemas()) schemas.push_back(schema);
  }
  for (const std::string& schema : schemas) {
    if (FindSystemRelation(schema, name) != nullptr) return Found{true, true, {}, 0};
    if (kind == ObjectKind::kTable) {
      auto table = snapshot.catalog().FindTable(snapshot.transaction(), schema, name);
      if (table.ok()) return Found{true, false, (*table)->privileges, catalog::kTablePrivilegesAll};
      if (!table.status().IsNotFound()) return table.status();
    }
    auto sequence = snapshot.catalog().FindSequence(snapshot.transaction(), schema, name);
    if (sequence.ok()) {
      return Found{true, false, (*sequence)->privileges, catalog::kSequencePrivilegesAll};
    }
    if (!sequence.status().IsNotFound()) return sequence.status();
    if (kind == ObjectKind::kTable) {
      auto view = snapshot.catalog().FindView(snapshot.transaction(), schema, name);
      if (view.ok()) return Found{true, false, (*view)->privileges, catalog::kTablePrivilegesAll};
      if (!view.status().IsNotFound()) return view.status();
    }
  }
  return SqlError(kUndefinedTable, "relation \"" + std::string(text) + "\" does not exist");
}

Result<Found> RelationPrivilegesByOid(CatalogSnapshot& snapshot, int64_t oid) {
  for (const SystemRelation& relation : SystemRelations()) {
    if (relation.oid == oid) return Found{true, true, {}, 0};
  }
  PLEXUS_ASSIGN_OR_RETURN(const catalog::TableDef* table, snapshot.TableByOid(oid));
  if (table != nullptr) return Found{true, false, table->privileges, catalog::kTablePrivilegesAll};
  PLEXUS_ASSIGN_OR_RETURN(auto sequences, snapshot.Sequences());
  for (const auto& sequence : *sequences) {
    if (sequence->id == oid) {
      return Found{true, false, sequence->privileges, catalog::kSequencePrivilegesAll};
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(auto views, snapshot.Views());
  for (const ViewInfo& view : *views) {
    if (ViewOid(view.schema, view.name) == oid) {
      return Found{true, false, view.privileges, catalog::kTablePrivilegesAll};
    }
  }
  return Found{};
}

Result<Found> SchemaObject(CatalogSnapshot& snapshot, const Vector& vector, size_t row) {
  std::string schema;
  if (IsOid(vector)) {
    PLEXUS_ASSIGN_OR_RETURN(std::optional<std::string> name,
                            snapshot.SchemaByOid(IntegerArgument(vector, row)));
    if (!name) return Found{};
    schema = std::move(*name);
  } else {
    schema = NameParts(TextArgument(vector, row)).back();
    PLEXUS_ASSIGN_OR_RETURN(bool exists,
                            snapshot.catalog().SchemaExists(snapshot.transaction(), schema));
    if (!exists) {
      return SqlError(kInvalidSchemaName, "schema \"" + schema + "\" does not exist");
    }
  }
  PLEXUS_ASSIGN_OR_RETURN(catalog::Privileges privileges,
                          catalog::SchemaPrivileges(snapshot.transaction(), schema));
  return Found{true, false, std::move(privileges), catalog::kSchemaPrivilegesAll};
}

Result<Actor> UserArgument(CatalogSnapshot& snapshot, const Vector& vector, size_t row,
                           bool* missing) {
  PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
  if (IsOid(vector)) {
    const int64_t oid = IntegerArgument(vector, row);
    for (const auto& role : *roles) {
      if (role->oid == oid) return ActorOf(snapshot.transaction(), *role);
    }
    *missing = true;
    return Actor{};
  }
  const std::string_view name = TextArgument(vector, row);
  if (name == "public") {
    Actor everyone;
    everyone.unrestricted = false;
    everyone.oid = catalog::kPublicGrantee;
    return everyone;
  }
  for (const auto& role : *roles) {
    if (role->name == name) return ActorOf(snapshot.transaction(), *role);
  }
  return SqlError(kUndefinedObject, "role \"" + std::string(name) + "\" does not exist");
}

// The privileges a comma-separated list names; 22023 for an unknown one.
Result<uint32_t> PrivilegeList(std::string_view text, uint32_t all) {
  uint32_t wanted = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(start, end - start);
    const uint32_t bit = PrivilegeBit(item, all);
    if (bit == 0) {
      std::string trimmed(item);
      while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(trimmed.begin());
      while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
      return SqlError(kInvalidParameterValue, "unrecognized privilege type: \"" + trimmed + "\"");
    }
    wanted |= bit;
    start = end + 1;
  }
  return wanted;
}

template <ObjectKind kind, bool with_user>
Status HasPrivilegeKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                          Vector* out, ExecContext& context) {
  BindScope scope(&context.transaction(), &context.catalog());  // search_path lookups
  CatalogSnapshot snapshot(&context.transaction(), &context.catalog());
  const Vector& object = *args[with_user ? 1 : 0];
  const Vector& privilege = *args[with_user ? 2 : 1];
  return ForEachInteger(rows, active, out, [&](size_t row) -> Result<OptionalInteger> {
    if ((with_user && args[0]->IsNull(row)) || object.IsNull(row) || privilege.IsNull(row)) {
      return OptionalInteger();
    }
    bool missing = false;
    Actor actor;
    if (with_user) {
      PLEXUS_ASSIGN_OR_RETURN(actor, UserArgument(snapshot, *args[0], row, &missing));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(actor, SessionActor(context.transaction()));
    }
    Found found;
    if (kind == ObjectKind::kSchema) {
      PLEXUS_ASSIGN_OR_RETURN(found, SchemaObject(snapshot, object, row));
    } else if (IsOid(object)) {
      PLEXUS_ASSIGN_OR_RETURN(found,
                              RelationPrivilegesByOid(snapshot, IntegerArgument(object, row)));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(found, RelationByName(snapshot, TextArgument(object, row), kind));
    }
    const uint32_t all = kind == ObjectKind::kSchema     ? catalog::kSchemaPrivilegesAll
                         : kind == ObjectKind::kSequence ? catalog::kSequencePrivilegesAll
                                                         : catalog::kTablePrivilegesAll;
    PLEXUS_ASSIGN_OR_RETURN(uint32_t wanted, PrivilegeList(TextArgument(privilege, row), all));
    if (missing || !found.exists) return OptionalInteger();
    if (found.system) return OptionalInteger((wanted & catalog::kPrivilegeSelect) != 0);
    if (kind == ObjectKind::kSequence && found.all != catalog::kSequencePrivilegesAll) {
      return SqlError(kWrongObjectType, "\"" + std::string(TextArgument(object, row)) +
                                            "\" is not a sequence");
    }
    // Any of the listed privileges will do; the owner of an object also passes ALL checks only
    // through its ACL (it may have revoked its own rights).
    if (actor.unrestricted) return OptionalInteger(1);
    const uint32_t held = catalog::HeldPrivileges(found.privileges, found.all, actor.roles);
    return OptionalInteger((held & wanted) != 0);
  });
}

// pg_has_role([user,] role, 'MEMBER' | 'USAGE'): whether the user has the role's privileges.
template <bool with_user>
Status HasRoleKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                     ExecContext& context) {
  CatalogSnapshot snapshot(&context.transaction(), &context.catalog());
  const Vector& role_argument = *args[with_user ? 1 : 0];
  return ForEachInteger(rows, active, out, [&](size_t row) -> Result<OptionalInteger> {
    bool missing = false;
    Actor actor;
    if (with_user) {
      PLEXUS_ASSIGN_OR_RETURN(actor, UserArgument(snapshot, *args[0], row, &missing));
    } else {
      PLEXUS_ASSIGN_OR_RETURN(actor, SessionActor(context.transaction()));
    }
    PLEXUS_ASSIGN_OR_RETURN(Actor role, UserArgument(snapshot, role_argument, row, &missing));
    if (missing) return OptionalInteger();
    if (actor.unrestricted) return OptionalInteger(1);
    return OptionalInteger(std::find(actor.roles.begin(), actor.roles.end(), role.oid) !=
                           actor.roles.end());
  });
}

void AddPrivilegeFunction(FunctionRegistry& registry, std::string_view name,
                          std::vector<Type> arguments, ScalarKernel kernel) {
  ScalarFunction function{std::string(name), std::move(arguments), Bool(), kernel};
  function.volatile_ = true;  // depends on the session and the catalog
  registry.Add(std::move(function));
}

template <ObjectKind kind>
void AddHasPrivilege(FunctionRegistry& registry, std::string_view name) {
  for (const Type& object : {Text(), Oid()}) {
    AddPrivilegeFunction(registry, name, {object, Text()}, HasPrivilegeKernel<kind, false>);
    AddPrivilegeFunction(registry, name, {Text(), object, Text()}, HasPrivilegeKernel<kind, true>);
    AddPrivilegeFunction(registry, name, {Oid(), object, Text()}, HasPrivilegeKernel<kind, true>);
  }
}

}  // namespace

void RegisterPrivilegeFunctions(FunctionRegistry& registry) {
  AddHasPrivilege<ObjectKind::kTable>(registry, "has_table_privilege");
  AddHasPrivilege<ObjectKind::kSequence>(registry, "has_sequence_privilege");
  AddHasPrivilege<ObjectKind::kSchema>(registry, "has_schema_privilege");
  AddPrivilegeFunction(registry, "pg_has_role", {Text(), Text()}, HasRoleKernel<false>);
  AddPrivilegeFunction(registry, "pg_has_role", {Oid(), Text()}, HasRoleKernel<false>);
  AddPrivilegeFunction(registry, "pg_has_role", {Text(), Text(), Text()}, HasRoleKernel<true>);
  AddPrivilegeFunction(registry, "pg_has_role", {Oid(), Oid(), Text()}, HasRoleKernel<true>);
}

}  // namespace plexus::sql::system
