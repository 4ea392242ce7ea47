// RESP request parser: multibulk requests ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and inline ones
// ("GET k\r\n", split as Redis's sdssplitargs does: quotes, \xHH and \n escapes). It is
// resumable: given the same buffer with more bytes appended, it continues where it stopped, so a
// request that arrives in many reads is scanned once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/server/resp/limits.h"

namespace plexus::server::resp {

struct ParserLimits {
  uint64_t bulk_bytes_max = kBulkBytesMaxDefault;
  bool authenticated = true;  // false: Redis's small limits for clients before AUTH
};

enum class ParseStatus : uint8_t {
  kIncomplete,  // need more bytes; call again with the same buffer plus what arrives
  kRequest,     // args() holds one request; consumed() bytes of the buffer were used
  kEmpty,       // a request with no arguments (blank line, "*0"); skip consumed() bytes
  kError,       // error() holds Redis's "Protocol error: ..." text; close after replying
};

class Parser {
 public:
  // Parses the request at the front of `input`. REQUIRES: `input` starts where the previous
  // call's did (after Reset, or after the caller dropped consumed() bytes and called Reset).
  ParseStatus Parse(std::string_view input, const ParserLimits& limits);
  // Forgets the partial request; call after using a request's bytes.
  void Reset();

  // Valid after kRequest until Reset or the buffer changes.
  const std::vector<std::string_view>& args() const { return args_; }
  size_t consumed() const { return consumed_; }
  const std::string& error() const { return error_; }

 private:
  ParseStatus ParseMultibulk(std::string_view input, const ParserLimits& limits);
  ParseStatus ParseInline(std::string_view input);
  ParseStatus Fail(std::string_view message);

  // Multibulk progress: the count, where the next element starts and the elements so far.
  int64_t expected_ = -1;
  size_t position_ = 0;
  std::vector<std::pair<size_t, size_t>> spans_;  // offset and length in the input
  std::vector<std::string_view> args_;
  std::vector<std::string> inline_args_;  // unescaped inline arguments
  size_t consumed_ = 0;
  std::string error_;
};

// Splits an inline request line as Redis's sdssplitargs. False on unbalanced quotes.
bool SplitInlineArguments(std::string_view line, std::vector<std::string>* args);

}  // namespace plexus::server::resp
