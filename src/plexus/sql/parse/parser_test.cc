// ParseTree: statements and their text, syntax errors with SQLSTATE and position.
#include "plexus/sql/parse/parser.h"

#include <gtest/gtest.h>

#include "plexus/sql/parse/deparse.h"
#include <pg_query/pg_query.pb-c.h>

namespace plexus::sql {
namespace {

TEST(ParserTest, SplitsStatementsAndKeepsTheirText) {
  auto tree = ParseTree::Parse("SELECT 1; CREATE TABLE t (a int);\nINSERT INTO t VALUES (1)");
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  ASSERT_EQ(tree->statement_count(), 3u);
  EXPECT_EQ(tree->statement(0).stmt->node_case, PG_QUERY__NODE__NODE_SELECT_STMT);
  EXPECT_EQ(tree->statement(1).stmt->node_case, PG_QUERY__NODE__NODE_CREATE_STMT);
  EXPECT_EQ(tree->statement(2).stmt->node_case, PG_QUERY__NODE__NODE_INSERT_STMT);
  EXPECT_EQ(tree->statement_text(0), "SELECT 1");
  EXPECT_EQ(tree->statement_text(1), "CREATE TABLE t (a int)");
  EXPECT_EQ(tree->statement_text(2), "INSERT INTO t VALUES (1)");
}

TEST(ParserTest, EmptyTextHasNoStatements) {
  auto tree = ParseTree::Parse("  ;  -- nothing\n");
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  EXPECT_EQ(tree->statement_count(), 0u);
}

TEST(ParserTest, SyntaxErrorCarriesSqlStateMessageAndPosition) {
  auto tree = ParseTree::Parse("SELECT * FORM t");
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().sql_state(), "42601");
  EXPECT_EQ(tree.status().message(), "syntax error at or near \"FORM\"");
  EXPECT_EQ(tree.status().position(), 10);
}

TEST(ParserTest, ErrorAtEndOfInput) {
  auto tree = ParseTree::Parse("SELECT (1");
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().message(), "syntax error at end of input");
  EXPECT_EQ(tree.status().sql_state(), "42601");
}

TEST(ParserTest, PositionCountsCharactersNotBytes) {
  auto tree = ParseTree::Parse("SELECT 'é' + FROM");
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().position(), 14);
}

TEST(ParserTest, ZeroByteIsRejected) {
  auto tree = ParseTree::Parse(std::string_view("SELECT 1\0 2", 11));
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().sql_state(), "42601");
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string sql = "SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')');
  auto tree = ParseTree::Parse(sql);
  ASSERT_FALSE(tree.ok());
  EXPECT_FALSE(tree.status().sql_state().empty());
}

}  // namespace
}  // namespace plexus::sql

namespace plexus::sql {
namespace {

TEST(DeparseTest, ExpressionAndStatementRoundTrip) {
  auto tree = ParseTree::Parse("SELECT a + 1 * b, 'x'::text FROM t WHERE c > 2");
  ASSERT_TRUE(tree.ok());
  const PgQuery__SelectStmt& select = *tree->statement(0).stmt->select_stmt;
  auto expression = DeparseExpression(*select.target_list[0]->res_target->val);
  ASSERT_TRUE(expression.ok()) << expression.status().ToString();
  EXPECT_EQ(*expression, "a + (1 * b)");  // PostgreSQL's deparser parenthesizes
  auto statement = DeparseStatement(*tree->statement(0).stmt);
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(*statement, "SELECT a + (1 * b), 'x'::text FROM t WHERE c > 2");
}

}  // namespace
}  // namespace plexus::sql
