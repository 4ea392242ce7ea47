#include "plexus/server/http/sql_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plexus/session/session_test_util.h"

namespace plexus::server::http {
namespace {

class SqlApiTest : public session::SessionTestBase {
 protected:
  Response Post(std::string body, std::string content_type = "application/json") {
    Request request;
    request.method = "POST";
    request.path = "/api/v1/sql";
    request.headers.emplace_back("content-type", std::move(content_type));
    request.body = std::move(body);
    return RunSql(engine_.get(), request);
  }
};

TEST_F(SqlApiTest, TypesAsJson) {
  const Response response = Post(
      R"js({"sql": "SELECT 1::int4 AS a, 9007199254740993::int8 AS b, 1.50::numeric AS c, )js"
      R"js(true AS d, NULL::text AS e, '{\"k\": [1, 2]}'::jsonb AS f, ARRAY[1, NULL, 3] AS g, )js"
      R"js('NaN'::float8 AS h, 'x\"y' AS i, ARRAY['a', 'b'] AS j"})js");
  ASSERT_EQ(response.status, 200) << response.body;
  const nlohmann::json body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["command"], "SELECT 1");
  EXPECT_EQ(body["columns"][0]["type"], "int4");
  EXPECT_EQ(body["columns"][1]["type"], "int8");
  EXPECT_EQ(body["columns"][6]["type"], "_int4");
  const nlohmann::json expected = nlohmann::json::parse(
      R"js([1, "9007199254740993", "1.50", true, null, {"k": [1, 2]}, [1, null, 3], "NaN",
          "x\"y", ["a", "b"]])js");
  EXPECT_EQ(body["rows"][0], expected);
}

TEST_F(SqlApiTest, ParamsAndSeveralStatements) {
  Response response = Post(R"js({"sql": "CREATE TABLE t (a int, b text); )js"
                           R"js(INSERT INTO t VALUES (1, 'x'), (2, 'y')"})js");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(nlohmann::json::parse(response.body)["command"], "INSERT 0 2");
  response = Post(R"js({"sql": "SELECT b FROM t WHERE a = $1 AND b = ANY($2)", )js"
                  R"js("params": [2, ["y", "z"]]})js");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(nlohmann::json::parse(response.body)["rows"],
            nlohmann::json::parse(R"js([["y"]])js"));
}

TEST_F(SqlApiTest, Errors) {
  Response response = Post(R"js({"sql": "SELECT * FROM missing"})js");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(nlohmann::json::parse(response.body)["sqlstate"], "42P01");
  EXPECT_EQ(Post("{not json").status, 400);
  EXPECT_EQ(Post(R"js({"sql": 1})js").status, 400);
  EXPECT_EQ(Post(R"js({"sql": "SELECT 1"})js", "text/plain").status, 415);
  EXPECT_EQ(Post(std::string(100, '[') + std::string(100, ']')).status, 400);
  response = Post(R"js({"sql": "SELECT $1::int", "params": []})js");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(nlohmann::json::parse(response.body)["sqlstate"], "08P01");
}

}  // namespace
}  // namespace plexus::server::http
