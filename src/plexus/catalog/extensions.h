// Extensions (CREATE EXTENSION). Plexus loads no code: the extensions it knows are those whose
// functions are built in (pgcrypto's digest and hmac, uuid-ossp's uuid_generate_*), and these
// functions work whether or not the extension was created. Creating one records it in the
// `catalog` family through the caller's transaction, so that pg_extension lists it, DROP
// EXTENSION removes it and both roll back with their transaction. plpgsql is always there, as
// in a new PostgreSQL database.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::catalog {

struct AvailableExtension {
  std::string_view name;
  std::string_view version;  // pg_extension.extversion, as PostgreSQL 15's
  uint32_t oid;              // fixed: the extension has no other identity here
  bool built_in;             // installed in every database (plpgsql)
};

// plpgsql first.
std::span<const AvailableExtension> AvailableExtensions();
// Null when Plexus does not provide `name`.
const AvailableExtension* FindAvailableExtension(std::string_view name);

struct InstalledExtension {
  const AvailableExtension* extension;
  std::string schema;  // where its objects would live (pg_extension.extnamespace)
};

// The built-in ones first, then those created, by name.
Result<std::vector<InstalledExtension>> ListInstalledExtensions(txn::Transaction& transaction);
Result<bool> ExtensionInstalled(txn::Transaction& transaction, std::string_view name);
// REQUIRES: FindAvailableExtension(name), not built in, not installed.
Status InstallExtension(txn::Transaction& transaction, std::string_view name,
                        std::string_view schema);
// REQUIRES: installed, not built in.
Status UninstallExtension(txn::Transaction& transaction, std::string_view name);

}  // namespace plexus::catalog
