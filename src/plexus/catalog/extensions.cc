// Extension storage. Keys in the `catalog` family (storage/key_codec.h encoding):
//   ("extension", name) -> the schema it was created in
#include "plexus/catalog/extensions.h"

#include <array>
#include <variant>

#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::catalog {

namespace {

constexpr std::array<AvailableExtension, 3> kAvailable{{
    {"plpgsql", "1.0", 13001, true},
    {"pgcrypto", "1.3", 16401, false},
    {"uuid-ossp", "1.1", 16402, false},
}};

std::string ExtensionKey(std::string_view name) {
  std::string key;
  storage::AppendText(&key, "extension", SortOrder::kAscending);
  if (!name.empty()) storage::AppendText(&key, name, SortOrder::kAscending);
  return key;
}

}  // namespace

std::span<const AvailableExtension> AvailableExtensions() { return kAvailable; }

const AvailableExtension* FindAvailableExtension(std::string_view name) {
  for (const AvailableExtension& extension : kAvailable) {
    if (extension.name == name) return &extension;
  }
  return nullptr;
}

Result<std::vector<InstalledExtension>> ListInstalledExtensions(txn::Transaction& transaction) {
  std::vector<InstalledExtension> installed;
  for (const AvailableExtension& extension : kAvailable) {
    if (extension.built_in) installed.push_back({&extension, "pg_catalog"});
  }
  const std::string prefix = ExtensionKey("");
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, transaction.Scan(storage::Family::kCatalog, prefix,
                                                          storage::PrefixSuccessor(prefix)));
  for (; iterator->Valid(); iterator->Next()) {
    std::string_view rest = iterator->key().substr(prefix.size());
    KeyPart name;
    PLEXUS_RETURN_IF_ERROR(storage::DecodeNextPart(&rest, &name));
    const std::string* text = std::get_if<std::string>(&name.value);
    // An extension a later version no longer provides is not listed.
    const AvailableExtension* extension = text ? FindAvailableExtension(*text) : nullptr;
    if (extension != nullptr) installed.push_back({extension, std::string(iterator->value())});
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return installed;
}

Result<bool> ExtensionInstalled(txn::Transaction& transaction, std::string_view name) {
  const AvailableExtension* extension = FindAvailableExtension(name);
  if (extension == nullptr) return false;
  if (extension->built_in) return true;
  std::string schema;
  const Status status = transaction.Get(storage::Family::kCatalog, ExtensionKey(name), &schema);
  if (status.IsNotFound()) return false;
  PLEXUS_RETURN_IF_ERROR(status);
  return true;
}

Status InstallExtension(txn::Transaction& transaction, std::string_view name,
                        std::string_view schema) {
  return transaction.Put(storage::Family::kCatalog, ExtensionKey(name), schema);
}

Status UninstallExtension(txn::Transaction& transaction, std::string_view name) {
  return transaction.Delete(storage::Family::kCatalog, ExtensionKey(name));
}

}  // namespace plexus::catalog
