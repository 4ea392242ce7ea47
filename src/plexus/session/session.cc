// Statement execution: autocommit outside BEGIN, the failed-transaction state inside it, and
// the DDL and DML drivers.
#include "plexus/session/session.h"

#include <pg_query/pg_query.pb-c.h>

#include <algorithm>

#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/index_maintenance.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/row_codec.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/sqlstate.h"
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

Status DeleteTableRows(txn::Transaction& transaction, uint32_t table_id, uint64_t* deleted) {
  std::string prefix = sql::TableKeyPrefix(table_id);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                          transaction.Scan(storage::Family::kRows, prefix,
                                           storage::PrefixSuccessor(prefix)));
  std::vector<std::string> keys;
  for (; iterator->Valid(); iterator->Next()) keys.emplace_back(iterator->key());
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  for (const std::string& key : keys) {
    PLEXUS_RETURN_IF_ERROR(transaction.Delete(storage::Family::kRows, key));
  }
  if (deleted) *deleted = keys.size();
  return Status::Ok();
}

Status RunPlan(const sql::PlanNode& plan, sql::ExecContext& context, ResultSink& sink,
               bool returns_rows, uint64_t* rows_out) {
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<sql::Operator> root, sql::BuildOperator(plan));
  PLEXUS_RETURN_IF_ERROR(root->Open(context));
  if (returns_rows) {
    std::vector<ResultColumn> columns;
    for (size_t i = 0; i < plan.types.size(); ++i) columns.push_back({plan.names[i], plan.types[i]});
    PLEXUS_RETURN_IF_ERROR(sink.BeginRows(columns));
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
  *rows_out = rows;
  return Status::Ok();
}

}  // namespace

Session::~Session() {
  // An open transaction ends with the session, as when a client disconnects: rolled back.
  if (transaction_ && transaction_->is_open()) [[maybe_unused]] Status status = transaction_->Rollback();
}

Status Session::Execute(std::string_view sql, ResultSink& sink) {
  PLEXUS_ASSIGN_OR_RETURN(sql::ParseTree tree, sql::ParseTree::Parse(sql));
  for (size_t i = 0; i < tree.statement_count(); ++i) {
    PLEXUS_RETURN_IF_ERROR(ExecuteStatement(*tree.statement(i).stmt, sink));
  }
  return Status::Ok();
}

Status Session::ExecuteStatement(const PgQuery__Node& statement, ResultSink& sink) {
  const bool autocommit = state_ == TransactionState::kIdle;
  std::unique_ptr<txn::Transaction> own;
  txn::Transaction* transaction = transaction_.get();
  if (autocommit) {
    own = engine_->transactions().Begin();
    transaction = own.get();
  }
  transaction->BeginStatement();
  sql::Binder binder(transaction, &engine_->catalog());
  Result<sql::BoundStatement> bound = binder.Bind(statement);
  if (bound.ok() && IsTransactionControl(bound->kind)) {
    return WithSqlState(ExecuteTransactionControl(*bound, sink));
  }
  if (state_ == TransactionState::kFailed) {
    return SqlError(sql::kInFailedSqlTransaction,
                    "current transaction is aborted, commands ignored until end of transaction "
                    "block");
  }
  Status status = bound.ok() ? ExecuteBound(*bound, *transaction, sink) : bound.status();
  if (status.ok() && autocommit) status = transaction->Commit();
  if (!status.ok()) {
    if (autocommit) {
      if (transaction->is_open()) [[maybe_unused]] Status ignored = transaction->Rollback();
    } else {
      state_ = TransactionState::kFailed;
    }
    return WithSqlState(std::move(status));
  }
  return Status::Ok();
}

Status Session::ExecuteTransactionControl(const sql::BoundStatement& bound, ResultSink& sink) {
  switch (bound.kind) {
    case StatementKind::kBegin: {
      if (state_ != TransactionState::kIdle) {
        sink.Notice("there is already a transaction in progress");
        return sink.Complete(bound.command_tag);
      }
      TransactionOptions options;
      options.isolation = bound.isolation;
      transaction_ = engine_->transactions().Begin(options);
      state_ = TransactionState::kActive;
      return sink.Complete(bound.command_tag);
    }
    case StatementKind::kCommit:
    case StatementKind::kRollback: {
      if (state_ == TransactionState::kIdle) {
        sink.Notice("there is no transaction in progress");
        return sink.Complete(bound.command_tag);
      }
      const bool commit = bound.kind == StatementKind::kCommit && state_ == TransactionState::kActive;
      Status status = commit ? transaction_->Commit() : transaction_->Rollback();
      transaction_.reset();
      state_ = TransactionState::kIdle;
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
    if (state_ == TransactionState::kFailed) {
      return SqlError(sql::kInFailedSqlTransaction,
                      "current transaction is aborted, commands ignored until end of transaction "
                      "block");
    }
    status = transaction_->Savepoint(bound.name);
  } else if (bound.kind == StatementKind::kReleaseSavepoint) {
    status = transaction_->ReleaseSavepoint(bound.name);
  } else {
    status = transaction_->RollbackToSavepoint(bound.name);
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

Status Session::ExecuteBound(sql::BoundStatement& bound, txn::Transaction& transaction,
                             ResultSink& sink) {
  if (bound.kind != StatementKind::kQuery && bound.kind != StatementKind::kDml) {
    return ExecuteDdl(bound, transaction, sink);
  }
  sql::ExecContext context(&transaction, &engine_->catalog());
  context.set_row_ids(&engine_->row_ids());
  uint64_t rows = 0;
  const bool query = bound.kind == StatementKind::kQuery;
  // DML returns rows with RETURNING; its command tag still counts the rows changed.
  const bool returns_rows = query || !bound.plan->types.empty();
  PLEXUS_RETURN_IF_ERROR(RunPlan(*bound.plan, context, sink, returns_rows, &rows));
  const uint64_t count = query ? rows : context.affected_rows();
  return sink.Complete(bound.command_tag + " " + std::to_string(count));
}

Status Session::ExecuteDdl(const sql::BoundStatement& bound, txn::Transaction& transaction,
                           ResultSink& sink) {
  catalog::Catalog& catalog = engine_->catalog();
  switch (bound.kind) {
    case StatementKind::kCreateTable: {
      catalog::TableDef table = bound.table;
      Status status = catalog.CreateTable(transaction, &table);
      if (status.code() == StatusCode::kAlreadyExists) {
        if (bound.if_not_exists) {
          sink.Notice("relation \"" + table.name + "\" already exists, skipping");
          break;
        }
        return SqlError(sql::kDuplicateTable, "relation \"" + table.name + "\" already exists");
      }
      PLEXUS_RETURN_IF_ERROR(status);
      break;
    }
    case StatementKind::kDropTable:
    case StatementKind::kTruncate:
      for (const sql::ObjectName& name : bound.objects) {
        auto table = catalog.FindTable(transaction, name.schema, name.name);
        if (table.status().IsNotFound()) {
          if (bound.missing_ok) {
            sink.Notice("table \"" + name.name + "\" does not exist, skipping");
            continue;
          }
          return SqlError(sql::kUndefinedTable,
                          (bound.kind == StatementKind::kTruncate ? "relation \"" : "table \"") +
                              name.name + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(table.status());
        PLEXUS_RETURN_IF_ERROR(DeleteTableRows(transaction, (*table)->id, nullptr));
        for (const catalog::IndexDef& index : (*table)->indexes) {
          PLEXUS_RETURN_IF_ERROR(sql::DropIndexEntries(transaction, index.id));
        }
        if (bound.kind == StatementKind::kDropTable) {
          PLEXUS_RETURN_IF_ERROR(catalog.DropTable(transaction, **table));
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
            sink.Notice("view \"" + name.name + "\" does not exist, skipping");
            continue;
          }
          return SqlError(sql::kUndefinedTable, "view \"" + name.name + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(view.status());
        PLEXUS_RETURN_IF_ERROR(catalog.DropView(transaction, **view));
      }
      break;
    case StatementKind::kCreateIndex: {
      // Entries are maintained by every write from now on; queries do not read indexes yet.
      catalog::TableDef table = bound.table;
      catalog::IndexDef& index = table.indexes.back();
      PLEXUS_ASSIGN_OR_RETURN(index.id, catalog.AllocateId(transaction));
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
      break;
    }
    case StatementKind::kDropSchema:
      for (const sql::ObjectName& name : bound.objects) {
        PLEXUS_ASSIGN_OR_RETURN(bool exists, catalog.SchemaExists(transaction, name.schema));
        if (!exists) {
          if (bound.missing_ok) continue;
          return SqlError(sql::kInvalidSchemaName, "schema \"" + name.schema + "\" does not exist");
        }
        PLEXUS_RETURN_IF_ERROR(catalog.DropSchema(transaction, name.schema));
      }
      break;
    case StatementKind::kNoOp:
      break;
    default:
      return SqlError(sql::kFeatureNotSupported, "statement is not supported yet");
  }
  return sink.Complete(bound.command_tag);
}

}  // namespace plexus::session
