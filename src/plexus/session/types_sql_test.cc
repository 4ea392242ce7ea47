// bytea, uuid, jsonb and arrays through a session: PostgreSQL 15's error conditions and messages
// (which sqllogictest scripts do not check), multidimensional arrays refused with 0A000, and
// values that survive a table round trip and a reopened store.
#include <gtest/gtest.h>

#include "plexus/session/session.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class TypesSqlTest : public SessionTestBase {};

TEST_F(TypesSqlTest, InputErrorsAsPostgres) {
  EXPECT_EQ(Error("SELECT 'a0eebc99-9c0b'::uuid"),
            "22P02 invalid input syntax for type uuid: \"a0eebc99-9c0b\"");
  EXPECT_EQ(Error("SELECT '{\"a\": }'::jsonb"), "22P02 invalid input syntax for type json");
  EXPECT_EQ(Error("SELECT '\\xabc'::bytea"),
            "22023 invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(Error("SELECT '{1,2'::int[]"), "22P02 malformed array literal: \"{1,2\"");
  EXPECT_EQ(ErrorDetail("SELECT '{1,2'::int[]"), "Unexpected end of input.");
  EXPECT_EQ(Error("SELECT '{a}'::int[]"), "22P02 invalid input syntax for type integer: \"a\"");
  EXPECT_EQ(Error("SELECT '\"x\"'::jsonb::integer"),
            "22023 cannot cast jsonb string to type integer");
  EXPECT_EQ(Error("SELECT jsonb_array_length('{}')"),
            "22023 cannot get array length of a non-array");
}

TEST_F(TypesSqlTest, MultidimensionalArraysAreNotSupported) {
  EXPECT_EQ(Error("SELECT ARRAY[[1, 2], [3, 4]]"),
            "0A000 multidimensional arrays are not supported");
  EXPECT_EQ(Error("SELECT '{{1,2},{3,4}}'::int[]"),
            "0A000 multidimensional arrays are not supported");
  EXPECT_EQ(Error("SELECT (ARRAY[1])[1][1]"), "0A000 multidimensional arrays are not supported");
}

TEST_F(TypesSqlTest, OperatorErrors) {
  EXPECT_EQ(Error("SELECT ARRAY[1] = ARRAY[1.0]"),
            "42883 operator does not exist: integer[] = numeric[]");
  EXPECT_EQ(Error("SELECT 1 = ANY(1)"), "42809 op ANY/ALL (array) requires array on right side");
  EXPECT_EQ(Error("SELECT (1)[1]"),
            "42804 cannot subscript type integer because it does not support subscripting");
}

TEST_F(TypesSqlTest, ValuesSurviveStorage) {
  Run("CREATE TABLE t (id uuid PRIMARY KEY, b bytea, j jsonb, a text[], n numeric[])");
  Run("INSERT INTO t VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff', "
      "'{\"b\": [1.50, null], \"a\": \"x\"}', '{\"a b\",NULL,c}', '{1.50,-2}')");
  const Rows expected{
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|\\x00ff|{\"a\": \"x\", \"b\": [1.50, null]}|"
      "{\"a b\",NULL,c}|{1.50,-2}"};
  EXPECT_EQ(Query("SELECT * FROM t"), expected);
  // Reopen the store: the stored bytes decode to the same values.
  session_.reset();
  engine_.reset();
  transactions_.reset();
  store_.reset();
  auto store = storage::Store::Open(temp_.path(), Options());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store_ = std::move(store).value();
  transactions_ = std::make_unique<txn::TransactionManager>(store_.get());
  engine_ = std::make_unique<Engine>(transactions_.get());
  session_ = std::make_unique<Session>(engine_.get());
  EXPECT_EQ(Query("SELECT * FROM t"), expected);
  EXPECT_EQ(Query("SELECT j -> 'b' -> 0, a[1], n[2] FROM t WHERE 'c' = ANY(a)"),
            (Rows{"1.50|a b|-2"}));
}

}  // namespace
}  // namespace plexus::session
