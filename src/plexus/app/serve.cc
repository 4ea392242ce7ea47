// `plexus serve`: config, logging, open, wait for a shutdown signal, close. SIGINT and SIGTERM
// are blocked in every thread and taken with sigwait, so shutdown runs in ordinary code.
#include "plexus/app/serve.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>

#include "plexus/app/version.h"
#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/base/status.h"
#include "plexus/database.h"

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
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
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

// After the database is open: wait for the signal, then close.
int RunUntilSignal(Database& database, const sigset_t& signals) {
  const int signal_number = WaitForSignal(signals);
  base::LogInfo("received {}, shutting down", SignalName(signal_number));
  const Status status = database.Close();
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
  // Open creates the data directory (and its parents) when it is missing.
  Result<std::unique_ptr<Database>> database = Database::Open(config->data_dir, config->storage);
  if (!database.ok()) {
    base::LogError("cannot open data directory {}: {}", config->data_dir,
                   database.status().ToString());
    base::FlushLogging();
    return kExitFailure;
  }
  base::LogInfo("plexus ready (data dir {}, node id {})", config->data_dir, (*database)->node_id());
  const int exit_code = RunUntilSignal(**database, signals);
  database->reset();
  base::FlushLogging();
  return exit_code;
}

}  // namespace plexus::app
