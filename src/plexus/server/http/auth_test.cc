#include "plexus/server/http/auth.h"

#include <gtest/gtest.h>

#include "plexus/server/http/json_body.h"
#include "plexus/session/session_test_util.h"

namespace plexus::server::http {
namespace {

Request WithToken(std::string path, std::string token) {
  Request request;
  request.method = "POST";
  request.path = std::move(path);
  if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
  return request;
}

class AuthTest : public session::SessionTestBase {};

TEST_F(AuthTest, StaticTokensNameRoles) {
  Run("CREATE ROLE alice LOGIN; CREATE ROLE quiet");
  Authenticator authenticator(engine_.get(), /*enabled=*/true);
  ASSERT_TRUE(authenticator.LoadStaticTokens(" t1:alice , t2:quiet,t3:nobody ").ok());
  std::string role;
  Response problem;
  EXPECT_TRUE(authenticator.Authenticate(WithToken("/api/v1/sql", "t1"), &role, &problem));
  EXPECT_EQ(role, "alice");
  EXPECT_FALSE(authenticator.Authenticate(WithToken("/api/v1/sql", "t2"), &role, &problem));
  EXPECT_EQ(problem.status, 403);
  EXPECT_FALSE(authenticator.Authenticate(WithToken("/api/v1/sql", "t3"), &role, &problem));
  EXPECT_EQ(problem.status, 403);
  EXPECT_FALSE(authenticator.Authenticate(WithToken("/api/v1/sql", "t4"), &role, &problem));
  EXPECT_EQ(problem.status, 401);
  EXPECT_FALSE(authenticator.Authenticate(WithToken("/api/v1/sql", ""), &role, &problem));
  EXPECT_EQ(problem.status, 401);
  ASSERT_EQ(problem.headers.size(), 1u);
  EXPECT_EQ(problem.headers[0].second, "Bearer");
}

TEST_F(AuthTest, MalformedTokenListIsAnError) {
  Authenticator authenticator(engine_.get(), /*enabled=*/true);
  EXPECT_FALSE(authenticator.LoadStaticTokens("tokenwithoutrole").ok());
  EXPECT_FALSE(authenticator.LoadStaticTokens("t:").ok());
  EXPECT_FALSE(authenticator.LoadStaticTokens(":alice").ok());
  EXPECT_TRUE(authenticator.LoadStaticTokens("").ok());
}

TEST(AuthOpenTest, OpenPaths) {
  Request request;
  request.method = "GET";
  for (const char* path : {"/health", "/ready", "/", "/console/app.js"}) {
    request.path = path;
    EXPECT_TRUE(Authenticator::IsOpen(request)) << path;
  }
  for (const char* path : {"/metrics", "/api/v1/collections"}) {
    request.path = path;
    EXPECT_FALSE(Authenticator::IsOpen(request)) << path;
  }
  request.method = "POST";
  request.path = "/api/v1/sql";
  EXPECT_FALSE(Authenticator::IsOpen(request));
  request.path = "/api/v1/auth/token";
  EXPECT_TRUE(Authenticator::IsOpen(request));
}

TEST(JsonBodyTest, ContentTypes) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(IsJsonContentType("application/merge-patch+json"));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType(""));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
}

}  // namespace
}  // namespace plexus::server::http
