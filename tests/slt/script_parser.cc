// Splits a sqllogictest script into records, following SQLite's sqllogictest.c: a trailing '\r'
// is dropped, an all-blank line is empty, '#' lines are removed wherever they are.
#include "slt/script_parser.h"

#include <strings.h>

#include <cctype>
#include <charconv>
#include <cstddef>

namespace plexus::slt {
namespace {

struct Line {
  int number = 0;  // 1-based
  std::string_view text;
};

// The script's lines without comments; empty lines stay, as they separate records.
std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  int number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool blank = true;
    for (char c : line) blank = blank && std::isspace(static_cast<unsigned char>(c));
    if (blank) line = {};
    if (!line.empty() && line.front() == '#') continue;
    lines.push_back({number, line});
  }
  return lines;
}

std::vector<std::string_view> Tokenize(std::string_view line) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
  return tokens;
}

std::string_view TokenAt(const std::vector<std::string_view>& tokens, size_t index) {
  return index < tokens.size() ? tokens[index] : std::string_view();
}

std::string JoinLines(const std::vector<Line>& lines, size_t begin, size_t end) {
  std::string joined;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) joined += '\n';
    joined += lines[i].text;
  }
  return joined;
}

// `22012` or `22012:` (the code PostgreSQL reports, as our scripts write it before the message).
std::string_view SqlStateToken(std::string_view token) {
  if (token.size() == 6 && token.back() == ':') token.remove_suffix(1);
  if (token.size() != 5) return {};
  for (char c : token) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'A' && c <= 'Z')) return {};
  }
  return token;
}

Record Invalid(Record record, std::string error) {
  record.kind = RecordKind::kInvalid;
  record.error = std::move(error);
  return record;
}

// `lines` holds one record: the command line (conditions already consumed) and what follows.
Record ParseQuery(Record record, const std::vector<std::string_view>& tokens,
                  const std::vector<Line>& lines) {
  record.kind = RecordKind::kQuery;
  record.types = std::string(TokenAt(tokens, 1));
  if (record.types.empty()) return Invalid(std::move(record), "missing type string");
  for (char c : record.types) {
    if (c != 'T' && c != 'I' && c != 'R') {
      return Invalid(std::move(record), std::string("unknown type character '") + c + "'");
    }
  }
  std::string_view sort = TokenAt(tokens, 2);
  if (sort.empty() || sort == "nosort") {
    record.sort_mode = SortMode::kNoSort;
  } else if (sort == "rowsort") {
    record.sort_mode = SortMode::kRowSort;
  } else if (sort == "valuesort") {
    record.sort_mode = SortMode::kValueSort;
  } else {
    return Invalid(std::move(record), "unknown sort method '" + std::string(sort) + "'");
  }
  record.label = std::string(TokenAt(tokens, 3));
  size_t separator = 1;
  while (separator < lines.size() && lines[separator].text != "----") ++separator;
  record.sql = JoinLines(lines, 1, separator);
  for (size_t i = separator + 1; i < lines.size(); ++i) {
    record.expected.emplace_back(lines[i].text);
  }
  return record;
}

Record ParseRecord(const std::vector<Line>& record_lines) {
  Record record;
  size_t first = 0;
  std::vector<std::string_view> tokens = Tokenize(record_lines[first].text);
  while (TokenAt(tokens, 0) == "skipif" || TokenAt(tokens, 0) == "onlyif") {
    record.conditions.push_back({TokenAt(tokens, 0) == "onlyif", std::string(TokenAt(tokens, 1))});
    ++first;
    if (first == record_lines.size()) {
      record.line = record_lines[first - 1].number;
      return Invalid(std::move(record), "condition without a record");
    }
    tokens = Tokenize(record_lines[first].text);
  }
  record.line = record_lines[first].number;
  const std::vector<Line> lines(record_lines.begin() + static_cast<ptrdiff_t>(first),
                                record_lines.end());
  std::string_view command = TokenAt(tokens, 0);
  if (command == "statement") {
    record.kind = RecordKind::kStatement;
    std::string_view expectation = TokenAt(tokens, 1);
    if (expectation != "ok" && expectation != "error") {
      return Invalid(std::move(record), "statement argument should be 'ok' or 'error'");
    }
    record.expect_error = expectation == "error";
    if (record.expect_error) record.expected_sql_state = SqlStateToken(TokenAt(tokens, 2));
    record.sql = JoinLines(lines, 1, lines.size());
    return record;
  }
  if (command == "query") return ParseQuery(std::move(record), tokens, lines);
  if (command == "hash-threshold") {
    record.kind = RecordKind::kHashThreshold;
    std::string_view value = TokenAt(tokens, 1);
    auto [end, error] =
        std::from_chars(value.data(), value.data() + value.size(), record.hash_threshold);
    if (error != std::errc() || end != value.data() + value.size() || record.hash_threshold < 0) {
      return Invalid(std::move(record), "bad hash-threshold '" + std::string(value) + "'");
    }
    return record;
  }
  if (command == "halt") {
    record.kind = RecordKind::kHalt;
    return record;
  }
  return Invalid(std::move(record), "unknown record type '" + std::string(command) + "'");
}

}  // namespace

bool ExcludedByConditions(const Record& record, std::string_view engine) {
  for (const Condition& condition : record.conditions) {
    // Engine names compare without regard to case, as in sqllogictest.c.
    bool match = condition.engine.size() == engine.size() &&
                 strncasecmp(condition.engine.data(), engine.data(), engine.size()) == 0;
    if (match != condition.only_if) return true;
  }
  return false;
}

std::vector<Record> ParseScript(std::string_view text) {
  std::vector<Line> lines = SplitLines(text);
  std::vector<Record> records;
  size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].text.empty()) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < lines.size() && !lines[end].text.empty()) ++end;
    records.push_back(ParseRecord(std::vector<Line>(lines.begin() + static_cast<ptrdiff_t>(i),
                                                    lines.begin() + static_cast<ptrdiff_t>(end))));
    i = end;
  }
  return records;
}

}  // namespace plexus::slt
