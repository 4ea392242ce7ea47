// HTTP metrics registration and updates.
#include "plexus/server/http/metrics.h"

#include <string>

namespace plexus::server::http {

HttpMetrics::HttpMetrics()
    : connections(base::DefaultRegistry().RegisterGauge(
          "plexus_http_connections", "Open HTTP client connections.")),
      duration(base::DefaultRegistry().RegisterHistogram(
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

}  // namespace plexus::server::http
