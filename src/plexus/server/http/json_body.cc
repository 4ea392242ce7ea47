// JSON body parsing with a depth bound.
#include "plexus/server/http/json_body.h"

#include <nlohmann/json.hpp>

#include "plexus/server/http/limits.h"
#include "plexus/server/http/problem.h"

namespace plexus::server::http {

bool IsJsonContentType(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  std::string lower(media);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" ||
         (lower.starts_with("application/") && lower.ends_with("+json"));
}

bool ParseJson(std::string_view text, nlohmann::json* out, Response* problem) {
  bool too_deep = false;
  // The callback sees every value start with its depth; deeper ones are dropped unparsed-into
  // (the parser itself is iterative, so depth costs no stack).
  const nlohmann::json::parser_callback_t limit_depth =
      [&too_deep](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start ||
             event == nlohmann::json::parse_event_t::array_start) &&
            static_cast<size_t>(depth) >= kJsonDepthMax) {
          too_deep = true;
          return false;
        }
        return true;
      };
  *out = nlohmann::json::parse(text.begin(), text.end(), limit_depth, /*allow_exceptions=*/false);
  if (too_deep) {
    *problem = Problem(400, "JSON nested deeper than " + std::to_string(kJsonDepthMax) + " levels");
    return false;
  }
  if (out->is_discarded()) {
    // Parse again with exceptions for the position of the error.
    std::string detail = "malformed JSON";
    try {
      [[maybe_unused]] auto ignored = nlohmann::json::parse(text.begin(), text.end(), limit_depth);
    } catch (const nlohmann::json::exception& error) {
      detail += ": ";
      detail += error.what();
    }
    *problem = Problem(400, detail);
    return false;
  }
  return true;
}

bool ParseJsonBody(const Request& request, nlohmann::json* out, Response* problem) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    *problem = Problem(415, "the request body must be application/json");
    return false;
  }
  return ParseJson(request.body, out, problem);
}

}  // namespace plexus::server::http
