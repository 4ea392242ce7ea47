#include "plexus/sql/system/session_info.h"

#include "plexus/catalog/catalog.h"

namespace plexus::sql::system {

namespace {

thread_local const SessionInfo* current_info = nullptr;
thread_local txn::Transaction* bind_transaction = nullptr;
thread_local catalog::Catalog* bind_catalog = nullptr;

struct SearchPathCache {
  std::vector<std::string> written;
  std::string user;
  uint64_t catalog_version = ~uint64_t{0};
  uint64_t catalog_instance = 0;  // catalog::Catalog::instance(): not its address, reused
  std::vector<std::string> schemas;
};
thread_local SearchPathCache search_path_cache;

const std::vector<std::string>& DefaultSearchPath() {
  static const std::vector<std::string> path{std::string(catalog::kDefaultSchema)};
  return path;
}

// A name of search_path as SET wrote it: quotes removed (the list keeps "$user" quoted).
std::string Unquote(const std::string& name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    return name.substr(1, name.size() - 2);
  }
  return name;
}

}  // namespace

const SessionInfo* CurrentSessionInfo() { return current_info; }
std::string CurrentUser() { return current_info ? current_info->user() : "plexus"; }
std::string CurrentDatabase() { return current_info ? current_info->database() : "plexus"; }
int32_t CurrentBackendPid() { return current_info ? current_info->backend_pid() : 0; }

SessionInfoScope::SessionInfoScope(const SessionInfo* info) : previous_(current_info) {
  current_info = info;
}
SessionInfoScope::~SessionInfoScope() { current_info = previous_; }

BindScope::BindScope(txn::Transaction* transaction, catalog::Catalog* catalog)
    : previous_transaction_(bind_transaction), previous_catalog_(bind_catalog) {
  bind_transaction = transaction;
  bind_catalog = catalog;
}
BindScope::~BindScope() {
  bind_transaction = previous_transaction_;
  bind_catalog = previous_catalog_;
}

const catalog::Catalog* CurrentBindCatalog() { return bind_catalog; }

const std::vector<std::string>& SearchPathSchemas() {
  if (current_info == nullptr || bind_transaction == nullptr || bind_catalog == nullptr) {
    return DefaultSearchPath();
  }
  std::vector<std::string> written = current_info->search_path();
  std::string user = current_info->user();
  SearchPathCache& cache = search_path_cache;
  const uint64_t version = bind_catalog->version();
  if (cache.catalog_instance == bind_catalog->instance() && cache.catalog_version == version &&
      cache.written == written && cache.user == user) {
    return cache.schemas;
  }
  std::vector<std::string> schemas;
  for (const std::string& entry : written) {
    std::string name = Unquote(entry);
    if (name == "$user") name = user;
    if (name.empty()) continue;
    Result<bool> exists = bind_catalog->SchemaExists(*bind_transaction, name);
    // A schema we cannot read counts as missing, as PostgreSQL skips schemas it may not use.
    if (!exists.ok() || !*exists) continue;
    bool seen = false;
    for (const std::string& schema : schemas) seen = seen || schema == name;
    if (!seen) schemas.push_back(std::move(name));
  }
  cache.written = std::move(written);
  cache.user = std::move(user);
  cache.catalog_version = version;
  cache.catalog_instance = bind_catalog->instance();
  cache.schemas = std::move(schemas);
  return cache.schemas;
}

Result<std::string> ExistingSchemaOf(std::string_view name) {
  const std::vector<std::string>& path = SearchPathSchemas();
  if (path.size() == 1) return path.front();
  for (const std::string& schema : path) {
    Status found = bind_catalog->FindTable(*bind_transaction, schema, name).status();
    if (found.IsNotFound()) {
      found = bind_catalog->FindView(*bind_transaction, schema, name).status();
    }
    if (found.IsNotFound()) {
      found = bind_catalog->FindSequence(*bind_transaction, schema, name).status();
    }
    if (found.ok()) return schema;
    if (!found.IsNotFound()) return found;
  }
  return path.empty() ? std::string(catalog::kDefaultSchema) : path.front();
}

std::string CreationSchema() {
  for (const std::string& schema : SearchPathSchemas()) {
    if (schema != "pg_catalog" && schema != "information_schema") return schema;
  }
  return std::string(catalog::kDefaultSchema);
}

}  // namespace plexus::sql::system
