// GET /health (the process is up), GET /ready (the store is open and accepting writes) and
// GET /metrics (base::DefaultRegistry() in the Prometheus text format).
#pragma once

#include <functional>
#include <vector>

#include "plexus/server/http/route.h"

namespace plexus::server::http {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// `ready` null: always ready.
std::vector<RouteEntry> HealthRoutes(std::function<bool()> ready);

}  // namespace plexus::server::http
