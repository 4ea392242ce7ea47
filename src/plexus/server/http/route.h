// What an HTTP route handler sees and returns. The server (server/http/service.*) parses requests,
// authenticates them and dispatches by method and path to a Route; handlers run on worker
// threads (they may block on SQL) and never see sockets, so they can be tested without one.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plexus::server::http {

struct Response;

// How a handler sends a large response in pieces while it runs (chunked transfer encoding): the
// connection gives one to a request whose answer may stream (not HEAD). A handler calls Begin
// once, then Write for each piece, and returns a Response with `streamed` set whose body is the
// last piece. Write blocks while the client has not read most of what was sent (back-pressure);
// after the client has gone, Write returns false at once and the cancel flag is set.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Sends the status line and headers of `head` (its body is ignored) with
  // "Transfer-Encoding: chunked". False when the client has gone.
  virtual bool Begin(const Response& head) = 0;
  // Sends `bytes` (not empty) as one chunk. False when the client has gone.
  virtual bool Write(std::string_view bytes) = 0;
  // Set once the client has gone: a session's cancel flag (Session::set_cancel_flag).
  virtual const std::atomic<bool>* cancel_flag() const = 0;
};

struct Request {
  std::string method;                                       // "GET", "POST", ...
  std::string path;                                         // percent-decoded, no query
  std::vector<std::pair<std::string, std::string>> query;   // decoded, in request order
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
  std::string body;
  std::string role;  // the authenticated role; empty when authentication is off
  // The path's {placeholders} in route order: "/api/v1/collections/{name}" -> {"users"}.
  std::vector<std::string> path_parameters;
  // Where a handler may stream its answer; null when it must answer whole (HEAD, tests).
  ResponseStream* stream = nullptr;

  // The first value of query parameter / header `name`, or empty.
  std::string_view QueryParameter(std::string_view name) const {
    for (const auto& [key, value] : query)
      if (key == name) return value;
    return {};
  }
  std::string_view Header(std::string_view lower_case_name) const {
    for (const auto& [key, value] : headers)
      if (key == lower_case_name) return value;
    return {};
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Location, ...)
  // The head and earlier pieces went through Request::stream; `body` is the last piece.
  bool streamed = false;
};

using Route = std::function<Response(const Request&)>;

// One route of a family (documents API, console files) for the server's router. `pattern` is a
// path with {placeholders} matching one segment each ("/api/v1/collections/{name}/documents"),
// or ending in "/{*}" to match any rest of the path (static files).
struct RouteEntry {
  std::string method;  // "GET", ...
  std::string pattern;
  Route route;
};

}  // namespace plexus::server::http
