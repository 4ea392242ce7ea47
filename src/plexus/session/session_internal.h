// What session.cc shares with the other files of the session (prepared.cc, drop_objects.cc):
// error SQLSTATEs, running a plan to completion, dropping tables and schemas.
#pragma once

#include <string>
#include <vector>

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

// drop_objects.cc. Deletes every row stored under `table_id` (an ALTER TABLE copy's old rows).
Status DeleteTableRows(txn::Transaction& transaction, uint32_t table_id);
// Deletes every row and index entry of `table` (TRUNCATE, DROP).
Status DeleteTableData(txn::Transaction& transaction, const catalog::TableDef& table);
// DROP TABLE: its rows, index entries, definition and owned sequences.
Status DropTableAndData(catalog::Catalog& catalog, txn::Transaction& transaction,
                        const catalog::TableDef& table);
// The foreign keys of other tables that reference `table` (those named in `dropping` go in the
// same statement and do not count): 2BP01 unless `cascade`, which drops the constraints (not
// the tables), a NOTICE for each.
Status DropReferencingKeys(catalog::Catalog& catalog, txn::Transaction& transaction,
                           const catalog::TableDef& table,
                           const std::vector<sql::ObjectName>& dropping, bool cascade,
                           ResultSink& sink);
// The views that read `relation` (a "table" or "view", by `kind`), directly or through other
// views, except those named in `dropping` (the statement drops them itself): 2BP01 naming them
// unless `cascade`, which drops them, a NOTICE for each.
Status DropDependentViews(catalog::Catalog& catalog, txn::Transaction& transaction,
                          std::string_view kind, const catalog::RelationName& relation,
                          const std::vector<sql::ObjectName>& dropping, bool cascade,
                          ResultSink& sink);
// After ALTER TABLE changed `table` (its old name) in `transaction`: each view that reads it
// must still bind. One that does not is dropped under `cascade` (a NOTICE), else 2BP01
// "cannot <change> because other objects depend on it", DETAIL "view v depends on <what>".
Status CheckDependentViews(catalog::Catalog& catalog, txn::Transaction& transaction,
                           const catalog::RelationName& table, const std::string& change,
                           const std::string& what, bool cascade, ResultSink& sink);
// ALTER COLUMN ... TYPE: as PostgreSQL, a column a view reads keeps its type (0A000 naming the
// view). A view reads `column` when its query names it or says `*` (erring on the side of the
// error: an expression `a * b` counts too).
Status CheckViewsDoNotRead(catalog::Catalog& catalog, txn::Transaction& transaction,
                           const catalog::RelationName& table, const std::string& column);
// DROP SCHEMA: a schema holding tables, views or sequences is dropped only with CASCADE (2BP01
// naming them otherwise), which drops them too, a NOTICE for each.
Status DropSchemaObjects(catalog::Catalog& catalog, txn::Transaction& transaction,
                         const std::string& schema, bool cascade, ResultSink& sink);

}  // namespace plexus::session
