// POST /api/v1/sql {"sql": "...", "params": [...]} -> {"columns": [{"name", "type"}], "rows":
// [[...]], "command": "SELECT 3"}: SQL through a session of the request's role. Without params,
// `sql` may hold several statements (run as one implicit transaction, as PostgreSQL's simple
// query); the result is the last statement's. With params, one statement, prepared and bound.
// Values: bool as true/false; int2, int4, float4, float8 as numbers (NaN and infinities as
// strings); int8 and numeric as strings (a JSON double would round them); jsonb embedded; NULL
// as null; arrays as JSON arrays; everything else as PostgreSQL's text output. Statements with
// params reuse pooled sessions and their prepared statements (sql_sessions.h).
//
// A result whose JSON passes kStreamStartBytes streams as the executor produces it
// (Transfer-Encoding: chunked, one piece per kStreamStartBytes, the worker waiting while the
// client has not read the last). An error after the first piece has gone cannot change the
// status (200): the object then ends with "error": {problem} in place of "command" — as a
// PostgreSQL client gets rows, then an ErrorResponse. A client that disconnects cancels the
// statement (57014); its session is dropped. A statement after a streamed result fails (0A000),
// rolling the implicit block back.
#pragma once

#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/server/http/route.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::session {
class Engine;
}

namespace plexus::server::http {

// REQUIRES: `engine` outlives the routes.
std::vector<RouteEntry> SqlRoutes(session::Engine* engine);

class SqlSessionPool;

// The handler of POST /api/v1/sql. With a pool, statements with params run in its sessions
// (sql_sessions.h); without one, each request has a session of its own.
Response RunSql(session::Engine* engine, const Request& request, SqlSessionPool* pool = nullptr);

// Appends the JSON of row `row` of `vector` (null included).
Status AppendJsonValue(const sql::Vector& vector, size_t row, std::string* out);
// Appends `text` as a JSON string (quotes and escapes).
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace plexus::server::http
