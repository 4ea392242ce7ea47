// Authentication methods and their messages, as PostgreSQL's auth.c and auth-scram.c send them.
#include "plexus/server/pgwire/auth.h"

#include "plexus/base/logging.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/session/session.h"
#include "plexus/sql/func/datetime_support.h"

namespace plexus::server::pgwire {

namespace {

inline constexpr sql::SqlState kInvalidPassword{"28P01", StatusCode::kInvalidArgument};
// AuthenticationRequest codes.
inline constexpr int32_t kAuthOk = 0;
inline constexpr int32_t kAuthCleartextPassword = 3;
inline constexpr int32_t kAuthSasl = 10;
inline constexpr int32_t kAuthSaslContinue = 11;
inline constexpr int32_t kAuthSaslFinal = 12;
static_assert(kAuthOk == 0);

std::string HostText(const AuthRequest& request) {
  return "host \"" + std::string(PeerAddress(request.peer)) + "\", user \"" + request.user +
         "\", database \"" + request.database + "\", " +
         (request.ssl ? "SSL encryption" : "no encryption");
}

}  // namespace

Authenticator::Step Authenticator::Start(const AuthRequest& request, std::string* output) {
  request_ = request;
  {
    std::unique_ptr<txn::Transaction> transaction = engine_->transactions().Begin();
    auto role = catalog::FindRole(*transaction, request.user);
    [[maybe_unused]] Status ignored = transaction->Rollback();  // read only
    if (role.ok()) {
      role_ = *role;
    } else if (!role.status().IsNotFound()) {
      return Fatal(role.status(), output);
    }
  }
  if (role_ && !role_->password.empty()) {
    auto verifier = base::ParseScramVerifier(role_->password);
    if (verifier.ok()) verifier_ = std::move(verifier).value();
  }
  const HbaRule* rule = rules_->Match(request.ssl, request.database, request.user, request.peer);
  if (rule == nullptr) {
    return Fatal(sql::SqlError(kInvalidAuthorization, "no pg_hba.conf entry for " + HostText(request)),
                 output);
  }
  switch (rule->method) {
    case AuthMethod::kReject:
      return Fatal(sql::SqlError(kInvalidAuthorization,
                                 "pg_hba.conf rejects connection for " + HostText(request)),
                   output);
    case AuthMethod::kTrust:
      return Authenticated(output);
    case AuthMethod::kScramSha256:
      MessageWriter(output)
          .Begin('R')
          .Int32(kAuthSasl)
          .String(base::kScramMechanism)
          .Byte(0)
          .End();
      state_ = State::kSaslInitial;
      return Step::kContinue;
    case AuthMethod::kPassword:
      MessageWriter(output).Begin('R').Int32(kAuthCleartextPassword).End();
      state_ = State::kPassword;
      return Step::kContinue;
  }
  return Fatal(Status::Internal("unknown authentication method"), output);
}

Authenticator::Step Authenticator::OnMessage(const Message& message, std::string* output) {
  if (message.type != 'p') {
    const char* expected = state_ == State::kPassword ? "password" : "SASL";
    return Fatal(ProtocolViolation(std::string("expected ") + expected +
                                   " response, got message type " +
                                   std::to_string(static_cast<uint8_t>(message.type))),
                 output);
  }
  switch (state_) {
    case State::kSaslInitial: return OnSaslInitial(message.body, output);
    case State::kSaslContinue: return OnSaslResponse(message.body, output);
    case State::kPassword: return OnPassword(message.body, output);
    default: return Fatal(ProtocolViolation("unexpected authentication message"), output);
  }
}

Authenticator::Step Authenticator::OnSaslInitial(std::string_view body, std::string* output) {
  MessageReader reader(body);
  std::string_view mechanism;
  int32_t length = 0;
  std::string_view data;
  if (!reader.ReadString(&mechanism) || !reader.ReadInt32(&length)) {
    return Fatal(ProtocolViolation(kInvalidMessageFormatText), output);
  }
  if (mechanism != base::kScramMechanism) {
    return Fatal(ProtocolViolation("client selected an invalid SASL authentication mechanism"),
                 output);
  }
  if (length < 0 || !reader.ReadBytes(static_cast<size_t>(length), &data) || !reader.done()) {
    return Fatal(ProtocolViolation(kInvalidMessageFormatText), output);
  }
  exchange_ = std::make_unique<base::ScramServerExchange>(UsableVerifier(), request_.user);
  auto server_first = exchange_->HandleClientFirst(data);
  if (!server_first.ok()) {
    Status status = server_first.status();
    status.SetSqlState(status.code() == StatusCode::kNotSupported ? sql::kFeatureNotSupported.code
                                                                   : kProtocolViolation.code);
    return Fatal(status, output);
  }
  MessageWriter(output).Begin('R').Int32(kAuthSaslContinue).Bytes(*server_first).End();
  state_ = State::kSaslContinue;
  return Step::kContinue;
}

Authenticator::Step Authenticator::OnSaslResponse(std::string_view body, std::string* output) {
  auto server_final = exchange_->HandleClientFinal(body);
  if (!server_final.ok()) {
    if (server_final.status().code() == StatusCode::kAborted) {
      return PasswordFailed(role_ ? (verifier_ ? "Password does not match or has expired."
                                               : "User has no password assigned.")
                                  : "Role does not exist.",
                            output);
    }
    Status status = server_final.status();
    status.SetSqlState(kProtocolViolation.code);
    return Fatal(status, output);
  }
  MessageWriter(output).Begin('R').Int32(kAuthSaslFinal).Bytes(*server_final).End();
  return Authenticated(output);
}

Authenticator::Step Authenticator::OnPassword(std::string_view body, std::string* output) {
  MessageReader reader(body);
  std::string_view password;
  if (!reader.ReadString(&password) || !reader.done()) {
    return Fatal(ProtocolViolation(kInvalidMessageFormatText), output);
  }
  const base::ScramVerifier* verifier = UsableVerifier();
  if (verifier == nullptr || password.empty() || !base::ScramCheckPassword(*verifier, password)) {
    return PasswordFailed("Password does not match, has expired, or the role does not exist.",
                          output);
  }
  return Authenticated(output);
}

const base::ScramVerifier* Authenticator::UsableVerifier() const {
  if (!role_ || !verifier_) return nullptr;
  if (role_->has_valid_until && role_->valid_until_us < sql::ClockTimestamp().micros) {
    return nullptr;  // expired: as a wrong password
  }
  return &*verifier_;
}

Authenticator::Step Authenticator::Authenticated(std::string* output) {
  if (role_ && !role_->can_login) {
    return Fatal(sql::SqlError(kInvalidAuthorization,
                               "role \"" + request_.user + "\" is not permitted to log in"),
                 output);
  }
  state_ = State::kDone;
  return Step::kDone;
}

Authenticator::Step Authenticator::PasswordFailed(std::string_view why, std::string* output) {
  base::LogInfo("pgwire: password authentication failed for user \"{}\" from {}: {}",
                request_.user, request_.peer, why);
  return Fatal(sql::SqlError(kInvalidPassword,
                             "password authentication failed for user \"" + request_.user + "\""),
               output);
}

Authenticator::Step Authenticator::Fatal(const Status& status, std::string* output) {
  AppendErrorResponse(output, Severity::kFatal, status);
  state_ = State::kIdle;
  return Step::kFailed;
}

}  // namespace plexus::server::pgwire
