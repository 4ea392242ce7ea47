// Rows of the pg_catalog relations that do not depend on user objects: types, access methods,
// the database, roles, settings, tablespaces, collations, extensions, languages.
#include <algorithm>

#include "plexus/catalog/extensions.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/name_lookup.h"
#include "plexus/sql/system/row_generators.h"
#include "plexus/sql/system/row_values.h"
#include "plexus/sql/system/session_info.h"
#include "plexus/sql/system/type_rows.h"

namespace plexus::sql::system {

Status NoRows(CatalogSnapshot&, std::vector<SystemRow>*) { return Status::Ok(); }

namespace {

// typalign: by the fixed length (variable-length types align to int).
char Alignment(int16_t length) {
  return length == 8 ? 'd' : length == 2 ? 's' : length == 1 ? 'c' : 'i';
}

}  // namespace

Status PgTypeRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  for (const PgTypeInfo& type : PgTypes()) {
    rows->push_back({OidValue(type.oid), NameValue(type.name), OidValue(kPgCatalogNamespaceOid),
                     OidValue(kBootstrapUserOid), Int16Value(type.length), BoolValue(type.by_value),
                     CharValue(type.type), CharValue(type.category), BoolValue(type.preferred),
                     BoolValue(true), CharValue(','), OidValue(0), OidValue(0),
                     OidValue(type.element), OidValue(type.array), OidValue(0), OidValue(0),
                     OidValue(0), OidValue(0), OidValue(0), OidValue(0), OidValue(0),
                     CharValue(Alignment(type.length)),
                     CharValue(type.oid == 1700 ? 'm' : type.length > 0 ? 'p' : 'x'),
                     BoolValue(false), OidValue(0),
                     Int32Value(-1), Int32Value(0), OidValue(type.collation),
                     NullValue(TextType()), NullValue(TextType()), NullValue(TextArrayType())});
  }
  return Status::Ok();
}

Status PgAmRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  struct Am { int64_t oid; std::string_view name; char type; };
  for (const Am& am : {Am{2, "heap", 't'}, Am{403, "btree", 'i'}, Am{405, "hash", 'i'},
                       Am{783, "gist", 'i'}, Am{2742, "gin", 'i'}, Am{4000, "spgist", 'i'},
                       Am{3580, "brin", 'i'}}) {
    rows->push_back({OidValue(am.oid), NameValue(am.name), OidValue(0), CharValue(am.type)});
  }
  return Status::Ok();
}

Status PgDatabaseRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  rows->push_back({OidValue(kDatabaseOid), NameValue(CurrentDatabase()),
                   OidValue(kBootstrapUserOid), Int32Value(6), CharValue('c'), BoolValue(false),
                   BoolValue(true), Int32Value(-1), Int64Value(0), Int64Value(0),
                   OidValue(1663), TextValue("C.UTF-8"), TextValue("C.UTF-8"),
                   NullValue(TextType()), NullValue(TextType()), NullValue(TextArrayType())});
  return Status::Ok();
}

namespace {

catalog::Type TimestampTzType() { return catalog::Type::Of(catalog::TypeId::kTimestampTz); }

Value ValidUntil(const catalog::RoleDef& role) {
  return role.has_valid_until ? Value::Integer(TimestampTzType(), role.valid_until_us)
                              : NullValue(TimestampTzType());
}

}  // namespace

// pg_roles (and pg_authid, whose password column shows the same mask: verifiers stay inside).
Status PgRolesRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
  for (const auto& role : *roles) {
    rows->push_back({NameValue(role->name), BoolValue(role->superuser), BoolValue(role->inherit),
                     BoolValue(role->create_role), BoolValue(role->create_db),
                     BoolValue(role->can_login), BoolValue(role->replication),
                     Int32Value(role->connection_limit), TextValue("********"),
                     ValidUntil(*role), BoolValue(role->bypass_rls), NullValue(TextArrayType()),
                     OidValue(role->oid)});
  }
  for (const PredefinedRole& role : PredefinedRoles()) {
    rows->push_back({NameValue(role.name), BoolValue(false), BoolValue(true), BoolValue(false),
                     BoolValue(false), BoolValue(false), BoolValue(false), Int32Value(-1),
                     TextValue("********"), NullValue(TimestampTzType()), BoolValue(false),
                     NullValue(TextArrayType()), OidValue(role.oid)});
  }
  return Status::Ok();
}

Status PgUserRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
  for (const auto& role : *roles) {
    if (!role->can_login) continue;
    rows->push_back({NameValue(role->name), OidValue(role->oid), BoolValue(role->create_db),
                     BoolValue(role->superuser), BoolValue(role->replication),
                     BoolValue(role->bypass_rls), TextValue("********"), ValidUntil(*role),
                     NullValue(TextArrayType())});
  }
  return Status::Ok();
}

// GRANT role TO member: one row per membership (kept on the member's definition), each
// member's in the order of the granted roles' OIDs — the order psql's \du "Member of" shows
// from PostgreSQL, whose plan reads the roles in creation order.
Status PgAuthMembersRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
  for (const auto& role : *roles) {
    std::vector<catalog::RoleMembership> memberships = role->member_of;
    std::sort(memberships.begin(), memberships.end(),
              [](const catalog::RoleMembership& a, const catalog::RoleMembership& b) {
                return a.role < b.role;
              });
    for (const catalog::RoleMembership& membership : memberships) {
      rows->push_back({OidValue(membership.role), OidValue(role->oid),
                       OidValue(membership.grantor), BoolValue(membership.admin_option)});
    }
  }
  return Status::Ok();
}

Status PgSettingsRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  const SessionInfo* info = CurrentSessionInfo();
  if (info == nullptr) return Status::Ok();
  for (const SettingRow& setting : info->settings()) {
    rows->push_back({TextValue(setting.name), TextValue(setting.value), NullValue(TextType()),
                     TextValue("Ungrouped"), TextValue(setting.description),
                     NullValue(TextType()), TextValue("user"), TextValue("string"),
                     TextValue("default"), NullValue(TextType()), NullValue(TextType()),
                     NullValue(TextArrayType()), TextValue(setting.value),
                     TextValue(setting.value), NullValue(TextType()),
                     NullValue(Int32Type()), BoolValue(false)});
  }
  return Status::Ok();
}

Status PgTablespaceRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  for (auto [oid, name] : {std::pair<int64_t, std::string_view>{1663, "pg_default"},
                           std::pair<int64_t, std::string_view>{1664, "pg_global"}}) {
    rows->push_back({OidValue(oid), NameValue(name), OidValue(kBootstrapUserOid),
                     NullValue(TextArrayType()), NullValue(TextArrayType())});
  }
  return Status::Ok();
}

Status PgCollationRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  struct Collation { int64_t oid; std::string_view name; char provider; int32_t encoding;
                     std::string_view locale; };
  for (const Collation& c : {Collation{100, "default", 'd', -1, ""},
                             Collation{950, "C", 'c', -1, "C"},
                             Collation{951, "POSIX", 'c', -1, "POSIX"}}) {
    rows->push_back({OidValue(c.oid), NameValue(c.name), OidValue(kPgCatalogNamespaceOid),
                     OidValue(kBootstrapUserOid), CharValue(c.provider), BoolValue(true),
                     Int32Value(c.encoding),
                     c.locale.empty() ? NullValue(TextType()) : TextValue(c.locale),
                     c.locale.empty() ? NullValue(TextType()) : TextValue(c.locale),
                     NullValue(TextType()), NullValue(TextType())});
  }
  return Status::Ok();
}

Status PgExtensionRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows) {
  PLEXUS_ASSIGN_OR_RETURN(const std::vector<catalog::InstalledExtension> installed,
                          catalog::ListInstalledExtensions(snapshot.transaction()));
  for (const catalog::InstalledExtension& e : installed) {
    rows->push_back({OidValue(e.extension->oid), NameValue(e.extension->name),
                     OidValue(kBootstrapUserOid), OidValue(NamespaceOid(e.schema)),
                     BoolValue(!e.extension->built_in), TextValue(e.extension->version),
                     NullValue(OidArrayType()), NullValue(TextArrayType())});
  }
  return Status::Ok();
}

Status PgLanguageRows(CatalogSnapshot&, std::vector<SystemRow>* rows) {
  struct Language { int64_t oid; std::string_view name; bool pl; };
  for (const Language& l : {Language{12, "internal", false}, Language{13, "c", false},
                            Language{14, "sql", false}, Language{13002, "plpgsql", true}}) {
    rows->push_back({OidValue(l.oid), NameValue(l.name), OidValue(kBootstrapUserOid),
                     BoolValue(l.pl), BoolValue(l.pl || l.oid == 14), OidValue(0), OidValue(0),
                     OidValue(0), NullValue(TextArrayType())});
  }
  return Status::Ok();
}


}  // namespace plexus::sql::system
