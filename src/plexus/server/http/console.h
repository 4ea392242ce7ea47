// The web console: static HTML/JS/CSS (console/*, built into the binary) served at "/" and
// "/console/<file>". The page itself talks to POST /api/v1/sql and GET /metrics.
#pragma once

#include <string_view>
#include <vector>

#include "plexus/server/http/route.h"

namespace plexus::server::http {

// GET "/" (the console's index.html) and GET "/console/{*}" (its other files). Answers carry the
// file's Content-Type, an ETag and "Cache-Control: no-cache" (revalidate each time: a request
// with a matching If-None-Match gets 304 without a body); an unknown file gets a 404 problem.
std::vector<RouteEntry> ConsoleRoutes();

// The Content-Type served for a file name, by its extension; application/octet-stream when the
// extension is not known.
std::string_view ConsoleContentType(std::string_view file_name);

}  // namespace plexus::server::http
