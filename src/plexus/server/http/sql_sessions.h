// Sessions the SQL API's parameterized statements run in, kept per role between requests with
// the statements they prepared, so that a repeated statement is parsed and bound once (as a
// driver's prepared statement over pgwire). A session goes back to the pool only when its
// statement left no session state behind (see MayReuse); otherwise it is dropped.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace plexus::session {
class Engine;
class PreparedStatement;
class Session;
}  // namespace plexus::session

namespace plexus::server::http {

// Idle sessions kept per role, and prepared statements kept per session.
inline constexpr size_t kSqlSessionsIdleMax = 64;
inline constexpr size_t kSqlStatementsPerSessionMax = 256;

struct PooledSession {
  PooledSession(session::Engine* engine, const std::string& role);
  ~PooledSession();

  std::unique_ptr<session::Session> session;
  // By SQL text; cleared when it reaches kSqlStatementsPerSessionMax.
  std::unordered_map<std::string, std::shared_ptr<session::PreparedStatement>> statements;
  // Every setting's value as the new session had it (SHOW ALL), to see a statement change one.
  std::vector<std::string> initial_settings;
};

class SqlSessionPool {
 public:
  // REQUIRES: `engine` outlives the pool.
  explicit SqlSessionPool(session::Engine* engine) : engine_(engine) {}

  // An idle session of `role` (empty: the superuser of embedded use), or a new one.
  std::unique_ptr<PooledSession> Acquire(const std::string& role);
  void Release(const std::string& role, std::unique_ptr<PooledSession> pooled);

  // Whether a session whose last statement completed with `command_tag` may serve another
  // request: it is outside a transaction block, the statement was plain DML or a query (SET,
  // PREPARE, LISTEN, DECLARE, BEGIN ... change what the next request would see) and every
  // setting has its initial value (set_config in a query).
  static bool MayReuse(const PooledSession& pooled, std::string_view command_tag);

 private:
  session::Engine* engine_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<PooledSession>>> idle_;  // by role
};

}  // namespace plexus::server::http
