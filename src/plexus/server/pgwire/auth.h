// Client authentication of a pgwire connection, after its StartupMessage: picks the method by
// the rules (hba.h) and runs it — trust, reject, SCRAM-SHA-256 (AuthenticationSASL,
// SASLInitialResponse, AuthenticationSASLContinue, SASLResponse, AuthenticationSASLFinal) or
// cleartext password. Runs on the connection's event loop; reads roles in a transaction of its
// own. SCRAM-SHA-256-PLUS (channel binding) is not offered.
//
// Unlike PostgreSQL, `trust` accepts a user name that is no role (as before roles existed); a
// role that exists with NOLOGIN is refused.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "plexus/base/scram.h"
#include "plexus/catalog/roles.h"
#include "plexus/server/pgwire/hba.h"
#include "plexus/server/pgwire/protocol.h"

namespace plexus::session {
class Engine;
}  // namespace plexus::session

namespace plexus::server::pgwire {

// A message during authentication is small (PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH).
inline constexpr size_t kAuthMessageBytesMax = 65535;
// A client that has not authenticated by then is disconnected (PostgreSQL's
// authentication_timeout default).
inline constexpr uint32_t kAuthenticationTimeoutMs = 60'000;

struct AuthRequest {
  std::string user;
  std::string database;
  bool ssl = false;
  std::string peer;  // the net layer's "address:port"
};

class Authenticator {
 public:
  enum class Step : uint8_t {
    kContinue,  // waiting for the client's next message
    kDone,      // authenticated: the caller sends AuthenticationOk and the greeting
    kFailed,    // a FATAL ErrorResponse was appended: close the connection
  };

  // REQUIRES: both outlive the authenticator.
  Authenticator(session::Engine* engine, const HbaRules* rules) : engine_(engine), rules_(rules) {}

  Step Start(const AuthRequest& request, std::string* output);
  // A message the client sent while kContinue ('p': SASLInitialResponse, SASLResponse,
  // PasswordMessage).
  Step OnMessage(const Message& message, std::string* output);
  // The role logging in; null when the user name is no role (trust).
  const catalog::RoleDefPtr& role() const { return role_; }

 private:
  enum class State : uint8_t { kIdle, kSaslInitial, kSaslContinue, kPassword, kDone };

  Step OnSaslInitial(std::string_view body, std::string* output);
  Step OnSaslResponse(std::string_view body, std::string* output);
  Step OnPassword(std::string_view body, std::string* output);
  // The password was right: checks LOGIN, then kDone.
  Step Authenticated(std::string* output);
  Step Fatal(const Status& status, std::string* output);
  Step PasswordFailed(std::string_view why, std::string* output);
  // The role's verifier when it may log in with a password now (exists, has one, not expired).
  const base::ScramVerifier* UsableVerifier() const;

  session::Engine* engine_;
  const HbaRules* rules_;
  AuthRequest request_;
  State state_ = State::kIdle;
  catalog::RoleDefPtr role_;  // null: no role has the user's name
  std::optional<base::ScramVerifier> verifier_;
  std::unique_ptr<base::ScramServerExchange> exchange_;
};

}  // namespace plexus::server::pgwire
