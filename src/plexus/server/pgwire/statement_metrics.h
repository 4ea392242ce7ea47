// The pgwire front end's statement metrics: plexus_pg_statements_total{command} (the command
// tag's first word: SELECT, INSERT, CREATE, ...), plexus_pg_statement_duration_seconds,
// plexus_pg_errors_total and plexus_pg_loop_batches_total.
#pragma once

#include <chrono>
#include <string_view>

namespace plexus::server::pgwire {

// Counts a completed statement under its command tag's first word ("OTHER" for a tag outside
// the known list) and observes its duration. No registry lookup and no lock: the counters are
// resolved once per process, a call compares the tag against a short list.
void RecordStatement(std::string_view command_tag, std::chrono::steady_clock::duration elapsed);

// Counts an ErrorResponse (a failed statement, or a failed Parse, Bind, Describe or Execute
// message) in plexus_pg_errors_total.
void RecordStatementError();

// Counts a batch of messages run on the connection's event loop instead of a worker
// (Backend::RunsOnLoop) in plexus_pg_loop_batches_total.
void RecordLoopBatch();

// The label a command tag is counted under ("INSERT 0 1" -> "INSERT"); "OTHER" when unknown.
std::string_view StatementCommand(std::string_view command_tag);

}  // namespace plexus::server::pgwire
