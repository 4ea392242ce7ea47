// Health, readiness and metrics endpoints.
#include "plexus/server/http/health.h"

#include <nlohmann/json.hpp>

#include "plexus/base/metrics.h"
#include "plexus/server/http/problem.h"

namespace plexus::server::http {

Response ReadyResponse(const Readiness& readiness) {
  if (!readiness.ready) {
    Response response = Problem(503, readiness.detail);
    nlohmann::json body = nlohmann::json::parse(response.body);
    body["reason"] = readiness.reason;
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // A probe should ask again soon, not cache the answer.
    response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  Response response;
  response.body = R"({"status":"ready")";
  if (readiness.delayed_write_rate != 0) {
    response.body += ",\"write_delay_bytes_per_second\":";
    response.body += std::to_string(readiness.delayed_write_rate);
  }
  response.body += "}";
  return response;
}

std::vector<RouteEntry> HealthRoutes(std::function<Readiness()> ready) {
  std::vector<RouteEntry> routes;
  routes.push_back({"GET", "/health", [](const Request&) {
                      Response response;
                      response.body = R"({"status":"ok"})";
                      return response;
                    }});
  routes.push_back({"GET", "/ready", [ready = std::move(ready)](const Request&) {
                      return ReadyResponse(ready ? ready() : Readiness{});
                    }});
  routes.push_back({"GET", "/metrics", [](const Request&) {
                      Response response;
                      response.content_type = kPrometheusContentType;
                      response.body = base::DefaultRegistry().ExportPrometheus();
                      return response;
                    }});
  return routes;
}

}  // namespace plexus::server::http
