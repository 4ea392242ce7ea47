// The startup phase and message framing of a pgwire connection (on its event loop).
#include "plexus/server/pgwire/handler.h"

#include "plexus/base/logging.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/server/pgwire/limits.h"
#include "plexus/server/pgwire/service.h"
#include "plexus/server/pgwire/tls.h"

namespace plexus::server::pgwire {

// Reported as server_version: drivers parse the leading "15.0" (PostgreSQL 15 compatibility).
inline constexpr std::string_view kServerVersion = "15.0 (Plexus)";

Handler::Handler(Service* service, std::weak_ptr<net::Connection> connection, bool refused)
    : service_(service), connection_(std::move(connection)), refused_(refused) {
  if (!refused_) return;
  if (auto locked = connection_.lock()) {
    locked->PostAfter(kRefusedStartupTimeoutMs, [weak = connection_] {
      if (auto connection = weak.lock()) connection->Close();
    });
  }
}

Handler::~Handler() = default;

net::Disposition Handler::OnInput(std::string_view input, size_t* consumed,
                                  std::string* output) {
  if (!tls_) return OnPlainInput(input, consumed, output);
  // TLS: everything read is decrypted into plain_input_; replies are encrypted. Once workers
  // may write (after startup), every record goes out through Connection::Send, in the order it
  // was encrypted, as the workers' records do; before that the loop writes alone.
  *consumed = input.size();
  std::string records;
  Status status = tls_->Decrypt(input, &plain_input_, &records);
  if (phase_ == Phase::kStartup || phase_ == Phase::kAuthenticating) {
    output->append(records);
  } else if (!records.empty()) {
    if (auto connection = connection_.lock()) connection->Send(std::move(records));
  }
  if (!status.ok()) {
    base::LogWarn("pgwire TLS error: {}", status.ToString());
    return net::Disposition::kClose;
  }
  if (!tls_->handshake_done()) return net::Disposition::kContinue;
  size_t plain_consumed = 0;
  std::string plain_output;
  const net::Disposition disposition = OnPlainInput(plain_input_, &plain_consumed, &plain_output);
  plain_input_.erase(0, plain_consumed);
  status = tls_->Encrypt(plain_output, output);
  if (!status.ok()) return net::Disposition::kClose;
  return disposition;
}

net::Disposition Handler::OnPlainInput(std::string_view input, size_t* consumed,
                                       std::string* output) {
  *consumed = 0;
  while (phase_ == Phase::kStartup) {
    StartupPacket packet;
    size_t bytes = 0;
    Status error;
    const FrameResult result = NextStartupPacket(input.substr(*consumed), &packet, &bytes, &error);
    if (result == FrameResult::kIncomplete) return net::Disposition::kContinue;
    if (result == FrameResult::kError) {
      AppendErrorResponse(output, Severity::kFatal, error);
      phase_ = Phase::kClosing;
      return net::Disposition::kClose;
    }
    *consumed += bytes;
    const net::Disposition disposition = OnStartupPacket(packet, output);
    if (disposition != net::Disposition::kContinue) return disposition;
    // After 'S' the client starts the TLS handshake: the rest is ciphertext.
    if (tls_) {
      const std::string_view rest = input.substr(*consumed);
      *consumed = input.size();
      if (!rest.empty()) {
        std::string unused;
        size_t unused_consumed = 0;
        return OnInput(rest, &unused_consumed, output);
      }
      return net::Disposition::kContinue;
    }
  }
  if (phase_ == Phase::kAuthenticating) {
    size_t used = 0;
    const net::Disposition disposition =
        OnAuthenticationInput(input.substr(*consumed), &used, output);
    *consumed += used;
    if (disposition != net::Disposition::kContinue || phase_ != Phase::kReady) return disposition;
  }
  if (phase_ != Phase::kReady) return net::Disposition::kClose;
  size_t queued = 0;
  const net::Disposition disposition = QueueMessages(input.substr(*consumed), &queued);
  *consumed += queued;
  return disposition;
}

bool Handler::OverUnixSocket() const {
  auto connection = connection_.lock();
  return connection && connection->peer() == net::kLocalPeer;
}

net::Disposition Handler::OnStartupPacket(const StartupPacket& packet, std::string* output) {
  switch (packet.kind) {
    case StartupPacket::Kind::kSslRequest:
      if (ssl_answered_) {
        AppendErrorResponse(output, Severity::kFatal,
                            ProtocolViolation("SSL negotiation packet already received"));
        return net::Disposition::kClose;
      }
      ssl_answered_ = true;
      // As PostgreSQL: no TLS over a Unix-domain socket (nothing to protect it from).
      if (service_->tls() != nullptr && !refused_ && !OverUnixSocket()) {
        output->push_back('S');
        tls_ = std::make_shared<TlsSession>(service_->tls());
      } else {
        output->push_back('N');
      }
      return net::Disposition::kContinue;
    case StartupPacket::Kind::kGssEncRequest:
      output->push_back('N');  // no GSSAPI encryption; the client goes on without it
      return net::Disposition::kContinue;
    case StartupPacket::Kind::kCancelRequest:
      service_->Cancel(packet.process_id, packet.secret_key);
      return net::Disposition::kClose;
    case StartupPacket::Kind::kStartup:
      return Greet(packet, output);
  }
  return net::Disposition::kClose;
}

namespace {

// The startup packet's "options" (libpq's PGOPTIONS): "-c name=value" or "--name=value" words,
// separated by spaces; a backslash keeps the next character (a space) in the word.
std::vector<std::pair<std::string, std::string>> ParseOptions(std::string_view options) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < options.size(); ++i) {
    const char c = options[i];
    if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < options.size()) {
      word.push_back(options[++i]);
    } else {
      word.push_back(c);
    }
  }
  if (in_word) words.push_back(std::move(word));
  std::vector<std::pair<std::string, std::string>> settings;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view setting;
    if (words[i] == "-c" && i + 1 < words.size()) {
      setting = words[++i];
    } else if (words[i].rfind("-c", 0) == 0 && words[i].size() > 2) {
      setting = std::string_view(words[i]).substr(2);
    } else if (words[i].rfind("--", 0) == 0) {
      setting = std::string_view(words[i]).substr(2);
    } else {
      continue;  // other postgres command-line switches do not apply to a session
    }
    const size_t equals = setting.find('=');
    if (equals == std::string_view::npos) continue;
    std::string name(setting.substr(0, equals));
    for (char& ch : name) {
      if (ch == '-') ch = '_';
    }
    settings.emplace_back(std::move(name), std::string(setting.substr(equals + 1)));
  }
  return settings;
}

}  // namespace

net::Disposition Handler::Greet(const StartupPacket& packet, std::string* output) {
  std::string user;
  for (const auto& [name, value] : packet.parameters) {
    if (name == "user") user = value;
  }
  if (user.empty()) {
    AppendErrorResponse(output, Severity::kFatal,
                        sql::SqlError(kInvalidAuthorization,
                                      "no PostgreSQL user name specified in startup packet"));
    return net::Disposition::kClose;
  }
  if (refused_) {
    AppendErrorResponse(output, Severity::kFatal,
                        sql::SqlError(kTooManyConnections, kTooManyClientsText));
    return net::Disposition::kClose;
  }
  AuthRequest request;
  request.user = user;
  request.database = user;  // PostgreSQL's default database is the user's name
  for (const auto& [name, value] : packet.parameters) {
    if (name == "database" && !value.empty()) request.database = value;
  }
  request.ssl = tls_ != nullptr;
  if (auto connection = connection_.lock()) request.peer = connection->peer();
  startup_ = packet;
  authenticator_ = std::make_unique<Authenticator>(service_->engine(), &service_->hba());
  switch (authenticator_->Start(request, output)) {
    case Authenticator::Step::kFailed:
      phase_ = Phase::kClosing;
      return net::Disposition::kClose;
    case Authenticator::Step::kContinue:
      phase_ = Phase::kAuthenticating;
      authentication_over_ = std::make_shared<bool>(false);
      if (auto connection = connection_.lock()) {
        // Runs on the loop, as the handler does: no lock needed for the flag.
        connection->PostAfter(kAuthenticationTimeoutMs,
                              [weak = connection_, over = authentication_over_] {
                                if (*over) return;
                                if (auto expired = weak.lock()) expired->Close();
                              });
      }
      return net::Disposition::kContinue;
    case Authenticator::Step::kDone:
      break;
  }
  if (!AdmitRole(output)) return net::Disposition::kClose;
  return FinishStartup(output);
}

net::Disposition Handler::OnAuthenticationInput(std::string_view input, size_t* consumed,
                                                std::string* output) {
  *consumed = 0;
  while (phase_ == Phase::kAuthenticating) {
    const std::string_view rest = input.substr(*consumed);
    // Bounded before any body is buffered: authentication messages are small.
    if (rest.size() >= 5 &&
        static_cast<uint32_t>(LoadInt32(rest.data() + 1)) > kAuthMessageBytesMax + 4) {
      AppendErrorResponse(output, Severity::kFatal, ProtocolViolation("invalid message length"));
      phase_ = Phase::kClosing;
      return net::Disposition::kClose;
    }
    Message message;
    size_t bytes = 0;
    Status error;
    const FrameResult result = NextMessage(rest, &message, &bytes, &error);
    if (result == FrameResult::kIncomplete) return net::Disposition::kContinue;
    if (result == FrameResult::kError) {
      AppendErrorResponse(output, Severity::kFatal, error);
      phase_ = Phase::kClosing;
      return net::Disposition::kClose;
    }
    *consumed += bytes;
    if (message.type == 'X') {  // the client gave up (psql asks for a password, then retries)
      phase_ = Phase::kClosing;
      return net::Disposition::kClose;
    }
    switch (authenticator_->OnMessage(message, output)) {
      case Authenticator::Step::kFailed:
        phase_ = Phase::kClosing;
        return net::Disposition::kClose;
      case Authenticator::Step::kContinue:
        break;
      case Authenticator::Step::kDone:
        if (!AdmitRole(output)) return net::Disposition::kClose;
        return FinishStartup(output);
    }
  }
  return net::Disposition::kContinue;
}

bool Handler::AdmitRole(std::string* output) {
  const catalog::RoleDefPtr& role = authenticator_->role();
  if (!role || role->superuser || role->connection_limit < 0) return true;
  if (!service_->AcquireRoleConnection(role->name, role->connection_limit)) {
    AppendErrorResponse(output, Severity::kFatal,
                        sql::SqlError(kTooManyConnections,
                                      "too many connections for role \"" + role->name + "\""));
    phase_ = Phase::kClosing;
    return false;
  }
  counted_role_ = role->name;
  return true;
}

net::Disposition Handler::FinishStartup(std::string* output) {
  if (authentication_over_) *authentication_over_ = true;
  authenticator_.reset();
  const StartupPacket packet = std::move(startup_);
  startup_ = StartupPacket();
  std::string user;
  std::string database;
  for (const auto& [name, value] : packet.parameters) {
    if (name == "user") user = value;
    if (name == "database") database = value;
  }
  if (database.empty()) database = user;  // PostgreSQL's default database is the user's name
  const int32_t process_id = service_->NextProcessId();
  const int32_t secret_key = service_->NewSecretKey();
  Backend::SendFunction send;
  if (tls_) {
    // Encryption happens on the loop thread, in order with everything else the loop writes.
    send = [connection = connection_, tls = tls_](std::string bytes) {
      auto locked = connection.lock();
      if (!locked) return;
      net::Connection* raw = locked.get();
      locked->Post([raw, tls, bytes = std::move(bytes)] {
        std::string encrypted;
        if (tls->Encrypt(bytes, &encrypted).ok()) {
          raw->Send(std::move(encrypted));
        } else {
          raw->Close();
        }
      });
    };
  } else {
    send = [connection = connection_](std::string bytes) {
      if (auto locked = connection.lock()) locked->Send(std::move(bytes));
    };
  }
  auto backend = std::make_shared<Backend>(service_, connection_, std::move(send), process_id,
                                           secret_key);
  backend->session_for_startup().set_user(user);
  backend->session_for_startup().set_database(database);
  backend->WatchNotifications();
  // Startup parameters other than the connection's identity are settings, as PostgreSQL
  // applies them (a bad one is FATAL). The client encoding is always UTF8: a client asking for
  // another (psql in the C locale asks for SQL_ASCII) is told so by ParameterStatus.
  session::Settings& settings = backend->session_for_startup().settings();
  for (const auto& [name, value] : packet.parameters) {
    if (name == "user" || name == "database" || name == "replication" ||
        name == "client_encoding") {
      continue;
    }
    std::vector<std::pair<std::string, std::string>> assignments;
    if (name == "options") {
      assignments = ParseOptions(value);
    } else {
      assignments.emplace_back(name, value);
    }
    for (const auto& [setting, setting_value] : assignments) {
      const Status status = settings.Set(setting, setting_value);
      if (!status.ok()) {
        AppendErrorResponse(output, Severity::kFatal, status);
        return net::Disposition::kClose;
      }
    }
  }
  backend_ = std::move(backend);
  service_->Register(backend_);
  MessageWriter writer(output);
  writer.Begin('R').Int32(0).End();  // AuthenticationOk: `trust`
  for (const session::Settings::Row& row : settings.Reported()) {
    const std::string_view value = row.name == "session_authorization" ? std::string_view(user)
                                   : row.name == "server_version"      ? kServerVersion
                                                                       : row.value;
    writer.Begin('S').String(row.name).String(value).End();
  }
  writer.Begin('K').Int32(process_id).Int32(secret_key).End();
  writer.Begin('Z').Byte('I').End();
  phase_ = Phase::kReady;
  return net::Disposition::kContinue;
}

net::Disposition Handler::QueueMessages(std::string_view input, size_t* consumed) {
  size_t offset = 0;
  Status violation;
  while (offset < input.size() && offset < kJobInputBytesMax) {
    Message message;
    size_t bytes = 0;
    const FrameResult result = NextMessage(input.substr(offset), &message, &bytes, &violation);
    if (result == FrameResult::kIncomplete) break;
    if (result == FrameResult::kError) break;
    offset += bytes;
  }
  *consumed = offset;
  // With nothing left over, the worker may read the client's next messages itself.
  const bool worker_may_read = !tls_ && violation.ok() && offset == input.size();
  net::Disposition disposition = net::Disposition::kContinue;
  if (offset > 0) disposition = backend_->Deliver(input.substr(0, offset), worker_may_read);
  if (!violation.ok()) {
    // Reported by the worker after the replies to the messages before it, then it closes.
    std::string frame;
    MessageWriter(&frame).Begin(kViolationMessageType).Bytes(violation.message()).End();
    backend_->Deliver(frame);
    *consumed = input.size();
    phase_ = Phase::kClosing;
    disposition = net::Disposition::kPause;
  }
  return disposition;
}

void Handler::OnClose() {
  if (!counted_role_.empty()) service_->ReleaseRoleConnection(counted_role_);
  if (!backend_) return;
  backend_->Closed();
  service_->Unregister(backend_->process_id());
}

}  // namespace plexus::server::pgwire
