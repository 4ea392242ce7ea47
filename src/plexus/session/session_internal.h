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
// The rows and index entries of `table` that `transaction` created are its own until it
// commits (txn::Transaction::AddPrivatePrefix): the rows when the table's id is not `old`'s,
// and each index whose id `old` does not have. `old` is null for a table created now.
void MarkCreatedKeys(txn::Transaction& transaction, const catalog::TableDef& table,
                     const catalog::TableDef* old);

}  // namespace plexus::session
