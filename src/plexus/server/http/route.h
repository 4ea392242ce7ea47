// What an HTTP route handler sees and returns. The server (server/http/service.*) parses requests,
// authenticates them and dispatches by method and path to a Route; handlers run on worker
// threads (they may block on SQL) and never see sockets, so they can be tested without one.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plexus::server::http {

struct Request {
  std::string method;                                       // "GET", "POST", ...
  std::string path;                                         // percent-decoded, no query
  std::vector<std::pair<std::string, std::string>> query;   // decoded, in request order
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
  std::string body;
  std::string role;  // the authenticated role; empty when authentication is off
  // The path's {placeholders} in route order: "/api/v1/collections/{name}" -> {"users"}.
  std::vector<std::string> path_parameters;

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
