// GET /health (the process is up), GET /ready (the store is open and accepting writes) and
// GET /metrics (base::DefaultRegistry() in the Prometheus text format).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plexus/server/http/route.h"

namespace plexus::server::http {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// What /ready reports. Not ready: 503 problem JSON with "reason" (a word for programs:
// "starting", "shutting_down", "closed", "background_error", "write_stopped") and "detail".
// Ready: 200 {"status": "ready"}, with "write_delay_bytes_per_second" while RocksDB slows
// writes down (a stall short of a stop: writes are still accepted).
struct Readiness {
  bool ready = true;
  std::string reason;
  std::string detail;
  uint64_t delayed_write_rate = 0;
};

// `ready` null: always ready.
std::vector<RouteEntry> HealthRoutes(std::function<Readiness()> ready);

// The answer of GET /ready for `readiness`.
Response ReadyResponse(const Readiness& readiness);

}  // namespace plexus::server::http
