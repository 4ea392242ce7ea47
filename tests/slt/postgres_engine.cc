// PostgresEngine: runs each statement with PQexec (autocommit, so a failed statement leaves no
// aborted transaction behind) and hands back the text values libpq returns.
#include "slt/postgres_engine.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace plexus::slt {
namespace {

// Notices ("table ... does not exist, skipping") are noise in a test run.
void IgnoreNotice(void* /*argument*/, const char* /*message*/) {}

pg_conn* ConnectTo(const std::string& conninfo, const char* database) {
  // With expand_dbname, the first "dbname" is the whole connection string and a later one
  // overrides the database it names.
  const char* keywords[] = {"dbname", database != nullptr ? "dbname" : nullptr, nullptr};
  const char* values[] = {conninfo.c_str(), database, nullptr};
  pg_conn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection != nullptr) PQsetNoticeProcessor(connection, IgnoreNotice, nullptr);
  return connection;
}

std::string ErrorText(std::string_view what, const char* message) {
  std::string text(what);
  text += ": ";
  text += message != nullptr ? message : "(no message)";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Runs a command that returns no rows.
Status Command(pg_conn* connection, const std::string& sql) {
  PGresult* result = PQexec(connection, sql.c_str());
  Status status;
  if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    status = Status::IOError(ErrorText(sql, PQresultErrorMessage(result)));
  }
  PQclear(result);
  return status;
}

}  // namespace

Result<std::unique_ptr<PostgresEngine>> PostgresEngine::Connect(const std::string& conninfo,
                                                                ResetMode mode) {
  pg_conn* admin = ConnectTo(conninfo, nullptr);
  if (admin == nullptr) return Status::ResourceExhausted("PQconnectdbParams returned null");
  if (PQstatus(admin) != CONNECTION_OK) {
    Status status =
        Status::IOError(ErrorText("cannot connect to PostgreSQL", PQerrorMessage(admin)));
    PQfinish(admin);
    return status;
  }
  return std::unique_ptr<PostgresEngine>(new PostgresEngine(conninfo, mode, admin));
}

PostgresEngine::PostgresEngine(std::string conninfo, ResetMode mode, pg_conn* admin)
    : conninfo_(std::move(conninfo)),
      mode_(mode),
      scratch_database_("plexus_slt_" + std::to_string(getpid())),
      admin_(admin) {}

PostgresEngine::~PostgresEngine() {
  if (scratch_ != nullptr && mode_ == ResetMode::kObjects) {
    PQfinish(scratch_);
  } else if (scratch_ != nullptr) {
    PQfinish(scratch_);
    // Best effort: a scratch database left behind is dropped by the next run with this pid, and
    // the throwaway server of run_postgres_baseline.sh goes away anyway.
    (void)Command(admin_, "DROP DATABASE IF EXISTS " + scratch_database_ + " WITH (FORCE)");
  }
  PQfinish(admin_);
}

Status PostgresEngine::Reset() {
  if (scratch_ != nullptr) {
    PQfinish(scratch_);
    scratch_ = nullptr;
  }
  if (mode_ == ResetMode::kObjects) return DropObjects();
  PLEXUS_RETURN_IF_ERROR(
      Command(admin_, "DROP DATABASE IF EXISTS " + scratch_database_ + " WITH (FORCE)"));
  PLEXUS_RETURN_IF_ERROR(Command(admin_, "CREATE DATABASE " + scratch_database_));
  scratch_ = ConnectTo(conninfo_, scratch_database_.c_str());
  if (scratch_ == nullptr) return Status::ResourceExhausted("PQconnectdbParams returned null");
  if (PQstatus(scratch_) != CONNECTION_OK) {
    return Status::IOError(
        ErrorText("cannot connect to " + scratch_database_, PQerrorMessage(scratch_)));
  }
  return Status::Ok();
}

// A fresh session (default settings) on the conninfo's database, without the objects earlier
// files made.
Status PostgresEngine::DropObjects() {
  scratch_ = ConnectTo(conninfo_, nullptr);
  if (scratch_ == nullptr) return Status::ResourceExhausted("PQconnectdbParams returned null");
  if (PQstatus(scratch_) != CONNECTION_OK) {
    return Status::IOError(ErrorText("cannot connect", PQerrorMessage(scratch_)));
  }
  const char* list =
      "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
      "ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND c.relkind IN ('v', 'm', 'r', 'p', 'S') ORDER BY c.relkind = 'S', c.relkind <> 'v'";
  PGresult* result = PQexec(scratch_, list);
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    Status status = Status::IOError(ErrorText("listing objects", PQresultErrorMessage(result)));
    PQclear(result);
    return status;
  }
  auto quote = [](const char* name) {
    std::string quoted = "\"";
    for (const char* c = name; *c != '\0'; ++c)
      quoted += *c == '"' ? std::string("\"\"") : std::string(1, *c);
    return quoted + "\"";
  };
  std::vector<std::string> drops;
  for (int row = 0; row < PQntuples(result); ++row) {
    const char kind = PQgetvalue(result, row, 2)[0];
    const char* what = kind == 'v'   ? "VIEW"
                       : kind == 'm' ? "MATERIALIZED VIEW"
                       : kind == 'S' ? "SEQUENCE"
                                     : "TABLE";
    drops.push_back(std::string("DROP ") + what + " IF EXISTS " +
                    quote(PQgetvalue(result, row, 0)) + "." + quote(PQgetvalue(result, row, 1)) +
                    " CASCADE");
  }
  PQclear(result);
  for (const std::string& drop : drops) PLEXUS_RETURN_IF_ERROR(Command(scratch_, drop));
  return Status::Ok();
}

Result<QueryResult> PostgresEngine::Execute(std::string_view sql) {
  if (scratch_ == nullptr) return Status::InvalidArgument("Execute before Reset");
  PGresult* result = PQexec(scratch_, std::string(sql).c_str());
  ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
    // The primary message only: the full one spans lines (statement excerpt, caret, hint).
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    Status error = Status::InvalidArgument(
        ErrorText("PostgreSQL", primary != nullptr ? primary : PQresultErrorMessage(result)));
    const char* sql_state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (sql_state != nullptr) error.SetSqlState(sql_state);
    PQclear(result);
    return error;
  }
  QueryResult rows;
  const int row_count = PQntuples(result);
  rows.column_count = PQnfields(result);
  rows.rows.resize(static_cast<size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    auto& values = rows.rows[static_cast<size_t>(row)];
    values.reserve(static_cast<size_t>(rows.column_count));
    for (int column = 0; column < rows.column_count; ++column) {
      if (PQgetisnull(result, row, column)) {
        values.emplace_back(std::nullopt);
      } else {
        values.emplace_back(std::string(PQgetvalue(result, row, column),
                                        static_cast<size_t>(PQgetlength(result, row, column))));
      }
    }
  }
  PQclear(result);
  return rows;
}

}  // namespace plexus::slt
