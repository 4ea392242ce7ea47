// Router: dispatches a request by method and path to a route. Patterns are literal segments,
// {placeholders} matching one segment, and a trailing /{*} matching the rest of the path. A
// path no pattern matches gets 404; a path matched only under other methods gets 405 with an
// Allow header. HEAD is served by the GET route (the server drops the body).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/server/http/route.h"

namespace plexus::server::http {

class Router {
 public:
  // REQUIRES: `entry.pattern` starts with '/', {*} only as the last segment.
  void Add(RouteEntry entry);
  void Add(std::vector<RouteEntry> entries);

  struct Match {
    const Route* route = nullptr;  // null: `problem` is the answer (404 or 405)
    std::vector<std::string> parameters;  // percent-decoded, in pattern order
    Response problem;
  };
  // `raw_path`: the request target's path, still percent-encoded (so an encoded '/' stays
  // inside its segment).
  Match Find(std::string_view method, std::string_view raw_path) const;

  size_t size() const { return routes_.size(); }

 private:
  struct Compiled {
    std::string method;
    std::vector<std::string> segments;  // "{}" for a placeholder
    bool rest = false;                  // ends in {*}
    Route route;
  };
  static bool Matches(const Compiled& compiled, const std::vector<std::string_view>& segments,
                      std::vector<std::string>* parameters);

  std::vector<Compiled> routes_;
};

// Percent-decoding ("%2F" -> "/"; with `plus_is_space`, '+' -> ' ' as in query strings). False
// for a malformed escape.
bool PercentDecode(std::string_view text, bool plus_is_space, std::string* out);

}  // namespace plexus::server::http
