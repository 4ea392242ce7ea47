// Fuzzes the RESP request parser: any bytes give requests, "need more" or a protocol error,
// never a crash or a hang. Properties: feeding the same bytes in two pieces gives the same
// requests as feeding them at once; a request written back as multibulk parses to itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/server/resp/parser.h"
#include "plexus/server/resp/reply.h"

using plexus::server::resp::ParserLimits;
using plexus::server::resp::Parser;
using plexus::server::resp::ParseStatus;
using plexus::server::resp::Reply;

namespace {

struct Outcome {
  std::vector<std::vector<std::string>> requests;
  bool error = false;
};

// Parses `input` as a connection would, revealing it `split` bytes at first.
Outcome ParseAll(std::string_view input, size_t split, const ParserLimits& limits) {
  Outcome outcome;
  Parser parser;
  size_t offset = 0;
  size_t visible = split;
  for (int steps = 0; steps < 100000; ++steps) {
    const std::string_view window = input.substr(offset, visible - offset);
    const ParseStatus status = parser.Parse(window, limits);
    if (status == ParseStatus::kIncomplete) {
      if (visible == input.size()) break;
      visible = input.size();
      continue;
    }
    if (status == ParseStatus::kError) {
      outcome.error = true;
      break;
    }
    if (status == ParseStatus::kRequest) {
      outcome.requests.emplace_back(parser.args().begin(), parser.args().end());
    }
    if (parser.consumed() == 0 || parser.consumed() > window.size()) std::abort();
    offset += parser.consumed();
    parser.Reset();
    if (visible < offset) visible = offset;
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  ParserLimits limits;
  limits.bulk_bytes_max = 1 << 16;
  limits.authenticated = (data[0] & 1) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const Outcome whole = ParseAll(input, input.size(), limits);
  const Outcome pieces = ParseAll(input, input.size() / 2, limits);
  // An error found early with half the input may come before requests the whole input would
  // also reject; compare only when neither failed.
  if (!whole.error && !pieces.error && whole.requests != pieces.requests) std::abort();
  for (const auto& request : whole.requests) {
    if (request.empty()) std::abort();
    std::string bytes;
    Reply reply(&bytes, 2);
    reply.Array(request.size());
    for (const std::string& arg : request) reply.Bulk(arg);
    Parser parser;
    if (parser.Parse(bytes, ParserLimits()) != ParseStatus::kRequest) std::abort();
    if (parser.consumed() != bytes.size()) std::abort();
    if (std::vector<std::string>(parser.args().begin(), parser.args().end()) != request) {
      std::abort();
    }
  }
  return 0;
}
