// Tests for splitting sqllogictest scripts into records.
#include "slt/script_parser.h"

#include <gtest/gtest.h>

namespace plexus::slt {
namespace {

TEST(ScriptParserTest, StatementsQueriesAndLineNumbers) {
  std::vector<Record> records = ParseScript(
      "# leading comment\n"
      "statement ok\n"
      "CREATE TABLE t1(a INTEGER,\n"
      "  b INTEGER)\n"
      "\n"
      "\n"
      "statement error something went wrong\n"
      "DROP TABLE nope\n"
      "\n"
      "query IT rowsort label-1\n"
      "SELECT a, b\n"
      "# a comment inside the record is removed\n"
      "FROM t1\n"
      "----\n"
      "1\n"
      "x\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatement);
  EXPECT_EQ(records[0].line, 2);
  EXPECT_FALSE(records[0].expect_error);
  EXPECT_EQ(records[0].sql, "CREATE TABLE t1(a INTEGER,\n  b INTEGER)");
  EXPECT_EQ(records[1].kind, RecordKind::kStatement);
  EXPECT_EQ(records[1].line, 7);
  EXPECT_TRUE(records[1].expect_error);
  EXPECT_EQ(records[1].expected_sql_state, "");
  EXPECT_EQ(records[2].kind, RecordKind::kQuery);
  EXPECT_EQ(records[2].line, 10);
  EXPECT_EQ(records[2].types, "IT");
  EXPECT_EQ(records[2].sort_mode, SortMode::kRowSort);
  EXPECT_EQ(records[2].label, "label-1");
  EXPECT_EQ(records[2].sql, "SELECT a, b\nFROM t1");
  EXPECT_EQ(records[2].expected, (std::vector<std::string>{"1", "x"}));
}

TEST(ScriptParserTest, StatementErrorWithSqlState) {
  std::vector<Record> records = ParseScript(
      "statement error 22012\nSELECT 1/0\n\n"
      "statement error 2201B: invalid regular expression\nSELECT 1\n\n"
      "statement error 22012x\nSELECT 1\n\n"
      "statement error 2201b\nSELECT 1\n\n"
      "statement error ERROR\nSELECT 1\n\n"
      "statement ok 22012\nSELECT 1\n");
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[0].expected_sql_state, "22012");
  EXPECT_EQ(records[1].expected_sql_state, "2201B");
  EXPECT_EQ(records[2].expected_sql_state, "");  // six characters: a message
  EXPECT_EQ(records[3].expected_sql_state, "");  // lower case: a message
  EXPECT_EQ(records[4].expected_sql_state, "ERROR");
  EXPECT_FALSE(records[5].expect_error);
  EXPECT_EQ(records[5].expected_sql_state, "");
}

TEST(ScriptParserTest, CarriageReturnsAndBlankLinesWithSpaces) {
  std::vector<Record> records = ParseScript(
      "hash-threshold 8\r\n"
      "   \r\n"
      "query I\r\n"
      "SELECT 1\r\n"
      "----\r\n"
      "1\r\n"
      "\t\n"
      "halt\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].kind, RecordKind::kHashThreshold);
  EXPECT_EQ(records[0].hash_threshold, 8);
  EXPECT_EQ(records[1].sort_mode, SortMode::kNoSort);
  EXPECT_EQ(records[1].sql, "SELECT 1");
  EXPECT_EQ(records[1].expected, std::vector<std::string>{"1"});
  EXPECT_EQ(records[2].kind, RecordKind::kHalt);
  EXPECT_EQ(records[2].line, 8);
}

TEST(ScriptParserTest, QueryWithoutResults) {
  std::vector<Record> records = ParseScript("query T valuesort\nSELECT 'a' WHERE false\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].sort_mode, SortMode::kValueSort);
  EXPECT_TRUE(records[0].expected.empty());
}

TEST(ScriptParserTest, Conditions) {
  std::vector<Record> records = ParseScript(
      "skipif mysql # not compatible\n"
      "onlyif postgresql\n"
      "statement ok\n"
      "SELECT 1\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].line, 3);
  ASSERT_EQ(records[0].conditions.size(), 2u);
  EXPECT_FALSE(records[0].conditions[0].only_if);
  EXPECT_EQ(records[0].conditions[0].engine, "mysql");
  EXPECT_TRUE(records[0].conditions[1].only_if);
  EXPECT_FALSE(ExcludedByConditions(records[0], "postgresql"));
  EXPECT_FALSE(ExcludedByConditions(records[0], "PostgreSQL"));
  EXPECT_TRUE(ExcludedByConditions(records[0], "mysql"));
  EXPECT_TRUE(ExcludedByConditions(records[0], "sqlite"));
}

TEST(ScriptParserTest, MalformedRecordsBecomeInvalid) {
  std::vector<Record> records = ParseScript(
      "query X\nSELECT 1\n\n"
      "query I sideways\nSELECT 1\n\n"
      "statement maybe\nSELECT 1\n\n"
      "frobnicate\n\n"
      "hash-threshold lots\n\n"
      "onlyif sqlite\n");
  ASSERT_EQ(records.size(), 6u);
  for (const Record& record : records) {
    EXPECT_EQ(record.kind, RecordKind::kInvalid) << record.line;
    EXPECT_FALSE(record.error.empty());
  }
  EXPECT_EQ(records[3].line, 10);
}

}  // namespace
}  // namespace plexus::slt
