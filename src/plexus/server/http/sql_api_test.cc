#include "plexus/server/http/sql_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plexus/session/session_test_util.h"

namespace plexus::server::http {
namespace {

// Records what a handler streams; `gone_after` pieces, it acts as a client that went away.
class RecordingStream final : public ResponseStream {
 public:
  bool Begin(const Response& head) override {
    ++begins;
    status = head.status;
    return !Gone();
  }
  bool Write(std::string_view bytes) override {
    EXPECT_FALSE(bytes.empty());
    EXPECT_EQ(begins, 1);
    body += bytes;
    ++pieces;
    return !Gone();
  }
  const std::atomic<bool>* cancel_flag() const override { return &cancel; }

  int begins = 0;
  int status = 0;
  int pieces = 0;
  std::string body;
  int gone_after = -1;
  std::atomic<bool> cancel{false};

 private:
  bool Gone() {
    if (gone_after < 0 || pieces < gone_after) return false;
    cancel = true;
    return true;
  }
};

class SqlApiTest : public session::SessionTestBase {
 protected:
  Response Post(std::string body, std::string content_type = "application/json",
                ResponseStream* stream = nullptr) {
    Request request;
    request.method = "POST";
    request.path = "/api/v1/sql";
    request.headers.emplace_back("content-type", std::move(content_type));
    request.body = std::move(body);
    request.stream = stream;
    return RunSql(engine_.get(), request);
  }
};

TEST_F(SqlApiTest, SmallResultIsNotStreamed) {
  RecordingStream stream;
  const Response response =
      Post(R"js({"sql": "SELECT g FROM generate_series(1, 100) g"})js", "application/json",
           &stream);
  EXPECT_FALSE(response.streamed);
  EXPECT_EQ(stream.begins, 0);
  EXPECT_EQ(nlohmann::json::parse(response.body)["rows"].size(), 100u);
}

TEST_F(SqlApiTest, LargeResultStreamsInPieces) {
  RecordingStream stream;
  const Response response =
      Post(R"js({"sql": "SELECT g, 'abcdefghij' AS s FROM generate_series(1, 200000) g"})js",
           "application/json", &stream);
  ASSERT_TRUE(response.streamed) << response.body.substr(0, 200);
  EXPECT_EQ(stream.begins, 1);
  EXPECT_EQ(stream.status, 200);
  EXPECT_GT(stream.pieces, 3);
  const nlohmann::json body = nlohmann::json::parse(stream.body + response.body);
  EXPECT_EQ(body["command"], "SELECT 200000");
  ASSERT_EQ(body["rows"].size(), 200000u);
  EXPECT_EQ(body["rows"][199999][1], "abcdefghij");
  EXPECT_FALSE(body.contains("error"));
}

TEST_F(SqlApiTest, ErrorAfterStreamingStartedEndsTheJson) {
  RecordingStream stream;
  const Response response =
      Post(R"js({"sql": "SELECT 1 / (g - 150000) FROM generate_series(1, 200000) g"})js",
           "application/json", &stream);
  ASSERT_TRUE(response.streamed);
  const nlohmann::json body = nlohmann::json::parse(stream.body + response.body);
  EXPECT_FALSE(body.contains("command"));
  EXPECT_EQ(body["error"]["sqlstate"], "22012");
  EXPECT_GT(body["rows"].size(), 0u);
  EXPECT_LT(body["rows"].size(), 150000u);
}

TEST_F(SqlApiTest, StatementAfterStreamedResultFails) {
  RecordingStream stream;
  const Response response = Post(
      R"js({"sql": "CREATE TABLE after_stream (i int); SELECT g FROM generate_series(1, 200000) g; )js"
      R"js(INSERT INTO after_stream VALUES (1)"})js",
      "application/json", &stream);
  ASSERT_TRUE(response.streamed);
  const nlohmann::json body = nlohmann::json::parse(stream.body + response.body);
  EXPECT_EQ(body["error"]["sqlstate"], "0A000");
  // The implicit block rolled back: the table was never created.
  EXPECT_EQ(Post(R"js({"sql": "SELECT * FROM after_stream"})js").status, 400);
}

TEST_F(SqlApiTest, ClientGoneCancelsTheStatement) {
  RecordingStream stream;
  stream.gone_after = 2;
  const Response response =
      Post(R"js({"sql": "SELECT g FROM generate_series(1, 100000000) g"})js", "application/json",
           &stream);
  ASSERT_TRUE(response.streamed);
  EXPECT_EQ(stream.pieces, 2);
  EXPECT_NE(response.body.find("57014"), std::string::npos) << response.body;
}

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
