// ConnectionHandler: one HTTP client on its event loop. It parses requests (plain, or TLS when
// the client's first byte opens a TLS handshake and the server has a certificate), hands each
// to a worker thread and writes the response when it comes back; the next pipelined request
// waits until then (and until the client has read most of the output). A handler may stream its
// response in chunks meanwhile (ConnectionStream: pieces go out through the loop, the worker
// waits while the client has not read them). Idle and slow clients are closed after
// http.idle_timeout_ms.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "plexus/server/http/message.h"
#include "plexus/server/net/server.h"

namespace plexus::server::pgwire {
class TlsSession;
}

namespace plexus::server::http {

class Service;
class ConnectionStream;

class ConnectionHandler final : public net::Handler {
 public:
  ConnectionHandler(Service* service, std::weak_ptr<net::Connection> connection);
  ~ConnectionHandler() override;

  net::Disposition OnInput(std::string_view input, size_t* consumed,
                           std::string* output) override;
  void OnClose() override;

 private:
  using Clock = std::chrono::steady_clock;
  enum class Transport : uint8_t { kUnknown, kPlain, kTls };

  // Plain HTTP bytes (decrypted, under TLS): reads requests until one goes to a worker.
  net::Disposition OnPlainInput(std::string_view input, size_t* consumed, std::string* output);
  // Under TLS: the requests in plain_input_, the plain output encrypted into *output.
  net::Disposition OnTlsPlainInput(std::string* output);
  // Queues a whole request on a worker thread.
  void Dispatch(ParsedRequest parsed);
  // On the loop: the worker's response to the request in flight.
  void Finish(std::string bytes, bool close);
  // Sends plain bytes from the loop outside OnInput (encrypted under TLS).
  void SendOut(std::string bytes);
  friend class ConnectionStream;
  void ArmTimer(uint32_t delay_ms);
  void OnTimer();

  Service* service_;
  std::weak_ptr<net::Connection> connection_;
  RequestReader reader_;
  Transport transport_ = Transport::kUnknown;
  std::unique_ptr<pgwire::TlsSession> tls_;
  std::string plain_input_;  // under TLS: decrypted bytes not yet parsed
  // The request in flight's stream (route.h), told when the connection closes.
  std::shared_ptr<ConnectionStream> stream_;
  bool in_flight_ = false;   // a request runs on a worker
  bool closing_ = false;
  bool request_pending_ = false;  // part of a request has come
  Clock::time_point request_started_;
  Clock::time_point last_activity_;
};

}  // namespace plexus::server::http
