// The number literals of a SQL text, found by a scan that follows PostgreSQL's lexer for what
// matters here (strings, quoted identifiers, dollar quotes, comments, numbers), without parsing.
// The session's plan cache (session/query_cache.h) keys simple queries by their text with the
// number literals taken out, so `... WHERE aid = 1` and `... WHERE aid = 2` share a plan.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plexus::sql {

struct NumberLiteral {
  uint32_t offset = 0;  // of the first digit (or '.')
  uint32_t length = 0;
  // The '-' right before it (only blanks between), which the grammar may fold into the
  // constant (PostgreSQL's doNegate); -1 when there is none.
  int32_t minus_offset = -1;
  // Digits only (no '.', no exponent).
  bool integer = false;
};

// Fills `key` with `sql` where each number literal is replaced by '\x01', and `numbers` with
// the literals in order. False when the text cannot be keyed this way: more than one statement,
// a parameter ($1), a number glued to a name or a dot (PostgreSQL 15 rejects or splits those), a
// control byte, or an unterminated string/comment/quote.
bool ScanNumberLiterals(std::string_view sql, std::string* key, std::vector<NumberLiteral>* numbers);

}  // namespace plexus::sql
