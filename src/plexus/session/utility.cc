// Statements the session runs from their parse tree: role DDL (role_statements.cc), GRANT,
// REVOKE and OWNER TO (grant_statements.cc), COMMENT ON (comment_statements.cc), CREATE/DROP
// EXTENSION (extension_statements.cc) and LISTEN,
// UNLISTEN, NOTIFY, whose effects wait for the transaction's commit (EndNotifications).
#include <pg_query/pg_query.pb-c.h>

#include "plexus/session/comment_statements.h"
#include "plexus/session/extension_statements.h"
#include "plexus/session/grant_statements.h"
#include "plexus/session/role_statements.h"
#include "plexus/session/session.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/func/notify.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/stats/auto_analyze.h"
#include "plexus/sql/stats/statistics.h"
#include "plexus/sql/system/advisory_locks.h"

namespace plexus::session {

std::string_view NoticeSeverityName(NoticeSeverity severity) {
  switch (severity) {
    case NoticeSeverity::kWarning: return "WARNING";
    case NoticeSeverity::kNotice: return "NOTICE";
    case NoticeSeverity::kInfo: return "INFO";
    case NoticeSeverity::kLog: return "LOG";
    case NoticeSeverity::kDebug: return "DEBUG";
  }
  return "NOTICE";
}

bool Session::IsUtility(const PgQuery__Node& statement) {
  switch (statement.node_case) {
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT:
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
    case PG_QUERY__NODE__NODE_UNLISTEN_STMT:
    case PG_QUERY__NODE__NODE_NOTIFY_STMT:
    case PG_QUERY__NODE__NODE_GRANT_STMT:
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
      return true;
    case PG_QUERY__NODE__NODE_DROP_STMT:
      return statement.drop_stmt->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      return IsAlterTableOwner(*statement.alter_table_stmt);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      return statement.rename_stmt->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_ROLE;
    default:
      return false;
  }
}

Status Session::ExecuteUtility(const PgQuery__Node& statement, txn::Transaction& transaction,
                               ResultSink& sink) {
  RoleStatementContext roles{&engine_->catalog(), &transaction, user_,
                             sql::DateTimeContext{&settings_.time_zone(), transaction_start_},
                             &sink};
  const bool listen = statement.node_case == PG_QUERY__NODE__NODE_LISTEN_STMT ||
                      statement.node_case == PG_QUERY__NODE__NODE_UNLISTEN_STMT ||
                      statement.node_case == PG_QUERY__NODE__NODE_NOTIFY_STMT;
  if (!listen) {
    // Roles, privileges and owners decide what plans may run: bound plans are checked again.
    wrote_catalog_ = true;
    engine_->catalog().BumpVersion();
  }
  switch (statement.node_case) {
    case PG_QUERY__NODE__NODE_GRANT_STMT:
      return ExecuteGrant(*statement.grant_stmt, roles);
    case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
      return ExecuteGrantRole(*statement.grant_role_stmt, roles);
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
      return ExecuteAlterTableOwner(*statement.alter_table_stmt, roles);
    case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
      return ExecuteAlterOwner(*statement.alter_owner_stmt, roles);
    case PG_QUERY__NODE__NODE_COMMENT_STMT:
      return ExecuteComment(*statement.comment_stmt, roles);
    case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
      return ExecuteCreateExtension(*statement.create_extension_stmt, roles);
    case PG_QUERY__NODE__NODE_DROP_STMT:
      return ExecuteDropExtension(*statement.drop_stmt, roles);
    case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
      return ExecuteCreateRole(*statement.create_role_stmt, roles);
    case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
      return ExecuteAlterRole(*statement.alter_role_stmt, roles);
    case PG_QUERY__NODE__NODE_RENAME_STMT:
      return ExecuteRenameRole(*statement.rename_stmt, roles);
    case PG_QUERY__NODE__NODE_DROP_ROLE_STMT:
      return ExecuteDropRole(*statement.drop_role_stmt, roles);
    case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT:
      return sql::SqlError(sql::kFeatureNotSupported, "ALTER ROLE ... SET is not supported yet");
    case PG_QUERY__NODE__NODE_LISTEN_STMT:
      listener_->AddAction({ListenAction::Kind::kListen, statement.listen_stmt->conditionname});
      return sink.Complete("LISTEN");
    case PG_QUERY__NODE__NODE_UNLISTEN_STMT: {
      const char* channel = statement.unlisten_stmt->conditionname;
      if (channel == nullptr || *channel == '\0') {
        listener_->AddAction({ListenAction::Kind::kUnlistenAll, ""});
      } else {
        listener_->AddAction({ListenAction::Kind::kUnlisten, channel});
      }
      return sink.Complete("UNLISTEN");
    }
    case PG_QUERY__NODE__NODE_NOTIFY_STMT: {
      const PgQuery__NotifyStmt& notify = *statement.notify_stmt;
      PLEXUS_RETURN_IF_ERROR(sql::QueueNotification(&transaction, notify.conditionname,
                                                    notify.payload ? notify.payload : ""));
      return sink.Complete("NOTIFY");
    }
    default:
      return sql::SqlError(sql::kFeatureNotSupported, "statement is not supported yet");
  }
}

void Session::EndNotifications(const txn::Transaction* transaction, bool committed) {
  // LISTEN first: a session that listens and notifies in one transaction hears itself.
  listener_->EndTransaction(committed);
  sql::system::ReleaseAdvisoryLocks(this, /*transaction_only=*/true);
  if (transaction == nullptr) return;
  // Statistics an ANALYZE of the transaction computed reach the planner's cache at commit.
  sql::stats::EndTransaction(transaction, committed);
  if (committed) {
    sql::stats::MaybeStartAutoAnalyze(this, engine_->catalog(), engine_->transactions());
  }
  std::vector<sql::Notification> notifications = sql::TakeNotifications(transaction);
  if (committed && !notifications.empty()) {
    engine_->notifications().Publish(process_id_, notifications);
  }
}

}  // namespace plexus::session
