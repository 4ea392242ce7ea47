// Parsing with PostgreSQL's own grammar (libpg_query). A ParseTree owns the protobuf-c tree of
// one SQL string: a list of raw statements, each with its span in the text. The tree's node types
// (PgQuery__Node and friends) come from <pg_query/pg_query.pb-c.h>, which only the .cc files of
// sql/ that walk the tree include.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

struct PgQuery__ParseResult;
struct PgQuery__RawStmt;

namespace plexus::sql {

// Longest SQL text we parse (PostgreSQL's own limit is 1 GB; ours keeps one query's memory sane).
inline constexpr size_t kSqlTextBytesMax = size_t{64} << 20;

class ParseTree {
 public:
  // Syntax errors come back with SQLSTATE 42601, PostgreSQL's message ("syntax error at or near
  // \"FROM\"") and the 1-based character position of the error.
  static Result<ParseTree> Parse(std::string_view sql);

  ParseTree(ParseTree&&) noexcept;
  ParseTree& operator=(ParseTree&&) noexcept;
  ~ParseTree();

  size_t statement_count() const;
  // REQUIRES: index < statement_count().
  const PgQuery__RawStmt& statement(size_t index) const;
  // The statement's own text, without the separating semicolon.
  std::string_view statement_text(size_t index) const;
  const std::string& sql() const { return sql_; }

 private:
  struct Deleter {
    void operator()(PgQuery__ParseResult* result) const;
  };
  ParseTree(std::string sql, std::unique_ptr<PgQuery__ParseResult, Deleter> result);

  std::string sql_;
  std::unique_ptr<PgQuery__ParseResult, Deleter> result_;
};

}  // namespace plexus::sql
