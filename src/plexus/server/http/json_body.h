// JSON request bodies: the content type must be application/json (415 otherwise), the body
// JSON (400 problem otherwise, also when nested deeper than kJsonDepthMax). Parsed with
// nlohmann-json; its exceptions stay in json_body.cc.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "plexus/server/http/route.h"

namespace plexus::server::http {

// True with *out set, or false with *problem set (415 or 400).
bool ParseJsonBody(const Request& request, nlohmann::json* out, Response* problem);
// The same without the content type check.
bool ParseJson(std::string_view text, nlohmann::json* out, Response* problem);
// "application/json", "application/json; charset=utf-8", "application/merge-patch+json".
bool IsJsonContentType(std::string_view content_type);

}  // namespace plexus::server::http
