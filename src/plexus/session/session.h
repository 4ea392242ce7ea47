// Session: one client's state — its open transaction, whether that transaction failed, its
// settings, its prepared statements — and the execution of SQL, either as text statement by
// statement (the simple query protocol) or prepared once and executed many times with
// parameters through portals (the extended protocol's Parse, Bind and Execute). Engine: what all
// sessions share (the store's transaction manager, the catalog, hidden row ids).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/catalog.h"
#include "plexus/catalog/sequences.h"
#include "plexus/session/notifications.h"
#include "plexus/session/settings.h"
#include "plexus/sql/bind/binder.h"
#include "plexus/sql/exec/row_id_allocator.h"
#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/datetime.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql {
class ExecContext;
class Operator;
class ParseTree;
}  // namespace plexus::sql

namespace plexus::session {

class CopyChannel;  // copy.h
class QueryCache;   // query_cache.h

// PostgreSQL's severities of a NoticeResponse.
enum class NoticeSeverity : uint8_t { kWarning, kNotice, kInfo, kLog, kDebug };

// "WARNING", "NOTICE", ...
std::string_view NoticeSeverityName(NoticeSeverity severity);

// A message that does not fail the statement: "relation \"t\" already exists, skipping".
struct NoticeMessage {
  NoticeSeverity severity = NoticeSeverity::kNotice;
  std::string_view sql_state = "00000";  // successful_completion, PostgreSQL's for plain notices
  std::string_view message;
};

struct ResultColumn {
  std::string name;
  catalog::Type type;
  // A plain column of a table: the table's OID and the column's attnum (as pg_class and
  // pg_attribute show them); 0 for expressions. pgwire's RowDescription sends both.
  int64_t table_oid = 0;
  int16_t column_number = 0;
};

// Receives what statements produce. Batches are valid only during the call.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // A statement that returns rows starts (called before its batches, even when there are none;
  // for a portal, on its first Execute only).
  virtual Status BeginRows(const std::vector<ResultColumn>& columns) = 0;
  virtual Status Rows(const sql::Batch& batch) = 0;
  // The statement finished: "SELECT 3", "INSERT 0 1", "CREATE TABLE", ...
  virtual Status Complete(std::string_view command_tag) = 0;
  virtual void Notice(const NoticeMessage& notice) { (void)notice; }
  // A setting clients are told about (Settings::IsReported) changed: pgwire's ParameterStatus.
  virtual void ParameterChanged(std::string_view name, std::string_view value) {
    (void)name;
    (void)value;
  }
  // The client's end of COPY FROM STDIN / TO STDOUT; null where there is none (embedded use).
  virtual CopyChannel* copy_channel() { return nullptr; }
};

class Engine {
 public:
  // REQUIRES: `transactions` outlives the engine.
  explicit Engine(txn::TransactionManager* transactions)
      : transactions_(transactions), sequences_(transactions) {}

  txn::TransactionManager& transactions() { return *transactions_; }
  catalog::Catalog& catalog() { return catalog_; }
  sql::RowIdAllocator& row_ids() { return row_ids_; }
  catalog::SequenceValues& sequences() { return sequences_; }
  NotificationHub& notifications() { return notifications_; }

 private:
  txn::TransactionManager* transactions_;
  catalog::Catalog catalog_;
  sql::RowIdAllocator row_ids_;
  catalog::SequenceValues sequences_;
  NotificationHub notifications_;
};

enum class TransactionState : uint8_t {
  kIdle,    // no explicit transaction: each statement commits on its own
  kActive,  // inside BEGIN ... COMMIT
  kFailed,  // a statement failed inside BEGIN; only ROLLBACK (or ROLLBACK TO) is accepted
};

// A statement parsed and bound once (PREPARE, or the wire protocol's Parse). Its plan is reused
// by every execution and bound again when the catalog has changed since.
class PreparedStatement {
 public:
  const std::string& sql() const { return sql_; }
  // $1, $2, ...: as given, or inferred from their use.
  const std::vector<catalog::Type>& parameter_types() const { return parameter_types_; }
  // The columns of the rows it returns; empty when it returns none.
  const std::vector<ResultColumn>& columns() const { return columns_; }
  bool returns_rows() const { return returns_rows_; }

 private:
  friend class Session;
  std::string sql_;
  std::shared_ptr<const sql::ParseTree> tree_;  // owns *statement_
  const PgQuery__Node* statement_ = nullptr;    // null for an empty query
  std::vector<catalog::Type> parameter_types_;
  std::vector<ResultColumn> columns_;
  bool returns_rows_ = false;
  // Queries and DML: the bound plan and the catalog version it was bound at.
  std::shared_ptr<sql::BoundStatement> bound_;
  uint64_t catalog_version_ = 0;
  bool point_read_ = false;  // sql::IsPointRead of bound_'s plan
  // The operator tree (and result batch) of the last execution that ran to its end, kept for
  // the next one so that executing allocates nothing: operators reopen as they do for a
  // correlated subquery. Built for the plan `idle_plan_`; dropped when the plan is bound again.
  std::shared_ptr<sql::BoundStatement> idle_plan_;
  std::unique_ptr<sql::Operator> idle_root_;
  sql::Batch idle_batch_;
};

// A prepared statement with its parameter values, run by Session::Execute, possibly a few rows
// at a time. A portal started inside a transaction block is closed when the block ends.
class Portal {
 public:
  ~Portal();
  Portal(const Portal&) = delete;
  Portal& operator=(const Portal&) = delete;

  const PreparedStatement& statement() const { return *statement_; }
  // Every row has been returned (or the statement failed).
  bool done() const { return done_; }

 private:
  friend class Session;
  Portal() = default;
  // Drops the execution state (iterators of the transaction, which is ending).
  void Close();

  class Session* session_ = nullptr;
  std::shared_ptr<PreparedStatement> statement_;
  std::vector<sql::Value> parameters_;
  bool started_ = false;
  bool done_ = false;
  bool in_block_ = false;  // runs in the session's transaction block (closed when it ends)
  // While a query runs across Execute calls. Declared in destruction order: the operators and
  // context go before the transaction they read.
  std::unique_ptr<txn::Transaction> own_transaction_;  // autocommit: the portal's own
  txn::Transaction* transaction_ = nullptr;
  std::shared_ptr<sql::BoundStatement> bound_;
  std::unique_ptr<sql::ExecContext> context_;
  std::unique_ptr<sql::Operator> root_;
  sql::Batch batch_;       // rows produced and not yet returned, from batch_offset_
  size_t batch_offset_ = 0;
  uint64_t rows_ = 0;      // returned so far
};

class Session {
 public:
  explicit Session(Engine* engine);
  ~Session();

  // Runs every statement of `sql` in order, stopping at the first error (as PostgreSQL's
  // simple query protocol does). Several statements outside a transaction block run as one
  // implicit transaction.
  Status Execute(std::string_view sql, ResultSink& sink);

  // Parses and binds one statement. `parameter_types` gives types of $1, $2, ... (kUnknown, or
  // missing, to infer them).
  Result<std::shared_ptr<PreparedStatement>> Prepare(
      std::string_view sql, std::vector<catalog::Type> parameter_types = {});
  // Gives a prepared statement its parameter values (of its parameter types, or NULL).
  Result<std::unique_ptr<Portal>> Bind(std::shared_ptr<PreparedStatement> statement,
                                       std::vector<sql::Value> parameters);
  // Runs the portal until it is done or has returned `max_rows` rows (0: no limit); then
  // *suspended tells whether rows remain (no Complete is sent then). DML runs whole on the first
  // call. Outside a transaction block the portal's statement commits when it is done.
  Status Execute(Portal& portal, ResultSink& sink, uint64_t max_rows = 0,
                 bool* suspended = nullptr);

  // Whether running `statement` now cannot wait: it reads at most one row by a unique key
  // (sql::IsPointRead) outside a transaction block, with a plan bound for the current catalog.
  // Its commit may still wait for a WAL sync of what others wrote (txn::Transaction::Commit).
  bool RunsWithoutWaiting(const PreparedStatement& statement) const;

  TransactionState transaction_state() const { return state_; }
  Settings& settings() { return settings_; }
  const Settings& settings() const { return settings_; }

  // A flag the front end sets to cancel the running statement (pgwire's CancelRequest); checked
  // by the executor with its own. REQUIRES: outlives the session's statements.
  void set_cancel_flag(const std::atomic<bool>* flag) { cancel_flag_ = flag; }

  // The role the session runs as (pgwire: the startup packet's user). Empty for embedded
  // sessions, which act as a superuser.
  void set_user(std::string user) { user_ = std::move(user); }
  const std::string& user() const { return user_; }
  // The database the client connected to (pgwire: the startup packet's database, by default
  // the user's name); empty for embedded sessions.
  void set_database(std::string database) { database_ = std::move(database); }
  const std::string& database() const { return database_; }
  // Whether the open transaction has written the catalog (its view of it is its own).
  bool wrote_catalog() const { return wrote_catalog_; }
  // The session's backend process id (pgwire's BackendKeyData): the sender of its
  // notifications.
  void set_process_id(int32_t process_id) { process_id_ = process_id; }
  int32_t process_id() const { return process_id_; }
  // The plan cache of simple queries (query_cache.h), for tests: how many queries ran from it,
  // and caching every cacheable query from its first execution on.
  QueryCache& query_cache() { return *query_cache_; }

  // Notifications on the channels the session listens to (LISTEN), committed by any session.
  NotificationInbox& notifications() { return listener_->inbox(); }

 private:
  friend class Portal;
  struct StatementTransaction;

  // A simple query run from the plan cache (query_cache.h); nullopt when it is not cached, and
  // the query then goes the normal way.
  std::optional<Status> ExecuteCached(std::string_view sql, ResultSink& sink);
  // Parses, parameterizes and prepares the cache entry of the query just scanned.
  void PrepareCached(std::string_view sql);

  // One parsed statement of `tree`, inside the session's transaction or its own.
  Status ExecuteStatement(const PgQuery__Node& statement,
                          const std::shared_ptr<const sql::ParseTree>& tree, ResultSink& sink);
  Status ExecuteTransactionControl(const sql::BoundStatement& bound, ResultSink& sink);
  Status ExecuteBound(sql::BoundStatement& bound, sql::Binder& binder,
                      const std::shared_ptr<const sql::ParseTree>& tree,
                      txn::Transaction& transaction, ResultSink& sink);
  Status ExecuteDdl(const sql::BoundStatement& bound, txn::Transaction& transaction,
                    ResultSink& sink);
  Status ExecuteSetting(const sql::BoundStatement& bound, ResultSink& sink);
  Status ExecuteAlterTable(const sql::BoundStatement& bound, txn::Transaction& transaction,
                           ResultSink& sink);  // alter_table.cc
  // Statements run from their parse tree (utility.cc): CREATE/ALTER/DROP ROLE (roles.cc),
  // LISTEN, UNLISTEN, NOTIFY.
  static bool IsUtility(const PgQuery__Node& statement);
  Status ExecuteUtility(const PgQuery__Node& statement, txn::Transaction& transaction,
                        ResultSink& sink);
  // `transaction` ended: its notifications are published or dropped, its LISTEN/UNLISTEN
  // applied or forgotten (utility.cc).
  void EndNotifications(const txn::Transaction* transaction, bool committed);
  Status ExecutePrepare(const sql::BoundStatement& bound,
                        const std::shared_ptr<const sql::ParseTree>& tree,
                        txn::Transaction& transaction, ResultSink& sink);
  Status ExecuteNamed(const sql::BoundStatement& bound, sql::Binder& binder,
                      txn::Transaction& transaction, ResultSink& sink);

  // Binds `statement` (again, when the catalog changed since) in `transaction`.
  Result<std::shared_ptr<sql::BoundStatement>> BoundPlan(PreparedStatement& statement,
                                                         txn::Transaction& transaction);
  std::unique_ptr<sql::ExecContext> NewContext(txn::Transaction& transaction);
  // Starts a portal whose statement has a plan: its transaction, operators and first rows.
  Status Start(Portal& portal, ResultSink& sink);
  // Runs a started portal's plan until done or `max_rows` rows.
  Status Fetch(Portal& portal, ResultSink& sink, uint64_t max_rows, bool* suspended);
  // A portal that ran to its end leaves its operator tree to its statement's next execution.
  void KeepForNextExecution(Portal& portal);
  // A statement of the session failed: its transaction rolls back (autocommit, implicit block)
  // or the block fails.
  Status Fail(Status status, txn::Transaction* own);
  // A statement succeeded: an autocommit transaction commits.
  Status Succeed(txn::Transaction* own, ResultSink& sink);
  Result<std::shared_ptr<PreparedStatement>> PrepareNode(
      const std::shared_ptr<const sql::ParseTree>& tree, const PgQuery__Node* statement,
      std::string_view text, std::vector<catalog::Type> parameter_types,
      txn::Transaction& transaction);
  // PrepareNode in the open transaction, or (outside a block) in one of its own, rolled back.
  Result<std::shared_ptr<PreparedStatement>> PrepareNode(
      const std::shared_ptr<const sql::ParseTree>& tree, const PgQuery__Node* statement,
      std::string_view text, std::vector<catalog::Type> parameter_types);
  std::unique_ptr<txn::Transaction> BeginTransaction(std::optional<IsolationLevel> isolation);

  // Transaction ends: closes portals of the block, settles settings, tells the catalog.
  void EndTransaction(bool committed, ResultSink& sink);
  void BeginBlock(std::unique_ptr<txn::Transaction> transaction);
  // A statement changes settings_ (SET, RESET): remembers what to restore at the block's end.
  void SaveSettingsForRollback(bool local);

  Engine* engine_;
  Settings settings_;
  std::unique_ptr<txn::Transaction> transaction_;  // open while state_ != kIdle
  TransactionState state_ = TransactionState::kIdle;
  bool implicit_block_ = false;  // the block is a multi-statement Query's, not BEGIN's
  sql::TimestampTz transaction_start_{0};  // now()
  // Settings to return to when the block rolls back / ends (SET LOCAL), taken at the first SET.
  std::unique_ptr<Settings> settings_at_begin_;
  std::unique_ptr<Settings> settings_without_local_;
  std::unordered_map<std::string, std::shared_ptr<PreparedStatement>> prepared_;
  catalog::SessionSequences sequences_;  // currval, lastval
  std::unordered_set<Portal*> portals_;  // every live portal of the session
  bool wrote_catalog_ = false;           // the current transaction ran DDL
  const std::atomic<bool>* cancel_flag_ = nullptr;
  std::string user_;
  std::string database_;
  int32_t process_id_ = 0;
  std::unique_ptr<SessionListener> listener_;
  std::unique_ptr<QueryCache> query_cache_;
};

}  // namespace plexus::session
