// Bounds of the HTTP front end: the configurable limits' defaults and ranges (config.cc clamps
// to them) and the fixed ones.
#pragma once

#include <cstddef>
#include <cstdint>

namespace plexus::server::http {

// http.max_header_bytes: the request line and headers together; more gets 431.
inline constexpr uint32_t kHeaderBytesDefault = 8 << 10;
inline constexpr uint32_t kHeaderBytesMin = 1 << 10;
inline constexpr uint32_t kHeaderBytesMax = 1 << 20;
// http.max_body_bytes: a request body (after chunked decoding); more gets 413 and a close.
inline constexpr uint64_t kBodyBytesDefault = uint64_t{64} << 20;
inline constexpr uint64_t kBodyBytesMin = 1 << 10;
inline constexpr uint64_t kBodyBytesMax = uint64_t{1} << 32;
// http.idle_timeout_ms: a keep-alive connection without a request, or a request that has not
// arrived whole, is closed after this long.
inline constexpr uint32_t kIdleTimeoutMsDefault = 30'000;
inline constexpr uint32_t kIdleTimeoutMsMin = 100;
inline constexpr uint32_t kIdleTimeoutMsMax = 86'400'000;
static_assert(kHeaderBytesMin <= kHeaderBytesDefault && kHeaderBytesDefault <= kHeaderBytesMax);
static_assert(kBodyBytesMin <= kBodyBytesDefault && kBodyBytesDefault <= kBodyBytesMax);
static_assert(kIdleTimeoutMsMin <= kIdleTimeoutMsDefault &&
              kIdleTimeoutMsDefault <= kIdleTimeoutMsMax);

// A SQL API result whose JSON grows past this streams (chunked), a piece of about this size at
// a time; a smaller one is answered whole, with Content-Length.
inline constexpr size_t kStreamStartBytes = size_t{256} << 10;
// Without a stream to send it through (handler tests), a JSON response of the SQL API larger
// than this fails (54000) instead of filling memory.
inline constexpr size_t kResponseBytesMax = size_t{256} << 20;
// Nesting of JSON request bodies (arrays and objects); deeper is a 400 problem.
inline constexpr size_t kJsonDepthMax = 64;
// Parameters of one SQL API statement (PostgreSQL's wire protocol allows 65535).
inline constexpr size_t kSqlParametersMax = 65535;
// Issued tokens (POST /api/v1/auth/token) cached in memory; the catalog keeps every one.
inline constexpr size_t kIssuedTokensMax = 100'000;
// http.token_ttl_s's default: how long an issued token lives.
inline constexpr uint32_t kTokenLifetimeSeconds = 3600;
// Path segments a route pattern or request path may have.
inline constexpr size_t kPathSegmentsMax = 64;

}  // namespace plexus::server::http
