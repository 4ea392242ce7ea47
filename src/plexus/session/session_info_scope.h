// Makes a session's identity, search_path and settings visible to the system catalogs and
// functions (sql/system/session_info.h) while it runs statements on this thread.
#pragma once

#include "plexus/sql/system/session_info.h"

namespace plexus::session {

class Session;

class SessionInfoScope : public sql::system::SessionInfo {
 public:
  // REQUIRES: `session` outlives the scope.
  explicit SessionInfoScope(const Session& session);
  SessionInfoScope(const SessionInfoScope&) = delete;
  SessionInfoScope& operator=(const SessionInfoScope&) = delete;

  std::string user() const override;
  std::string database() const override;
  int32_t backend_pid() const override;
  std::vector<std::string> search_path() const override;
  std::vector<sql::system::SettingRow> settings() const override;
  bool checks_privileges() const override;
  bool catalog_written() const override;
  const void* owner() const override { return &session_; }

 private:
  const Session& session_;
  sql::system::SessionInfoScope scope_;
};

}  // namespace plexus::session
