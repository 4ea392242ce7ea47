#include "plexus/server/http/message.h"

#include <gtest/gtest.h>

namespace plexus::server::http {
namespace {

TEST(RequestReaderTest, ReadsPipelinedRequestsOneAtATime) {
  RequestReader reader(8192, 1 << 20);
  const std::string input =
      "POST /api/v1/sql?x=1&y=a%20b HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\n\r\n{}"
      "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n";
  size_t consumed = 0;
  ASSERT_EQ(reader.Feed(input, &consumed), RequestReader::State::kComplete);
  ParsedRequest first = reader.Take();
  EXPECT_EQ(first.request.method, "POST");
  EXPECT_EQ(first.request.path, "/api/v1/sql");
  EXPECT_EQ(first.request.QueryParameter("y"), "a b");
  EXPECT_EQ(first.request.Header("content-type"), "application/json");
  EXPECT_EQ(first.request.body, "{}");
  EXPECT_TRUE(first.keep_alive);
  size_t more = 0;
  ASSERT_EQ(reader.Feed(std::string_view(input).substr(consumed), &more),
            RequestReader::State::kComplete);
  EXPECT_EQ(consumed + more, input.size());
  ParsedRequest second = reader.Take();
  EXPECT_EQ(second.request.path, "/health");
  EXPECT_FALSE(second.keep_alive);
}

TEST(RequestReaderTest, ByteByByte) {
  RequestReader reader(8192, 1 << 20);
  const std::string input =
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  std::string pending;
  RequestReader::State state = RequestReader::State::kIncomplete;
  for (const char c : input) {
    pending.push_back(c);
    size_t consumed = 0;
    state = reader.Feed(pending, &consumed);
    pending.erase(0, consumed);
    ASSERT_NE(state, RequestReader::State::kFailed);
  }
  ASSERT_EQ(state, RequestReader::State::kComplete);
  EXPECT_EQ(reader.Take().request.body, "abcde");
}

TEST(RequestReaderTest, LimitsAndMalformed) {
  {
    RequestReader reader(1024, 1 << 20);
    const std::string input = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n";
    size_t consumed = 0;
    EXPECT_EQ(reader.Feed(input, &consumed), RequestReader::State::kFailed);
    EXPECT_EQ(reader.failure_status(), 431);
  }
  {
    RequestReader reader(1024, 1024);
    size_t consumed = 0;
    EXPECT_EQ(reader.Feed("POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n", &consumed),
              RequestReader::State::kFailed);
    EXPECT_EQ(reader.failure_status(), 413);
  }
  {
    RequestReader reader(1024, 1024);
    size_t consumed = 0;
    EXPECT_EQ(reader.Feed("NOT HTTP AT ALL\r\n\r\n", &consumed), RequestReader::State::kFailed);
    EXPECT_EQ(reader.failure_status(), 400);
  }
}

TEST(RequestReaderTest, ExpectContinueOnce) {
  RequestReader reader(8192, 1 << 20);
  size_t consumed = 0;
  EXPECT_EQ(reader.Feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
                        &consumed),
            RequestReader::State::kIncomplete);
  EXPECT_TRUE(reader.TakeContinueExpected());
  EXPECT_FALSE(reader.TakeContinueExpected());
}

TEST(SerializeResponseTest, HeadKeepsLengthDropsBody) {
  Response response;
  response.body = "{\"a\":1}";
  response.headers.emplace_back("Location", "/x\r\nEvil: 1");
  const std::string head = SerializeResponse(response, /*head=*/true, /*close=*/true);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
            "Location: /xEvil: 1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(SerializeResponse(response, false, false).ends_with("\r\n\r\n{\"a\":1}"));
}

}  // namespace
}  // namespace plexus::server::http
