// The HTTP Service: routes, authentication, TLS, workers.
#include "plexus/server/http/service.h"

#include <exception>

#include "plexus/base/logging.h"
#include "plexus/catalog/roles.h"
#include "plexus/server/http/auth.h"
#include "plexus/server/http/connection.h"
#include "plexus/server/http/console.h"
#include "plexus/server/http/documents.h"
#include "plexus/server/http/health.h"
#include "plexus/server/http/metrics.h"
#include "plexus/server/http/problem.h"
#include "plexus/server/http/sql_api.h"
#include "plexus/server/pgwire/tls.h"
#include "plexus/session/session.h"

namespace plexus::server::http {

Service::Service(session::Engine* engine, const ServiceOptions& options)
    : engine_(engine),
      options_(options),
      authenticator_(std::make_unique<Authenticator>(engine, options.auth == AuthMode::kToken,
                                                     options.token_ttl_s)),
      metrics_(std::make_unique<HttpMetrics>()) {
  router_.Add(HealthRoutes(options_.ready));
  router_.Add(SqlRoutes(engine_));
  router_.Add(authenticator_->Routes());
  router_.Add(DocumentRoutes(engine_));
  router_.Add(ConsoleRoutes());
}

Service::~Service() { Stop(); }

void Service::AddRoutes(std::vector<RouteEntry> entries) { router_.Add(std::move(entries)); }

Status Service::Start() {
  if (options_.tls_cert_file.empty() != options_.tls_key_file.empty()) {
    return Status::InvalidArgument("tls.cert and tls.key must be set together");
  }
  if (!options_.tls_cert_file.empty()) {
    PLEXUS_ASSIGN_OR_RETURN(
        tls_, pgwire::TlsContext::Load(options_.tls_cert_file, options_.tls_key_file));
  }
  PLEXUS_RETURN_IF_ERROR(authenticator_->LoadStaticTokens(options_.tokens));
  if (!options_.superuser.empty()) {
    PLEXUS_RETURN_IF_ERROR(
        catalog::EnsureBootstrapRole(engine_->transactions(), options_.superuser));
  }
  // Issued tokens outlive the process; those that expired or lost their role meanwhile go.
  if (Status status = authenticator_->SweepTokens(); !status.ok()) {
    base::LogWarn("http: cannot sweep issued tokens: {}", status.ToString());
  }
  return Status::Ok();
}

void Service::Stop() {
  if (stopped_.exchange(true)) return;
  workers_.Stop();
}

std::unique_ptr<net::Handler> Service::NewHandler(std::weak_ptr<net::Connection> connection) {
  return std::make_unique<ConnectionHandler>(this, std::move(connection));
}

std::string Service::ConnectionLimitMessage() const {
  return SerializeResponse(Problem(503, "too many connections"), /*head=*/false, /*close=*/true);
}

Response Service::Handle(Request request, const std::string& raw_path) {
  Router::Match match = router_.Find(request.method, raw_path);
  if (match.route == nullptr) return std::move(match.problem);
  if (authenticator_->enabled() && !Authenticator::IsOpen(request)) {
    Response problem;
    if (!authenticator_->Authenticate(request, &request.role, &problem)) return problem;
  }
  request.path_parameters = std::move(match.parameters);
  try {
    return (*match.route)(request);
  } catch (const std::exception& error) {
    // Handlers return problems; an exception is a bug, answered rather than fatal.
    base::LogError("http {} {}: handler failed: {}", request.method, request.path, error.what());
    return Problem(500, "internal error");
  }
}

}  // namespace plexus::server::http
