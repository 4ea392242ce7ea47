// RFC 7807 problem details: how every HTTP error is answered (application/problem+json).
#pragma once

#include <string_view>

#include "plexus/base/status.h"
#include "plexus/server/http/route.h"

namespace plexus::server::http {

// {"type": "about:blank", "title": <the status's reason>, "status": N, "detail": ...,
//  "sqlstate": ...} — "sqlstate" only when given.
Response Problem(int status, std::string_view detail, std::string_view sqlstate = {});

// A failed SQL statement: 400 for errors in the request (syntax, undefined names, constraint
// violations, bad input values), 403 for missing privileges (42501), 409 for unique violations,
// serialization failures and deadlocks, 503 when the server is shutting down or out of
// resources, 500 for internal errors; with the SQLSTATE.
Response SqlProblem(const Status& status);

// "Not Found" for 404, ...; "Error" for a status it does not know.
std::string_view ReasonPhrase(int status);

}  // namespace plexus::server::http
