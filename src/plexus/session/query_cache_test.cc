#include "plexus/session/query_cache.h"

#include "plexus/session/session_info_scope.h"
#include "plexus/session/session_test_util.h"
#include "plexus/sql/parse/literals.h"

namespace plexus::session {
namespace {

using sql::NumberLiteral;

std::string Key(std::string_view sql, std::vector<NumberLiteral>* numbers = nullptr) {
  std::string key;
  std::vector<NumberLiteral> scratch;
  if (!sql::ScanNumberLiterals(sql, &key, numbers ? numbers : &scratch)) return "<none>";
  for (char& c : key) {
    if (c == '\x01') c = '#';
  }
  return key;
}

TEST(ScanNumberLiteralsTest, TakesOutNumbersOnly) {
  EXPECT_EQ(Key("SELECT a FROM t WHERE id = 12 AND x > 1.5e3;"), "SELECT a FROM t WHERE id = # AND x > #;");
  EXPECT_EQ(Key("SELECT .5, 5., 1e-3, t1.c2 FROM t1"), "SELECT #, #, #, t1.c2 FROM t1");
  // Strings, quoted names, comments and dollar quotes keep their digits.
  EXPECT_EQ(Key("SELECT '12', \"c1\", E'\\'3', $$4$$, $a$5$a$ -- 6\n/* 7 /* 8 */ */ + 9"),
            "SELECT '12', \"c1\", E'\\'3', $$4$$, $a$5$a$ -- 6\n/* 7 /* 8 */ */ + #");
  EXPECT_EQ(Key("SELECT 'it''s 1', B'101', X'1f'"), "SELECT 'it''s 1', B'101', X'1f'");
  std::vector<NumberLiteral> numbers;
  EXPECT_EQ(Key("SELECT x - 5, -  6, 7", &numbers), "SELECT x - #, -  #, #");
  ASSERT_EQ(numbers.size(), 3u);
  EXPECT_EQ(numbers[0].minus_offset, 9);
  EXPECT_EQ(numbers[1].minus_offset, 14);
  EXPECT_EQ(numbers[2].minus_offset, -1);
  EXPECT_TRUE(numbers[0].integer);
}

TEST(ScanNumberLiteralsTest, RefusesWhatItCannotKey) {
  EXPECT_EQ(Key("SELECT 1; SELECT 2"), "<none>");  // two statements
  EXPECT_EQ(Key("SELECT $1"), "<none>");           // a parameter
  EXPECT_EQ(Key("SELECT 123abc"), "<none>");       // trailing junk (an error in PostgreSQL 15)
  EXPECT_EQ(Key("SELECT 0x1F"), "<none>");
  EXPECT_EQ(Key("SELECT 1..2"), "<none>");
  EXPECT_EQ(Key("SELECT 1e"), "<none>");
  EXPECT_EQ(Key("SELECT 'open"), "<none>");
  EXPECT_EQ(Key("SELECT 1 /* open"), "<none>");
  EXPECT_EQ(Key(std::string("SELECT \x01", 8)), "<none>");
  EXPECT_EQ(Key("SELECT 1;  -- done"), "SELECT #;  -- done");
}

TEST(QueryCacheTest, LiteralTypesFollowPostgreSQL) {
  using catalog::TypeId;
  EXPECT_EQ(QueryCache::LiteralType("2147483647", false), TypeId::kInt32);
  EXPECT_EQ(QueryCache::LiteralType("2147483648", false), TypeId::kInt64);
  // The lexer types the digits before the grammar folds the '-' in.
  EXPECT_EQ(QueryCache::LiteralType("2147483648", true), TypeId::kInt64);
  EXPECT_EQ(QueryCache::LiteralType("0000000000012", false), TypeId::kInt32);
  EXPECT_EQ(QueryCache::LiteralType("9223372036854775808", true), TypeId::kInt64);
  EXPECT_EQ(QueryCache::LiteralType("9223372036854775808", false), TypeId::kNumeric);
  EXPECT_EQ(QueryCache::LiteralType("1.0", false), TypeId::kNumeric);
  EXPECT_EQ(QueryCache::LiteralType("1e3", false), TypeId::kNumeric);
}

class QueryCacheSessionTest : public SessionTestBase {
 protected:
  uint64_t hits() { return session_->query_cache().hits(); }
};

TEST_F(QueryCacheSessionTest, SecondSightRunsFromTheCacheWithOtherNumbers) {
  Run("CREATE TABLE t (id int PRIMARY KEY, v numeric(10,2), b bigint)");
  Run("INSERT INTO t VALUES (1, 1.5, 10), (2, 2.25, 20), (3, -3, 30)");
  EXPECT_EQ(Query("SELECT v, b FROM t WHERE id = 1"), Rows{"1.50|10"});
  EXPECT_EQ(hits(), 0u);
  EXPECT_EQ(Query("SELECT v, b FROM t WHERE id = 2"), Rows{"2.25|20"});
  EXPECT_EQ(hits(), 1u);
  EXPECT_EQ(Query("SELECT v, b FROM t WHERE id = 3"), Rows{"-3.00|30"});
  EXPECT_EQ(Query("SELECT v, b FROM t WHERE id = 4"), Rows{});
  EXPECT_EQ(hits(), 3u);
  // A negative number folded into the constant, and numbers of other types than the first.
  Run("UPDATE t SET b = b + -5 WHERE id = 3");
  Run("UPDATE t SET b = b + -7 WHERE id = 3");
  EXPECT_EQ(Query("SELECT b FROM t WHERE id = 3"), Rows{"18"});
  EXPECT_EQ(Query("SELECT 1 + 1, 1.5 * 2"), Rows{"2|3.0"});
  EXPECT_EQ(Query("SELECT 2147483647 + 0, 2.50 * 2"), Rows{"2147483647|5.00"});
  // int4 overflow is still an error (the second number keeps its int4 type)...
  EXPECT_FALSE(session_->Execute("SELECT 2147483647 + 1", sink_).ok());
  // ... and a number of another type is not forced into int4.
  EXPECT_EQ(Query("SELECT 2147483648 + 1, 2 * 2"), Rows{"2147483649|4"});
}

TEST_F(QueryCacheSessionTest, PositionsAndTypeModifiersStayConstants) {
  Run("CREATE TABLE t (a int, b text)");
  Run("INSERT INTO t VALUES (2, 'x'), (1, 'y')");
  EXPECT_EQ(Query("SELECT a, b FROM t ORDER BY 1"), (Rows{"1|y", "2|x"}));
  EXPECT_EQ(Query("SELECT a, b FROM t ORDER BY 2"), (Rows{"2|x", "1|y"}));
  EXPECT_EQ(Query("SELECT a, b FROM t ORDER BY 1"), (Rows{"1|y", "2|x"}));
  EXPECT_EQ(Query("SELECT a::numeric(5,1) FROM t ORDER BY a LIMIT 1"), Rows{"1.0"});
  EXPECT_EQ(Query("SELECT a::numeric(5,3) FROM t ORDER BY a LIMIT 1"), Rows{"1.000"});
  EXPECT_EQ(Query("SELECT a + 1 FROM t GROUP BY a + 1 ORDER BY 1"), (Rows{"2", "3"}));
  EXPECT_EQ(Query("SELECT a + 2 FROM t GROUP BY a + 2 ORDER BY 1"), (Rows{"3", "4"}));
}

TEST_F(QueryCacheSessionTest, CatalogAndSettingsChangesDropPlans) {
  SessionInfoScope scope(*session_);  // search_path applies (as pgwire's worker installs it)
  Run("CREATE TABLE t (a int)");
  Run("INSERT INTO t VALUES (1)");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"1"});
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"1"});
  Run("ALTER TABLE t ADD COLUMN b int DEFAULT 7");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"1|7"});
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"1|7"});
  Run("CREATE SCHEMA s");
  Run("CREATE TABLE s.t (a int)");
  Run("INSERT INTO s.t VALUES (5)");
  Run("SET search_path = s, public");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"5"});
  Run("BEGIN");
  Run("SET search_path = public");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"1|7"});
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"5"});
  // A transaction that changed the catalog neither uses nor makes entries.
  Run("BEGIN");
  Run("DROP TABLE s.t");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"1|7"});
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT * FROM t WHERE a > 0"), Rows{"5"});
}

TEST_F(QueryCacheSessionTest, SystemRelationsAreReadAfresh) {
  Run("CREATE TABLE t (a int)");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_class WHERE relname = 't' AND relkind = 'r'"), Rows{"1"});
  EXPECT_EQ(Query("SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 't'"), Rows{"0"});
  Run("INSERT INTO t SELECT i FROM generate_series(1, 10) i");
  Run("ANALYZE t");
  EXPECT_EQ(Query("SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 't'"), Rows{"10"});
  EXPECT_EQ(hits(), 0u);
}

TEST_F(QueryCacheSessionTest, ErrorsAndBlocksBehaveAsWithoutTheCache) {
  Run("CREATE TABLE t (id int PRIMARY KEY)");
  Run("INSERT INTO t VALUES (1)");
  Run("INSERT INTO t VALUES (2)");
  Status duplicate = session_->Execute("INSERT INTO t VALUES (2)", sink_);
  EXPECT_EQ(duplicate.ToString().find("duplicate key") != std::string::npos, true)
      << duplicate.ToString();
  Run("BEGIN");
  Run("INSERT INTO t VALUES (3)");
  EXPECT_FALSE(session_->Execute("INSERT INTO t VALUES (1)", sink_).ok());
  // The block failed: the next cached statement is refused, as any statement would be.
  Status refused = session_->Execute("INSERT INTO t VALUES (4)", sink_);
  EXPECT_NE(refused.ToString().find("current transaction is aborted"), std::string::npos)
      << refused.ToString();
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM t WHERE id > 0"), Rows{"2"});
  EXPECT_GT(hits(), 0u);
}

}  // namespace
}  // namespace plexus::session
