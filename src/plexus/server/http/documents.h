// The documents REST API: collections are ordinary tables
//   {name} (_id text PRIMARY KEY, doc jsonb NOT NULL, _created_at timestamptz, _updated_at ...)
// and documents their rows, so SQL sees the same data (SELECT doc->>'name' FROM users).
#pragma once

#include <cstddef>
#include <vector>

#include "plexus/server/http/route.h"

namespace plexus::session {
class Engine;
}  // namespace plexus::session

namespace plexus::server::http {

// GET ...?limit=: the page size when none is given, and the largest accepted.
inline constexpr size_t kDocumentPageDefault = 100;
inline constexpr size_t kDocumentPageMax = 1000;
// A document's _id: at most this many bytes of UTF-8, not empty, no '/'.
inline constexpr size_t kDocumentIdBytesMax = 1024;
// Lines of one NDJSON bulk insert (the server's body limit bounds it first, normally).
inline constexpr size_t kBulkDocumentsMax = 10'000'000;
// Idle sessions kept per role for the routes' statements (each keeps its prepared statements).
inline constexpr size_t kDocumentSessionsIdleMax = 64;

// The routes of /api/v1/collections:
//   GET    /api/v1/collections                          {"collections": [name, ...]}
//   POST   /api/v1/collections/{name}                   201 {"name"}; 409 when it exists
//   GET    /api/v1/collections/{name}                   {"name", "documents": count}
//   DELETE /api/v1/collections/{name}                   204
//   POST   /api/v1/collections/{name}/documents         201 document; NDJSON: {"inserted": N}
//   GET    /api/v1/collections/{name}/documents         ?filter=&limit=&after= one page
//   GET    /api/v1/collections/{name}/documents/{id}    200 document
//   PUT    /api/v1/collections/{name}/documents/{id}    replaces (200) or creates (201)
//   PATCH  /api/v1/collections/{name}/documents/{id}    JSON merge patch (RFC 7386)
//   DELETE /api/v1/collections/{name}/documents/{id}    204
// Statements run as Request::role (when set) through sessions the routes keep.
// REQUIRES: `engine` outlives the routes.
std::vector<RouteEntry> DocumentRoutes(session::Engine* engine);

}  // namespace plexus::server::http
