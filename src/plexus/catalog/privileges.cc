// GRANT/REVOKE arithmetic over ACLs, as PostgreSQL's aclupdate does: an item per (grantee,
// grantor), new items appended, items left with no privileges removed.
#include "plexus/catalog/privileges.h"

#include <algorithm>

#include "plexus/catalog/privileges_json.h"
#include "plexus/catalog/table.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::catalog {

std::vector<AclItem> EffectiveAcl(const Privileges& privileges, uint32_t all) {
  if (privileges.acl) return *privileges.acl;
  return {AclItem{privileges.owner, privileges.owner, all, 0}};  // an owner needs no grant option
}

void GrantPrivileges(Privileges* privileges, uint32_t all, uint32_t grantee, uint32_t grantor,
                     uint32_t rights, bool with_grant_option) {
  std::vector<AclItem> acl = EffectiveAcl(*privileges, all);
  auto found = std::find_if(acl.begin(), acl.end(), [&](const AclItem& item) {
    return item.grantee == grantee && item.grantor == grantor;
  });
  if (found == acl.end()) {
    acl.push_back(AclItem{grantee, grantor, 0, 0});
    found = acl.end() - 1;
  }
  found->privileges |= rights;
  if (with_grant_option) found->grant_options |= rights;
  privileges->acl = std::move(acl);
}

void RevokePrivileges(Privileges* privileges, uint32_t all, uint32_t grantee, uint32_t rights,
                      bool grant_option_only) {
  std::vector<AclItem> acl = EffectiveAcl(*privileges, all);
  for (AclItem& item : acl) {
    if (item.grantee != grantee) continue;
    item.grant_options &= ~rights;
    if (!grant_option_only) item.privileges &= ~rights;
  }
  std::erase_if(acl, [](const AclItem& item) { return item.privileges == 0; });
  privileges->acl = std::move(acl);
}

uint32_t HeldPrivileges(const Privileges& privileges, uint32_t all,
                        const std::vector<uint32_t>& roles) {
  uint32_t held = 0;
  for (const AclItem& item : EffectiveAcl(privileges, all)) {
    if (item.grantee == kPublicGrantee ||
        std::find(roles.begin(), roles.end(), item.grantee) != roles.end()) {
      held |= item.privileges;
    }
  }
  return held;
}

std::string PrivilegeLetters(uint32_t privileges, uint32_t grant_options) {
  std::string letters;
  for (size_t bit = 0; bit < kPrivilegeLetters.size(); ++bit) {
    if ((privileges & (1u << bit)) == 0) continue;
    letters += kPrivilegeLetters[bit];
    if (grant_options & (1u << bit)) letters += '*';
  }
  return letters;
}

void PrivilegesToJson(const Privileges& privileges, nlohmann::json* json) {
  if (privileges.owner != kBootstrapOwnerOid) (*json)["owner"] = privileges.owner;
  if (!privileges.acl) return;
  nlohmann::json items = nlohmann::json::array();
  for (const AclItem& item : *privileges.acl) {
    items.push_back({item.grantee, item.grantor, item.privileges, item.grant_options});
  }
  (*json)["acl"] = std::move(items);
}

Privileges PrivilegesFromJson(const nlohmann::json& json) {
  Privileges privileges;
  privileges.owner = json.value("owner", kBootstrapOwnerOid);
  if (!json.contains("acl")) return privileges;
  std::vector<AclItem> acl;
  for (const nlohmann::json& item : json.at("acl")) {
    acl.push_back(AclItem{item.at(0).get<uint32_t>(), item.at(1).get<uint32_t>(),
                          item.at(2).get<uint32_t>(), item.at(3).get<uint32_t>()});
  }
  privileges.acl = std::move(acl);
  return privileges;
}

namespace {

std::string SchemaInfoKey(std::string_view schema) {
  std::string key;
  storage::AppendText(&key, "schema_info", SortOrder::kAscending);
  storage::AppendText(&key, schema, SortOrder::kAscending);
  return key;
}

// The schema's stored record: {"owner", "acl", "comment"}, each only when set; null when none.
Result<nlohmann::json> ReadSchemaInfo(txn::Transaction& transaction, std::string_view schema) {
  std::string value;
  Status status = transaction.Get(storage::Family::kCatalog, SchemaInfoKey(schema), &value);
  if (status.IsNotFound()) return nlohmann::json();
  PLEXUS_RETURN_IF_ERROR(status);
  nlohmann::json json = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Status::Corruption("catalog: schema record is not a JSON object");
  }
  return json;
}

}  // namespace

Result<Privileges> SchemaPrivileges(txn::Transaction& transaction, std::string_view schema) {
  PLEXUS_ASSIGN_OR_RETURN(nlohmann::json json, ReadSchemaInfo(transaction, schema));
  if (json.is_null() || !json.contains("owner")) {
    Privileges defaults;
    if (schema == kDefaultSchema) {
      defaults.owner = kDatabaseOwnerRoleOid;
      defaults.acl = std::vector<AclItem>{
          {kDatabaseOwnerRoleOid, kDatabaseOwnerRoleOid, kSchemaPrivilegesAll, 0},
          {kPublicGrantee, kDatabaseOwnerRoleOid, kPrivilegeUsage, 0}};
    } else if (schema == "pg_catalog" || schema == "information_schema") {
      defaults.acl = std::vector<AclItem>{
          {kBootstrapOwnerOid, kBootstrapOwnerOid, kSchemaPrivilegesAll, 0},
          {kPublicGrantee, kBootstrapOwnerOid, kPrivilegeUsage, 0}};
    }
    return defaults;
  }
  try {
    return PrivilegesFromJson(json);
  } catch (const nlohmann::json::exception& error) {
    // nlohmann reports a malformed document by throwing; no exception leaves the catalog.
    return Status::Corruption(std::string("catalog: bad schema privileges: ") + error.what());
  }
}

Status SetSchemaPrivileges(txn::Transaction& transaction, std::string_view schema,
                           const Privileges& privileges) {
  PLEXUS_ASSIGN_OR_RETURN(nlohmann::json json, ReadSchemaInfo(transaction, schema));
  if (json.is_null()) json = nlohmann::json::object();
  json.erase("acl");
  PrivilegesToJson(privileges, &json);
  json["owner"] = privileges.owner;  // stored even when the default: it marks the ACL as set
  return transaction.Put(storage::Family::kCatalog, SchemaInfoKey(schema), json.dump());
}

Result<std::optional<std::string>> SchemaComment(txn::Transaction& transaction,
                                                 std::string_view schema) {
  PLEXUS_ASSIGN_OR_RETURN(nlohmann::json json, ReadSchemaInfo(transaction, schema));
  if (json.is_null() || !json.contains("comment")) {
    // initdb's description of public.
    if (schema == kDefaultSchema) return std::optional<std::string>("standard public schema");
    return std::optional<std::string>();
  }
  const auto& comment = json.at("comment");
  if (!comment.is_string() || comment.get<std::string>().empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(comment.get<std::string>());
}

Status SetSchemaComment(txn::Transaction& transaction, std::string_view schema,
                        std::string_view comment) {
  PLEXUS_ASSIGN_OR_RETURN(nlohmann::json json, ReadSchemaInfo(transaction, schema));
  if (json.is_null()) json = nlohmann::json::object();
  json["comment"] = std::string(comment);  // "" is kept: public's default is then gone too
  return transaction.Put(storage::Family::kCatalog, SchemaInfoKey(schema), json.dump());
}

Status DeleteSchemaInfo(txn::Transaction& transaction, std::string_view schema) {
  return transaction.Delete(storage::Family::kCatalog, SchemaInfoKey(schema));
}

}  // namespace plexus::catalog
