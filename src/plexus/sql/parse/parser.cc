// ParseTree: pg_query_parse_protobuf, then protobuf-c unpacking into C structs we walk directly.
#include "plexus/sql/parse/parser.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cstring>

#include "plexus/base/assert.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

// Maps libpg_query's error (PostgreSQL's ereport) to ours. Everything the raw parser reports is a
// syntax-level error except the few it raises for limits.
// PostgreSQL's cursor position is 1-based and counts characters, not bytes; libpg_query
// reports it the same way.
Status FromParseError(const PgQueryError& error) {
  std::string_view message = error.message ? error.message : "syntax error";
  const SqlState* state = &kSyntaxError;
  if (message.find("stack depth limit exceeded") != std::string_view::npos) {
    state = &kProgramLimitExceeded;
  }
  Status status = SqlError(*state, message);
  if (error.cursorpos > 0) status.SetPosition(error.cursorpos);
  return status;
}

}  // namespace

void ParseTree::Deleter::operator()(PgQuery__ParseResult* result) const {
  pg_query__parse_result__free_unpacked(result, nullptr);
}

ParseTree::ParseTree(std::string sql, std::unique_ptr<PgQuery__ParseResult, Deleter> result)
    : sql_(std::move(sql)), result_(std::move(result)) {}
ParseTree::ParseTree(ParseTree&&) noexcept = default;
ParseTree& ParseTree::operator=(ParseTree&&) noexcept = default;
ParseTree::~ParseTree() = default;

Result<ParseTree> ParseTree::Parse(std::string_view sql) {
  if (sql.size() > kSqlTextBytesMax) {
    return SqlError(kProgramLimitExceeded, "statement text is too long");
  }
  // libpg_query reads a NUL-terminated string; a NUL inside the text would silently cut it.
  if (std::memchr(sql.data(), '\0', sql.size()) != nullptr) {
    return SqlError(kSyntaxError, "invalid byte sequence: statement text contains a zero byte");
  }
  std::string text(sql);
  PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text.c_str());
  if (parsed.error != nullptr) {
    Status status = FromParseError(*parsed.error);
    pg_query_free_protobuf_parse_result(parsed);
    return status;
  }
  PgQuery__ParseResult* unpacked =
      pg_query__parse_result__unpack(nullptr, parsed.parse_tree.len,
                                     reinterpret_cast<const uint8_t*>(parsed.parse_tree.data));
  pg_query_free_protobuf_parse_result(parsed);
  if (unpacked == nullptr) return SqlError(kInternalError, "could not decode the parse tree");
  return ParseTree(std::move(text), std::unique_ptr<PgQuery__ParseResult, Deleter>(unpacked));
}

size_t ParseTree::statement_count() const { return result_->n_stmts; }

const PgQuery__RawStmt& ParseTree::statement(size_t index) const {
  PLEXUS_ASSERT(index < result_->n_stmts);
  return *result_->stmts[index];
}

std::string_view ParseTree::statement_text(size_t index) const {
  const PgQuery__RawStmt& raw = statement(index);
  size_t begin = static_cast<size_t>(raw.stmt_location);
  // A statement's length is 0 when it runs to the end of the text.
  size_t length = raw.stmt_len > 0 ? static_cast<size_t>(raw.stmt_len) : sql_.size() - begin;
  std::string_view text = std::string_view(sql_).substr(begin, length);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  return text;
}

}  // namespace plexus::sql
