// Handler: a pgwire connection on its event loop — the startup phase (SSLRequest, GSSENCRequest,
// CancelRequest, StartupMessage and the server's greeting) and, after it, the framing of
// messages that it queues to the connection's Backend.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "plexus/server/net/server.h"
#include "plexus/server/pgwire/auth.h"
#include "plexus/server/pgwire/backend.h"
#include "plexus/server/pgwire/protocol.h"

namespace plexus::server::pgwire {

class Service;
class TlsSession;

class Handler final : public net::Handler {
 public:
  // `refused`: the client came past the connection limit; it gets the answers PostgreSQL gives
  // before the limit applies (SSLRequest 'N', CancelRequest served), then "too many clients".
  Handler(Service* service, std::weak_ptr<net::Connection> connection, bool refused);
  ~Handler() override;

  net::Disposition OnInput(std::string_view input, size_t* consumed,
                           std::string* output) override;
  void OnClose() override;

 private:
  enum class Phase : uint8_t { kStartup, kAuthenticating, kReady, kClosing };

  // Plain protocol bytes (after TLS, when in use).
  net::Disposition OnPlainInput(std::string_view input, size_t* consumed, std::string* output);
  net::Disposition OnStartupPacket(const StartupPacket& packet, std::string* output);
  net::Disposition Greet(const StartupPacket& packet, std::string* output);
  // Messages of the authentication exchange (auth.h); then FinishStartup.
  net::Disposition OnAuthenticationInput(std::string_view input, size_t* consumed,
                                         std::string* output);
  // Authenticated: the session, AuthenticationOk, ParameterStatus, BackendKeyData, ReadyForQuery.
  net::Disposition FinishStartup(std::string* output);
  // CONNECTION LIMIT of the authenticated role (superusers have none); false after a FATAL.
  bool AdmitRole(std::string* output);
  net::Disposition QueueMessages(std::string_view input, size_t* consumed);
  bool OverUnixSocket() const;

  Service* service_;
  std::weak_ptr<net::Connection> connection_;
  const bool refused_;
  Phase phase_ = Phase::kStartup;
  bool ssl_answered_ = false;
  std::shared_ptr<Backend> backend_;
  // From the StartupMessage until authentication ends.
  StartupPacket startup_;
  std::unique_ptr<Authenticator> authenticator_;
  std::string counted_role_;  // counted by the service's CONNECTION LIMIT until OnClose
  // Set once authentication is over; the timeout closes the connection while it is not.
  std::shared_ptr<bool> authentication_over_;
  // TLS after an accepted SSLRequest: raw bytes are decrypted into plain_input_.
  std::shared_ptr<TlsSession> tls_;
  std::string plain_input_;
};

}  // namespace plexus::server::pgwire
