// What session.cc shares with the other files of the session (prepared.cc): error SQLSTATEs and
// running a plan to completion.
#pragma once

#include "plexus/base/status.h"
#include "plexus/session/session.h"
#include "plexus/sql/exec/exec_context.h"

namespace plexus::session {

// Errors from below the SQL layer get the SQLSTATE PostgreSQL reports for them.
Status WithSqlState(Status status);
// 25P02: the block failed; only its end is accepted.
Status InFailedTransaction();
// Runs a query or DML plan to completion: its rows (queries, RETURNING) and its command tag.
Status RunPlan(const sql::BoundStatement& bound, sql::ExecContext& context, ResultSink& sink);

}  // namespace plexus::session
