// Tests for running scripts: pass/fail/skip counting against a fake engine that answers from a
// table of canned results.
#include "slt/runner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "slt/result_format.h"

namespace plexus::slt {
namespace {

using Row = std::vector<std::optional<std::string>>;

class FakeEngine : public Engine {
 public:
  std::string_view name() const override { return "fake"; }

  Result<QueryResult> Execute(std::string_view sql) override {
    executed.emplace_back(sql);
    auto error = errors.find(std::string(sql));
    if (error != errors.end()) {
      Status status = Status::InvalidArgument(error->second);
      auto sql_state = sql_states.find(std::string(sql));
      if (sql_state != sql_states.end()) status.SetSqlState(sql_state->second);
      return status;
    }
    auto answer = answers.find(std::string(sql));
    if (answer == answers.end()) return QueryResult{};
    return answer->second;
  }

  Status Reset() override {
    ++resets;
    return Status::Ok();
  }

  void Answer(const std::string& sql, std::vector<Row> rows, int column_count = -1) {
    answers[sql] = QueryResult{std::move(rows), column_count};
  }

  std::map<std::string, QueryResult> answers;
  std::map<std::string, std::string> errors;      // sql -> error message
  std::map<std::string, std::string> sql_states;  // sql -> its error's SQLSTATE
  std::vector<std::string> executed;
  int resets = 0;
};

FileReport RunText(FakeEngine& engine, std::string_view script, RunOptions options = {}) {
  Result<FileReport> report = RunScript(script, "t.test", engine, options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : FileReport{};
}

TEST(RunnerTest, StatementOkAndError) {
  FakeEngine engine;
  engine.errors["BAD"] = "syntax error";
  FileReport report = RunText(engine,
                              "statement ok\nGOOD\n\n"
                              "statement error\nBAD\n\n"
                              "statement error expected message is ignored\nBAD\n\n"
                              "statement ok\nBAD\n\n"
                              "statement error\nGOOD\n");
  EXPECT_EQ(report.passed, 3);
  EXPECT_EQ(report.failed, 2);
  EXPECT_EQ(report.skipped, 0);
  ASSERT_EQ(report.failures.size(), 2u);
  EXPECT_EQ(report.failures[0], "t.test:10: statement failed: syntax error");
  EXPECT_EQ(report.failures[1], "t.test:13: statement succeeded, expected an error");
}

TEST(RunnerTest, StatementErrorWithSqlStateMustMatchIt) {
  FakeEngine engine;
  engine.errors["SELECT 1/0"] = "division by zero";
  engine.sql_states["SELECT 1/0"] = "22012";
  engine.errors["NO STATE"] = "something";
  FileReport report = RunText(engine,
                              "statement error 22012\nSELECT 1/0\n\n"
                              "statement error 22012: division by zero\nSELECT 1/0\n\n"
                              "statement error 22003\nSELECT 1/0\n\n"
                              "statement error 22012\nNO STATE\n\n"
                              "statement error 22012\nGOOD\n\n"
                              "statement error\nNO STATE\n");
  EXPECT_EQ(report.passed, 3);
  EXPECT_EQ(report.failed, 3);
  ASSERT_EQ(report.failures.size(), 3u);
  EXPECT_EQ(report.failures[0],
            "t.test:7: statement failed with SQLSTATE 22012, expected 22003: division by zero");
  EXPECT_EQ(report.failures[1],
            "t.test:10: statement failed with SQLSTATE (none), expected 22012: something");
  EXPECT_EQ(report.failures[2], "t.test:13: statement succeeded, expected an error");
}

TEST(RunnerTest, FailingQueryIsCountedWithItsLine) {
  FakeEngine engine;
  engine.Answer("SELECT 1", {{"1"}});
  engine.errors["SELECT nope"] = "no such column";
  FileReport report = RunText(engine,
                              "query I nosort\nSELECT 1\n----\n1\n\n"
                              "# a comment\n"
                              "query I nosort\nSELECT 1\n----\n2\n\n"
                              "query I nosort\nSELECT nope\n----\n1\n");
  EXPECT_EQ(report.passed, 1);
  EXPECT_EQ(report.failed, 2);
  ASSERT_EQ(report.failures.size(), 2u);
  EXPECT_EQ(report.failures[0].rfind("t.test:7: wrong result", 0), 0u) << report.failures[0];
  EXPECT_EQ(report.failures[1], "t.test:12: query failed: no such column");
}

TEST(RunnerTest, SortModes) {
  FakeEngine engine;
  engine.Answer("Q", {{"9", "b"}, {"10", "a"}});
  FileReport report = RunText(engine,
                              "query IT nosort\nQ\n----\n9\nb\n10\na\n\n"
                              "query IT rowsort\nQ\n----\n10\na\n9\nb\n\n"
                              "query IT valuesort\nQ\n----\n10\n9\na\nb\n\n"
                              // Wrong orders for each mode.
                              "query IT nosort\nQ\n----\n10\na\n9\nb\n\n"
                              "query IT rowsort\nQ\n----\n9\nb\n10\na\n\n"
                              "query IT valuesort\nQ\n----\n10\na\n9\nb\n");
  EXPECT_EQ(report.passed, 3);
  EXPECT_EQ(report.failed, 3);
}

TEST(RunnerTest, ResultsMayBeWrittenOneRowPerLine) {
  FakeEngine engine;
  engine.Answer("Q", {{"1", "a b"}, {"2", std::nullopt}});
  FileReport report = RunText(engine,
                              "query IT nosort\nQ\n----\n1 a b\n2\tNULL\n\n"
                              "query IT nosort\nQ\n----\n1\na b\n2\nNULL\n\n"
                              "query IT nosort\nQ\n----\n1 a c\n2 NULL\n");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 1);
}

TEST(RunnerTest, HashThreshold) {
  FakeEngine engine;
  std::vector<Row> rows;
  std::vector<std::string> nine;
  for (int i = 1; i <= 9; ++i) {
    rows.push_back({std::to_string(i)});
    nine.push_back(std::to_string(i));
  }
  engine.Answer("NINE", rows);
  const std::string hash_line = HashLine(9, *HashValues(nine));
  std::string listed;
  for (const std::string& value : nine) listed += value + "\n";
  // The default threshold (8) hashes 9 values; listing them fails.
  FileReport by_default = RunText(
      engine, "query I\nNINE\n----\n" + hash_line + "\n\n" + "query I\nNINE\n----\n" + listed);
  EXPECT_EQ(by_default.passed, 1);
  EXPECT_EQ(by_default.failed, 1);
  // hash-threshold 0 never hashes; 9 does not hash 9 values; 2 hashes 3.
  engine.Answer("THREE", {{"1"}, {"2"}, {"3"}});
  const std::string three_line = HashLine(3, *HashValues({"1", "2", "3"}));
  FileReport changed = RunText(engine, "hash-threshold 0\n\nquery I\nNINE\n----\n" + listed + "\n" +
                                           "hash-threshold 9\n\nquery I\nNINE\n----\n" + listed +
                                           "\nhash-threshold 2\n\nquery I\nTHREE\n----\n" +
                                           three_line + "\n\nquery I\nTHREE\n----\n1\n2\n3\n");
  EXPECT_EQ(changed.passed, 3);
  EXPECT_EQ(changed.failed, 1);
  // A wrong hash fails.
  FileReport wrong = RunText(engine, "query I\nNINE\n----\n9 values hashing to 0123\n");
  EXPECT_EQ(wrong.failed, 1);
  // The option sets the threshold until the script changes it.
  RunOptions never;
  never.hash_threshold = 0;
  EXPECT_EQ(RunText(engine, "query I\nNINE\n----\n" + listed, never).passed, 1);
}

TEST(RunnerTest, HashIsTakenAfterSorting) {
  FakeEngine engine;
  engine.Answer("Q", {{"3", "c"}, {"1", "a"}, {"2", "b"}, {"10", "z"}, {"4", "d"}});
  const std::string rows_line =
      HashLine(10, *HashValues({"1", "a", "10", "z", "2", "b", "3", "c", "4", "d"}));
  const std::string values_line =
      HashLine(10, *HashValues({"1", "10", "2", "3", "4", "a", "b", "c", "d", "z"}));
  FileReport report = RunText(engine, "query IT rowsort\nQ\n----\n" + rows_line + "\n\n" +
                                          "query IT valuesort\nQ\n----\n" + values_line + "\n\n" +
                                          "query IT nosort\nQ\n----\n" + rows_line + "\n");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 1);
}

TEST(RunnerTest, SkipifAndOnlyif) {
  FakeEngine engine;
  engine.errors["MYSQL ONLY"] = "syntax error";
  FileReport report = RunText(engine,
                              "skipif fake\nstatement ok\nMYSQL ONLY\n\n"
                              "onlyif mysql\nstatement ok\nMYSQL ONLY\n\n"
                              "onlyif FAKE\nstatement ok\nFOR FAKE\n\n"
                              "skipif mysql # comment after the engine\nstatement ok\nNOT MYSQL\n\n"
                              "skipif mysql\nskipif fake\nquery I\nMYSQL ONLY\n----\n1\n");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(report.skipped, 3);
  EXPECT_EQ(engine.executed, (std::vector<std::string>{"FOR FAKE", "NOT MYSQL"}));
}

TEST(RunnerTest, Halt) {
  FakeEngine engine;
  FileReport report = RunText(engine,
                              "statement ok\nONE\n\n"
                              "onlyif mysql\nhalt\n\n"
                              "statement ok\nTWO\n\n"
                              "halt\n\n"
                              "statement ok\nTHREE\n");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.skipped, 1);  // the halt for mysql
  EXPECT_EQ(engine.executed, (std::vector<std::string>{"ONE", "TWO"}));
}

TEST(RunnerTest, ValueFormatting) {
  FakeEngine engine;
  engine.Answer("Q", {{"3.7", "2", "", std::nullopt, "-1.25", "a\tb"}});
  FileReport report =
      RunText(engine, "query IRTIRT\nQ\n----\n3\n2.000\n(empty)\nNULL\n-1.250\na@b\n");
  EXPECT_EQ(report.passed, 1) << (report.failures.empty() ? "" : report.failures[0]);
}

TEST(RunnerTest, ColumnCountMustMatchTypeString) {
  FakeEngine engine;
  engine.Answer("TWO COLUMNS", {{"1", "2"}});
  engine.Answer("NO ROWS, TWO COLUMNS", {}, 2);
  FileReport report = RunText(engine,
                              "query I\nTWO COLUMNS\n----\n1\n2\n\n"
                              "query I\nNO ROWS, TWO COLUMNS\n----\n\n"
                              "query II\nNO ROWS, TWO COLUMNS\n----\n");
  EXPECT_EQ(report.passed, 1);
  EXPECT_EQ(report.failed, 2);
}

TEST(RunnerTest, EmptyResultMatchesMissingResults) {
  FakeEngine engine;
  engine.Answer("ONE ROW", {{"1"}});
  FileReport report = RunText(engine,
                              "query I\nNOTHING\n\n"
                              "query I\nNOTHING\n----\n\n"
                              "query I\nONE ROW\n----\n\n"
                              "query I\nNOTHING\n----\n1\n");
  EXPECT_EQ(report.passed, 2);
  EXPECT_EQ(report.failed, 2);
}

TEST(RunnerTest, LabeledResultsMustAgree) {
  FakeEngine engine;
  engine.Answer("A", {{"1"}});
  engine.Answer("B", {{"2"}});
  FileReport report = RunText(engine,
                              "query I rowsort label-1\nA\n----\n1\n\n"
                              "query I rowsort label-1\nB\n----\n2\n\n"
                              "skipif fake\nquery I rowsort label-2\nA\n----\n2\n\n"
                              "query I rowsort label-2\nA\n----\n1\n");
  EXPECT_EQ(report.passed, 1);
  EXPECT_EQ(report.failed, 2);
  EXPECT_EQ(report.skipped, 1);
  ASSERT_EQ(report.failures.size(), 2u);
  EXPECT_NE(report.failures[0].find("label-1"), std::string::npos);
}

TEST(RunnerTest, InvalidRecordsFailUnlessSkipped) {
  FakeEngine engine;
  FileReport report = RunText(engine,
                              "onlyif duckdb\nrequire parquet\n\n"
                              "require parquet\n\n"
                              "statement ok\nAFTER\n");
  EXPECT_EQ(report.passed, 1);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.skipped, 1);
}

TEST(RunnerTest, FailuresShownAreCapped) {
  FakeEngine engine;
  engine.errors["BAD"] = "no";
  std::string script;
  for (int i = 0; i < 5; ++i) script += "statement ok\nBAD\n\n";
  RunOptions options;
  options.max_failures_shown = 2;
  FileReport report = RunText(engine, script, options);
  EXPECT_EQ(report.failed, 5);
  EXPECT_EQ(report.failures.size(), 2u);
}

TEST(RunnerTest, RunFileResetsTheEngine) {
  FakeEngine engine;
  Result<FileReport> missing = RunFile("/nonexistent/x.test", engine, RunOptions{});
  EXPECT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsIOError());
  EXPECT_EQ(engine.resets, 0);

  const std::string path = testing::TempDir() + "/runner_test_one.test";
  std::FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("statement ok\nCREATE TABLE t(a INTEGER)\n", file);
  std::fclose(file);
  Result<FileReport> report = RunFile(path, engine, RunOptions{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->path, path);
  EXPECT_EQ(report->passed, 1);
  EXPECT_EQ(engine.resets, 1);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace plexus::slt
