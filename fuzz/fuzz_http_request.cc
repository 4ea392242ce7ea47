// Fuzzes the HTTP front end's handling of untrusted bytes: the request reader (Boost.Beast's
// parser under our limits), the router and JSON bodies. Any bytes give requests, "need more" or
// a 400/413/431 failure, never a crash or a hang. Property: feeding the bytes in two pieces
// gives the same requests as feeding them at once (up to where one of them fails).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/server/http/json_body.h"
#include "plexus/server/http/message.h"
#include "plexus/server/http/router.h"

using namespace plexus::server::http;

namespace {

struct Outcome {
  std::vector<std::string> requests;  // method, path and body of each
  int failure = 0;
};

const Router& TestRouter() {
  static const Router* router = [] {
    auto* r = new Router;
    auto answer = [](const Request&) { return Response{}; };
    r->Add({"GET", "/health", answer});
    r->Add({"POST", "/api/v1/sql", answer});
    r->Add({"GET", "/api/v1/collections/{name}/documents/{id}", answer});
    r->Add({"PATCH", "/api/v1/collections/{name}/documents/{id}", answer});
    r->Add({"GET", "/{*}", answer});
    return r;
  }();
  return *router;
}

// Reads `input` as a connection would, revealing `split` bytes first.
Outcome ReadAll(std::string_view input, size_t split) {
  Outcome outcome;
  RequestReader reader(1024, 4096);
  std::string pending;
  size_t given = 0;
  for (const size_t visible : {split, input.size()}) {
    pending.append(input.substr(given, visible - given));
    given = visible;
    for (int steps = 0; steps < 10000; ++steps) {
      size_t consumed = 0;
      const RequestReader::State state = reader.Feed(pending, &consumed);
      if (consumed > pending.size()) abort();
      pending.erase(0, consumed);
      if (state == RequestReader::State::kFailed) {
        const int status = reader.failure_status();
        if (status != 400 && status != 413 && status != 431) abort();
        outcome.failure = status;
        return outcome;
      }
      if (state == RequestReader::State::kIncomplete) break;
      ParsedRequest parsed = reader.Take();
      const Router::Match match = TestRouter().Find(parsed.request.method, parsed.raw_path);
      if (match.route == nullptr && match.problem.status != 404 && match.problem.status != 405) {
        abort();
      }
      if (!parsed.request.body.empty()) {
        nlohmann::json json;
        Response problem;
        if (!ParseJson(parsed.request.body, &json, &problem) && problem.status != 400) abort();
      }
      (void)SerializeResponse(match.problem, false, !parsed.keep_alive);
      outcome.requests.push_back(parsed.request.method + " " + parsed.raw_path + " " +
                                 parsed.request.body);
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t split = input.empty() ? 0 : data[0] % (input.size() + 1);
  const Outcome whole = ReadAll(input, input.size());
  const Outcome pieces = ReadAll(input, split);
  if (whole.failure == pieces.failure) {
    if (whole.requests != pieces.requests) abort();
    return 0;
  }
  // Beast may see a malformed start line at once when it has the whole line, but wait for more
  // when it saw the line's start alone ("OOOO" then "OOOO\n"): the outcomes then differ only at
  // the end of the input, after the same requests.
  const size_t common = std::min(whole.requests.size(), pieces.requests.size());
  for (size_t i = 0; i < common; ++i) {
    if (whole.requests[i] != pieces.requests[i]) abort();
  }
  return 0;
}
