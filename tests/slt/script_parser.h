// The sqllogictest script format (SQLite's sqllogictest): records separated by blank lines, each
// a statement, a query, a `hash-threshold N` or a `halt`, optionally guarded by skipif/onlyif.
// Lines starting with '#' are comments and vanish before anything else sees the script.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::slt {

// kInvalid: a record the parser could not make sense of; running it (unless it is skipped) counts
// as a failure with `error` as the message.
enum class RecordKind { kStatement, kQuery, kHashThreshold, kHalt, kInvalid };

enum class SortMode { kNoSort, kRowSort, kValueSort };

// `skipif <engine>` (only_if false) or `onlyif <engine>` (only_if true).
struct Condition {
  bool only_if = false;
  std::string engine;
};

struct Record {
  RecordKind kind = RecordKind::kStatement;
  int line = 0;  // 1-based line of the `statement` / `query` / ... line, after any conditions
  std::vector<Condition> conditions;

  // Statements and queries: the SQL, its lines joined by '\n'.
  std::string sql;
  // Statements: `statement error`. When the text after `error` starts with a SQLSTATE (five
  // characters 0-9/A-Z, optionally followed by ':'), the error must carry that SQLSTATE; any other
  // text is an expected message, which is ignored.
  bool expect_error = false;
  std::string expected_sql_state;

  // Queries: one type letter per column (T, I, R), the sort mode and an optional label.
  std::string types;
  SortMode sort_mode = SortMode::kNoSort;
  std::string label;
  // The lines after `----`: one value per line, one row per line (values separated by blanks),
  // or a single `N values hashing to <md5>` line.
  std::vector<std::string> expected;

  // kHashThreshold.
  int hash_threshold = 0;

  // kInvalid.
  std::string error;
};

// True when `engine` (the engine's name) is excluded from `record` by its conditions.
bool ExcludedByConditions(const Record& record, std::string_view engine);

// Splits a whole script into records. Malformed records become kInvalid records rather than a
// failure of the whole script, so that an engine can still skip them with skipif/onlyif.
std::vector<Record> ParseScript(std::string_view text);

}  // namespace plexus::slt
