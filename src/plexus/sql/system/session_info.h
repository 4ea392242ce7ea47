// What system catalogs and functions need to know of the session running on this thread — user,
// database, backend pid, search_path, settings — and search_path resolution for the binder.
// The front end installs a SessionInfoScope around the statements it runs; without one (the
// embedded shell, tests) the defaults apply: user and database "plexus", search_path public.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn
namespace plexus::catalog {
class Catalog;
}  // namespace plexus::catalog

namespace plexus::sql::system {

struct SettingRow {
  std::string name;
  std::string value;
  std::string description;
};

class SessionInfo {
 public:
  virtual ~SessionInfo() = default;
  virtual std::string user() const = 0;
  virtual std::string database() const = 0;
  virtual int32_t backend_pid() const = 0;
  // As SET wrote it: names, "$user" included.
  virtual std::vector<std::string> search_path() const = 0;
  virtual std::vector<SettingRow> settings() const = 0;
  // Whether statements are checked against the user's privileges (a client that logged in as
  // a role); embedded sessions act as a superuser.
  virtual bool checks_privileges() const { return false; }
  // Whether the open transaction has written the catalog (it then sees roles no other does).
  virtual bool catalog_written() const { return false; }
  // The session's identity for its whole life (what holds its advisory locks).
  virtual const void* owner() const { return this; }
};

// The session running on this thread; null outside a SessionInfoScope.
const SessionInfo* CurrentSessionInfo();
std::string CurrentUser();
std::string CurrentDatabase();
int32_t CurrentBackendPid();

class SessionInfoScope {
 public:
  explicit SessionInfoScope(const SessionInfo* info);
  ~SessionInfoScope();
  SessionInfoScope(const SessionInfoScope&) = delete;
  SessionInfoScope& operator=(const SessionInfoScope&) = delete;

 private:
  const SessionInfo* previous_;
};

// The transaction and catalog of the statement being bound on this thread, so that name
// resolution can test which schemas of search_path exist. Installed by Binder::Bind.
class BindScope {
 public:
  BindScope(txn::Transaction* transaction, catalog::Catalog* catalog);
  ~BindScope();
  BindScope(const BindScope&) = delete;
  BindScope& operator=(const BindScope&) = delete;

 private:
  txn::Transaction* previous_transaction_;
  catalog::Catalog* previous_catalog_;
};

// The catalog of the statement being bound on this thread; null outside a BindScope.
const catalog::Catalog* CurrentBindCatalog();

// The schemas of search_path that exist, in order ("$user" resolved, pg_catalog not added).
// Cached per thread for one (search_path, user, catalog version). Outside a BindScope: public.
const std::vector<std::string>& SearchPathSchemas();
// The schema of search_path where an unqualified relation name is found: the first that has a
// table, view or sequence of that name; the first schema of the path when none has. Reads
// nothing when the path has one schema.
Result<std::string> ExistingSchemaOf(std::string_view name);
// Where CREATE puts an unqualified name: the first existing schema of search_path; "public"
// when none exists (PostgreSQL fails with 3F000 there; we keep the old behaviour).
std::string CreationSchema();

}  // namespace plexus::sql::system
