// Array text input (PostgreSQL's array_in rules) and element quoting on output.
#include "plexus/sql/types/array_text.h"

#include <gtest/gtest.h>

#include <string>

namespace plexus::sql {
namespace {

// The elements as a|b|<NULL>, or the error's SQLSTATE and message.
std::string Split(std::string_view text) {
  auto parsed = ParseArrayText(text);
  if (!parsed.ok()) return "error " + std::string(parsed.status().sql_state());
  std::string out;
  for (size_t i = 0; i < parsed->size(); ++i) {
    if (i > 0) out += "|";
    out += (*parsed)[i].is_null ? "<NULL>" : (*parsed)[i].text;
  }
  return out;
}

TEST(ArrayTextTest, Elements) {
  EXPECT_EQ(Split("{}"), "");
  EXPECT_EQ(Split("  { }  "), "");
  EXPECT_EQ(Split("{1,2,NULL}"), "1|2|<NULL>");
  EXPECT_EQ(Split("{a b,c,null,\"\",\"NULL\"}"), "a b|c|<NULL>||NULL");
  EXPECT_EQ(Split("{ 1 , 2 ,  3 }"), "1|2|3");
  EXPECT_EQ(Split("{  \"a b\"  , c d }"), "a b|c d");
  EXPECT_EQ(Split("{\"x\\\"y\",back\\\\slash,\\,}"), "x\"y|back\\slash|,");
  EXPECT_EQ(Split("{\"a\" ,b}"), "a|b");
}

TEST(ArrayTextTest, Errors) {
  EXPECT_EQ(Split("{1,2"), "error 22P02");
  EXPECT_EQ(Split("1,2"), "error 22P02");
  EXPECT_EQ(Split("{1,,2}"), "error 22P02");
  EXPECT_EQ(Split("{1,2,}"), "error 22P02");
  EXPECT_EQ(Split("{1,2}x"), "error 22P02");
  EXPECT_EQ(Split("{\"a}"), "error 22P02");
  EXPECT_EQ(Split("{\"a\"b}"), "error 22P02");
  EXPECT_EQ(Split("{a\"b\"}"), "error 22P02");
  EXPECT_EQ(Split("{a\\"), "error 22P02");
  EXPECT_EQ(Split(""), "error 22P02");
  EXPECT_EQ(Split("{{1,2},{3,4}}"), "error 0A000");
  EXPECT_EQ(Split("[0:1]={1,2}"), "error 0A000");
}

TEST(ArrayTextTest, Quoting) {
  auto quoted = [](std::string_view element) {
    std::string out;
    AppendArrayElementText(element, &out);
    return out;
  };
  EXPECT_EQ(quoted("abc"), "abc");
  EXPECT_EQ(quoted(""), "\"\"");
  EXPECT_EQ(quoted("NULL"), "\"NULL\"");
  EXPECT_EQ(quoted("nuLl"), "\"nuLl\"");
  EXPECT_EQ(quoted("a b"), "\"a b\"");
  EXPECT_EQ(quoted("x,y"), "\"x,y\"");
  EXPECT_EQ(quoted("{}"), "\"{}\"");
  EXPECT_EQ(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

}  // namespace
}  // namespace plexus::sql
