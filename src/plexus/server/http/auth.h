// Bearer-token authentication (http.auth = token). A token names a role: static ones come from
// http.tokens ("token:role,..."), others are issued by POST /api/v1/auth/token for a role's
// password (checked against its SCRAM verifier, as pgwire's password method does), live
// http.token_ttl_s seconds and are kept in the catalog (token_store.h), so they survive a
// restart; DELETE /api/v1/auth/token revokes the request's own token. An issued token belongs
// to its role as it was then: dropping the role invalidates it. Requests then run as that role,
// so SQL privileges apply; a role that may not log in gets 403. /health, /ready, the token
// endpoint and the console's static files stay open.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/server/http/limits.h"
#include "plexus/server/http/route.h"
#include "plexus/server/http/token_store.h"

namespace plexus::session {
class Engine;
}

namespace plexus::server::http {

class Authenticator {
 public:
  // REQUIRES: `engine` outlives the authenticator.
  Authenticator(session::Engine* engine, bool enabled, uint32_t token_ttl_s = kTokenLifetimeSeconds);

  // "token:role,token:role" (spaces around items ignored); kInvalidArgument when malformed.
  Status LoadStaticTokens(std::string_view list);

  bool enabled() const { return enabled_; }
  // Requests answered without a token.
  static bool IsOpen(const Request& request);
  // The role of the request's bearer token, or false with *problem (401, or 403 for a role
  // that may not log in). Reads the catalog: on a worker thread.
  bool Authenticate(const Request& request, std::string* role, Response* problem);
  // POST /api/v1/auth/token {"user", "password"} -> {"token", "expires_in"}.
  Response IssueToken(const Request& request);
  // DELETE /api/v1/auth/token with the token as bearer: 204, it is gone.
  Response RevokeToken(const Request& request);
  std::vector<RouteEntry> Routes();
  // Deletes expired tokens and those of dropped roles from the catalog (at start).
  Status SweepTokens();

 private:
  // The request's bearer token, or false with *problem (401).
  static bool BearerToken(const Request& request, std::string* token, Response* problem);
  // The issued token with hash `hash` (from the cache, else the catalog); false with *problem
  // (401) when it is unknown or expired.
  bool FindIssued(const std::string& hash, IssuedToken* token, Response* problem);
  // The role's catalog entry allows logging in now, and is the one the token was issued for
  // (`role_oid`, 0 for static tokens); else *problem is the 403 (401 when the token's role is
  // gone).
  bool MayLogIn(const std::string& role, uint32_t role_oid, Response* problem);
  void Forget(const std::string& hash);

  session::Engine* engine_;
  const bool enabled_;
  const uint32_t token_ttl_s_;
  TokenStore tokens_;
  std::map<std::string, std::string, std::less<>> static_tokens_;  // token -> role
  std::mutex mutex_;
  // Issued tokens seen lately, by hash: the hot path reads no catalog entry for them. At most
  // kIssuedTokensMax; cleared when full.
  std::unordered_map<std::string, IssuedToken> cache_;  // guarded by mutex_
};

// 401 with "WWW-Authenticate: Bearer".
Response Unauthorized(std::string_view detail);

}  // namespace plexus::server::http
