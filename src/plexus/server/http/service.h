// The HTTP/1.1 front end: Service holds what every connection shares (the router, the worker
// threads handlers run on, authentication, TLS, metrics); it is the net::Protocol of the http
// listener and makes a Connection handler (connection.h) per client.
//
// A connection's event loop only parses requests (message.h). Each request then runs on a
// worker thread (handlers may block on SQL), one request of a connection at a time, so that
// pipelined requests are answered in order; the reply goes back through the loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/server/http/health.h"
#include "plexus/server/http/limits.h"
#include "plexus/server/http/route.h"
#include "plexus/server/http/router.h"
#include "plexus/server/net/server.h"
#include "plexus/server/net/worker_pool.h"

namespace plexus::session {
class Engine;
}
namespace plexus::server::pgwire {
class TlsContext;
}

namespace plexus::server::http {

class Authenticator;
struct HttpMetrics;

enum class AuthMode : uint8_t { kOff, kToken };

struct ServiceOptions {
  uint32_t header_bytes_max = kHeaderBytesDefault;
  uint64_t body_bytes_max = kBodyBytesDefault;
  uint32_t idle_timeout_ms = kIdleTimeoutMsDefault;
  AuthMode auth = AuthMode::kOff;
  std::string tokens;         // "token:role,token:role"
  uint32_t token_ttl_s = kTokenLifetimeSeconds;  // issued tokens' lifetime
  std::string tls_cert_file;  // PEM; with the key, clients may speak TLS (detected per client)
  std::string tls_key_file;
  // The superuser a data directory without roles gets (catalog::EnsureBootstrapRole), as
  // pgwire does: tokens name roles.
  std::string superuser = "postgres";
  // /ready: the store is open and accepting writes (health.h). Null: always ready.
  std::function<Readiness()> ready;
};

class Service final : public net::Protocol {
 public:
  // REQUIRES: `engine` outlives the service.
  Service(session::Engine* engine, const ServiceOptions& options);
  ~Service() override;  // Stop()

  // Every route family (health and metrics, SQL, auth, documents, console) is there from
  // construction; AddRoutes adds more. Then Start loads TLS and the tokens.
  // REQUIRES: before Start.
  void AddRoutes(std::vector<RouteEntry> entries);
  Status Start();
  // Waits for the requests running on workers. REQUIRES: the network layer has stopped.
  void Stop();

  std::string_view name() const override { return "http"; }
  std::unique_ptr<net::Handler> NewHandler(std::weak_ptr<net::Connection> connection) override;
  std::string ConnectionLimitMessage() const override;

  const ServiceOptions& options() const { return options_; }
  net::WorkerPool& workers() { return workers_; }
  pgwire::TlsContext* tls() const { return tls_.get(); }
  HttpMetrics& metrics() { return *metrics_; }

  // Runs a routed request: authentication, then the route (or the router's problem). On a
  // worker thread. Never throws.
  Response Handle(Request request, const std::string& raw_path);

 private:
  session::Engine* engine_;
  ServiceOptions options_;
  Router router_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<pgwire::TlsContext> tls_;
  std::unique_ptr<HttpMetrics> metrics_;
  net::WorkerPool workers_;
  std::atomic<bool> stopped_{false};
};

}  // namespace plexus::server::http
