// `plexus serve`: config, logging, open the store, start the front ends (Redis, PostgreSQL and
// HTTP on the shared network layer), wait for a shutdown signal, stop the front ends,
// close. SIGINT and SIGTERM are blocked in every thread and taken with sigwait, so shutdown runs
// in ordinary code.
#include "plexus/app/serve.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "plexus/app/version.h"
#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/base/process_metrics.h"
#include "plexus/base/status.h"
#include "plexus/kv/keyspace.h"
#include "plexus/server/http/service.h"
#include "plexus/server/net/server.h"
#include "plexus/server/pgwire/service.h"
#include "plexus/server/resp/service.h"
#include "plexus/session/session.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/storage/store.h"
#include "plexus/storage/store_metrics.h"
#include "plexus/txn/transaction.h"

namespace plexus::app {
namespace {

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

const char* SignalName(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

// REQUIRES: `signals` blocked in every thread (otherwise one may kill the process first).
int WaitForSignal(const sigset_t& signals) {
  int signal_number = 0;
  while (sigwait(&signals, &signal_number) != 0) {
    // sigwait fails only with EINVAL for a bad set, which ShutdownSignals never builds; retry.
  }
  return signal_number;
}

// What `plexus serve` runs: the store, the data models over it and the front ends.
struct Services {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::StoreMetrics> store_metrics;  // RocksDB statistics in /metrics
  std::unique_ptr<txn::TransactionManager> transactions;
  std::unique_ptr<kv::Keyspace> keyspace;
  std::unique_ptr<server::resp::Service> resp;
  std::unique_ptr<session::Engine> engine;
  std::unique_ptr<server::pgwire::Service> pgwire;
  std::unique_ptr<server::http::Service> http;
  // Between start and the beginning of shutdown: what HTTP's /ready reports.
  std::atomic<bool> accepting_writes{false};
  std::unique_ptr<server::net::Server> network;
};

// PostgreSQL's Unix-domain sockets: <dir>/.s.PGSQL.<port> in each of `directories` (comma-
// separated). A directory that does not exist is skipped; one we cannot listen in is logged —
// the TCP listener serves either way.
void ListenOnUnixSockets(std::string_view directories, uint16_t port, Services* services) {
  size_t begin = 0;
  while (begin <= directories.size()) {
    size_t end = directories.find(',', begin);
    if (end == std::string_view::npos) end = directories.size();
    std::string directory(directories.substr(begin, end - begin));
    begin = end + 1;
    while (!directory.empty() && directory.front() == ' ') directory.erase(0, 1);
    while (!directory.empty() && directory.back() == ' ') directory.pop_back();
    if (directory.empty()) continue;
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error)) {
      base::LogInfo("no Unix-domain socket in {}: not a directory", directory);
      continue;
    }
    const std::string path = directory + "/.s.PGSQL." + std::to_string(port);
    const Status listening = services->network->ListenLocal(path, services->pgwire.get());
    if (listening.ok()) {
      base::LogInfo("postgresql protocol listening on {}", path);
    } else {
      base::LogWarn("{}", listening.message());
    }
  }
}

Status StartHttp(const base::Config& config, Services* services) {
  server::http::ServiceOptions options;
  options.header_bytes_max = config.http.max_header_bytes;
  options.body_bytes_max = config.http.max_body_bytes;
  options.idle_timeout_ms = config.http.idle_timeout_ms;
  options.auth =
      config.http.auth == "token" ? server::http::AuthMode::kToken : server::http::AuthMode::kOff;
  options.tokens = config.http.tokens;
  options.token_ttl_s = config.http.token_ttl_s;
  options.tls_cert_file = config.tls.cert;
  options.tls_key_file = config.tls.key;
  options.superuser = config.pg.superuser;
  options.ready = [services] {
    // The store outlives the HTTP service (StopServices), so it is there while this runs.
    const storage::WriteState state = services->store->CheckWrites();
    server::http::Readiness readiness;
    readiness.ready = state.accepting;
    readiness.reason = state.reason;
    readiness.detail = state.detail;
    readiness.delayed_write_rate = state.delayed_write_rate;
    if (readiness.ready && !services->accepting_writes.load()) {
      readiness.ready = false;
      readiness.reason = "starting";
      readiness.detail = "the server is starting";
    }
    return readiness;
  };
  services->http = std::make_unique<server::http::Service>(services->engine.get(), options);
  PLEXUS_RETURN_IF_ERROR(services->http->Start());
  PLEXUS_ASSIGN_OR_RETURN(const uint16_t port,
                          services->network->Listen(config.http.address,
                                                    static_cast<uint16_t>(config.http.port),
                                                    services->http.get()));
  base::LogInfo("http listening on {}:{}{}", config.http.address, port,
                services->http->tls() ? " (TLS available)" : "");
  return Status::Ok();
}

Status StartServices(const base::Config& config, Services* services) {
  // Open creates the data directory (and its parents) when it is missing.
  PLEXUS_ASSIGN_OR_RETURN(services->store, storage::Store::Open(config.data_dir, config.storage));
  services->store_metrics = std::make_unique<storage::StoreMetrics>(services->store.get());
  base::RegisterProcessMetrics(base::DefaultRegistry());
  services->transactions = std::make_unique<txn::TransactionManager>(services->store.get());
  PLEXUS_ASSIGN_OR_RETURN(services->keyspace,
                          kv::Keyspace::Open(services->transactions.get(), services->store.get()));
  server::net::ServerOptions network_options;
  network_options.threads = config.net.threads;
  network_options.max_connections = config.net.max_connections;
  services->network = std::make_unique<server::net::Server>(network_options);
  if (config.resp.port != 0) {
    server::resp::ServiceOptions resp_options;
    resp_options.address = config.resp.address;
    resp_options.port = static_cast<uint16_t>(config.resp.port);
    resp_options.requirepass = config.resp.requirepass;
    resp_options.bulk_bytes_max = config.resp.proto_max_bulk_len;
    resp_options.data_dir = config.data_dir;
    resp_options.unixsocket = config.resp.unixsocket;
    resp_options.threads = config.resp.threads;
    services->resp =
        std::make_unique<server::resp::Service>(services->keyspace.get(), resp_options);
    PLEXUS_ASSIGN_OR_RETURN(
        const uint16_t port,
        services->network->Listen(config.resp.address, resp_options.port, services->resp.get()));
    base::LogInfo("redis protocol listening on {}:{}", config.resp.address, port);
    if (!config.resp.unixsocket.empty()) {
      // As Redis, a socket that cannot be opened stops the start.
      PLEXUS_RETURN_IF_ERROR(
          services->network->ListenLocal(config.resp.unixsocket, services->resp.get()));
      base::LogInfo("redis protocol listening on {}", config.resp.unixsocket);
    }
  }
  if (config.pg.port != 0 || config.http.port != 0) {
    // Spill files of sorts and hash aggregates past work_mem: <data>/tmp, emptied here.
    PLEXUS_RETURN_IF_ERROR(sql::SetSpillRoot(config.data_dir));
    services->engine = std::make_unique<session::Engine>(services->transactions.get());
  }
  if (config.pg.port != 0) {
    server::pgwire::ServiceOptions pg_options;
    pg_options.tls_cert_file = config.tls.cert;
    pg_options.tls_key_file = config.tls.key;
    pg_options.hba_rules = config.pg.hba;
    pg_options.superuser = config.pg.superuser;
    const storage::Store* store = services->store.get();
    pg_options.reads_durable = [store] {
      return store->options().durability != Durability::kSync ||
             store->IsDurable(store->LatestSequence());
    };
    services->pgwire =
        std::make_unique<server::pgwire::Service>(services->engine.get(), pg_options);
    PLEXUS_RETURN_IF_ERROR(services->pgwire->Start());
    PLEXUS_ASSIGN_OR_RETURN(const uint16_t port,
                            services->network->Listen(config.pg.address,
                                                      static_cast<uint16_t>(config.pg.port),
                                                      services->pgwire.get()));
    base::LogInfo("postgresql protocol listening on {}:{}{}", config.pg.address, port,
                  services->pgwire->tls() ? " (TLS available)" : "");
    ListenOnUnixSockets(config.pg.unix_socket_directories, port, services);
  }
  if (config.http.port != 0) PLEXUS_RETURN_IF_ERROR(StartHttp(config, services));
  services->keyspace->StartBackground();
  services->network->Start();
  services->accepting_writes = true;
  return Status::Ok();
}

// Stops the front ends first (no request runs after), then the models, then the store.
Status StopServices(Services* services) {
  if (services->store) services->store->BeginShutdown();  // /ready: 503 from now on
  services->accepting_writes = false;
  if (services->network) services->network->Stop();
  // The pgwire workers finish (canceled) while the network's event loops still exist: a worker
  // may hold a connection until it returns, and a connection must die before its loop.
  if (services->pgwire) services->pgwire->Stop();
  if (services->http) services->http->Stop();
  services->network.reset();
  services->resp.reset();
  // The sessions (rolled back) go with the service, before the engine.
  services->pgwire.reset();
  services->http.reset();
  services->engine.reset();
  if (services->keyspace) services->keyspace->StopBackground();
  services->keyspace.reset();
  services->transactions.reset();
  services->store_metrics.reset();  // its callbacks read the store
  Status status;
  if (services->store) status = services->store->Close();
  services->store.reset();
  return status;
}

// After the services started: wait for the signal, then stop them.
int RunUntilSignal(Services* services, const sigset_t& signals) {
  const int signal_number = WaitForSignal(signals);
  base::LogInfo("received {}, shutting down", SignalName(signal_number));
  const Status status = StopServices(services);
  if (!status.ok()) {
    base::LogError("closing the database failed: {}", status.ToString());
    return kExitFailure;
  }
  base::LogInfo("shutdown complete");
  return kExitOk;
}

}  // namespace

Result<base::Config> BuildConfig(const ServeFlags& flags, const char* const* environment) {
  base::Config config;
  std::string config_file = flags.config_file;
  if (config_file.empty()) {
    config_file = base::FindEnvironmentVariable(environment, base::kConfigFileVariable);
  }
  if (!config_file.empty()) PLEXUS_RETURN_IF_ERROR(base::LoadConfigFile(config_file, &config));
  PLEXUS_RETURN_IF_ERROR(base::ApplyEnvironment(environment, &config));
  for (const std::string& assignment : flags.assignments) {
    PLEXUS_RETURN_IF_ERROR(base::ApplyAssignment(assignment, "--set", &config));
  }
  // The named flags come after --set, so `--data X` wins over `--set data_dir=Y`.
  if (flags.data_dir) {
    PLEXUS_RETURN_IF_ERROR(base::ApplyOverride("data_dir", *flags.data_dir, "--data", &config));
  }
  if (flags.log_level) {
    PLEXUS_RETURN_IF_ERROR(
        base::ApplyOverride("log.level", *flags.log_level, "--log-level", &config));
  }
  if (flags.durability) {
    PLEXUS_RETURN_IF_ERROR(
        base::ApplyOverride("storage.durability", *flags.durability, "--durability", &config));
  }
  return config;
}

int RunServe(const ServeFlags& flags, const char* const* environment) {
  Result<base::Config> config = BuildConfig(flags, environment);
  if (!config.ok()) {
    std::fprintf(stderr, "plexus: %s\n", std::string(config.status().message()).c_str());
    return kExitUsage;
  }
  if (flags.print_config) {
    std::fputs(base::ConfigToToml(*config).c_str(), stdout);
    return kExitOk;
  }
  const Status logging = base::InitLogging(config->log_level, config->log_file);
  if (!logging.ok()) {
    std::fprintf(stderr, "plexus: %s\n", std::string(logging.message()).c_str());
    return kExitFailure;
  }
  // Before any thread exists (RocksDB starts its own in Open), so that every thread inherits
  // the mask and the signals reach only sigwait.
  const sigset_t signals = ShutdownSignals();
  const int mask_error = pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  PLEXUS_ASSERT(mask_error == 0);
  base::LogInfo("{} starting", VersionText());
  base::LogDebug("effective config:\n{}", base::ConfigToToml(*config, base::ConfigComments::kNone));
  Services services;
  const Status started = StartServices(*config, &services);
  if (!started.ok()) {
    if (services.store) {
      base::LogError("cannot start: {}", started.ToString());
    } else {
      base::LogError("cannot open data directory {}: {}", config->data_dir, started.ToString());
    }
    // Errors of the partial stop are secondary to the one being reported.
    [[maybe_unused]] Status stopped = StopServices(&services);
    base::FlushLogging();
    return kExitFailure;
  }
  base::LogInfo("plexus ready (data dir {}, node id {})", config->data_dir,
                services.store->manifest().node_id);
  const int exit_code = RunUntilSignal(&services, signals);
  base::FlushLogging();
  return exit_code;
}

}  // namespace plexus::app
