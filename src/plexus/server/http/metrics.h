// The HTTP front end's metrics in base::DefaultRegistry(): requests by method and status,
// request latency, open connections.
#pragma once

#include <string_view>

#include "plexus/base/metrics.h"

namespace plexus::server::http {

struct HttpMetrics {
  HttpMetrics();
  // One answered request. `method` outside the standard ones counts as "other", so a client
  // cannot add series at will.
  void CountRequest(std::string_view method, int status, double seconds);

  base::Gauge& connections;
  base::Histogram& duration;
};

}  // namespace plexus::server::http
