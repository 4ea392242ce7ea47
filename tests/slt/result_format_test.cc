// Tests for rendering, sorting and hashing query results.
#include "slt/result_format.h"

#include <gtest/gtest.h>

namespace plexus::slt {
namespace {

TEST(ResultFormatTest, Integers) {
  EXPECT_EQ(FormatValue('I', "42"), "42");
  EXPECT_EQ(FormatValue('I', "-7"), "-7");
  EXPECT_EQ(FormatValue('I', "3.7"), "3");
  EXPECT_EQ(FormatValue('I', "-3.7"), "-3");
  EXPECT_EQ(FormatValue('I', "12.0000000000000000"), "12");
  EXPECT_EQ(FormatValue('I', "1e3"), "1000");
  EXPECT_EQ(FormatValue('I', "9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(FormatValue('I', "t"), "1");
  EXPECT_EQ(FormatValue('I', "f"), "0");
  EXPECT_EQ(FormatValue('R', "t"), "1.000");
  EXPECT_EQ(FormatValue('T', "t"), "t");
  EXPECT_EQ(FormatValue('I', "abc"), "0");
  EXPECT_EQ(FormatValue('I', ""), "0");
  EXPECT_EQ(FormatValue('I', std::nullopt), "NULL");
}

TEST(ResultFormatTest, Reals) {
  EXPECT_EQ(FormatValue('R', "1"), "1.000");
  EXPECT_EQ(FormatValue('R', "2.5"), "2.500");
  EXPECT_EQ(FormatValue('R', "-0.0004"), "-0.000");
  EXPECT_EQ(FormatValue('R', "-0"), "0.000");
  EXPECT_EQ(FormatValue('R', "33.3333333333333333"), "33.333");
  EXPECT_EQ(FormatValue('R', "text"), "0.000");
  EXPECT_EQ(FormatValue('R', std::nullopt), "NULL");
}

TEST(ResultFormatTest, Text) {
  EXPECT_EQ(FormatValue('T', "hello world"), "hello world");
  EXPECT_EQ(FormatValue('T', ""), "(empty)");
  EXPECT_EQ(FormatValue('T', "a\tb\nc\x7f"), "a@b@c@");
  EXPECT_EQ(FormatValue('T', "caf\xc3\xa9"), "caf@@");
  EXPECT_EQ(FormatValue('T', "3.50"), "3.50");
  EXPECT_EQ(FormatValue('T', std::nullopt), "NULL");
}

TEST(ResultFormatTest, SortModes) {
  std::vector<std::string> values = {"9", "b", "10", "a", "10", "NULL"};
  std::vector<std::string> unsorted = values;
  SortValues(SortMode::kNoSort, 2, unsorted);
  EXPECT_EQ(unsorted, values);
  std::vector<std::string> rows = values;
  SortValues(SortMode::kRowSort, 2, rows);
  // strcmp order: "10" < "9"; rows ("10","NULL") < ("10","a") since 'N' < 'a'.
  EXPECT_EQ(rows, (std::vector<std::string>{"10", "NULL", "10", "a", "9", "b"}));
  std::vector<std::string> each = values;
  SortValues(SortMode::kValueSort, 2, each);
  EXPECT_EQ(each, (std::vector<std::string>{"10", "10", "9", "NULL", "a", "b"}));
}

TEST(ResultFormatTest, RowSortComparesValueByValueNotJoinedText) {
  // Joined with spaces, "a b 1" < "a c d" would put the first row first.
  std::vector<std::string> values = {"a b", "1", "a", "c d"};
  SortValues(SortMode::kRowSort, 2, values);
  EXPECT_EQ(values, (std::vector<std::string>{"a", "c d", "a b", "1"}));
}

TEST(ResultFormatTest, Md5OfValuesEachFollowedByNewline) {
  // md5("") and md5("1\n2\n") (as printed by md5sum).
  EXPECT_EQ(*HashValues({}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(*HashValues({"1", "2"}), "6ddb4095eb719e2a9f0a3f95677d24e0");
  EXPECT_EQ(HashLine(2, "abc"), "2 values hashing to abc");
}

}  // namespace
}  // namespace plexus::slt
