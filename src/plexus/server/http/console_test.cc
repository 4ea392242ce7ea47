#include "plexus/server/http/console.h"

#include <gtest/gtest.h>

#include <string>

#include "plexus/server/http/console_files.h"

namespace plexus::server::http {
namespace {

const RouteEntry& FindRoute(const std::vector<RouteEntry>& routes, std::string_view pattern) {
  for (const RouteEntry& route : routes)
    if (route.pattern == pattern) return route;
  ADD_FAILURE() << "no route " << pattern;
  return routes.front();
}

Request Get(std::string path) {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  return request;
}

std::string HeaderValue(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return "";
}

TEST(ConsoleTest, RoutesAreGetRootAndConsoleFiles) {
  std::vector<RouteEntry> routes = ConsoleRoutes();
  ASSERT_EQ(routes.size(), 2u);
  for (const RouteEntry& route : routes) EXPECT_EQ(route.method, "GET");
  EXPECT_EQ(routes[0].pattern, "/");
  EXPECT_EQ(routes[1].pattern, "/console/{*}");
}

TEST(ConsoleTest, RootServesTheIndexPage) {
  std::vector<RouteEntry> routes = ConsoleRoutes();
  Response response = FindRoute(routes, "/").route(Get("/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(response.body.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(response.body.find("/console/app.js"), std::string::npos);
  EXPECT_EQ(HeaderValue(response, "Cache-Control"), "no-cache");
  std::string etag = HeaderValue(response, "ETag");
  ASSERT_EQ(etag.size(), 18u);  // 16 hex digits in quotes
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
}

TEST(ConsoleTest, EveryPageScriptAndStyleIsServedWithItsType) {
  std::vector<RouteEntry> routes = ConsoleRoutes();
  const Route& files = FindRoute(routes, "/console/{*}").route;
  for (const auto& [name, type] : {std::pair{"app.js", "text/javascript; charset=utf-8"},
                                   std::pair{"metrics.js", "text/javascript; charset=utf-8"},
                                   std::pair{"charts.js", "text/javascript; charset=utf-8"},
                                   std::pair{"style.css", "text/css; charset=utf-8"}}) {
    Response response = files(Get(std::string("/console/") + name));
    EXPECT_EQ(response.status, 200) << name;
    EXPECT_EQ(response.content_type, type) << name;
    EXPECT_FALSE(response.body.empty()) << name;
  }
}

TEST(ConsoleTest, EmbeddedBytesAreTheWholeFile) {
  ASSERT_GT(kEmbeddedFileCount, 0u);
  for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
    const EmbeddedFile& file = kEmbeddedFiles[i];
    EXPECT_FALSE(file.bytes.empty()) << file.name;
    // Every text file of the console ends with a newline: nothing was cut off.
    EXPECT_EQ(file.bytes.back(), '\n') << file.name;
    EXPECT_EQ(file.bytes.find('\0'), std::string_view::npos) << file.name;
  }
}

TEST(ConsoleTest, UnknownFileIsA404Problem) {
  std::vector<RouteEntry> routes = ConsoleRoutes();
  const Route& files = FindRoute(routes, "/console/{*}").route;
  for (const char* path : {"/console/missing.js", "/console/", "/console/../console.cc",
                           "/elsewhere/app.js"}) {
    Response response = files(Get(path));
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json") << path;
  }
}

TEST(ConsoleTest, MatchingIfNoneMatchGets304WithoutBody) {
  std::vector<RouteEntry> routes = ConsoleRoutes();
  const Route& files = FindRoute(routes, "/console/{*}").route;
  Response first = files(Get("/console/app.js"));
  std::string etag = HeaderValue(first, "ETag");

  for (std::string header : {etag, "\"0000\", " + etag, "W/" + etag, std::string("*")}) {
    Request request = Get("/console/app.js");
    request.headers = {{"if-none-match", header}};
    Response response = files(request);
    EXPECT_EQ(response.status, 304) << header;
    EXPECT_TRUE(response.body.empty()) << header;
    EXPECT_EQ(HeaderValue(response, "ETag"), etag);
  }
  Request stale = Get("/console/app.js");
  stale.headers = {{"if-none-match", "\"0123456789abcdef\""}};
  EXPECT_EQ(files(stale).status, 200);
}

TEST(ConsoleTest, ContentTypeByExtension) {
  EXPECT_EQ(ConsoleContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ConsoleContentType("icon.svg"), "image/svg+xml");
  EXPECT_EQ(ConsoleContentType("README"), "application/octet-stream");
  EXPECT_EQ(ConsoleContentType(""), "application/octet-stream");
}

}  // namespace
}  // namespace plexus::server::http
