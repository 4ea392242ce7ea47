// Statement counters by command, resolved once into a fixed table.
#include "plexus/server/pgwire/statement_metrics.h"

#include <array>
#include <string>

#include "plexus/base/metrics.h"

namespace plexus::server::pgwire {
namespace {

// The first words of PostgreSQL's command tags, the frequent ones first (the lookup is linear).
constexpr std::string_view kCommands[] = {
    "SELECT",  "INSERT",  "UPDATE",   "DELETE",     "BEGIN",   "COMMIT",   "ROLLBACK",
    "FETCH",   "COPY",    "SET",      "SHOW",       "RESET",   "START",    "SAVEPOINT",
    "RELEASE", "PREPARE", "EXECUTE",  "DEALLOCATE", "CREATE",  "DROP",     "ALTER",
    "TRUNCATE", "MERGE",  "MOVE",     "DECLARE",    "CLOSE",   "LISTEN",   "UNLISTEN",
    "NOTIFY",  "GRANT",   "REVOKE",   "LOCK",       "VACUUM",  "ANALYZE",  "EXPLAIN",
    "COMMENT", "DISCARD", "DO",       "CALL",       "CHECKPOINT", "REINDEX", "CLUSTER",
    "REFRESH", "IMPORT",  "SECURITY", "REASSIGN",   "LOAD",
};
constexpr std::string_view kOther = "OTHER";
constexpr size_t kCommandCount = std::size(kCommands);

struct Metrics {
  std::array<base::Counter*, kCommandCount + 1> statements{};  // the last: kOther
  base::Histogram* duration = nullptr;
  base::Counter* errors = nullptr;
  base::Counter* loop_batches = nullptr;
};

const Metrics& GetMetrics() {
  static const Metrics metrics = [] {
    base::Registry& registry = base::DefaultRegistry();
    constexpr std::string_view kHelp = "SQL statements completed over pgwire, by command.";
    Metrics built;
    for (size_t i = 0; i <= kCommandCount; ++i) {
      const std::string_view command = i < kCommandCount ? kCommands[i] : kOther;
      built.statements[i] = &registry.RegisterCounter("plexus_pg_statements_total", kHelp,
                                                      {{"command", std::string(command)}});
    }
    built.duration = &registry.RegisterHistogram(
        "plexus_pg_statement_duration_seconds",
        "Time from a query (or Execute) message to each statement's completion, over pgwire.",
        {}, base::RequestLatencyBucketsSeconds());
    built.errors = &registry.RegisterCounter(
        "plexus_pg_errors_total",
        "Errors answered over pgwire: failed statements and extended-protocol messages.");
    built.loop_batches = &registry.RegisterCounter(
        "plexus_pg_loop_batches_total",
        "Batches of pgwire messages (point reads) run on a connection's event loop, not a worker.");
    return built;
  }();
  return metrics;
}

size_t CommandIndex(std::string_view command_tag) {
  const std::string_view word = command_tag.substr(0, command_tag.find(' '));
  for (size_t i = 0; i < kCommandCount; ++i)
    if (kCommands[i] == word) return i;
  return kCommandCount;
}

}  // namespace

std::string_view StatementCommand(std::string_view command_tag) {
  const size_t index = CommandIndex(command_tag);
  return index < kCommandCount ? kCommands[index] : kOther;
}

void RecordStatement(std::string_view command_tag, std::chrono::steady_clock::duration elapsed) {
  const Metrics& metrics = GetMetrics();
  metrics.statements[CommandIndex(command_tag)]->Increment();
  metrics.duration->Observe(std::chrono::duration<double>(elapsed).count());
}

void RecordStatementError() { GetMetrics().errors->Increment(); }

void RecordLoopBatch() { GetMetrics().loop_batches->Increment(); }

}  // namespace plexus::server::pgwire
