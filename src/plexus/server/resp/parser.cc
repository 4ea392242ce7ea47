// RESP request parsing, following Redis 7.0's processMultibulkBuffer/processInlineBuffer: the
// same limits, the same error texts, the same handling of odd input (a "*0" or "*-1" request
// is skipped; the two bytes after a bulk are not checked).
#include "plexus/server/resp/parser.h"

#include <charconv>
#include <cstring>

#include "plexus/base/assert.h"

namespace plexus::server::resp {
namespace {

// The integer of "<prefix><digits>\r\n" starting at input[start + 1]. Sets *line_end to the
// '\r'. Returns kIncomplete-like false in *complete when there is no "\r\n" yet.
bool ParseLineInteger(std::string_view line, int64_t* value) {
  if (line.empty()) return false;
  const char* begin = line.data();
  const char* end = begin + line.size();
  auto [stop, error] = std::from_chars(begin, end, *value);
  return error == std::errc() && stop == end;
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0'; }

}  // namespace

bool SplitInlineArguments(std::string_view line, std::vector<std::string>* args) {
  args->clear();
  size_t i = 0;
  const size_t n = line.size();
  for (;;) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) return true;
    bool in_double = false;
    bool in_single = false;
    bool done = false;
    std::string current;
    while (!done) {
      if (in_double) {
        if (i >= n) return false;
        if (line[i] == '\\' && i + 3 < n && line[i + 1] == 'x' && IsHexDigit(line[i + 2]) &&
            IsHexDigit(line[i + 3])) {
          current += static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3]));
          i += 3;
        } else if (line[i] == '\\' && i + 1 < n) {
          ++i;
          switch (line[i]) {
            case 'n':
              current += '\n';
              break;
            case 'r':
              current += '\r';
              break;
            case 't':
              current += '\t';
              break;
            case 'b':
              current += '\b';
              break;
            case 'a':
              current += '\a';
              break;
            default:
              current += line[i];
              break;
          }
        } else if (line[i] == '"') {
          // A closing quote must be followed by a space or the end.
          if (i + 1 < n && !IsSpace(line[i + 1])) return false;
          done = true;
        } else {
          current += line[i];
        }
      } else if (in_single) {
        if (i >= n) return false;
        if (line[i] == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          current += '\'';
        } else if (line[i] == '\'') {
          if (i + 1 < n && !IsSpace(line[i + 1])) return false;
          done = true;
        } else {
          current += line[i];
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        switch (line[i]) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0':
            done = true;
            break;
          case '"':
            in_double = true;
            break;
          case '\'':
            in_single = true;
            break;
          default:
            current += line[i];
            break;
        }
      }
      if (i < n) ++i;
    }
    args->push_back(std::move(current));
  }
}

void Parser::Reset() {
  expected_ = -1;
  position_ = 0;
  spans_.clear();
  args_.clear();
  inline_args_.clear();
  consumed_ = 0;
  error_.clear();
}

ParseStatus Parser::Fail(std::string_view message) {
  error_ = "Protocol error: ";
  error_ += message;
  return ParseStatus::kError;
}

ParseStatus Parser::Parse(std::string_view input, const ParserLimits& limits) {
  if (input.empty()) return ParseStatus::kIncomplete;
  if (input[0] == '*') return ParseMultibulk(input, limits);
  return ParseInline(input);
}

ParseStatus Parser::ParseInline(std::string_view input) {
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) {
    if (input.size() > kInlineBytesMax) return Fail("too big inline request");
    return ParseStatus::kIncomplete;
  }
  std::string_view line = input.substr(0, newline);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  consumed_ = newline + 1;
  if (!SplitInlineArguments(line, &inline_args_)) return Fail("unbalanced quotes in request");
  if (inline_args_.empty()) return ParseStatus::kEmpty;
  args_.assign(inline_args_.begin(), inline_args_.end());
  return ParseStatus::kRequest;
}

ParseStatus Parser::ParseMultibulk(std::string_view input, const ParserLimits& limits) {
  if (expected_ < 0) {
    const size_t line_end = input.find('\r');
    if (line_end == std::string_view::npos || line_end + 1 >= input.size()) {
      if (input.size() > kInlineBytesMax) return Fail("too big mbulk count string");
      return ParseStatus::kIncomplete;
    }
    int64_t count = 0;
    if (!ParseLineInteger(input.substr(1, line_end - 1), &count) || count > kArgumentsMax) {
      return Fail("invalid multibulk length");
    }
    if (count > kUnauthenticatedArgumentsMax && !limits.authenticated) {
      return Fail("unauthenticated multibulk length");
    }
    position_ = line_end + 2;
    if (count <= 0) {
      consumed_ = position_;
      return ParseStatus::kEmpty;
    }
    expected_ = count;
    spans_.reserve(static_cast<size_t>(std::min<int64_t>(count, kArgumentsReservedMax)));
  }
  while (static_cast<int64_t>(spans_.size()) < expected_) {
    if (position_ >= input.size()) return ParseStatus::kIncomplete;
    const size_t line_end = input.find('\r', position_);
    if (line_end == std::string_view::npos || line_end + 1 >= input.size()) {
      if (input.size() - position_ > kInlineBytesMax) return Fail("too big bulk count string");
      return ParseStatus::kIncomplete;
    }
    if (input[position_] != '$') {
      return Fail(std::string("expected '$', got '") + input[position_] + "'");
    }
    int64_t length = 0;
    if (!ParseLineInteger(input.substr(position_ + 1, line_end - position_ - 1), &length) ||
        length < 0 || static_cast<uint64_t>(length) > limits.bulk_bytes_max) {
      return Fail("invalid bulk length");
    }
    if (length > kUnauthenticatedBulkBytesMax && !limits.authenticated) {
      return Fail("unauthenticated bulk length");
    }
    const size_t data_start = line_end + 2;
    // The bulk and the two bytes that end it (not checked, as in Redis).
    if (input.size() < data_start + static_cast<size_t>(length) + 2) {
      return ParseStatus::kIncomplete;
    }
    spans_.emplace_back(data_start, static_cast<size_t>(length));
    position_ = data_start + static_cast<size_t>(length) + 2;
  }
  args_.clear();
  args_.reserve(spans_.size());
  for (const auto& [offset, length] : spans_) args_.push_back(input.substr(offset, length));
  consumed_ = position_;
  return ParseStatus::kRequest;
}

}  // namespace plexus::server::resp
