// HTTP metrics registration and updates.
#include "plexus/server/http/metrics.h"

#include <string>
#include <unordered_map>

#include "plexus/server/pgwire/statement_metrics.h"

namespace plexus::server::http {
namespace {

struct SqlMetrics {
  base::Histogram* duration = nullptr;
  base::Counter* errors = nullptr;
};

const SqlMetrics& GetSqlMetrics() {
  static const SqlMetrics metrics = [] {
    base::Registry& registry = base::DefaultRegistry();
    SqlMetrics built;
    built.duration = &registry.RegisterHistogram(
        "plexus_http_sql_statement_duration_seconds",
        "Time from a SQL API request's start to each of its statements' completion.", {},
        base::RequestLatencyBucketsSeconds());
    built.errors = &registry.RegisterCounter(
        "plexus_http_sql_errors_total", "SQL API requests whose statements failed.");
    return built;
  }();
  return metrics;
}

base::Counter& StatementCounter(std::string_view command) {
  // pgwire::StatementCommand returns views of one static table, so their addresses are keys; a
  // per-thread cache spares the registry's lock per statement.
  thread_local std::unordered_map<const char*, base::Counter*> counters;
  base::Counter*& counter = counters[command.data()];
  if (counter == nullptr) {
    counter = &base::DefaultRegistry().RegisterCounter(
        "plexus_http_sql_statements_total", "SQL statements completed by the SQL API, by command.",
        {{"command", std::string(command)}});
  }
  return *counter;
}

}  // namespace

HttpMetrics::HttpMetrics()
    : duration(base::DefaultRegistry().RegisterHistogram(
          "plexus_http_request_duration_seconds",
          "Time from a whole HTTP request read to its response queued, in seconds.")) {}

void HttpMetrics::CountRequest(std::string_view method, int status, double seconds) {
  static constexpr std::string_view kMethods[] = {"GET",    "HEAD",   "POST",   "PUT",
                                                  "PATCH",  "DELETE", "OPTIONS"};
  std::string_view label = "other";
  for (std::string_view known : kMethods) {
    if (method == known) label = known;
  }
  base::DefaultRegistry()
      .RegisterCounter("plexus_http_requests_total", "HTTP requests answered, by method and status.",
                       {{"method", std::string(label)}, {"code", std::to_string(status)}})
      .Increment();
  duration.Observe(seconds);
}

void RecordSqlStatement(std::string_view command_tag, std::chrono::steady_clock::duration elapsed) {
  StatementCounter(pgwire::StatementCommand(command_tag)).Increment();
  GetSqlMetrics().duration->Observe(std::chrono::duration<double>(elapsed).count());
}

void RecordSqlError() { GetSqlMetrics().errors->Increment(); }

}  // namespace plexus::server::http
