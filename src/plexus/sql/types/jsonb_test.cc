// jsonb: canonical form and output (PostgreSQL 15's answers), the stored encoding round trip,
// ordering, containment and parse errors.
#include "plexus/sql/types/jsonb.h"

#include <gtest/gtest.h>

#include <string>

namespace plexus::sql {
namespace {

std::string Canonical(std::string_view text) {
  Result<Jsonb> parsed = ParseJsonb(text);
  if (!parsed.ok())
    return "error " + std::string(parsed.status().sql_state()) + ": " +
           std::string(parsed.status().message());
  std::string encoded;
  EncodeJsonb(*parsed, &encoded);
  Result<Jsonb> decoded = DecodeJsonb(encoded);
  EXPECT_TRUE(decoded.ok());
  std::string out;
  FormatJsonb(*decoded, &out);
  return out;
}

Jsonb J(std::string_view text) {
  Result<Jsonb> parsed = ParseJsonb(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Jsonb();
}

TEST(JsonbTest, OutputMatchesPostgres) {
  EXPECT_EQ(Canonical(R"({"b": 1, "a": [1, 2.50, {"bb": null, "c": true}], "a": 3})"),
            R"({"a": 3, "b": 1})");
  EXPECT_EQ(Canonical(R"({"aa":1,"b":2,"c":3,"a":4})"), R"({"a": 4, "b": 2, "c": 3, "aa": 1})");
  EXPECT_EQ(Canonical("[1e2, 1.50, -0, 1E-2, 0.0e5, 100000000000000000000000, -12.5e-1]"),
            "[100, 1.50, 0, 0.01, 0, 100000000000000000000000, -1.25]");
  EXPECT_EQ(Canonical(R"(  "x\ty\"z\\u\u0001\/"  )"), R"("x\ty\"z\\u\u0001/")");
  EXPECT_EQ(Canonical(R"("\u00e9")"), "\"\xc3\xa9\"");
  EXPECT_EQ(Canonical("[1, [2, [3, []]], {\"k\": [{}]}]"), "[1, [2, [3, []]], {\"k\": [{}]}]");
  EXPECT_EQ(Canonical("18446744073709551616"), "18446744073709551616");
  EXPECT_EQ(Canonical("[10000, 300000, -20000, 18446744073709551615]"),
            "[10000, 300000, -20000, 18446744073709551615]");
  EXPECT_EQ(Canonical("-9223372036854775808"), "-9223372036854775808");
}

TEST(JsonbTest, ParseErrors) {
  for (std::string_view bad : {"", "{\"a\": }", "{a: 1}", "[1, 2", "1 2", "tru", "[1,]", "01"}) {
    Result<Jsonb> parsed = ParseJsonb(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().sql_state(), "22P02") << bad;
    EXPECT_EQ(parsed.status().message(), "invalid input syntax for type json") << bad;
  }
  EXPECT_EQ(Canonical(R"("\u0000")"), "error 22P05: unsupported Unicode escape sequence");
  std::string deep(kJsonbDepthMax + 1, '[');
  EXPECT_FALSE(ParseJsonb(deep).ok());
}

TEST(JsonbTest, PrettyOutput) {
  std::string out;
  FormatJsonb(J(R"({"a": [1, {"b": {}}], "c": []})"), &out, /*pretty=*/true);
  EXPECT_EQ(out,
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": {\n            }\n"
            "        }\n    ],\n    \"c\": [\n    ]\n}");
}

TEST(JsonbTest, OrderingAsPostgres) {
  // null < string < number < boolean < array < object, with top-level raw scalars as
  // one-element pseudo arrays ('[]' < '1' < '[1, 2]').
  const char* ascending[] = {"null",
                             "\"a\"",
                             "1",
                             "false",
                             "true",
                             "[]",
                             "[[1]]",
                             "[1, 2]",
                             "{}",
                             "{\"c\": 1}",
                             "{\"a\": 1, \"b\": 2}"};
  EXPECT_LT(CompareJsonb(J("[]"), J("1")), 0);
  EXPECT_GT(CompareJsonb(J("[1, 2]"), J("1")), 0);
  EXPECT_EQ(CompareJsonb(J("{\"a\": 1.0}"), J("{\"a\": 1}")), 0);
  for (size_t i = 1; i < std::size(ascending); ++i) {
    if (i == 5) continue;  // "[]" sorts below raw scalars: checked above
    EXPECT_LT(CompareJsonb(J(ascending[i - 1]), J(ascending[i])), 0)
        << ascending[i - 1] << " < " << ascending[i];
  }
}

TEST(JsonbTest, EqualValuesHaveEqualKeys) {
  std::string a;
  std::string b;
  AppendJsonbKey(J("[1.0, {\"x\": 2.50}]"), &a);
  AppendJsonbKey(J("[1, {\"x\": 2.5}]"), &b);
  EXPECT_EQ(a, b);
  std::string c;
  AppendJsonbKey(J("[1, {\"x\": 2.6}]"), &c);
  EXPECT_NE(a, c);
}

TEST(JsonbTest, Containment) {
  EXPECT_TRUE(JsonbContains(J(R"({"a": 1, "b": {"c": 2, "d": 3}})"), J(R"({"b": {"c": 2}})")));
  EXPECT_FALSE(JsonbContains(J(R"({"a": 1})"), J(R"({"a": 2})")));
  EXPECT_TRUE(JsonbContains(J("[1, 2, [3, 4]]"), J("[[3]]")));
  EXPECT_TRUE(JsonbContains(J("[1, 2]"), J("1")));
  EXPECT_FALSE(JsonbContains(J("1"), J("[1]")));
  EXPECT_TRUE(JsonbContains(J("[1.0, \"a\"]"), J("[1]")));
  EXPECT_FALSE(JsonbContains(J(R"({"a": [1, 2]})"), J(R"({"a": 1})")));
  EXPECT_FALSE(JsonbContains(J("{}"), J("[]")));
}

TEST(JsonbTest, DecodeRejectsGarbage) {
  for (std::string_view bad :
       {std::string_view(""), std::string_view("\x07", 1), std::string_view("\x05\x02\x01\x00", 4),
        std::string_view("\x03\x05", 2), std::string_view("\x00\x00", 2)}) {
    EXPECT_FALSE(DecodeJsonb(bad).ok());
  }
}

}  // namespace
}  // namespace plexus::sql
