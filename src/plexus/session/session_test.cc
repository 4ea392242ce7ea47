// SQL end to end through a session: DDL, DML, queries, errors with SQLSTATEs, transactions.
#include "plexus/session/session.h"

#include <gtest/gtest.h>

#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class SessionTest : public SessionTestBase {};

TEST_F(SessionTest, CreateInsertSelect) {
  Run("CREATE TABLE t1(a INTEGER, b INTEGER, c TEXT)");
  Run("INSERT INTO t1(c, b, a) VALUES ('x', 2, 1), ('y', 4, 3), (NULL, NULL, 5)");
  EXPECT_EQ(sink_.tags_.back(), "INSERT 0 3");
  EXPECT_EQ(Query("SELECT a, b, c FROM t1 ORDER BY a"), (Rows{"1|2|x", "3|4|y", "5|NULL|NULL"}));
  EXPECT_EQ(sink_.tags_.back(), "SELECT 3");
  EXPECT_EQ(Query("SELECT a + b * 2, a / 2, -a FROM t1 WHERE b > 2"), (Rows{"11|1|-3"}));
  EXPECT_EQ(Query("SELECT c FROM t1 WHERE c IS NULL"), (Rows{"NULL"}));
  EXPECT_EQ(Query("SELECT a FROM t1 WHERE a BETWEEN 2 AND 5 ORDER BY a DESC"), (Rows{"5", "3"}));
  EXPECT_EQ(Query("SELECT a FROM t1 WHERE a IN (1, 5) ORDER BY 1"), (Rows{"1", "5"}));
  EXPECT_EQ(Query("SELECT * FROM t1 ORDER BY a LIMIT 1 OFFSET 1"), (Rows{"3|4|y"}));
  EXPECT_EQ(sink_.columns_.size(), 3u);
  EXPECT_EQ(sink_.columns_[2].name, "c");
}

TEST_F(SessionTest, ExpressionsWithoutTables) {
  EXPECT_EQ(Query("SELECT 1 + 2, 'a' || 'b', 7 / 2, 7 % 3, 2.5 * 2"), (Rows{"3|ab|3|1|5.0"}));
  EXPECT_EQ(Query("SELECT CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END, COALESCE(NULL, 3), NULLIF(1, 1)"),
            (Rows{"y|3|NULL"}));
  EXPECT_EQ(Query("SELECT NULL = 1, NULL IS NULL, true AND NULL, false AND NULL, true OR NULL"),
            (Rows{"NULL|t|NULL|f|t"}));
  EXPECT_EQ(Query("SELECT CASE WHEN 0 <> 0 THEN 1 / 0 ELSE 0 END"), (Rows{"0"}));
  EXPECT_EQ(Query("SELECT abs(-4), 1 IS DISTINCT FROM NULL, CAST('12' AS integer) + 1"),
            (Rows{"4|t|13"}));
}

TEST_F(SessionTest, AggregatesAndGroups) {
  Run("CREATE TABLE t(g TEXT, v INTEGER)");
  Run("INSERT INTO t VALUES ('a', 1), ('a', 2), ('b', 5), ('b', NULL), ('c', NULL)");
  EXPECT_EQ(
      Query("SELECT g, count(*), count(v), sum(v), min(v), max(v) FROM t GROUP BY g ORDER BY g"),
      (Rows{"a|2|2|3|1|2", "b|2|1|5|5|5", "c|1|0|NULL|NULL|NULL"}));
  EXPECT_EQ(Query("SELECT count(*), sum(v) FROM t WHERE v > 100"), (Rows{"0|NULL"}));
  EXPECT_EQ(Query("SELECT g FROM t GROUP BY g HAVING count(v) > 1"), (Rows{"a"}));
  EXPECT_EQ(Query("SELECT count(DISTINCT g) FROM t"), (Rows{"3"}));
  EXPECT_EQ(Query("SELECT DISTINCT g FROM t ORDER BY g DESC"), (Rows{"c", "b", "a"}));
  EXPECT_EQ(Error("SELECT g, v FROM t GROUP BY g"),
            "42803 column \"v\" must appear in the GROUP BY clause or be used in an aggregate "
            "function");
}

TEST_F(SessionTest, SubqueriesAndJoins) {
  Run("CREATE TABLE t1(a INTEGER, b INTEGER)");
  Run("INSERT INTO t1 VALUES (1, 10), (2, 20), (3, 30)");
  Run("CREATE TABLE t2(a INTEGER, c TEXT)");
  Run("INSERT INTO t2 VALUES (1, 'one'), (3, 'three'), (4, 'four')");
  EXPECT_EQ(Query("SELECT a, (SELECT count(*) FROM t1 AS x WHERE x.b < t1.b) FROM t1 ORDER BY a"),
            (Rows{"1|0", "2|1", "3|2"}));
  EXPECT_EQ(Query("SELECT a FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.a = t1.a) ORDER BY a"),
            (Rows{"1", "3"}));
  EXPECT_EQ(Query("SELECT a FROM t1 WHERE a IN (SELECT a FROM t2) ORDER BY a"), (Rows{"1", "3"}));
  EXPECT_EQ(Query("SELECT a FROM t1 WHERE a NOT IN (SELECT a FROM t2)"), (Rows{"2"}));
  EXPECT_EQ(Query("SELECT t1.a, t2.c FROM t1, t2 WHERE t1.a = t2.a ORDER BY 1"),
            (Rows{"1|one", "3|three"}));
  EXPECT_EQ(Query("SELECT t1.a, t2.c FROM t1 LEFT JOIN t2 ON t1.a = t2.a ORDER BY 1"),
            (Rows{"1|one", "2|NULL", "3|three"}));
  EXPECT_EQ(Query("SELECT t1.a, t2.a FROM t1 RIGHT JOIN t2 USING (a) ORDER BY 2"),
            (Rows{"1|1", "3|3", "NULL|4"}));
  EXPECT_EQ(Query("SELECT a FROM t1 UNION SELECT a FROM t2 ORDER BY 1"),
            (Rows{"1", "2", "3", "4"}));
  EXPECT_EQ(Query("SELECT (SELECT max(a) FROM t2) - a FROM t1 ORDER BY 1"), (Rows{"1", "2", "3"}));
  EXPECT_EQ(Error("SELECT (SELECT a FROM t1)"),
            "21000 more than one row returned by a subquery used as an expression");
}

TEST_F(SessionTest, UpdateDeleteAndConstraints) {
  Run("CREATE TABLE k(id INTEGER PRIMARY KEY, v TEXT NOT NULL, w INTEGER DEFAULT 7)");
  Run("INSERT INTO k(id, v) VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(Query("SELECT id, v, w FROM k ORDER BY id"), (Rows{"1|a|7", "2|b|7"}));
  EXPECT_EQ(Error("INSERT INTO k VALUES (1, 'dup')"),
            "23505 duplicate key value violates unique constraint \"k_pkey\"");
  EXPECT_EQ(Error("INSERT INTO k VALUES (3, NULL)"),
            "23502 null value in column \"v\" of relation \"k\" violates not-null constraint");
  Run("UPDATE k SET w = w + id WHERE id = 2");
  EXPECT_EQ(sink_.tags_.back(), "UPDATE 1");
  Run("UPDATE k SET id = id + 10");
  EXPECT_EQ(Query("SELECT id, w FROM k ORDER BY id"), (Rows{"11|7", "12|9"}));
  Run("DELETE FROM k WHERE id = 11");
  EXPECT_EQ(sink_.tags_.back(), "DELETE 1");
  EXPECT_EQ(Query("SELECT count(*) FROM k"), (Rows{"1"}));
}

TEST_F(SessionTest, ErrorsCarryPostgresSqlStates) {
  EXPECT_EQ(Error("SELECT * FROM missing"), "42P01 relation \"missing\" does not exist");
  EXPECT_EQ(Error("SELEC 1"), "42601 syntax error at or near \"SELEC\"");
  EXPECT_EQ(Error("SELECT 1 / 0"), "22012 division by zero");
  EXPECT_EQ(Error("SELECT 2147483647 + 1"), "22003 integer out of range");
  EXPECT_EQ(Error("SELECT 'abc'::integer"), "22P02 invalid input syntax for type integer: \"abc\"");
  Run("CREATE TABLE t(a INTEGER)");
  EXPECT_EQ(Error("SELECT b FROM t"), "42703 column \"b\" does not exist");
  EXPECT_EQ(Error("CREATE TABLE t(a INTEGER)"), "42P07 relation \"t\" already exists");
  EXPECT_EQ(Error("SELECT nosuch(1)"), "42883 function nosuch(integer) does not exist");
}

TEST_F(SessionTest, TransactionsCommitRollbackAndFailedState) {
  Run("CREATE TABLE t(a INTEGER)");
  Run("BEGIN");
  Run("INSERT INTO t VALUES (1)");
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  Run("BEGIN; INSERT INTO t VALUES (1); COMMIT");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"1"}));
  Run("BEGIN");
  EXPECT_EQ(Error("SELECT 1 / 0"), "22012 division by zero");
  EXPECT_EQ(session_->transaction_state(), TransactionState::kFailed);
  EXPECT_EQ(
      Error("SELECT 1"),
      "25P02 current transaction is aborted, commands ignored until end of transaction block");
  Run("ROLLBACK");
  Run("BEGIN; INSERT INTO t VALUES (2); SAVEPOINT s; INSERT INTO t VALUES (3); ROLLBACK TO s; "
      "COMMIT");
  EXPECT_EQ(Query("SELECT a FROM t ORDER BY a"), (Rows{"1", "2"}));
  // DDL is transactional.
  Run("BEGIN; CREATE TABLE gone(x INTEGER); ROLLBACK");
  EXPECT_EQ(Error("SELECT * FROM gone"), "42P01 relation \"gone\" does not exist");
}

TEST_F(SessionTest, ViewsAndDrops) {
  Run("CREATE TABLE t(a INTEGER, b INTEGER)");
  Run("INSERT INTO t VALUES (1, 2), (3, 4)");
  Run("CREATE VIEW v AS SELECT a + b AS s FROM t");
  EXPECT_EQ(Query("SELECT s FROM v ORDER BY s"), (Rows{"3", "7"}));
  Run("DROP VIEW v");
  Run("DROP TABLE t");
  Run("DROP TABLE IF EXISTS t");
  EXPECT_EQ(Error("DROP TABLE t"), "42P01 table \"t\" does not exist");
}

}  // namespace
}  // namespace plexus::session

namespace plexus::session {
namespace {

TEST_F(SessionTest, UniqueIndexesAndConstraints) {
  Run("CREATE TABLE u(a INTEGER UNIQUE, b INTEGER, c TEXT, UNIQUE (b, c))");
  Run("INSERT INTO u VALUES (1, 1, 'x'), (2, 1, 'y'), (NULL, NULL, NULL), (NULL, NULL, NULL)");
  EXPECT_EQ(Error("INSERT INTO u VALUES (1, 5, 'z')"),
            "23505 duplicate key value violates unique constraint \"u_a_key\"");
  EXPECT_EQ(Error("INSERT INTO u VALUES (3, 1, 'x')"),
            "23505 duplicate key value violates unique constraint \"u_b_c_key\"");
  // Values may move between rows within one statement; the freed value can be reused.
  Run("UPDATE u SET a = a + 1");
  Run("INSERT INTO u VALUES (1, 9, 'w')");
  Run("DELETE FROM u WHERE a = 3");
  Run("INSERT INTO u VALUES (3, 8, 'v')");
  EXPECT_EQ(Query("SELECT a FROM u WHERE a IS NOT NULL ORDER BY a"), (Rows{"1", "2", "3"}));
  // CREATE UNIQUE INDEX checks the rows already there.
  Run("CREATE TABLE d(x INTEGER)");
  Run("INSERT INTO d VALUES (1), (1)");
  EXPECT_EQ(Error("CREATE UNIQUE INDEX d_x ON d(x)"),
            "23505 could not create unique index \"d_x\"");
  Run("DELETE FROM d WHERE x = 1");
  Run("CREATE UNIQUE INDEX d_x ON d(x)");
  Run("INSERT INTO d VALUES (1)");
  EXPECT_EQ(Error("INSERT INTO d VALUES (1)"),
            "23505 duplicate key value violates unique constraint \"d_x\"");
  Run("DROP INDEX d_x");
  Run("INSERT INTO d VALUES (1)");
  EXPECT_EQ(Query("SELECT count(*) FROM d"), (Rows{"2"}));
}

}  // namespace
}  // namespace plexus::session

namespace plexus::session {
namespace {

TEST_F(SessionTest, LikeAndIlike) {
  EXPECT_EQ(Query("SELECT 'abc' LIKE 'a%', 'abc' LIKE 'a_c', 'abc' LIKE 'b%', 'abc' NOT LIKE '%d'"),
            (Rows{"t|t|f|t"}));
  EXPECT_EQ(Query("SELECT 'ABC' ILIKE 'a%c', 'ABC' NOT ILIKE 'x%', 'a%b' LIKE 'a\\%b', "
                  "'axb' LIKE 'a\\%b', 'été' LIKE '_t_', NULL LIKE 'a'"),
            (Rows{"t|t|t|f|t|NULL"}));
  EXPECT_EQ(Query("SELECT 'mississippi' LIKE '%iss%pi', 'aaa' LIKE 'a%a%a', '' LIKE '%', "
                  "'abc' LIKE ''"),
            (Rows{"t|t|t|f"}));
  Run("CREATE TABLE names(n TEXT)");
  Run("INSERT INTO names VALUES ('alice'), ('bob'), ('alfred'), (NULL)");
  EXPECT_EQ(Query("SELECT n FROM names WHERE n LIKE 'al%' ORDER BY n"), (Rows{"alfred", "alice"}));
}

}  // namespace
}  // namespace plexus::session
