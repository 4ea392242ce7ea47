// Bearer tokens: static, issued for a password, checked per request against the role catalog.
#include "plexus/server/http/auth.h"

#include <nlohmann/json.hpp>

#include <optional>

#include "plexus/base/logging.h"
#include "plexus/base/scram.h"
#include "plexus/catalog/roles.h"
#include "plexus/server/http/json_body.h"
#include "plexus/server/http/limits.h"
#include "plexus/server/http/problem.h"
#include "plexus/session/session.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/txn/transaction.h"

namespace plexus::server::http {
namespace {

constexpr std::string_view kTokenPath = "/api/v1/auth/token";
constexpr size_t kTokenBytes = 32;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    out.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 15]);
  }
  return out;
}

}  // namespace

Response Unauthorized(std::string_view detail) {
  Response response = Problem(401, detail);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Authenticator::Authenticator(session::Engine* engine, bool enabled, uint32_t token_ttl_s)
    : engine_(engine),
      enabled_(enabled),
      token_ttl_s_(token_ttl_s),
      tokens_(&engine->transactions()) {}

Status Authenticator::LoadStaticTokens(std::string_view list) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    const size_t colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == item.size()) {
      return Status::InvalidArgument("http.tokens: expected token:role, got \"" +
                                     std::string(item.substr(0, 4)) + "...\"");
    }
    static_tokens_[std::string(Trim(item.substr(0, colon)))] =
        std::string(Trim(item.substr(colon + 1)));
  }
  return Status::Ok();
}

bool Authenticator::IsOpen(const Request& request) {
  if (request.path == "/health" || request.path == "/ready") return true;
  if (request.path == kTokenPath) return true;
  // The console's pages and scripts hold no data; what they fetch from /api/ needs a token.
  const bool read = request.method == "GET" || request.method == "HEAD";
  return read && !request.path.starts_with("/api/") && request.path != "/metrics";
}

bool Authenticator::MayLogIn(const std::string& role, uint32_t role_oid, Response* problem) {
  std::unique_ptr<txn::Transaction> transaction = engine_->transactions().Begin();
  auto found = catalog::FindRole(*transaction, role);
  [[maybe_unused]] Status ignored = transaction->Rollback();  // read only
  const bool gone = found.ok() ? role_oid != 0 && (*found)->oid != role_oid
                               : found.status().IsNotFound();
  if (gone && role_oid != 0) {
    *problem = Unauthorized("the token's role \"" + role + "\" has been dropped");
    return false;
  }
  if (!found.ok()) {
    *problem = found.status().IsNotFound()
                   ? Problem(403, "role \"" + role + "\" does not exist")
                   : SqlProblem(found.status());
    return false;
  }
  const catalog::RoleDef& def = **found;
  if (!def.can_login) {
    *problem = Problem(403, "role \"" + role + "\" is not permitted to log in", "28000");
    return false;
  }
  return true;
}

bool Authenticator::BearerToken(const Request& request, std::string* token, Response* problem) {
  const std::string_view header = request.Header("authorization");
  if (header.empty()) {
    *problem = Unauthorized("this resource needs an Authorization: Bearer token");
    return false;
  }
  constexpr std::string_view kScheme = "bearer ";
  std::string scheme(header.substr(0, kScheme.size()));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != kScheme) {
    *problem = Unauthorized("the Authorization header must be Bearer <token>");
    return false;
  }
  *token = std::string(Trim(header.substr(kScheme.size())));
  return true;
}

bool Authenticator::FindIssued(const std::string& hash, IssuedToken* token, Response* problem) {
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto cached = cache_.find(hash); cached != cache_.end()) {
      *token = cached->second;
      found = true;
    }
  }
  if (!found) {
    Result<std::optional<IssuedToken>> stored = tokens_.Find(hash);
    if (!stored.ok()) {
      *problem = SqlProblem(stored.status());
      return false;
    }
    if (stored->has_value()) {
      *token = **stored;
      found = true;
      std::lock_guard<std::mutex> lock(mutex_);
      if (cache_.size() >= kIssuedTokensMax) cache_.clear();
      cache_.emplace(hash, *token);
    }
  }
  if (found && token->expires_us <= TokenStore::NowMicros()) {
    Forget(hash);
    found = false;
  }
  if (!found) *problem = Unauthorized("the token is unknown or has expired");
  return found;
}

void Authenticator::Forget(const std::string& hash) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.erase(hash);
  }
  if (Status status = tokens_.Delete(hash); !status.ok()) {
    base::LogWarn("http: cannot delete an issued token: {}", status.ToString());
  }
}

bool Authenticator::Authenticate(const Request& request, std::string* role, Response* problem) {
  std::string token;
  if (!BearerToken(request, &token, problem)) return false;
  if (auto found = static_tokens_.find(token); found != static_tokens_.end()) {
    *role = found->second;
    return MayLogIn(*role, 0, problem);
  }
  const std::string hash = TokenStore::Hash(token);
  IssuedToken issued;
  if (!FindIssued(hash, &issued, problem)) return false;
  *role = issued.role;
  if (MayLogIn(issued.role, issued.role_oid, problem)) return true;
  if (problem->status == 401) Forget(hash);  // its role was dropped
  return false;
}

Response Authenticator::RevokeToken(const Request& request) {
  std::string token;
  Response problem;
  if (!BearerToken(request, &token, &problem)) return problem;
  if (static_tokens_.contains(token)) {
    return Problem(409, "a token of http.tokens cannot be revoked; change the configuration");
  }
  const std::string hash = TokenStore::Hash(token);
  IssuedToken issued;
  if (!FindIssued(hash, &issued, &problem)) return problem;
  Forget(hash);
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Status Authenticator::SweepTokens() {
  PLEXUS_ASSIGN_OR_RETURN(const size_t swept, tokens_.Sweep(TokenStore::NowMicros()));
  if (swept > 0) base::LogInfo("http: deleted {} expired or orphaned bearer tokens", swept);
  return Status::Ok();
}

Response Authenticator::IssueToken(const Request& request) {
  nlohmann::json body;
  Response problem;
  if (!ParseJsonBody(request, &body, &problem)) return problem;
  if (!body.is_object() || !body.contains("user") || !body["user"].is_string() ||
      !body.contains("password") || !body["password"].is_string()) {
    return Problem(400, "expected {\"user\": string, \"password\": string}");
  }
  const std::string user = body["user"].get<std::string>();
  const std::string password = body["password"].get<std::string>();
  std::optional<catalog::RoleDefPtr> role;
  {
    std::unique_ptr<txn::Transaction> transaction = engine_->transactions().Begin();
    auto found = catalog::FindRole(*transaction, user);
    [[maybe_unused]] Status ignored = transaction->Rollback();  // read only
    if (found.ok()) {
      role = *found;
    } else if (!found.status().IsNotFound()) {
      return SqlProblem(found.status());
    }
  }
  // Unknown role, no password, expired or wrong password: one answer, as PostgreSQL gives.
  bool password_ok = false;
  if (role && !(*role)->password.empty() && !password.empty()) {
    auto verifier = base::ParseScramVerifier((*role)->password);
    const bool expired =
        (*role)->has_valid_until && (*role)->valid_until_us < sql::ClockTimestamp().micros;
    password_ok = verifier.ok() && !expired && base::ScramCheckPassword(*verifier, password);
  }
  if (!password_ok) {
    base::LogInfo("http: password authentication failed for user \"{}\"", user);
    return Unauthorized("password authentication failed for user \"" + user + "\"");
  }
  if (!(*role)->can_login) {
    return Problem(403, "role \"" + user + "\" is not permitted to log in", "28000");
  }
  const std::string token = Hex(base::RandomBytes(kTokenBytes));
  const std::string hash = TokenStore::Hash(token);
  IssuedToken issued{user, (*role)->oid,
                     TokenStore::NowMicros() + int64_t{token_ttl_s_} * 1'000'000};
  if (Status status = tokens_.Put(hash, issued); !status.ok()) return SqlProblem(status);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kIssuedTokensMax) cache_.clear();
    cache_.emplace(hash, std::move(issued));
  }
  Response response;
  response.body = nlohmann::json{{"token", token}, {"expires_in", token_ttl_s_}}.dump();
  return response;
}

std::vector<RouteEntry> Authenticator::Routes() {
  std::vector<RouteEntry> routes;
  routes.push_back({"POST", std::string(kTokenPath),
                    [this](const Request& request) { return IssueToken(request); }});
  routes.push_back({"DELETE", std::string(kTokenPath),
                    [this](const Request& request) { return RevokeToken(request); }});
  return routes;
}

}  // namespace plexus::server::http
