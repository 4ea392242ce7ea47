// The sessions behind the documents API: a pool of sessions per role, each keeping the
// statements it prepared (bound again by the session when the catalog changes), and a result
// sink that keeps rows as text cells.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/session/session.h"

namespace plexus::server::http {

// Each call runs with the session's identity on the thread (session::SessionInfoScope): its
// role's privileges are checked, current_user and search_path are its own.

// One result row: text as is, jsonb as its JSON text, timestamptz as ISO 8601 UTC
// ("2026-11-26T17:53:16.817916Z"), other types as PostgreSQL prints them; NULL as "".
using DocumentCells = std::vector<std::string>;

struct StatementResult {
  std::vector<DocumentCells> rows;
  std::string command_tag;  // "INSERT 0 1", ...
};

class DocumentSession {
 public:
  DocumentSession(session::Engine* engine, const std::string& role);

  // Runs one statement with `parameters` ($1, ... of the parameter types given); prepared on
  // its first use by this session and kept.
  Result<StatementResult> Run(std::string_view sql, std::vector<sql::Value> parameters);
  // Runs statements as text (DDL, BEGIN, COMMIT, ROLLBACK), discarding rows.
  Status Execute(std::string_view sql);
  // Runs `sql` as text, keeping its rows (for statements whose text varies).
  Result<StatementResult> Query(std::string_view sql);

  bool idle() const { return session_.transaction_state() == session::TransactionState::kIdle; }

 private:
  // Statements kept per session; beyond it the cache starts again (collections come and go).
  static constexpr size_t kStatementsMax = 256;

  session::Session session_;
  std::unordered_map<std::string, std::shared_ptr<session::PreparedStatement>> statements_;
};

class DocumentSessionPool {
 public:
  explicit DocumentSessionPool(session::Engine* engine) : engine_(engine) {}

  // A session of the pool for one request, given back when the lease ends.
  class Lease {
   public:
    Lease(DocumentSessionPool* pool, std::string role, std::unique_ptr<DocumentSession> session)
        : pool_(pool), role_(std::move(role)), session_(std::move(session)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    DocumentSession* operator->() { return session_.get(); }
    DocumentSession& operator*() { return *session_; }

   private:
    DocumentSessionPool* pool_;
    std::string role_;
    std::unique_ptr<DocumentSession> session_;
  };

  // An idle session of `role` ("" when authentication is off: the embedded superuser).
  Lease Acquire(const std::string& role);

 private:
  void Release(const std::string& role, std::unique_ptr<DocumentSession> session);

  session::Engine* engine_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<DocumentSession>>> idle_;
};

}  // namespace plexus::server::http
