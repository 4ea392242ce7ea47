// INTERSECT [ALL] and EXCEPT [ALL] end to end through a session, with PostgreSQL's results:
// duplicates and NULLs, precedence among set operations, ORDER BY/LIMIT, errors, common types.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "plexus/session/session.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class SetOperationTest : public SessionTestBase {
 protected:
  void SetUp() override {
    SessionTestBase::SetUp();
    // a: 1 1 2 3 NULL NULL; b: 1 1 1 3 NULL 4.
    Run("CREATE TABLE a(x INTEGER)");
    Run("INSERT INTO a VALUES (1), (1), (2), (3), (NULL), (NULL)");
    Run("CREATE TABLE b(x INTEGER)");
    Run("INSERT INTO b VALUES (1), (1), (1), (3), (NULL), (4)");
  }
};

TEST_F(SetOperationTest, IntersectAndExceptWithDuplicatesAndNulls) {
  EXPECT_EQ(Sorted("SELECT x FROM a INTERSECT SELECT x FROM b"), (Rows{"1", "3", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a INTERSECT ALL SELECT x FROM b"), (Rows{"1", "1", "3", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT SELECT x FROM b"), (Rows{"2"}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT ALL SELECT x FROM b"), (Rows{"2", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM b EXCEPT ALL SELECT x FROM a"), (Rows{"1", "4"}));
  EXPECT_EQ(Sorted("SELECT x FROM b EXCEPT SELECT x FROM a"), (Rows{"4"}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT SELECT x FROM a"), (Rows{}));
  EXPECT_EQ(Sorted("SELECT x FROM a INTERSECT ALL SELECT x FROM a"),
            (Rows{"1", "1", "2", "3", "NULL", "NULL"}));
}

TEST_F(SetOperationTest, MultipleColumnsCompareNullsAsEqual) {
  const char* left = "VALUES (1, NULL::text), (1, NULL), (2, 'x'), (2, 'y'), (NULL, 'z')";
  const char* right = "VALUES (1, NULL::text), (2, 'x'), (NULL, 'z'), (NULL, 'z')";
  EXPECT_EQ(Sorted(std::string(left) + " INTERSECT " + right), (Rows{"1|NULL", "2|x", "NULL|z"}));
  EXPECT_EQ(Sorted(std::string(left) + " INTERSECT ALL " + right),
            (Rows{"1|NULL", "2|x", "NULL|z"}));
  EXPECT_EQ(Sorted(std::string(left) + " EXCEPT " + right), (Rows{"2|y"}));
  EXPECT_EQ(Sorted(std::string(left) + " EXCEPT ALL " + right), (Rows{"1|NULL", "2|y"}));
  EXPECT_EQ(Sorted(std::string(right) + " EXCEPT ALL " + left), (Rows{"NULL|z"}));
}

TEST_F(SetOperationTest, EmptyInputs) {
  EXPECT_EQ(Sorted("SELECT x FROM a INTERSECT SELECT x FROM b WHERE false"), (Rows{}));
  EXPECT_EQ(Sorted("SELECT x FROM a WHERE false INTERSECT SELECT x FROM b"), (Rows{}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT SELECT x FROM b WHERE false"),
            (Rows{"1", "2", "3", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT ALL SELECT x FROM b WHERE false"),
            (Rows{"1", "1", "2", "3", "NULL", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a WHERE false EXCEPT SELECT x FROM b"), (Rows{}));
  EXPECT_EQ(Query("SELECT 1 INTERSECT SELECT 1"), (Rows{"1"}));
  EXPECT_EQ(Query("SELECT 1 EXCEPT SELECT 1"), (Rows{}));
}

// INTERSECT binds tighter than UNION and EXCEPT, which associate to the left.
TEST_F(SetOperationTest, PrecedenceAndNesting) {
  EXPECT_EQ(Sorted("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3"), (Rows{"1"}));
  EXPECT_EQ(Sorted("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 2"), (Rows{"2"}));
  EXPECT_EQ(Sorted("SELECT 1 UNION SELECT 2 EXCEPT SELECT 1"), (Rows{"2"}));
  EXPECT_EQ(Sorted("SELECT 1 UNION (SELECT 2 EXCEPT SELECT 1)"), (Rows{"1", "2"}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT SELECT x FROM b UNION SELECT 9"), (Rows{"2", "9"}));
  EXPECT_EQ(Sorted("SELECT x FROM a EXCEPT ALL SELECT x FROM b UNION ALL SELECT 2"),
            (Rows{"2", "2", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a INTERSECT ALL SELECT x FROM b EXCEPT ALL SELECT 1"),
            (Rows{"1", "3", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM b EXCEPT (SELECT x FROM a INTERSECT SELECT 1)"),
            (Rows{"3", "4", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a WHERE x IN (SELECT x FROM b INTERSECT SELECT 3)"), (Rows{"3"}));
}

TEST_F(SetOperationTest, OrderByAndLimit) {
  EXPECT_EQ(Query("SELECT x FROM a INTERSECT ALL SELECT x FROM b ORDER BY 1"),
            (Rows{"1", "1", "3", "NULL"}));
  EXPECT_EQ(Query("SELECT x FROM a INTERSECT ALL SELECT x FROM b ORDER BY x DESC LIMIT 2"),
            (Rows{"NULL", "3"}));
  EXPECT_EQ(Query("SELECT x FROM b EXCEPT ALL SELECT x FROM a ORDER BY x LIMIT 1 OFFSET 1"),
            (Rows{"4"}));
  EXPECT_EQ(Query("SELECT x AS y FROM a EXCEPT SELECT x FROM b UNION SELECT 0 ORDER BY y"),
            (Rows{"0", "2"}));
  EXPECT_EQ(sink_.columns_.at(0).name, "y");
  EXPECT_EQ(Query("(SELECT x FROM a ORDER BY x LIMIT 3) INTERSECT SELECT x FROM b ORDER BY 1"),
            (Rows{"1"}));
}

TEST_F(SetOperationTest, ColumnCountMismatchIsASyntaxError) {
  EXPECT_EQ(Error("SELECT 1 INTERSECT SELECT 1, 2"),
            "42601 each INTERSECT query must have the same number of columns");
  EXPECT_EQ(Error("SELECT 1, 2 INTERSECT ALL SELECT 1"),
            "42601 each INTERSECT query must have the same number of columns");
  EXPECT_EQ(Error("SELECT 1 EXCEPT SELECT 1, 2"),
            "42601 each EXCEPT query must have the same number of columns");
  EXPECT_EQ(Error("SELECT 1 UNION SELECT 1, 2"),
            "42601 each UNION query must have the same number of columns");
  EXPECT_EQ(Error("SELECT 1 UNION (SELECT 1 INTERSECT SELECT 1, 2)"),
            "42601 each INTERSECT query must have the same number of columns");
}

TEST_F(SetOperationTest, ColumnsTakeTheCommonType) {
  Run("CREATE TABLE big(x BIGINT)");
  Run("INSERT INTO big VALUES (1), (3), (5000000000)");
  EXPECT_EQ(Sorted("SELECT x FROM a INTERSECT SELECT x FROM big"), (Rows{"1", "3"}));
  EXPECT_EQ(sink_.columns_.at(0).type.id, catalog::TypeId::kInt64);
  EXPECT_EQ(Sorted("SELECT x FROM big EXCEPT SELECT x FROM a"), (Rows{"5000000000"}));
  EXPECT_EQ(sink_.columns_.at(0).type.id, catalog::TypeId::kInt64);
  EXPECT_EQ(Sorted("SELECT 1::smallint INTERSECT ALL SELECT 1::bigint"), (Rows{"1"}));
  EXPECT_EQ(Sorted("SELECT 1.5::float8 EXCEPT SELECT 1"), (Rows{"1.5"}));
  EXPECT_EQ(Sorted("SELECT 'a' INTERSECT SELECT 'a'::text"), (Rows{"a"}));
  EXPECT_EQ(Error("SELECT 1 INTERSECT SELECT 'a'::text"),
            "42804 INTERSECT types integer and text cannot be matched");
  EXPECT_EQ(Error("SELECT 1 EXCEPT SELECT true"),
            "42804 EXCEPT types integer and boolean cannot be matched");
}

// More rows than one batch, with strings whose bytes must outlive the input batches.
TEST_F(SetOperationTest, ManyRowsAcrossBatches) {
  Run("CREATE TABLE digits(d INTEGER)");
  Run("INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)");
  Run("CREATE TABLE n(i INTEGER, s TEXT)");
  Run("INSERT INTO n SELECT v, 'value-' || CAST(v AS TEXT) FROM (SELECT a.d * 1000 + b.d * 100 + "
      "c.d * 10 + d.d AS v FROM digits a, digits b, digits c, digits d) t");
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT i, s FROM n INTERSECT SELECT i, s FROM n) t"),
            (Rows{"10000"}));
  EXPECT_EQ(Query("SELECT count(*), min(s), max(s) FROM (SELECT i, s FROM n UNION ALL "
                  "SELECT i, s FROM n INTERSECT ALL SELECT i, s FROM n WHERE i < 7000) t"),
            (Rows{"17000|value-0|value-9999"}));
  EXPECT_EQ(Query("SELECT count(*), min(s), max(s) FROM (SELECT i, s FROM n EXCEPT "
                  "SELECT i, s FROM n WHERE i % 3 <> 0) t"),
            (Rows{"3334|value-0|value-9999"}));
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT s FROM n UNION ALL SELECT s FROM n EXCEPT ALL "
                  "SELECT s FROM n WHERE i >= 5000) t"),
            (Rows{"15000"}));
}

// A correlated subquery reopens the operator once per outer row.
TEST_F(SetOperationTest, CorrelatedSubqueryReopens) {
  EXPECT_EQ(Sorted("SELECT x FROM a WHERE EXISTS (SELECT a.x INTERSECT SELECT x FROM b)"),
            (Rows{"1", "1", "3", "NULL", "NULL"}));
  EXPECT_EQ(Sorted("SELECT x FROM a WHERE EXISTS (SELECT a.x EXCEPT SELECT x FROM b)"),
            (Rows{"2"}));
}

}  // namespace
}  // namespace plexus::session
