// Bearer-token authentication (http.auth = token). A token names a role: static ones come from
// http.tokens ("token:role,..."), others are issued by POST /api/v1/auth/token for a role's
// password (checked against its SCRAM verifier, as pgwire's password method does) and expire
// after kTokenLifetimeSeconds. Requests then run as that role, so SQL privileges apply; a role
// that may not log in gets 403. /health, /ready, the token endpoint and the console's static
// files stay open.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/server/http/route.h"

namespace plexus::session {
class Engine;
}

namespace plexus::server::http {

class Authenticator {
 public:
  // REQUIRES: `engine` outlives the authenticator.
  Authenticator(session::Engine* engine, bool enabled);

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
  std::vector<RouteEntry> Routes();

 private:
  using Clock = std::chrono::steady_clock;
  struct Issued {
    std::string role;
    Clock::time_point expires;
  };
  // The role's catalog entry allows logging in now; else *problem is the 403.
  bool MayLogIn(const std::string& role, Response* problem);
  // REQUIRES: mutex_ held.
  void DropExpired(Clock::time_point now);

  session::Engine* engine_;
  const bool enabled_;
  std::map<std::string, std::string, std::less<>> static_tokens_;  // token -> role
  std::mutex mutex_;
  std::unordered_map<std::string, Issued> issued_;  // guarded by mutex_
  std::deque<std::pair<Clock::time_point, std::string>> issue_order_;  // guarded by mutex_
};

// 401 with "WWW-Authenticate: Bearer".
Response Unauthorized(std::string_view detail);

}  // namespace plexus::server::http
