// RESP parsing (multibulk, inline, limits, Redis's error texts, resumption) and reply bytes.
#include "plexus/server/resp/parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plexus/server/resp/glob.h"
#include "plexus/server/resp/reply.h"

namespace plexus::server::resp {
namespace {

std::vector<std::string> Args(const Parser& parser) {
  return std::vector<std::string>(parser.args().begin(), parser.args().end());
}

using Strings = std::vector<std::string>;

TEST(ParserTest, Multibulk) {
  Parser parser;
  const std::string input = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\nrest";
  ASSERT_EQ(parser.Parse(input, {}), ParseStatus::kRequest);
  EXPECT_EQ(Args(parser), (Strings{"GET", "k"}));
  EXPECT_EQ(parser.consumed(), input.size() - 4);
}

TEST(ParserTest, BinarySafeBulk) {
  Parser parser;
  const std::string input("*1\r\n$5\r\na\r\n\0b\r\n", 16);
  ASSERT_EQ(parser.Parse(input, {}), ParseStatus::kRequest);
  EXPECT_EQ(Args(parser), (Strings{std::string("a\r\n\0b", 5)}));
}

TEST(ParserTest, ResumesAcrossEveryByteBoundary) {
  const std::string input = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\n";
  for (size_t split = 0; split < input.size(); ++split) {
    Parser parser;
    EXPECT_EQ(parser.Parse(input.substr(0, split), {}), ParseStatus::kIncomplete) << split;
    ASSERT_EQ(parser.Parse(input, {}), ParseStatus::kRequest) << split;
    EXPECT_EQ(Args(parser), (Strings{"SET", "key", "0123456789"}));
    EXPECT_EQ(parser.consumed(), input.size());
  }
}

TEST(ParserTest, Inline) {
  Parser parser;
  ASSERT_EQ(parser.Parse("set  k \"a b\\x41\\n\" 'c''\r\n", {}), ParseStatus::kError);
  parser.Reset();
  ASSERT_EQ(parser.Parse("set  k \"a b\\x41\\n\" 'c'\r\n", {}), ParseStatus::kRequest);
  EXPECT_EQ(Args(parser), (Strings{"set", "k", "a bA\n", "c"}));
  parser.Reset();
  ASSERT_EQ(parser.Parse("PING\n", {}), ParseStatus::kRequest);
  EXPECT_EQ(Args(parser), (Strings{"PING"}));
  EXPECT_EQ(parser.consumed(), 5u);
  parser.Reset();
  EXPECT_EQ(parser.Parse("  \r\n", {}), ParseStatus::kEmpty);
  parser.Reset();
  EXPECT_EQ(parser.Parse("PING", {}), ParseStatus::kIncomplete);
}

TEST(ParserTest, EmptyMultibulkIsSkipped) {
  Parser parser;
  EXPECT_EQ(parser.Parse("*0\r\n", {}), ParseStatus::kEmpty);
  EXPECT_EQ(parser.consumed(), 4u);
  parser.Reset();
  EXPECT_EQ(parser.Parse("*-1\r\n", {}), ParseStatus::kEmpty);
}

struct ErrorCase {
  std::string input;
  std::string error;
};

TEST(ParserTest, ProtocolErrorsWordedAsRedis) {
  const std::vector<ErrorCase> cases = {
      {"*x\r\n", "Protocol error: invalid multibulk length"},
      {"*2147483648\r\n", "Protocol error: invalid multibulk length"},
      {"*1\r\n+3\r\n", "Protocol error: expected '$', got '+'"},
      {"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$x\r\n", "Protocol error: invalid bulk length"},
      {"*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"},
      {"\"unbalanced\r\n", "Protocol error: unbalanced quotes in request"},
      {std::string(70000, 'a'), "Protocol error: too big inline request"},
      {"*" + std::string(70000, '1'), "Protocol error: too big mbulk count string"},
      {"*1\r\n$" + std::string(70000, '1'), "Protocol error: too big bulk count string"},
  };
  for (const ErrorCase& c : cases) {
    Parser parser;
    EXPECT_EQ(parser.Parse(c.input, {}), ParseStatus::kError) << c.input.substr(0, 20);
    EXPECT_EQ(parser.error(), c.error);
  }
}

TEST(ParserTest, BulkLimitIsConfigurable) {
  ParserLimits limits;
  limits.bulk_bytes_max = 4;
  Parser parser;
  EXPECT_EQ(parser.Parse("*1\r\n$4\r\nabcd\r\n", limits), ParseStatus::kRequest);
  parser.Reset();
  EXPECT_EQ(parser.Parse("*1\r\n$5\r\nabcde\r\n", limits), ParseStatus::kError);
}

TEST(ParserTest, UnauthenticatedLimits) {
  ParserLimits limits;
  limits.authenticated = false;
  Parser parser;
  EXPECT_EQ(parser.Parse("*11\r\n", limits), ParseStatus::kError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated multibulk length");
  parser.Reset();
  EXPECT_EQ(parser.Parse("*1\r\n$16385\r\n", limits), ParseStatus::kError);
  EXPECT_EQ(parser.error(), "Protocol error: unauthenticated bulk length");
}

TEST(ParserTest, HugeCountReservesLittle) {
  Parser parser;
  EXPECT_EQ(parser.Parse("*2147483647\r\n$1\r\na\r\n", {}), ParseStatus::kIncomplete);
}

TEST(ReplyTest, Resp2AndResp3Shapes) {
  std::string two, three;
  Reply r2(&two, 2), r3(&three, 3);
  for (Reply* r : {&r2, &r3}) {
    r->Null();
    r->Map(1);
    r->Bulk("k");
    r->Double(1.5);
    r->Boolean(true);
    r->Set(0);
    r->Integer(-7);
    r->Error("ERR x\ny");
  }
  EXPECT_EQ(two, "$-1\r\n*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n:1\r\n*0\r\n:-7\r\n-ERR x y\r\n");
  EXPECT_EQ(three, "_\r\n%1\r\n$1\r\nk\r\n,1.5\r\n#t\r\n~0\r\n:-7\r\n-ERR x y\r\n");
}

TEST(ReplyTest, DoublesAsRedis70) {
  EXPECT_EQ(FormatDouble(1.1), "1.1000000000000001");
  EXPECT_EQ(FormatDouble(2), "2");
  EXPECT_EQ(FormatDouble(1.0 / 0.0), "inf");
  EXPECT_EQ(FormatDouble(-1.0 / 0.0), "-inf");
}

TEST(GlobTest, RedisPatterns) {
  // As Redis's stringmatchlen; KEYS and SCAN treat "*" as "everything" before matching.
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "a"));
  EXPECT_TRUE(GlobMatch("h?llo", "hello"));
  EXPECT_TRUE(GlobMatch("h*llo", "heeeello"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-b]llo", "hbllo"));
  EXPECT_TRUE(GlobMatch("h\\*llo", "h*llo"));
  EXPECT_FALSE(GlobMatch("h\\*llo", "hello"));
  EXPECT_TRUE(GlobMatch("USER:*", "user:1", true));
  // Many stars must not take exponential time.
  EXPECT_FALSE(GlobMatch(std::string(50, '*') + "b", std::string(10000, 'a')));
}

}  // namespace
}  // namespace plexus::server::resp
