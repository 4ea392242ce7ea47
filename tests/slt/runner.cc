// Runs parsed sqllogictest records against an Engine: statements must succeed or fail as told,
// queries must return the expected values (or their hash), skipped records are only counted.
#include "slt/runner.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "slt/result_format.h"
#include "slt/script_parser.h"

namespace plexus::slt {
namespace {

// sqllogictest.c keys labels by their first 20 characters.
constexpr size_t kLabelCharsMax = 20;
// Values quoted per side in a failure message.
constexpr size_t kValuesShownMax = 12;

std::string Summarize(const std::vector<std::string>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size() && i < kValuesShownMax; ++i) {
    if (i > 0) text += ", ";
    text += values[i];
  }
  if (values.size() > kValuesShownMax) text += ", ...";
  return text + "] (" + std::to_string(values.size()) + " values)";
}

// Runs of blanks (spaces, tabs) become one space, blanks at either end go.
std::string CollapseBlanks(std::string_view text) {
  std::string collapsed;
  bool pending_blank = false;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      pending_blank = !collapsed.empty();
      continue;
    }
    if (pending_blank) collapsed += ' ';
    pending_blank = false;
    collapsed += c;
  }
  return collapsed;
}

// Expected results are one value per line (SQLite's scripts) or, in some dialects, one row per
// line with the values separated by blanks; either way the values must match in order.
bool MatchesExpected(const std::vector<std::string>& expected,
                     const std::vector<std::string>& values, size_t column_count) {
  if (expected == values) return true;
  if (column_count <= 1 || expected.size() * column_count != values.size()) return false;
  for (size_t row = 0; row < expected.size(); ++row) {
    std::string joined;
    for (size_t column = 0; column < column_count; ++column) {
      if (column > 0) joined += ' ';
      joined += values[row * column_count + column];
    }
    if (CollapseBlanks(expected[row]) != CollapseBlanks(joined)) return false;
  }
  return true;
}

// The hash a skipped labeled query's expected results stand for (sqllogictest.c still records it).
Result<std::string> ExpectedHash(const std::vector<std::string>& expected) {
  unsigned count = 0;
  char hash[33] = {};
  if (std::sscanf(expected[0].c_str(), "%u values hashing to %32s", &count, hash) == 2) {
    return std::string(hash);
  }
  return HashValues(expected);
}

class ScriptRun {
 public:
  ScriptRun(std::string_view path, Engine& engine, const RunOptions& options)
      : engine_(engine), options_(options), hash_threshold_(options.hash_threshold) {
    report_.path = std::string(path);
  }

  Result<FileReport> Run(const std::vector<Record>& records) {
    for (const Record& record : records) {
      if (ExcludedByConditions(record, engine_.name())) {
        ++report_.skipped;
        PLEXUS_RETURN_IF_ERROR(NoteSkippedLabel(record));
        continue;
      }
      switch (record.kind) {
        case RecordKind::kHashThreshold:
          hash_threshold_ = record.hash_threshold;
          break;
        case RecordKind::kHalt:
          return std::move(report_);
        case RecordKind::kInvalid:
          Count(record, record.error);
          break;
        case RecordKind::kStatement:
          Count(record, RunStatement(record));
          break;
        case RecordKind::kQuery: {
          PLEXUS_ASSIGN_OR_RETURN(std::optional<std::string> failure, RunQuery(record));
          Count(record, failure);
          break;
        }
      }
    }
    return std::move(report_);
  }

 private:
  void Count(const Record& record, const std::optional<std::string>& failure) {
    if (!failure.has_value()) {
      ++report_.passed;
      return;
    }
    ++report_.failed;
    if (static_cast<int>(report_.failures.size()) < options_.max_failures_shown) {
      report_.failures.push_back(report_.path + ":" + std::to_string(record.line) + ": " +
                                 *failure);
    }
  }

  std::optional<std::string> RunStatement(const Record& record) {
    Result<QueryResult> result = engine_.Execute(record.sql);
    if (result.ok() && record.expect_error) return "statement succeeded, expected an error";
    if (!result.ok() && !record.expect_error) {
      return "statement failed: " + std::string(result.status().message());
    }
    if (!result.ok() && !record.expected_sql_state.empty() &&
        result.status().sql_state() != record.expected_sql_state) {
      return "statement failed with SQLSTATE " +
             std::string(result.status().sql_state().empty() ? "(none)"
                                                              : result.status().sql_state()) +
             ", expected " + record.expected_sql_state + ": " +
             std::string(result.status().message());
    }
    return std::nullopt;
  }

  // The failure message, or nullopt when the query returned what the script expects.
  Result<std::optional<std::string>> RunQuery(const Record& record) {
    Result<QueryResult> result = engine_.Execute(record.sql);
    if (!result.ok()) return {"query failed: " + std::string(result.status().message())};
    const size_t column_count = record.types.size();
    size_t actual_columns = result->column_count >= 0 ? static_cast<size_t>(result->column_count)
                            : result->rows.empty()    ? column_count
                                                      : result->rows[0].size();
    if (actual_columns != column_count) {
      return {"wrong number of result columns: expected " + std::to_string(column_count) +
              " but got " + std::to_string(actual_columns)};
    }
    std::vector<std::string> values;
    values.reserve(result->rows.size() * column_count);
    for (const auto& row : result->rows) {
      if (row.size() != column_count) return {"rows of different widths"};
      for (size_t column = 0; column < column_count; ++column) {
        values.push_back(FormatValue(record.types[column], row[column]));
      }
    }
    SortValues(record.sort_mode, column_count, values);
    const bool hashed = hash_threshold_ > 0 && values.size() > static_cast<size_t>(hash_threshold_);
    std::string hash;
    if (hashed || !record.label.empty()) {
      PLEXUS_ASSIGN_OR_RETURN(hash, HashValues(values));
    }
    std::optional<std::string> failure;
    if (hashed) {
      std::string actual = HashLine(values.size(), hash);
      if (record.expected.size() != 1 || record.expected[0] != actual) {
        failure = "wrong result hash: expected " + Summarize(record.expected) + ", got " + actual;
      }
    } else if (!MatchesExpected(record.expected, values, column_count)) {
      failure =
          "wrong result: expected " + Summarize(record.expected) + ", got " + Summarize(values);
    }
    // Like sqllogictest.c, the first result seen for a label is kept even when it is wrong.
    if (!record.label.empty() && !AgreesWithLabel(record.label, hash) && !failure.has_value()) {
      failure = "labeled result [" + record.label + "] does not agree with previous values";
    }
    return failure;
  }

  // Records the first hash seen for `label`; false when an earlier one differs.
  bool AgreesWithLabel(const std::string& label, const std::string& hash) {
    auto [entry, inserted] = label_hashes_.emplace(label.substr(0, kLabelCharsMax), hash);
    return inserted || entry->second == hash;
  }

  Status NoteSkippedLabel(const Record& record) {
    if (record.kind != RecordKind::kQuery || record.label.empty() || record.expected.empty()) {
      return Status::Ok();
    }
    PLEXUS_ASSIGN_OR_RETURN(std::string hash, ExpectedHash(record.expected));
    // A disagreement among skipped records is the script's own inconsistency, which the engine
    // under test cannot fix; sqllogictest.c reports it, we leave it to the records that run.
    (void)AgreesWithLabel(record.label, hash);
    return Status::Ok();
  }

  Engine& engine_;
  const RunOptions& options_;
  int hash_threshold_;
  std::map<std::string, std::string> label_hashes_;
  FileReport report_;
};

}  // namespace

Result<FileReport> RunScript(std::string_view script, std::string_view path, Engine& engine,
                             const RunOptions& options) {
  std::vector<Record> records = ParseScript(script);
  return ScriptRun(path, engine, options).Run(records);
}

Result<FileReport> RunFile(const std::string& path, Engine& engine, const RunOptions& options) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IOError("cannot open " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) return Status::IOError("cannot read " + path);
  PLEXUS_RETURN_IF_ERROR(engine.Reset());
  return RunScript(contents.str(), path, engine, options);
}

}  // namespace plexus::slt
