// Role storage. Keys in the `catalog` family (storage/key_codec.h encoding):
//   ("role", name) -> RoleDef as JSON
#include "plexus/catalog/roles.h"

#include <nlohmann/json.hpp>

#include "plexus/catalog/catalog.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::catalog {

namespace {

using Json = nlohmann::json;

std::string RoleKey(std::string_view name) {
  std::string key;
  storage::AppendText(&key, "role", SortOrder::kAscending);
  storage::AppendText(&key, name, SortOrder::kAscending);
  return key;
}

std::string RolePrefix() {
  std::string key;
  storage::AppendText(&key, "role", SortOrder::kAscending);
  return key;
}

std::string RoleToJson(const RoleDef& def) {
  Json json{{"oid", def.oid},
            {"name", def.name},
            {"superuser", def.superuser},
            {"inherit", def.inherit},
            {"create_role", def.create_role},
            {"create_db", def.create_db},
            {"can_login", def.can_login},
            {"replication", def.replication},
            {"bypass_rls", def.bypass_rls},
            {"connection_limit", def.connection_limit},
            {"password", def.password}};
  if (def.has_valid_until) json["valid_until_us"] = def.valid_until_us;
  if (!def.member_of.empty()) {
    Json members = Json::array();
    for (const RoleMembership& membership : def.member_of) {
      members.push_back({membership.role, membership.grantor, membership.admin_option});
    }
    json["member_of"] = std::move(members);
  }
  return json.dump();
}

Result<RoleDefPtr> RoleFromJson(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Status::Corruption("catalog: role definition is not JSON");
  }
  try {
    auto def = std::make_shared<RoleDef>();
    def->oid = json.at("oid").get<uint32_t>();
    def->name = json.at("name").get<std::string>();
    def->superuser = json.at("superuser").get<bool>();
    def->inherit = json.value("inherit", true);
    def->create_role = json.at("create_role").get<bool>();
    def->create_db = json.at("create_db").get<bool>();
    def->can_login = json.at("can_login").get<bool>();
    def->replication = json.value("replication", false);
    def->bypass_rls = json.value("bypass_rls", false);
    def->connection_limit = json.value("connection_limit", -1);
    def->password = json.value("password", "");
    if (json.contains("valid_until_us")) {
      def->has_valid_until = true;
      def->valid_until_us = json.at("valid_until_us").get<int64_t>();
    }
    for (const Json& membership : json.value("member_of", Json::array())) {
      def->member_of.push_back(RoleMembership{membership.at(0).get<uint32_t>(),
                                              membership.at(1).get<uint32_t>(),
                                              membership.at(2).get<bool>()});
    }
    return RoleDefPtr(std::move(def));
  } catch (const Json::exception& error) {
    // nlohmann reports a malformed document by throwing; no exception leaves the catalog.
    return Status::Corruption(std::string("catalog: bad role definition: ") + error.what());
  }
}

Status CheckRoleNameFree(txn::Transaction& transaction, std::string_view name) {
  std::string ignored;
  Status status = transaction.Get(storage::Family::kCatalog, RoleKey(name), &ignored);
  if (status.ok()) return Status::AlreadyExists("role \"" + std::string(name) + "\" already exists");
  return status.IsNotFound() ? Status::Ok() : status;
}

}  // namespace

Result<RoleDefPtr> FindRole(txn::Transaction& transaction, std::string_view name) {
  std::string value;
  PLEXUS_RETURN_IF_ERROR(transaction.Get(storage::Family::kCatalog, RoleKey(name), &value));
  return RoleFromJson(value);
}

Result<std::vector<RoleDefPtr>> ListRoles(txn::Transaction& transaction) {
  const std::string prefix = RolePrefix();
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, transaction.Scan(storage::Family::kCatalog, prefix,
                                                          storage::PrefixSuccessor(prefix)));
  std::vector<RoleDefPtr> roles;
  for (; iterator->Valid(); iterator->Next()) {
    PLEXUS_ASSIGN_OR_RETURN(RoleDefPtr role, RoleFromJson(iterator->value()));
    roles.push_back(std::move(role));
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return roles;
}

Status CreateRole(Catalog& catalog, txn::Transaction& transaction, RoleDef* def) {
  PLEXUS_RETURN_IF_ERROR(CheckRoleNameFree(transaction, def->name));
  if (def->oid == 0) {
    PLEXUS_ASSIGN_OR_RETURN(def->oid, catalog.AllocateId(transaction));
  }
  return transaction.Put(storage::Family::kCatalog, RoleKey(def->name), RoleToJson(*def));
}

Status UpdateRole(txn::Transaction& transaction, std::string_view old_name, const RoleDef& def) {
  std::string ignored;
  // Locks the row: concurrent ALTERs of one role serialize.
  PLEXUS_RETURN_IF_ERROR(
      transaction.GetForUpdate(storage::Family::kCatalog, RoleKey(old_name), &ignored));
  if (def.name != old_name) {
    PLEXUS_RETURN_IF_ERROR(CheckRoleNameFree(transaction, def.name));
    PLEXUS_RETURN_IF_ERROR(transaction.Delete(storage::Family::kCatalog, RoleKey(old_name)));
  }
  return transaction.Put(storage::Family::kCatalog, RoleKey(def.name), RoleToJson(def));
}

Status DropRole(txn::Transaction& transaction, std::string_view name) {
  std::string ignored;
  PLEXUS_RETURN_IF_ERROR(
      transaction.GetForUpdate(storage::Family::kCatalog, RoleKey(name), &ignored));
  return transaction.Delete(storage::Family::kCatalog, RoleKey(name));
}

Status EnsureBootstrapRole(txn::TransactionManager& transactions, std::string_view name) {
  std::unique_ptr<txn::Transaction> transaction = transactions.Begin();
  PLEXUS_ASSIGN_OR_RETURN(std::vector<RoleDefPtr> roles, ListRoles(*transaction));
  if (!roles.empty()) return transaction->Rollback();
  RoleDef def;
  def.oid = kBootstrapRoleOid;
  def.name = name;
  def.superuser = def.create_role = def.create_db = def.can_login = true;
  def.replication = def.bypass_rls = true;
  Catalog unused;  // the oid is fixed: no id is allocated
  PLEXUS_RETURN_IF_ERROR(CreateRole(unused, *transaction, &def));
  return transaction->Commit();
}

}  // namespace plexus::catalog
