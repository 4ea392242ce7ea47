// Health, readiness and metrics endpoints.
#include "plexus/server/http/health.h"

#include "plexus/base/metrics.h"
#include "plexus/server/http/problem.h"

namespace plexus::server::http {

std::vector<RouteEntry> HealthRoutes(std::function<bool()> ready) {
  std::vector<RouteEntry> routes;
  routes.push_back({"GET", "/health", [](const Request&) {
                      Response response;
                      response.body = R"({"status":"ok"})";
                      return response;
                    }});
  routes.push_back({"GET", "/ready", [ready = std::move(ready)](const Request&) {
                      if (ready && !ready()) {
                        return Problem(503, "the store is not accepting writes");
                      }
                      Response response;
                      response.body = R"({"status":"ready"})";
                      return response;
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
