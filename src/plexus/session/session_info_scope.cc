#include "plexus/session/session_info_scope.h"

#include "plexus/session/session.h"

namespace plexus::session {

SessionInfoScope::SessionInfoScope(const Session& session) : session_(session), scope_(this) {}

std::string SessionInfoScope::user() const {
  return session_.user().empty() ? std::string("plexus") : session_.user();
}

// The startup packet's database is not kept; PostgreSQL's default database is the user's name.
std::string SessionInfoScope::database() const { return user(); }

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
