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

Authenticator::Authenticator(session::Engine* engine, bool enabled)
    : engine_(engine), enabled_(enabled) {}

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

bool Authenticator::MayLogIn(const std::string& role, Response* problem) {
  std::unique_ptr<txn::Transaction> transaction = engine_->transactions().Begin();
  auto found = catalog::FindRole(*transaction, role);
  [[maybe_unused]] Status ignored = transaction->Rollback();  // read only
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

bool Authenticator::Authenticate(const Request& request, std::string* role, Response* problem) {
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
  const std::string token(Trim(header.substr(kScheme.size())));
  if (auto found = static_tokens_.find(token); found != static_tokens_.end()) {
    *role = found->second;
  } else {
    std::lock_guard<std::mutex> lock(mutex_);
    auto issued = issued_.find(token);
    if (issued == issued_.end() || issued->second.expires <= Clock::now()) {
      *problem = Unauthorized("the token is unknown or has expired");
      return false;
    }
    *role = issued->second.role;
  }
  return MayLogIn(*role, problem);
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
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    DropExpired(now);
    while (issued_.size() >= kIssuedTokensMax) {
      issued_.erase(issue_order_.front().second);
      issue_order_.pop_front();
    }
    issued_[token] = Issued{user, now + std::chrono::seconds(kTokenLifetimeSeconds)};
    issue_order_.emplace_back(now, token);
  }
  Response response;
  response.body = nlohmann::json{{"token", token}, {"expires_in", kTokenLifetimeSeconds}}.dump();
  return response;
}

void Authenticator::DropExpired(Clock::time_point now) {
  const auto lifetime = std::chrono::seconds(kTokenLifetimeSeconds);
  while (!issue_order_.empty() && issue_order_.front().first + lifetime <= now) {
    issued_.erase(issue_order_.front().second);
    issue_order_.pop_front();
  }
}

std::vector<RouteEntry> Authenticator::Routes() {
  std::vector<RouteEntry> routes;
  routes.push_back({"POST", std::string(kTokenPath),
                    [this](const Request& request) { return IssueToken(request); }});
  return routes;
}

}  // namespace plexus::server::http
