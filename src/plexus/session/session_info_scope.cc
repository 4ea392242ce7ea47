#include "plexus/session/session_info_scope.h"

#include "plexus/session/session.h"

namespace plexus::session {

SessionInfoScope::SessionInfoScope(const Session& session) : session_(session), scope_(this) {}

std::string SessionInfoScope::user() const {
  return session_.user().empty() ? std::string("plexus") : session_.user();
}

std::string SessionInfoScope::database() const {
  return session_.database().empty() ? user() : session_.database();
}

bool SessionInfoScope::checks_privileges() const { return !session_.user().empty(); }

bool SessionInfoScope::catalog_written() const { return session_.wrote_catalog(); }

int32_t SessionInfoScope::backend_pid() const { return session_.process_id(); }

std::vector<std::string> SessionInfoScope::search_path() const {
  return session_.settings().search_path();
}

std::vector<sql::system::SettingRow> SessionInfoScope::settings() const {
  std::vector<sql::system::SettingRow> rows;
  for (Settings::Row& row : session_.settings().ShowAll()) {
    rows.push_back({std::move(row.name), std::move(row.value), std::move(row.description)});
  }
  return rows;
}

}  // namespace plexus::session
