// The PostgreSQL wire protocol front end: Service holds what every connection shares (the SQL
// engine, the backend registry that CancelRequest searches, the worker threads statements run
// on); it is the net::Protocol of the pgwire listener and makes a Handler per connection.
//
// A connection's event loop only frames messages: the startup phase (SSLRequest, startup
// parameters, CancelRequest) is answered on the loop, later messages are queued in the
// connection's Backend and run on a worker thread, so a long statement or a lock wait never
// stalls the loop's other connections or a cancel request. Only point reads by a unique key
// run on the loop itself (Backend::Deliver).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "plexus/server/net/server.h"
#include "plexus/server/net/worker_pool.h"
#include "plexus/server/pgwire/hba.h"
#include "plexus/session/session.h"

namespace plexus::server::pgwire {

class Backend;
class TlsContext;

struct ServiceOptions {
  std::string tls_cert_file;  // PEM; TLS is offered when both files are set
  std::string tls_key_file;
  // Client authentication rules (hba.h); empty: kDefaultHbaRules.
  std::string hba_rules;
  // The superuser a data directory without roles gets (catalog::EnsureBootstrapRole).
  std::string superuser = "postgres";
  // Whether a read-only commit would return at once now (every commit it may see is durable).
  // When set, a batch of point reads (MessageRunner::RunsWithoutWaiting) runs on the
  // connection's event loop, saving the worker's wake-up; unset, every batch runs on a worker.
  std::function<bool()> reads_durable;
};

class Service final : public net::Protocol {
 public:
  // REQUIRES: `engine` outlives the service.
  Service(session::Engine* engine, const ServiceOptions& options);
  ~Service() override;  // Stop()

  // Loads the TLS certificate and key when configured (a bad file is an error at startup).
  Status Start();
  // Cancels running statements, wakes waiting workers and joins them. Idempotent. REQUIRES:
  // the network layer has stopped (no new messages arrive).
  void Stop();

  std::string_view name() const override { return "pgwire"; }
  std::unique_ptr<net::Handler> NewHandler(std::weak_ptr<net::Connection> connection) override;
  std::string ConnectionLimitMessage() const override;
  std::unique_ptr<net::Handler> NewRefusedHandler(
      std::weak_ptr<net::Connection> connection) override;
  bool has_refused_handler() const override { return true; }

  session::Engine* engine() const { return engine_; }
  net::WorkerPool& workers() { return workers_; }
  TlsContext* tls() const { return tls_.get(); }
  const HbaRules& hba() const { return hba_; }
  bool reads_durable() const { return options_.reads_durable && options_.reads_durable(); }

  // Backend keys: a process id unique in the service and a random secret.
  void Register(const std::shared_ptr<Backend>& backend);
  void Unregister(int32_t process_id);
  int32_t NextProcessId();
  int32_t NewSecretKey();
  // CancelRequest: cancels the running statement of the backend with this key; nothing when no
  // backend matches (as PostgreSQL, the requester is not told).
  void Cancel(int32_t process_id, int32_t secret_key);
  // CONNECTION LIMIT: counts a connection of `role`; false (nothing counted) when `limit` >= 0
  // connections of the role are open already.
  bool AcquireRoleConnection(const std::string& role, int32_t limit);
  void ReleaseRoleConnection(const std::string& role);

 private:
  session::Engine* engine_;
  ServiceOptions options_;
  std::unique_ptr<TlsContext> tls_;
  HbaRules hba_;
  net::WorkerPool workers_;
  std::mutex mutex_;
  std::map<int32_t, std::weak_ptr<Backend>> backends_;  // by process id
  std::map<std::string, int32_t, std::less<>> role_connections_;  // open, by role with a limit
  std::atomic<int32_t> next_process_id_{1000};
  bool stopped_ = false;
};

}  // namespace plexus::server::pgwire
