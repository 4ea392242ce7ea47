// Statement execution: autocommit outside BEGIN, the failed-transaction state inside it, and
// the DDL and DML drivers.
#include "plexus/session/session.h"

#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <chrono>

#include "plexus/session/copy.h"
#include "plexus/session/query_cache.h"
#include "plexus/session/result_columns.h"
#include "plexus/session/session_info_scope.h"
#include "plexus/session/session_internal.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/explain.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/func/notify_savepoints.h"
#include "plexus/sql/system/advisory_locks.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/stats/analyze.h"
#include "plexus/sql/stats/auto_analyze.h"
#include "plexus/storage/key_codec.h"

namespace plexus::session {

namespace {

using sql::SqlError;
using sql::StatementKind;

bool IsTransactionControl(StatementKind kind) {
  return kind == StatementKind::kBegin || kind == StatementKind::kCommit ||
         kind == StatementKind::kRollback || kind == StatementKind::kSavepoint ||
         kind == StatementKind::kReleaseSavepoint || kind == StatementKind::kRollbackToSavepoint;
}

}  // namespace

// Errors from below the SQL layer get the SQLSTATE PostgreSQL reports for them.
Status WithSqlState(Status status) {
  if (status.ok() || !status.sql_state().empty()) return status;
  switch (status.code()) {
    case StatusCode::kSerializationFailure: status.SetSqlState(sql::kSerializationFailure.code); break;
    case StatusCode::kDeadlock: status.SetSqlState(sql::kDeadlockDetected.code); break;
    case StatusCode::kLockTimeout: status.SetSqlState(sql::kLockNotAvailable.code); break;
    case StatusCode::kResourceExhausted: status.SetSqlState("53100"); break;  // disk_full
    case StatusCode::kIOError: status.SetSqlState("58030"); break;             // io_error
    case StatusCode::kCorruption: status.SetSqlState("XX001"); break;          // data_corrupted
    default: status.SetSqlState(sql::kInternalError.code); break;
  }
  return status;
}

// Runs a query or DML plan to completion: its rows (queries, RETURNING) and its command tag.
Status RunPlan(const sql::BoundStatement& bound, sql::ExecContext& context, ResultSink& sink) {
  const sql::PlanNode& plan = *bound.plan;
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<sql::Operator> root, sql::BuildOperator(plan));
  PLEXUS_RETURN_IF_ERROR(root->Open(context));
  const bool query = bound.kind == StatementKind::kQuery;
  // DML returns rows with RETURNING; its command tag still counts the rows changed.
  const bool returns_rows = query || !plan.types.empty();
  if (returns_rows) {
    PLEXUS_RETURN_IF_ERROR(sink.BeginRows(ResultColumnsOf(plan)));
  }
  sql::Batch batch(plan.types);
  uint64_t rows = 0;
  while (true) {
    batch.Reset();
    PLEXUS_RETURN_IF_ERROR(root->Next(context, &batch));
    if (batch.rows() == 0) break;
    rows += batch.rows();
    if (returns_rows) PLEXUS_RETURN_IF_ERROR(sink.Rows(batch));
  }
  const uint64_t count = query ? rows : context.affected_rows();
  // Rows written count toward the table's next automatic ANALYZE.
  if (!query) sql::stats::NoteStatementChanges(context.catalog().instance(), plan, count);
  return sink.Complete(bound.command_tag + " " + std::to_string(count));
}

namespace {

// EXPLAIN [ANALYZE]: the plan of a query or DML statement as rows of text (sql/exec/explain.h).
Status ExecuteExplain(const PgQuery__ExplainStmt& explain, const sql::BoundStatement& bound,
                      double planning_ms, sql::ExecContext& context, ResultSink& sink) {
  if (!bound.plan) {
    return SqlError(sql::kFeatureNotSupported, "EXPLAIN is not supported for this statement");
  }
  PLEXUS_ASSIGN_OR_RETURN(sql::ExplainOptions options, sql::ParseExplainOptions(explain));
  PLEXUS_ASSIGN_OR_RETURN(std::vector<std::string> lines,
                          sql::ExplainPlan(*bound.plan, options, context, planning_ms));
  const catalog::Type text = catalog::Type::Of(catalog::TypeId::kText);
  PLEXUS_RETURN_IF_ERROR(sink.BeginRows({{"QUERY PLAN", text}}));
  sql::Batch batch({text});
  for (size_t first = 0; first < lines.size(); first += sql::kBatchRowsMax) {
    batch.Reset();
    const size_t rows = std::min(sql::kBatchRowsMax, lines.size() - first);
    for (size_t row = 0; row < rows; ++row) batch.column(0).SetString(row, lines[first + row]);
    batch.set_rows(rows);
    PLEXUS_RETURN_IF_ERROR(sink.Rows(batch));
  }
  return sink.Complete("EXPLAIN");
}

// The sequences of a new table's serial and identity columns.
Status CreateSequences(catalog::Catalog& catalog, txn::Transaction& transaction,
                       const std::vector<catalog::SequenceDef>& sequences) {
  for (catalog::SequenceDef sequence : sequences) {
    Status status = catalog.CreateSequence(transaction, &sequence);
    if (status.code() == StatusCode::kAlreadyExists) {
      return SqlError(sql::kDuplicateTable, "relation \"" + sequence.name + "\" already exists");
    }
    PLEXUS_RETURN_IF_ERROR(status);
  }
  return Status::Ok();
}

}  // namespace

Status InFailedTransaction() {
  return WithSqlState(SqlError(sql::kInFailedSqlTransaction,
                               "current transaction is aborted, commands ignored until end of "
                               "transaction block"));
}

namespace {

// Swallows what a statement produces (for transaction ends outside any statement's sink).
class NullSink : public ResultSink {
 public:
  Status BeginRows(const std::vector<ResultColumn>&) override { return Status::Ok(); }
  Status Rows(const sql::Batch&) override { return Status::Ok(); }
  Status Complete(std::string_view) override { return Status::Ok(); }
};

}  // namespace

// SQL sessions start in READ COMMITTED, as PostgreSQL does (SET default_transaction_isolation to
// change it); the store's own default applies to the embedded key-value API.
Session::Session(Engine* engine)
    : engine_(engine),
      settings_(IsolationLevel::kReadCommitted),
      listener_(std::make_unique<SessionListener>(&engine->notifications())),
      query_cache_(std::make_unique<QueryCache>()) {}

Session::~Session() {
  for (Portal* portal : portals_) {
    portal->Close();
    portal->session_ = nullptr;
  }
  // An open transaction ends with the session, as when a client disconnects: rolled back.
  if (transaction_ && transaction_->is_open()) [[maybe_unused]] Status status = transaction_->Rollback();
  EndNotifications(transaction_.get(), /*committed=*/false);
  sql::system::ReleaseAdvisoryLocks(this, /*transaction_only=*/false);
  // A background ANALYZE this session started reads the engine: it ends before the session
  // (after the session's locks are released, which it may wait for).
  sql::stats::JoinAutoAnalyze(this);
}

std::unique_ptr<txn::Transaction> Session::BeginTransaction(
    std::optional<IsolationLevel> isolation) {
  TransactionOptions options;
  options.isolation = isolation ? *isolation : settings_.default_isolation();
  transaction_start_ = sql::ClockTimestamp();
  std::unique_ptr<txn::Transaction> transaction = engine_->transactions().Begin(options);
  // A transaction that ended without either hook (a portal closed early) may have left
  // notifications under this address.
  [[maybe_unused]] auto stale = sql::TakeNotifications(transaction.get());
  return transaction;
}

void Session::BeginBlock(std::unique_ptr<txn::Transaction> transaction) {
  transaction_ = std::move(transaction);
  state_ = TransactionState::kActive;
}

void Session::EndTransaction(bool committed, ResultSink& sink) {
  for (Portal* portal : portals_) {
    if (portal->in_block_) portal->Close();
  }
  if (wrote_catalog_) {
    // Other sessions' prepared plans bind again once the change is visible to them.
    if (committed) engine_->catalog().BumpVersion();
    wrote_catalog_ = false;
  }
  EndNotifications(transaction_.get(), committed);
  transaction_.reset();
  state_ = TransactionState::kIdle;
  implicit_block_ = false;
  // SET in a block that rolls back is undone; SET LOCAL ends with the block either way.
  std::unique_ptr<Settings> restore = !committed && settings_at_begin_
                                          ? std::move(settings_at_begin_)
                                          : std::move(settings_without_local_);
  settings_at_begin_.reset();
  settings_without_local_.reset();
  if (restore) {
    std::vector<Settings::Row> before = settings_.Reported();
    settings_ = std::move(*restore);
    std::vector<Settings::Row> after = settings_.Reported();
    for (size_t i = 0; i < after.size(); ++i) {
      if (after[i].value != before[i].value) sink.ParameterChanged(after[i].name, after[i].value);
    }
  }
}

Status Session::Fail(Status status, txn::Transaction* own) {
  if (own != nullptr) {
    if (own->is_open()) [[maybe_unused]] Status ignored = own->Rollback();
    EndNotifications(own, /*committed=*/false);
    wrote_catalog_ = false;
  } else if (implicit_block_) {
    if (transaction_->is_open()) [[maybe_unused]] Status ignored = transaction_->Rollback();
    NullSink sink;
    EndTransaction(/*committed=*/false, sink);
  } else if (state_ != TransactionState::kIdle) {
    state_ = TransactionState::kFailed;
  }
  return WithSqlState(std::move(status));
}

Status Session::Succeed(txn::Transaction* own, ResultSink& sink) {
  (void)sink;
  if (own == nullptr) return Status::Ok();
  Status status = own->Commit();
  if (!status.ok()) return Fail(std::move(status), own);
  EndNotifications(own, /*committed=*/true);
  if (wrote_catalog_) {
    engine_->catalog().BumpVersion();
    wrote_catalog_ = false;
  }
  return Status::Ok();
}

Status Session::Execute(std::string_view sql, ResultSink& sink) {
  // current_setting() and the catalogs see this session's settings also when embedded (the wire
  // protocol's worker installs the same scope around it).
  const SessionInfoScope session_info(*this);
  if (std::optional<Status> cached = ExecuteCached(sql, sink)) return *std::move(cached);
  Result<sql::ParseTree> parse = sql::ParseTree::Parse(sql);
  if (!parse.ok()) {
    // A syntax error fails the block like any failed statement.
    if (state_ == TransactionState::kActive) state_ = TransactionState::kFailed;
    return parse.status();
  }
  sql::ParseTree parsed = std::move(parse).value();
  auto tree = std::make_shared<const sql::ParseTree>(std::move(parsed));
  // Several statements outside a block run as one implicit transaction, as in PostgreSQL.
  if (tree->statement_count() > 1 && state_ == TransactionState::kIdle) {
    BeginBlock(BeginTransaction(std::nullopt));
    implicit_block_ = true;
  }
  for (size_t i = 0; i < tree->statement_count(); ++i) {
    PLEXUS_RETURN_IF_ERROR(ExecuteStatement(*tree->statement(i).stmt, tree, sink));
  }
  if (implicit_block_) {
    Status status = transaction_->Commit();
    EndTransaction(status.ok(), sink);
    return WithSqlState(std::move(status));
  }
  return Status::Ok();
}

Status Session::ExecuteStatement(const PgQuery__Node& statement,
                                 const std::shared_ptr<const sql::ParseTree>& tree,
                                 ResultSink& sink) {
  std::unique_ptr<txn::Transaction> own;
  txn::Transaction* transaction = transaction_.get();
  if (state_ == TransactionState::kIdle) {
    own = BeginTransaction(std::nullopt);
    transaction = own.get();
  }
  transaction->BeginStatement();
  sql::SessionTimeScope time(&settings_.time_zone(), transaction_start_);
  sql::Binder binder(transaction, &engine_->catalog());
  // COPY runs statements of its own (copy.h); the binder never sees it.
  const bool copy = statement.node_case == PG_QUERY__NODE__NODE_COPY_STMT;
  // EXPLAIN binds the statement it explains.
  const bool explain = statement.node_case == PG_QUERY__NODE__NODE_EXPLAIN_STMT;
  const bool utility = IsUtility(statement);
  const auto bind_start = std::chrono::steady_clock::now();
  Result<sql::BoundStatement> bound =
      copy || utility ? Result<sql::BoundStatement>(sql::BoundStatement())
           : binder.Bind(explain ? *statement.explain_stmt->query : statement);
  const double planning_ms = std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - bind_start).count();
  if (bound.ok() && IsTransactionControl(bound->kind)) {
    return WithSqlState(ExecuteTransactionControl(*bound, sink));
  }
  if (state_ == TransactionState::kFailed) return InFailedTransaction();
  Status status =
      copy ? ExecuteCopy(*statement.copy_stmt, *engine_, *transaction,
                         [&] { return NewContext(*transaction); }, sink.copy_channel(), sink)
      : utility ? ExecuteUtility(statement, *transaction, sink)
      : !bound.ok() ? bound.status()
      : explain ? ExecuteExplain(*statement.explain_stmt, *bound, planning_ms,
                                 *NewContext(*transaction), sink)
                : ExecuteBound(*bound, binder, tree, *transaction, sink);
  if (!status.ok()) return Fail(std::move(status), own.get());
  return Succeed(own.get(), sink);
}

Status Session::ExecuteTransactionControl(const sql::BoundStatement& bound, ResultSink& sink) {
  switch (bound.kind) {
    case StatementKind::kBegin: {
      if (implicit_block_) {
        // BEGIN inside a multi-statement Query turns its implicit block into a real one.
        implicit_block_ = false;
        return sink.Complete(bound.command_tag);
      }
      if (state_ != TransactionState::kIdle) {
        sink.Notice({NoticeSeverity::kWarning, sql::kActiveSqlTransaction.code,
                     "there is already a transaction in progress"});
        return sink.Complete(bound.command_tag);
      }
      BeginBlock(BeginTransaction(bound.isolation));
      return sink.Complete(bound.command_tag);
    }
    case StatementKind::kCommit:
    case StatementKind::kRollback: {
      if (state_ == TransactionState::kIdle) {
        sink.Notice({NoticeSeverity::kWarning, sql::kNoActiveSqlTransaction.code,
                     "there is no transaction in progress"});
        return sink.Complete(bound.command_tag);
      }
      const bool commit = bound.kind == StatementKind::kCommit && state_ == TransactionState::kActive;
      Status status = commit ? transaction_->Commit() : transaction_->Rollback();
      EndTransaction(commit && status.ok(), sink);
      PLEXUS_RETURN_IF_ERROR(status);
      // COMMIT of a failed transaction rolls back, and says so in its tag.
      return sink.Complete(bound.kind == StatementKind::kCommit && !commit ? "ROLLBACK"
                                                                            : bound.command_tag);
    }
    default:
      break;
  }
  if (state_ == TransactionState::kIdle) {
    return SqlError(sql::kNoActiveSqlTransaction,
                    std::string(bound.command_tag == "RELEASE" ? "RELEASE SAVEPOINT" :
                                bound.kind == StatementKind::kSavepoint ? "SAVEPOINT"
                                                                        : "ROLLBACK TO SAVEPOINT") +
                        " can only be used in transaction blocks");
  }
  Status status;
  if (bound.kind == StatementKind::kSavepoint) {
    if (state_ == TransactionState::kFailed) return InFailedTransaction();
    status = transaction_->Savepoint(bound.name);
    if (status.ok()) sql::MarkNotifications(transaction_.get(), bound.name);
  } else if (bound.kind == StatementKind::kReleaseSavepoint) {
    status = transaction_->ReleaseSavepoint(bound.name);
    if (status.ok()) sql::ReleaseNotificationMark(transaction_.get(), bound.name);
  } else {
    status = transaction_->RollbackToSavepoint(bound.name);
    if (status.ok()) sql::RollbackNotifications(transaction_.get(), bound.name);
    if (status.ok()) state_ = TransactionState::kActive;
  }
  if (status.IsNotFound()) {
    state_ = TransactionState::kFailed;
    return SqlError(sql::kInvalidSavepointSpecification,
                    "savepoint \"" + bound.name + "\" does not exist");
  }
  PLEXUS_RETURN_IF_ERROR(status);
  return sink.Complete(bound.command_tag);
}

void MarkCreatedKeys(txn::Transaction& transaction, const catalog::TableDef& table,
                     const catalog::TableDef* old) {
  if (old == nullptr || old->id != table.id) {
    transaction.AddPrivatePrefix(storage::Family::kRows, sql::TableKeyPrefix(table.id));
  }
  for (const catalog::IndexDef& index : table.indexes) {
    const bool kept = old != nullptr &&
                      std::any_of(old->indexes.begin(), old->indexes.end(),
                                  [&](const catalog::IndexDef& other) { return other.id == index.id; });
    if (!kept) transaction.AddPrivatePrefix(storage::Family::kIndex, sql::IndexKeyPrefix(index.id));
  }
}

std::unique_ptr<sql::ExecContext> Session::NewContext(txn::Transaction& transaction) {
  auto context = std::make_unique<sql::ExecContext>(&transaction, &engine_->catalog());
  context->set_row_ids(&engine_->row_ids());
  context->set_cancel_flag(cancel_flag_);
  context->set_sequences(&engine_->sequences(), &sequences_);
  context->set_work_mem(static_cast<size_t>(settings_.work_mem_bytes()));
  if (settings_.statement_timeout_ms() > 0) {
    context->set_deadline(std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(settings_.statement_timeout_ms()));
  }
  return context;
}

Status Session::ExecuteBound(sql::BoundStatement& bound, sql::Binder& binder,
                             const std::shared_ptr<const sql::ParseTree>& tree,
                             txn::Transaction& transaction, ResultSink& sink) {
  switch (bound.kind) {
    case StatementKind::kQuery:
    case StatementKind::kDml:
      break;
    case StatementKind::kSet:
    case StatementKind::kReset:
    case StatementKind::kShow:
      return ExecuteSetting(bound, sink);
    case StatementKind::kPrepare:
      return ExecutePrepare(bound, tree, transaction, sink);
    case StatementKind::kExecute:
    case StatementKind::kDeallocate:
      return ExecuteNamed(bound, binder, transaction, sink);
    default:
      return ExecuteDdl(bound, transaction, sink);
  }
  // Text without parameter values: $n has nothing to stand for.
  if (!binder.parameter_types().empty()) {
    return SqlError(sql::kUndefinedParameter, "there is no parameter $1");
  }
  std::unique_ptr<sql::ExecContext> context = NewContext(transaction);
  return RunPlan(bound, *context, sink);
}

Status Session::ExecuteSetting(const sql::BoundStatement& bound, ResultSink& sink) {
  if (bound.kind == StatementKind::kShow) {
    std::vector<Settings::Row> rows;
    std::vector<ResultColumn> columns;
    const catalog::Type text = catalog::Type::Of(catalog::TypeId::kText);
    if (bound.name == "all") {
      rows = settings_.ShowAll();
      columns = {{"name", text}, {"setting", text}, {"description", text}};
    } else {
      PLEXUS_ASSIGN_OR_RETURN(Settings::Row row, settings_.Show(bound.name));
      if (row.name == "transaction_isolation" && transaction_) {
        row.value = IsolationLevelName(transaction_->isolation());
      }
      columns = {{row.name, text}};
      rows.push_back(std::move(row));
    }
    PLEXUS_RETURN_IF_ERROR(sink.BeginRows(columns));
    std::vector<catalog::Type> types(columns.size(), text);
    sql::Batch batch(types);
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::string* fields[] = {&rows[i].name, &rows[i].value, &rows[i].description};
      for (size_t c = 0; c < columns.size(); ++c) {
        sql::SetValue(&batch.column(c), i, sql::Value::String(text, columns.size() == 1 ? rows[i].value : *fields[c]));
      }
    }
    batch.set_rows(rows.size());
    PLEXUS_RETURN_IF_ERROR(sink.Rows(batch));
    return sink.Complete("SHOW");
  }
  const bool transaction_setting = bound.name == "transaction_isolation";
  if (state_ == TransactionState::kIdle && (bound.local || transaction_setting)) {
    // Nothing to last until: PostgreSQL warns and changes nothing.
    sink.Notice({NoticeSeverity::kWarning, sql::kNoActiveSqlTransaction.code,
                 transaction_setting ? "SET TRANSACTION can only be used in transaction blocks"
                                     : "SET LOCAL can only be used in transaction blocks"});
    return sink.Complete(bound.command_tag);
  }
  if (transaction_setting && bound.kind == StatementKind::kSet) {
    // The transaction began with its level; it cannot change under it.
    Settings probe = settings_;
    PLEXUS_RETURN_IF_ERROR(probe.Set(bound.name, bound.value));
    PLEXUS_ASSIGN_OR_RETURN(Settings::Row row, probe.Show(bound.name));
    if (row.value != IsolationLevelName(transaction_->isolation()) && row.value != "serializable") {
      return SqlError(sql::kActiveSqlTransaction,
                      "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    }
    return sink.Complete(bound.command_tag);
  }
  std::vector<Settings::Row> before = settings_.Reported();
  SaveSettingsForRollback(bound.local);
  auto apply = [&](Settings& settings) {
    return bound.kind == StatementKind::kSet ? settings.Set(bound.name, bound.value)
                                             : settings.Reset(bound.name);
  };
  PLEXUS_RETURN_IF_ERROR(apply(settings_));
  if (!bound.local && settings_without_local_) PLEXUS_RETURN_IF_ERROR(apply(*settings_without_local_));
  std::vector<Settings::Row> after = settings_.Reported();
  for (size_t i = 0; i < after.size(); ++i) {
    if (after[i].value != before[i].value) sink.ParameterChanged(after[i].name, after[i].value);
  }
  return sink.Complete(bound.command_tag);
}

void Session::SaveSettingsForRollback(bool local) {
  if (state_ == TransactionState::kIdle) return;
  if (!settings_at_begin_) settings_at_begin_ = std::make_unique<Settings>(settings_);
  if (local && !settings_without_local_) settings_without_local_ = std::make_unique<Settings>(settings_);
}

Status Session::ExecuteDdl(const sql::BoundStatement& bound, txn::Transaction& transaction,
                           ResultSink& sink) {
  catalog::Catalog& catalog = engine_->catalog();
  wrote_catalog_ = true;
  switch (bound.kind) {
    case StatementKind::kCreateTable: {
      catalog::TableDef table = bound.table;
      Status status = catalog.CreateTable(transaction, &table);
      if (status.code() == StatusCode::kAlreadyExists) {
        if (bound.if_not_exists) {
          sink.Notice({NoticeSeverity::kNotice, sql::kDuplicateTable.code,
                       "relation \"" + table.name + "\" already exists, skipping"});
          break;
        }
        return SqlError(sql::kDuplicateTable, "relation \"" + table.name + "\" already exists");
      }
      PLEXUS_RETURN_IF_ERROR(status);
      MarkCreatedKeys(transaction, table, nullptr);
      PLEXUS_RETURN_IF_ERROR(CreateSequences(catalog, transaction, bound.sequences));
      if (bound.prepared != nullptr) {
        // CREATE TABLE AS / SELECT INTO: the query's rows go in as INSERT INTO the new table
        // would put them (the tag counts them: SELECT n).
        PgQuery__RangeVar relation = PG_QUERY__RANGE_VAR__INIT;
        relation.schemaname = table.schema.data();
        relation.relname = table.name.data();
        relation.inh = true;
        PgQuery__InsertStmt insert = PG_QUERY__INSERT_STMT__INIT;
        insert.relation = &relation;
        insert.select_stmt = const_cast<PgQuery__Node*>(bound.prepared);
        PgQuery__Node statement = PG_QUERY__NODE__INIT;
        statement.node_case = PG_QUERY__NODE__NODE_INSERT_STMT;
        statement.insert_stmt = &insert;
        sql::Binder binder(&transaction, &catalog);
        PLEXUS_ASSIGN_OR_RETURN(sql::BoundStatement fill, binder.Bind(statement));
        fill.command_tag = "SELECT";
        return RunPlan(fill, *NewContext(transaction), sink);
      }
      break;
    }
    case StatementKind::kAlterTable:
      PLEXUS_RETURN_IF_ERROR(ExecuteAlterTable(bound, transaction, sink));
      break;
    case StatementKind::kCreateSequence: {
      catalog::SequenceDef sequence = bound.sequences[0];
      Status status = catalog.CreateSequence(transaction, &sequence);
      if (status.code() == StatusCode::kAlreadyExists) {
        if (bound.if_not_exists) {
          sink.Notice({NoticeSeverity::kNotice, sql::kDuplicateTable.code,
                       "relation \"" + sequence.name + "\" already exists, skipping"});
          break;
        }
        return SqlError(sql::kDuplicateTable, "relation \"" + sequence.name + "\" already exists");
      }
      PLEXUS_RETURN_IF_ERROR(status);
      break;
    }
    case StatementKind::kDropSequence:
      for (const sql::ObjectName& name : bound.objects) {
        auto sequence = catalog.FindSequence(transaction, name.schema, name.name);
        if (sequence.status().IsNotFound()) {
          if (bound.missing_ok) {
            sink.Notice({.message = "sequence \"" + name.name + "\" does not exist, skipping"});
            continue;
          }
          return SqlError(sql::kUndefinedTable, "sequence \"" + name.name + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(sequence.status());
        PLEXUS_RETURN_IF_ERROR(catalog.DropSequence(transaction, **sequence));
      }
      break;
    case StatementKind::kDropTable:
    case StatementKind::kTruncate:
      for (const sql::ObjectName& name : bound.objects) {
        auto table = catalog.FindTable(transaction, name.schema, name.name);
        if (table.status().IsNotFound()) {
          if (bound.missing_ok) {
            sink.Notice({.message = "table \"" + name.name + "\" does not exist, skipping"});
            continue;
          }
          return SqlError(sql::kUndefinedTable,
                          (bound.kind == StatementKind::kTruncate ? "relation \"" : "table \"") +
                              name.name + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(table.status());
        if (bound.kind == StatementKind::kDropTable) {
          PLEXUS_RETURN_IF_ERROR(DropDependentViews(catalog, transaction, "table",
                                                    {name.schema, name.name}, bound.objects,
                                                    bound.cascade, sink));
          PLEXUS_RETURN_IF_ERROR(DropReferencingKeys(catalog, transaction, **table, bound.objects,
                                                     bound.cascade, sink));
          PLEXUS_RETURN_IF_ERROR(DropTableAndData(catalog, transaction, **table));
        } else {
          PLEXUS_RETURN_IF_ERROR(DeleteTableData(transaction, **table));
          // The emptied table goes on under new ids, as PostgreSQL gives it a new relfilenode:
          // rows loaded later in this transaction (BEGIN; TRUNCATE; COPY, as pgbench -i does)
          // are its own until it commits, written without row locks.
          catalog::TableDef renewed = **table;
          PLEXUS_ASSIGN_OR_RETURN(renewed.id, catalog.AllocateId(transaction));
          for (catalog::IndexDef& index : renewed.indexes) {
            PLEXUS_ASSIGN_OR_RETURN(index.id, catalog.AllocateId(transaction));
          }
          PLEXUS_RETURN_IF_ERROR(catalog.UpdateTable(transaction, renewed));
          MarkCreatedKeys(transaction, renewed, nullptr);
        }
      }
      break;
    case StatementKind::kCreateView: {
      Status status = catalog.CreateView(transaction, bound.view);
      if (status.code() == StatusCode::kAlreadyExists) {
        return SqlError(sql::kDuplicateTable, "relation \"" + bound.view.name + "\" already exists");
      }
      PLEXUS_RETURN_IF_ERROR(status);
      break;
    }
    case StatementKind::kDropView:
      for (const sql::ObjectName& name : bound.objects) {
        auto view = catalog.FindView(transaction, name.schema, name.name);
        if (view.status().IsNotFound()) {
          if (bound.missing_ok) {
            sink.Notice({.message = "view \"" + name.name + "\" does not exist, skipping"});
            continue;
          }
          return SqlError(sql::kUndefinedTable, "view \"" + name.name + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(view.status());
        PLEXUS_RETURN_IF_ERROR(DropDependentViews(catalog, transaction, "view",
                                                  {name.schema, name.name}, bound.objects,
                                                  bound.cascade, sink));
        PLEXUS_RETURN_IF_ERROR(catalog.DropView(transaction, **view));
      }
      break;
    case StatementKind::kCreateIndex: {
      // Entries are maintained by every write from now on; queries do not read indexes yet.
      catalog::TableDef table = bound.table;
      catalog::IndexDef& index = table.indexes.back();
      PLEXUS_ASSIGN_OR_RETURN(index.id, catalog.AllocateId(transaction));
      // A new index id: its entries are this transaction's alone until it commits.
      transaction.AddPrivatePrefix(storage::Family::kIndex, sql::IndexKeyPrefix(index.id));
      PLEXUS_RETURN_IF_ERROR(sql::BuildIndex(transaction, table, index));
      PLEXUS_RETURN_IF_ERROR(catalog.UpdateTable(transaction, table));
      break;
    }
    case StatementKind::kDropIndex:
      for (const sql::ObjectName& name : bound.objects) {
        PLEXUS_ASSIGN_OR_RETURN(auto tables, catalog.ListTables(transaction));
        bool found = false;
        for (const catalog::TableDefPtr& table : tables) {
          catalog::TableDef updated = *table;
          auto& indexes = updated.indexes;
          auto it = std::find_if(indexes.begin(), indexes.end(),
                                 [&](const catalog::IndexDef& index) { return index.name == name.name; });
          if (it == indexes.end()) continue;
          PLEXUS_RETURN_IF_ERROR(sql::DropIndexEntries(transaction, it->id));
          indexes.erase(it);
          PLEXUS_RETURN_IF_ERROR(catalog.UpdateTable(transaction, updated));
          found = true;
          break;
        }
        if (!found && !bound.missing_ok) {
          return SqlError(sql::kUndefinedObject, "index \"" + name.name + "\" does not exist");
        }
      }
      break;
    case StatementKind::kCreateSchema: {
      Status status = catalog.CreateSchema(transaction, bound.objects[0].schema);
      if (status.code() == StatusCode::kAlreadyExists) {
        if (bound.if_not_exists) break;
        return SqlError(sql::kDuplicateSchema,
                        "schema \"" + bound.objects[0].schema + "\" already exists");
      }
      PLEXUS_RETURN_IF_ERROR(status);
      // The binder stamps the creating role as owner (sql/bind/bind_privileges.cc).
      if (bound.table.privileges.owner != catalog::kBootstrapOwnerOid) {
        PLEXUS_RETURN_IF_ERROR(catalog::SetSchemaPrivileges(transaction, bound.objects[0].schema,
                                                            bound.table.privileges));
      }
      break;
    }
    case StatementKind::kDropSchema:
      for (const sql::ObjectName& name : bound.objects) {
        PLEXUS_ASSIGN_OR_RETURN(bool exists, catalog.SchemaExists(transaction, name.schema));
        if (!exists) {
          if (bound.missing_ok) {
            sink.Notice({.message = "schema \"" + name.schema + "\" does not exist, skipping"});
            continue;
          }
          return SqlError(sql::kInvalidSchemaName, "schema \"" + name.schema + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(
            DropSchemaObjects(catalog, transaction, name.schema, bound.cascade, sink));
        PLEXUS_RETURN_IF_ERROR(catalog.DropSchema(transaction, name.schema));
      }
      break;
    case StatementKind::kNoOp:
      // ANALYZE: statistics for the planner, cached when the transaction commits.
      if (bound.name == "analyze") {
        PLEXUS_RETURN_IF_ERROR(sql::stats::ExecuteAnalyze(bound, *NewContext(transaction)));
      }
      break;
    default:
      return SqlError(sql::kFeatureNotSupported, "statement is not supported yet");
  }
  return sink.Complete(bound.command_tag);
}

}  // namespace plexus::session
