#include "plexus/server/http/router.h"

#include <gtest/gtest.h>

namespace plexus::server::http {
namespace {

Route Answer(std::string text) {
  return [text](const Request&) {
    Response response;
    response.body = text;
    return response;
  };
}

Router MakeRouter() {
  Router router;
  router.Add({"GET", "/health", Answer("health")});
  router.Add({"POST", "/api/v1/collections/{name}", Answer("create")});
  router.Add({"GET", "/api/v1/collections/{name}/documents/{id}", Answer("get")});
  router.Add({"DELETE", "/api/v1/collections/{name}/documents/{id}", Answer("delete")});
  router.Add({"GET", "/static/{*}", Answer("file")});
  return router;
}

TEST(RouterTest, MatchesLiteralAndPlaceholders) {
  const Router router = MakeRouter();
  Router::Match match = router.Find("GET", "/health");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ((*match.route)(Request{}).body, "health");
  match = router.Find("GET", "/api/v1/collections/users/documents/a%2Fb");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ((*match.route)(Request{}).body, "get");
  EXPECT_EQ(match.parameters, (std::vector<std::string>{"users", "a/b"}));
}

TEST(RouterTest, HeadUsesGetRoutes) {
  const Router router = MakeRouter();
  EXPECT_NE(router.Find("HEAD", "/health").route, nullptr);
}

TEST(RouterTest, RestMatchesAnyTail) {
  const Router router = MakeRouter();
  Router::Match match = router.Find("GET", "/static/js/app.js");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.parameters, (std::vector<std::string>{"js/app.js"}));
  match = router.Find("GET", "/static/");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.parameters, (std::vector<std::string>{""}));
}

TEST(RouterTest, UnknownPathIs404) {
  const Router router = MakeRouter();
  for (const char* path : {"/nothing", "/health/", "/api/v1/collections//documents/x", "", "x"}) {
    const Router::Match match = router.Find("GET", path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_EQ(match.problem.status, 404) << path;
    EXPECT_EQ(match.problem.content_type, "application/problem+json");
  }
}

TEST(RouterTest, OtherMethodIs405WithAllow) {
  const Router router = MakeRouter();
  Router::Match match = router.Find("PUT", "/api/v1/collections/users/documents/7");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.problem.status, 405);
  ASSERT_EQ(match.problem.headers.size(), 1u);
  EXPECT_EQ(match.problem.headers[0].first, "Allow");
  EXPECT_EQ(match.problem.headers[0].second, "GET, HEAD, DELETE");
  match = router.Find("GET", "/api/v1/collections/users");
  EXPECT_EQ(match.problem.status, 405);
  EXPECT_EQ(match.problem.headers[0].second, "POST");
}

TEST(RouterTest, MalformedEscapeInParameterIs404) {
  const Router router = MakeRouter();
  EXPECT_EQ(router.Find("GET", "/api/v1/collections/u/documents/%zz").problem.status, 404);
}

TEST(PercentDecodeTest, DecodesAndRejects) {
  std::string out;
  EXPECT_TRUE(PercentDecode("a%20b+c", true, &out));
  EXPECT_EQ(out, "a b c");
  EXPECT_TRUE(PercentDecode("a+b", false, &out));
  EXPECT_EQ(out, "a+b");
  EXPECT_FALSE(PercentDecode("%2", false, &out));
  EXPECT_FALSE(PercentDecode("%", false, &out));
  EXPECT_FALSE(PercentDecode("%g0", false, &out));
}

}  // namespace
}  // namespace plexus::server::http
