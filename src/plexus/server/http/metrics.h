// The HTTP front end's metrics in base::DefaultRegistry(): requests by method and status and
// their latency; SQL API statements by command, their latency and failures. Open connections
// are net::Server's plexus_connections{protocol="http"}.
#pragma once

#include <chrono>
#include <string_view>

#include "plexus/base/metrics.h"

namespace plexus::server::http {

struct HttpMetrics {
  HttpMetrics();
  // One answered request. `method` outside the standard ones counts as "other", so a client
  // cannot add series at will.
  void CountRequest(std::string_view method, int status, double seconds);

  base::Histogram& duration;
};

// A statement of POST /api/v1/sql completed: plexus_http_sql_statements_total{command} (the
// command tag's first word, as pgwire's plexus_pg_statements_total counts it) and
// plexus_http_sql_statement_duration_seconds (from the request's start to the completion).
void RecordSqlStatement(std::string_view command_tag, std::chrono::steady_clock::duration elapsed);
// A request of POST /api/v1/sql failed in SQL: plexus_http_sql_errors_total.
void RecordSqlError();

}  // namespace plexus::server::http
