// Prepared statements and portals: Prepare binds once (plans are bound again when the catalog
// changed), Bind gives parameter values, Execute runs a portal a few rows at a time if asked;
// SQL PREPARE, EXECUTE and DEALLOCATE use the same machinery.
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>

#include "plexus/session/result_columns.h"
#include "plexus/session/session.h"
#include "plexus/session/session_internal.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/exec/operator.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/parse/parser.h"
#include "plexus/sql/plan/point_read.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/stats/auto_analyze.h"

namespace plexus::session {

namespace {

using sql::SqlError;
using sql::StatementKind;

// Rows [begin, begin + count) of `from` into `to` (a portal returning part of a batch).
void CopyRows(const sql::Batch& from, size_t begin, size_t count,
              const std::vector<catalog::Type>& types, sql::Batch* to) {
  *to = sql::Batch(types);
  for (size_t c = 0; c < from.column_count(); ++c) {
    for (size_t r = 0; r < count; ++r) {
      sql::SetValue(&to->column(c), r, sql::GetValue(from.column(c), begin + r));
    }
  }
  to->set_rows(count);
}

}  // namespace

Portal::~Portal() {
  Close();
  if (session_ != nullptr) session_->portals_.erase(this);
}

void Portal::Close() {
  root_.reset();
  context_.reset();
  bound_.reset();
  if (own_transaction_ && own_transaction_->is_open()) {
    [[maybe_unused]] Status ignored = own_transaction_->Rollback();
  }
  own_transaction_.reset();
  transaction_ = nullptr;
  if (started_) done_ = true;
}

Status Session::ExecutePrepare(const sql::BoundStatement& bound,
                               const std::shared_ptr<const sql::ParseTree>& tree,
                               txn::Transaction& transaction, ResultSink& sink) {
  if (prepared_.contains(bound.name)) {
    return SqlError(sql::kDuplicatePreparedStatement,
                    "prepared statement \"" + bound.name + "\" already exists");
  }
  PLEXUS_ASSIGN_OR_RETURN(
      std::shared_ptr<PreparedStatement> prepared,
      PrepareNode(tree, bound.prepared, tree->sql(), bound.parameter_types, transaction));
  prepared_.emplace(bound.name, std::move(prepared));
  return sink.Complete(bound.command_tag);
}

Status Session::ExecuteNamed(const sql::BoundStatement& bound, sql::Binder& binder,
                             txn::Transaction& transaction, ResultSink& sink) {
  if (bound.kind == StatementKind::kDeallocate && bound.name.empty()) {
    prepared_.clear();
    return sink.Complete(bound.command_tag);
  }
  auto found = prepared_.find(bound.name);
  if (found == prepared_.end()) {
    return SqlError(sql::kUndefinedPreparedStatement,
                    "prepared statement \"" + bound.name + "\" does not exist");
  }
  if (bound.kind == StatementKind::kDeallocate) {
    prepared_.erase(found);
    return sink.Complete(bound.command_tag);
  }
  std::shared_ptr<PreparedStatement> prepared = found->second;
  PLEXUS_ASSIGN_OR_RETURN(std::vector<sql::Value> parameters,
                          binder.EvaluateArguments(bound.arguments, prepared->parameter_types()));
  PLEXUS_ASSIGN_OR_RETURN(std::shared_ptr<sql::BoundStatement> plan,
                          BoundPlan(*prepared, transaction));
  if (!plan) return SqlError(sql::kFeatureNotSupported, "EXECUTE of this statement is not supported");
  std::unique_ptr<sql::ExecContext> context = NewContext(transaction);
  context->parameters() = std::move(parameters);
  return RunPlan(*plan, *context, sink);
}

Result<std::shared_ptr<PreparedStatement>> Session::PrepareNode(
    const std::shared_ptr<const sql::ParseTree>& tree, const PgQuery__Node* statement,
    std::string_view text, std::vector<catalog::Type> parameter_types,
    txn::Transaction& transaction) {
  auto prepared = std::make_shared<PreparedStatement>();
  prepared->sql_ = text;
  prepared->tree_ = tree;
  prepared->statement_ = statement;
  sql::SessionTimeScope time(&settings_.time_zone(), transaction_start_);
  const uint64_t version = engine_->catalog().version();
  sql::Binder binder(&transaction, &engine_->catalog());
  binder.set_parameter_types(std::move(parameter_types));
  PLEXUS_ASSIGN_OR_RETURN(sql::BoundStatement bound, binder.Bind(*statement));
  PLEXUS_RETURN_IF_ERROR(binder.CheckParameterTypesDetermined());
  prepared->parameter_types_ = binder.parameter_types();
  if (bound.kind == StatementKind::kQuery || bound.kind == StatementKind::kDml) {
    const sql::PlanNode& plan = *bound.plan;
    prepared->columns_ = ResultColumnsOf(plan);
    prepared->returns_rows_ = bound.kind == StatementKind::kQuery || !plan.types.empty();
    prepared->bound_ = std::make_shared<sql::BoundStatement>(std::move(bound));
    prepared->point_read_ = sql::IsPointRead(*prepared->bound_->plan);
    prepared->catalog_version_ = version;
  } else if (bound.kind == StatementKind::kShow) {
    const catalog::Type text_type = catalog::Type::Of(catalog::TypeId::kText);
    prepared->returns_rows_ = true;
    if (bound.name == "all") {
      prepared->columns_ = {{"name", text_type}, {"setting", text_type}, {"description", text_type}};
    } else {
      PLEXUS_ASSIGN_OR_RETURN(Settings::Row row, settings_.Show(bound.name));
      prepared->columns_ = {{row.name, text_type}};
    }
  }
  return prepared;
}

Result<std::shared_ptr<PreparedStatement>> Session::PrepareNode(
    const std::shared_ptr<const sql::ParseTree>& tree, const PgQuery__Node* statement,
    std::string_view text, std::vector<catalog::Type> parameter_types) {
  std::unique_ptr<txn::Transaction> own;
  txn::Transaction* transaction = transaction_.get();
  if (transaction == nullptr) {
    own = engine_->transactions().Begin();
    transaction = own.get();
  }
  transaction->BeginStatement();
  Result<std::shared_ptr<PreparedStatement>> prepared =
      PrepareNode(tree, statement, text, std::move(parameter_types), *transaction);
  if (own) [[maybe_unused]] Status ignored = own->Rollback();
  return prepared;
}

bool Session::RunsWithoutWaiting(const PreparedStatement& statement) const {
  return state_ == TransactionState::kIdle && statement.point_read_ &&
         statement.catalog_version_ == engine_->catalog().version();
}

Result<std::shared_ptr<sql::BoundStatement>> Session::BoundPlan(PreparedStatement& statement,
                                                                txn::Transaction& transaction) {
  if (!statement.bound_) return std::shared_ptr<sql::BoundStatement>();
  const uint64_t version = engine_->catalog().version();
  if (statement.catalog_version_ == version) return statement.bound_;
  // A table or view changed since: bind again, with the parameter types fixed at Prepare.
  sql::Binder binder(&transaction, &engine_->catalog());
  binder.set_parameter_types(statement.parameter_types_);
  PLEXUS_ASSIGN_OR_RETURN(sql::BoundStatement bound, binder.Bind(*statement.statement_));
  const sql::PlanNode& plan = *bound.plan;
  bool same = plan.types.size() == statement.columns_.size();
  for (size_t i = 0; same && i < plan.types.size(); ++i) {
    same = plan.types[i] == statement.columns_[i].type;
  }
  if (!same || binder.parameter_types() != statement.parameter_types_) {
    return SqlError(sql::kFeatureNotSupported, "cached plan must not change result type");
  }
  statement.bound_ = std::make_shared<sql::BoundStatement>(std::move(bound));
  statement.point_read_ = sql::IsPointRead(*statement.bound_->plan);
  statement.catalog_version_ = version;
  return statement.bound_;
}

Result<std::shared_ptr<PreparedStatement>> Session::Prepare(
    std::string_view sql, std::vector<catalog::Type> parameter_types) {
  Result<sql::ParseTree> parse = sql::ParseTree::Parse(sql);
  if (!parse.ok() || parse->statement_count() > 1) {
    // A failed Parse fails the block, as any failed statement does.
    if (state_ == TransactionState::kActive && !implicit_block_) state_ = TransactionState::kFailed;
    if (!parse.ok()) return parse.status();
    return SqlError(sql::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  }
  sql::ParseTree parsed = std::move(parse).value();
  auto tree = std::make_shared<const sql::ParseTree>(std::move(parsed));
  if (tree->statement_count() == 0) {
    auto empty = std::make_shared<PreparedStatement>();
    empty->tree_ = std::move(tree);
    return empty;
  }
  // A failed block accepts only its end (COMMIT, ROLLBACK, ROLLBACK TO), prepared or not.
  if (state_ == TransactionState::kFailed &&
      tree->statement(0).stmt->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT) {
    return InFailedTransaction();
  }
  Result<std::shared_ptr<PreparedStatement>> prepared =
      PrepareNode(tree, tree->statement(0).stmt, tree->statement_text(0),
                  std::move(parameter_types));
  if (!prepared.ok()) {
    // A failed Parse fails the block, as any failed statement does.
    if (state_ == TransactionState::kActive && !implicit_block_) state_ = TransactionState::kFailed;
    return WithSqlState(prepared.status());
  }
  return prepared;
}

Result<std::unique_ptr<Portal>> Session::Bind(std::shared_ptr<PreparedStatement> statement,
                                              std::vector<sql::Value> parameters) {
  if (parameters.size() != statement->parameter_types_.size()) {
    return SqlError(sql::kProtocolViolation,
                    "bind message supplies " + std::to_string(parameters.size()) +
                        " parameters, but prepared statement requires " +
                        std::to_string(statement->parameter_types_.size()));
  }
  std::unique_ptr<Portal> portal(new Portal());
  portal->session_ = this;
  portal->statement_ = std::move(statement);
  portal->parameters_ = std::move(parameters);
  portals_.insert(portal.get());
  return portal;
}

Status Session::Execute(Portal& portal, ResultSink& sink, uint64_t max_rows, bool* suspended) {
  if (suspended) *suspended = false;
  const PreparedStatement& statement = *portal.statement_;
  if (portal.done_) {
    // Run to completion already: nothing more, as PostgreSQL answers.
    return sink.Complete(statement.returns_rows_ && statement.bound_ &&
                                 statement.bound_->kind == StatementKind::kQuery
                             ? "SELECT 0"
                             : "");
  }
  if (!portal.started_) {
    if (statement.statement_ == nullptr) {
      portal.started_ = portal.done_ = true;
      return sink.Complete("");  // an empty query
    }
    if (!statement.bound_) {
      // Statements without a plan (DDL, SET, transaction control) run as text statements do.
      portal.started_ = portal.done_ = true;
      return ExecuteStatement(*statement.statement_, statement.tree_, sink);
    }
    PLEXUS_RETURN_IF_ERROR(Start(portal, sink));
    if (portal.done_) return Status::Ok();
  }
  return Fetch(portal, sink, max_rows, suspended);
}

Status Session::Start(Portal& portal, ResultSink& sink) {
  if (state_ == TransactionState::kFailed) return InFailedTransaction();
  portal.started_ = true;
  if (state_ == TransactionState::kIdle) {
    portal.own_transaction_ = BeginTransaction(std::nullopt);
    portal.transaction_ = portal.own_transaction_.get();
  } else {
    portal.transaction_ = transaction_.get();
    portal.in_block_ = true;
  }
  // An autocommit statement that reads one key sees one consistent state without a snapshot:
  // taking and releasing one (the database mutex twice, and a pass over every family's files
  // at each release) was ~900 instructions of a prepared point SELECT's ~16K. A statement in a
  // block takes its own, or it would read at the previous statement's.
  const PreparedStatement& prepared = *portal.statement_;
  const bool single_read = portal.own_transaction_ && prepared.point_read_ &&
                           prepared.catalog_version_ == engine_->catalog().version() &&
                           sql::IsSingleKeyRead(*prepared.bound_->plan);
  if (!single_read) portal.transaction_->BeginStatement();
  sql::SessionTimeScope time(&settings_.time_zone(), transaction_start_);
  Status status = [&]() -> Status {
    PreparedStatement& statement = *portal.statement_;
    PLEXUS_ASSIGN_OR_RETURN(portal.bound_, BoundPlan(statement, *portal.transaction_));
    portal.context_ = NewContext(*portal.transaction_);
    portal.context_->parameters() = portal.parameters_;
    if (statement.idle_root_ && statement.idle_plan_ == portal.bound_) {
      portal.root_ = std::move(statement.idle_root_);
      portal.batch_ = std::move(statement.idle_batch_);
      portal.batch_.Reset();
    } else {
      PLEXUS_ASSIGN_OR_RETURN(portal.root_, sql::BuildOperator(*portal.bound_->plan));
      portal.batch_ = sql::Batch(portal.bound_->plan->types);
    }
    statement.idle_root_.reset();
    statement.idle_plan_.reset();
    PLEXUS_RETURN_IF_ERROR(portal.root_->Open(*portal.context_));
    if (statement.returns_rows_) PLEXUS_RETURN_IF_ERROR(sink.BeginRows(statement.columns_));
    return Status::Ok();
  }();
  if (!status.ok()) {
    std::unique_ptr<txn::Transaction> own = std::move(portal.own_transaction_);
    portal.Close();
    return Fail(std::move(status), own.get());
  }
  // DML changes every row on its first Execute, whatever the row limit.
  if (portal.bound_->kind == StatementKind::kDml) return Fetch(portal, sink, 0, nullptr);
  return Status::Ok();
}

void Session::KeepForNextExecution(Portal& portal) {
  PreparedStatement& statement = *portal.statement_;
  // Another portal of the statement may have finished first, or the plan was bound again.
  if (statement.idle_root_ || statement.bound_ != portal.bound_) return;
  statement.idle_plan_ = portal.bound_;
  statement.idle_root_ = std::move(portal.root_);
  statement.idle_batch_ = std::move(portal.batch_);
}

Status Session::Fetch(Portal& portal, ResultSink& sink, uint64_t max_rows, bool* suspended) {
  sql::SessionTimeScope time(&settings_.time_zone(), transaction_start_);
  const sql::BoundStatement& bound = *portal.bound_;
  const bool returns_rows = portal.statement_->returns_rows_;
  uint64_t sent = 0;
  Status status = [&]() -> Status {
    sql::Batch part;
    while (true) {
      if (portal.batch_offset_ == portal.batch_.rows()) {
        portal.batch_.Reset();
        portal.batch_offset_ = 0;
        PLEXUS_RETURN_IF_ERROR(portal.root_->Next(*portal.context_, &portal.batch_));
        if (portal.batch_.rows() == 0) return Status::Ok();  // done
      }
      if (max_rows != 0 && sent == max_rows) {
        if (suspended) *suspended = true;
        return Status::Ok();
      }
      const size_t available = portal.batch_.rows() - portal.batch_offset_;
      const size_t take = max_rows == 0 ? available
                                        : static_cast<size_t>(std::min<uint64_t>(available, max_rows - sent));
      if (returns_rows) {
        if (portal.batch_offset_ == 0 && take == portal.batch_.rows()) {
          PLEXUS_RETURN_IF_ERROR(sink.Rows(portal.batch_));
        } else {
          CopyRows(portal.batch_, portal.batch_offset_, take, bound.plan->types, &part);
          PLEXUS_RETURN_IF_ERROR(sink.Rows(part));
        }
      }
      portal.batch_offset_ += take;
      portal.rows_ += take;
      sent += take;
    }
  }();
  std::unique_ptr<txn::Transaction> own;
  if (!status.ok() || !(suspended && *suspended)) own = std::move(portal.own_transaction_);
  if (!status.ok()) {
    portal.Close();
    return Fail(std::move(status), own.get());
  }
  if (suspended && *suspended) return Status::Ok();
  const uint64_t count = bound.kind == StatementKind::kQuery ? portal.rows_
                                                              : portal.context_->affected_rows();
  if (bound.kind != StatementKind::kQuery) {
    sql::stats::NoteStatementChanges(engine_->catalog().instance(), *bound.plan, count);
  }
  const std::string tag = bound.command_tag + " " + std::to_string(count);
  KeepForNextExecution(portal);
  portal.Close();
  PLEXUS_RETURN_IF_ERROR(Succeed(own.get(), sink));
  return sink.Complete(tag);
}

}  // namespace plexus::session
