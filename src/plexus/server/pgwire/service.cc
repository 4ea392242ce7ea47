// The pgwire Service: handlers, the backend registry for CancelRequest, the worker pool.
#include "plexus/server/pgwire/service.h"

#include <chrono>

#include <openssl/rand.h>

#include "plexus/catalog/roles.h"
#include "plexus/server/pgwire/backend.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/server/pgwire/handler.h"
#include "plexus/server/pgwire/tls.h"

namespace plexus::server::pgwire {

Service::Service(session::Engine* engine, const ServiceOptions& options)
    : engine_(engine), options_(options) {}

Service::~Service() { Stop(); }

Status Service::Start() {
  if (options_.tls_cert_file.empty() != options_.tls_key_file.empty()) {
    return Status::InvalidArgument("tls.cert and tls.key must be set together");
  }
  if (!options_.tls_cert_file.empty()) {
    PLEXUS_ASSIGN_OR_RETURN(tls_, TlsContext::Load(options_.tls_cert_file, options_.tls_key_file));
  }
  PLEXUS_ASSIGN_OR_RETURN(hba_, HbaRules::Parse(options_.hba_rules.empty() ? kDefaultHbaRules
                                                                          : options_.hba_rules));
  if (options_.superuser.empty()) return Status::InvalidArgument("pg.superuser must not be empty");
  return catalog::EnsureBootstrapRole(engine_->transactions(), options_.superuser);
}

void Service::Stop() {
  std::vector<std::shared_ptr<Backend>> backends;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [id, weak] : backends_) {
      if (auto backend = weak.lock()) backends.push_back(std::move(backend));
    }
  }
  // The network layer has stopped: no reply can leave any more, so wake and cancel every
  // worker (a statement in progress rolls back with its session).
  for (auto& backend : backends) backend->Closed();
  backends.clear();
  workers_.Stop();
}

std::unique_ptr<net::Handler> Service::NewHandler(std::weak_ptr<net::Connection> connection) {
  return std::make_unique<Handler>(this, std::move(connection), /*refused=*/false);
}

std::unique_ptr<net::Handler> Service::NewRefusedHandler(
    std::weak_ptr<net::Connection> connection) {
  return std::make_unique<Handler>(this, std::move(connection), /*refused=*/true);
}

std::string Service::ConnectionLimitMessage() const {
  std::string message;
  AppendErrorResponse(&message, Severity::kFatal,
                      sql::SqlError(kTooManyConnections, kTooManyClientsText));
  return message;
}

void Service::Register(const std::shared_ptr<Backend>& backend) {
  std::lock_guard<std::mutex> lock(mutex_);
  backends_[backend->process_id()] = backend;
}

bool Service::AcquireRoleConnection(const std::string& role, int32_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  int32_t& open = role_connections_[role];
  if (limit >= 0 && open >= limit) {
    if (open == 0) role_connections_.erase(role);
    return false;
  }
  ++open;
  return true;
}

void Service::ReleaseRoleConnection(const std::string& role) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = role_connections_.find(role);
  if (found == role_connections_.end()) return;
  if (--found->second <= 0) role_connections_.erase(found);
}

void Service::Unregister(int32_t process_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  backends_.erase(process_id);
}

int32_t Service::NextProcessId() {
  // Wraps past INT32_MAX back to small positive ids; a live backend's id is skipped.
  while (true) {
    int32_t id = next_process_id_.fetch_add(1, std::memory_order_relaxed);
    if (id <= 0) {
      next_process_id_.store(1000, std::memory_order_relaxed);
      continue;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (backends_.count(id) == 0) return id;
  }
}

int32_t Service::NewSecretKey() {
  // Unguessable by other clients, who could otherwise cancel this one's statements.
  int32_t key = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&key), sizeof(key)) != 1) {
    // OpenSSL's generator failing is not expected on Linux; fall back to the clock's low bits
    // rather than refuse the connection.
    key = static_cast<int32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return key;
}

void Service::Cancel(int32_t process_id, int32_t secret_key) {
  std::shared_ptr<Backend> backend;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = backends_.find(process_id);
    if (it == backends_.end()) return;
    backend = it->second.lock();
  }
  if (backend && backend->secret_key() == secret_key) backend->Cancel();
}

}  // namespace plexus::server::pgwire
