// The SQL API's session pool.
#include "plexus/server/http/sql_sessions.h"

#include "plexus/session/session.h"

namespace plexus::server::http {

PooledSession::PooledSession(session::Engine* engine, const std::string& role)
    : session(std::make_unique<session::Session>(engine)) {
  if (!role.empty()) session->set_user(role);
  for (const auto& row : session->settings().ShowAll()) initial_settings.push_back(row.value);
}

PooledSession::~PooledSession() {
  // The statements refer to the session's engine state: they go first.
  statements.clear();
}

std::unique_ptr<PooledSession> SqlSessionPool::Acquire(const std::string& role) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = idle_.find(role);
    if (found != idle_.end() && !found->second.empty()) {
      std::unique_ptr<PooledSession> pooled = std::move(found->second.back());
      found->second.pop_back();
      return pooled;
    }
  }
  return std::make_unique<PooledSession>(engine_, role);
}

void SqlSessionPool::Release(const std::string& role, std::unique_ptr<PooledSession> pooled) {
  if (pooled->statements.size() >= kSqlStatementsPerSessionMax) pooled->statements.clear();
  std::unique_ptr<PooledSession> dropped;  // destroyed outside the lock
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::unique_ptr<PooledSession>>& idle = idle_[role];
  if (idle.size() >= kSqlSessionsIdleMax) {
    dropped = std::move(pooled);
    return;
  }
  idle.push_back(std::move(pooled));
}

bool SqlSessionPool::MayReuse(const PooledSession& pooled, std::string_view command_tag) {
  if (pooled.session->transaction_state() != session::TransactionState::kIdle) return false;
  const std::string_view verb = command_tag.substr(0, command_tag.find(' '));
  if (verb != "SELECT" && verb != "INSERT" && verb != "UPDATE" && verb != "DELETE" &&
      verb != "MERGE") {
    return false;
  }
  const std::vector<session::Settings::Row> settings = pooled.session->settings().ShowAll();
  if (settings.size() != pooled.initial_settings.size()) return false;
  for (size_t i = 0; i < settings.size(); ++i) {
    if (settings[i].value != pooled.initial_settings[i]) return false;
  }
  return true;
}

}  // namespace plexus::server::http
