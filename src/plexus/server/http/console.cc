// Serves the web console's files built into the binary (console_files.h).
#include "plexus/server/http/console.h"

#include <string>

#include "plexus/server/http/console_files.h"
#include "plexus/server/http/problem.h"

namespace plexus::server::http {
namespace {

constexpr std::string_view kIndexFile = "index.html";
constexpr std::string_view kFilePrefix = "/console/";

const EmbeddedFile* FindFile(std::string_view name) {
  for (size_t i = 0; i < kEmbeddedFileCount; ++i)
    if (kEmbeddedFiles[i].name == name) return &kEmbeddedFiles[i];
  return nullptr;
}

// True when the If-None-Match header lists `etag` (or is "*"): the client's copy is current.
bool ClientHasCurrentCopy(const Request& request, std::string_view etag) {
  std::string_view header = request.Header("if-none-match");
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    // A weak validator (W/"...") matches too: If-None-Match uses the weak comparison.
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag || tag == "*") return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

Response ServeFile(const Request& request, std::string_view name) {
  const EmbeddedFile* file = FindFile(name);
  if (file == nullptr) return Problem(404, "no console file " + std::string(name));
  Response response;
  response.headers = {{"ETag", std::string(file->etag)}, {"Cache-Control", "no-cache"}};
  response.content_type = std::string(ConsoleContentType(name));
  if (ClientHasCurrentCopy(request, file->etag)) {
    response.status = 304;
    return response;
  }
  response.body = std::string(file->bytes);
  return response;
}

}  // namespace

std::string_view ConsoleContentType(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
  };
  for (const auto& [extension, type] : kTypes)
    if (file_name.ends_with(extension)) return type;
  return "application/octet-stream";
}

std::vector<RouteEntry> ConsoleRoutes() {
  std::vector<RouteEntry> routes;
  routes.push_back({"GET", "/", [](const Request& request) {
                      return ServeFile(request, kIndexFile);
                    }});
  routes.push_back({"GET", "/console/{*}", [](const Request& request) {
                      std::string_view path = request.path;
                      if (!path.starts_with(kFilePrefix))
                        return Problem(404, "no console file " + request.path);
                      return ServeFile(request, path.substr(kFilePrefix.size()));
                    }});
  return routes;
}

}  // namespace plexus::server::http
