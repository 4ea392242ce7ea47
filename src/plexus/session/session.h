// Session: one client's state — its open transaction, whether that transaction failed, and its
// settings — and the execution of SQL text statement by statement. Engine: what all sessions
// share (the store's transaction manager, the catalog, hidden row ids).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/catalog.h"
#include "plexus/sql/bind/binder.h"
#include "plexus/sql/exec/row_id_allocator.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/txn/transaction.h"

namespace plexus::session {

struct ResultColumn {
  std::string name;
  catalog::Type type;
};

// Receives what statements produce. Batches are valid only during the call.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // A statement that returns rows starts (called before its batches, even when there are none).
  virtual Status BeginRows(const std::vector<ResultColumn>& columns) = 0;
  virtual Status Rows(const sql::Batch& batch) = 0;
  // The statement finished: "SELECT 3", "INSERT 0 1", "CREATE TABLE", ...
  virtual Status Complete(std::string_view command_tag) = 0;
  virtual void Notice(std::string_view message) { (void)message; }
};

class Engine {
 public:
  // REQUIRES: `transactions` outlives the engine.
  explicit Engine(txn::TransactionManager* transactions) : transactions_(transactions) {}

  txn::TransactionManager& transactions() { return *transactions_; }
  catalog::Catalog& catalog() { return catalog_; }
  sql::RowIdAllocator& row_ids() { return row_ids_; }

 private:
  txn::TransactionManager* transactions_;
  catalog::Catalog catalog_;
  sql::RowIdAllocator row_ids_;
};

enum class TransactionState : uint8_t {
  kIdle,    // no explicit transaction: each statement commits on its own
  kActive,  // inside BEGIN ... COMMIT
  kFailed,  // a statement failed inside BEGIN; only ROLLBACK (or ROLLBACK TO) is accepted
};

class Session {
 public:
  explicit Session(Engine* engine) : engine_(engine) {}
  ~Session();

  // Runs every statement of `sql` in order, stopping at the first error (as PostgreSQL's
  // simple query protocol does).
  Status Execute(std::string_view sql, ResultSink& sink);

  TransactionState transaction_state() const { return state_; }

 private:
  // One parsed statement, inside the session's transaction or its own.
  Status ExecuteStatement(const PgQuery__Node& statement, ResultSink& sink);
  Status ExecuteTransactionControl(const sql::BoundStatement& bound, ResultSink& sink);
  Status ExecuteBound(sql::BoundStatement& bound, txn::Transaction& transaction,
                      ResultSink& sink);
  Status ExecuteDdl(const sql::BoundStatement& bound, txn::Transaction& transaction,
                    ResultSink& sink);

  Engine* engine_;
  std::unique_ptr<txn::Transaction> transaction_;  // open while state_ != kIdle
  TransactionState state_ = TransactionState::kIdle;
};

}  // namespace plexus::session
