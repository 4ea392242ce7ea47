// ANALYZE through SQL: what pg_stats and pg_class show (PostgreSQL 15's values for the same
// data), transactions, and the plans the statistics lead to.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "plexus/session/session_test_util.h"
#include "plexus/sql/stats/auto_analyze.h"

namespace plexus::session {
namespace {

class PlannerStatisticsTest : public SessionTestBase {
 protected:
  void SetUp() override {
    SessionTestBase::SetUp();
    Run("CREATE TABLE st (id integer PRIMARY KEY, g integer, u integer, n integer, t text)");
    Run("INSERT INTO st SELECT i, i % 10, i, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 END, "
        "'v' || (i % 7) FROM generate_series(1, 1000) i");
  }

  std::string Plan(const std::string& sql) {
    std::string text;
    for (const std::string& line : Query("EXPLAIN (COSTS OFF) " + sql)) text += line + "\n";
    return text;
  }

  // The rows=N estimate of the plan's first line.
  std::string EstimatedRows(const std::string& sql) {
    Rows lines = Query("EXPLAIN " + sql);
    if (lines.empty()) return "";
    const size_t at = lines[0].find("rows=");
    if (at == std::string::npos) return "";
    return lines[0].substr(at + 5, lines[0].find(' ', at) - at - 5);
  }
};

TEST_F(PlannerStatisticsTest, PgStatsShowsWhatPostgresShows) {
  Run("ANALYZE st");
  EXPECT_EQ(Query("SELECT attname, null_frac, avg_width, n_distinct, most_common_vals, "
                  "most_common_freqs FROM pg_stats WHERE tablename = 'st' AND attname IN "
                  "('g', 'n', 't') ORDER BY attname"),
            (Rows{"g|0|4|10|{0,1,2,3,4,5,6,7,8,9}|{0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}",
                  "n|0.25|4|3|{0,1,2}|{0.25,0.25,0.25}",
                  "t|0|3|7|{v1,v2,v3,v4,v5,v6,v0}|{0.143,0.143,0.143,0.143,0.143,0.143,0.142}"}));
  EXPECT_EQ(Query("SELECT n_distinct, most_common_vals IS NULL, left(histogram_bounds, 20) "
                  "FROM pg_stats WHERE tablename = 'st' AND attname = 'u'"),
            (Rows{"-1|t|{1,10,20,30,40,50,60"}));
  EXPECT_EQ(Query("SELECT reltuples FROM pg_class WHERE relname = 'st'"), (Rows{"1000"}));
  EXPECT_EQ(Query("SELECT n_live_tup, n_mod_since_analyze, last_analyze IS NOT NULL "
                  "FROM pg_stat_user_tables WHERE relname = 'st'"),
            (Rows{"1000|0|t"}));
}

TEST_F(PlannerStatisticsTest, ExplainEstimatesFromStatistics) {
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE g = 3"), "5");  // 1000 rows guessed x 0.005
  Run("ANALYZE st");
  // PostgreSQL 15 estimates the same rows for these.
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE g = 3"), "100");
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE n IS NULL"), "250");
  EXPECT_EQ(EstimatedRows("SELECT * FROM st"), "1000");
  // PostgreSQL: 199 (it counts a bound equal to a histogram entry slightly differently).
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE u > 100 AND u < 300"), "200");
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE t = 'v0'"), "142");
  EXPECT_EQ(EstimatedRows("SELECT g, count(*) FROM st GROUP BY g"), "10");
}

TEST_F(PlannerStatisticsTest, AnalyzeRollsBackWithItsTransaction) {
  Run("BEGIN");
  Run("ANALYZE st");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_stats WHERE tablename = 'st'"), (Rows{"5"}));
  Run("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_stats WHERE tablename = 'st'"), (Rows{"0"}));
  EXPECT_EQ(Query("SELECT reltuples FROM pg_class WHERE relname = 'st'"), (Rows{"-1"}));
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE g = 3"), "5");
}

TEST_F(PlannerStatisticsTest, AnalyzeSomeColumnsAndErrors) {
  Run("ANALYZE st (g, t)");
  EXPECT_EQ(Query("SELECT attname FROM pg_stats WHERE tablename = 'st' ORDER BY attname"),
            (Rows{"g", "t"}));
  EXPECT_EQ(Error("ANALYZE st (nope)"), "42703 column \"nope\" of relation \"st\" does not exist");
  EXPECT_EQ(Error("ANALYZE nope"), "42P01 relation \"nope\" does not exist");
  Run("VACUUM ANALYZE st");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_stats WHERE tablename = 'st'"), (Rows{"5"}));
  Run("VACUUM st");
  Run("ANALYZE");
}

TEST_F(PlannerStatisticsTest, DroppedTablesLoseTheirStatistics) {
  Run("ANALYZE st");
  Run("DROP TABLE st");
  Run("CREATE TABLE st (id integer PRIMARY KEY, g integer)");
  EXPECT_EQ(Query("SELECT count(*) FROM pg_stats WHERE tablename = 'st'"), (Rows{"0"}));
  EXPECT_EQ(EstimatedRows("SELECT * FROM st WHERE g = 3"), "5");
}

TEST_F(PlannerStatisticsTest, IndexOnlyWhenSelective) {
  Run("CREATE TABLE sk (id integer PRIMARY KEY, k integer, v text)");
  Run("CREATE INDEX sk_k ON sk (k)");
  Run("INSERT INTO sk SELECT i, CASE WHEN i <= 1800 THEN 0 ELSE i END, 'x' FROM "
      "generate_series(1, 2000) i");
  // By rule (no statistics): an index on the condition's column is read.
  EXPECT_EQ(Plan("SELECT * FROM sk WHERE k = 0"),
            "Index Scan using sk_k on sk\n  Index Cond: (k = 0)\n  Filter: (k = 0)\n");
  Run("ANALYZE sk");
  // 90% of the rows: a full scan is cheaper than 1,800 reads by key.
  EXPECT_EQ(Plan("SELECT * FROM sk WHERE k = 0"), "Seq Scan on sk\n  Filter: (k = 0)\n");
  EXPECT_EQ(Plan("SELECT * FROM sk WHERE k = 1900"),
            "Index Scan using sk_k on sk\n  Index Cond: (k = 1900)\n  Filter: (k = 1900)\n");
  // All of the primary key: scanned whole; part of it: read as a range; a point: by key.
  EXPECT_EQ(Plan("SELECT * FROM sk WHERE id > 0"), "Seq Scan on sk\n  Filter: (id > 0)\n");
  EXPECT_EQ(Plan("SELECT * FROM sk WHERE id > 1990"),
            "Index Scan using sk_pkey on sk\n  Index Cond: (id > 1990)\n  Filter: (id > 1990)\n");
  EXPECT_EQ(Plan("SELECT * FROM sk WHERE id = 5"),
            "Index Scan using sk_pkey on sk\n  Index Cond: (id = 5)\n  Filter: (id = 5)\n");
  EXPECT_EQ(Query("SELECT count(*) FROM sk WHERE k = 0"), (Rows{"1800"}));
  EXPECT_EQ(Query("SELECT count(*) FROM sk WHERE id > 10"), (Rows{"1990"}));
}

TEST_F(PlannerStatisticsTest, JoinsHashTheNarrowedSideAndLookUpByKey) {
  Run("CREATE TABLE small (id integer PRIMARY KEY, name text)");
  Run("INSERT INTO small VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Run("CREATE TABLE big (id integer PRIMARY KEY, small_id integer, st_id integer)");
  Run("INSERT INTO big SELECT i, i % 3 + 1, i % 1000 + 1 FROM generate_series(1, 3000) i");
  Run("ANALYZE");
  const std::string sql =
      "SELECT count(*) FROM big, st, small WHERE big.st_id = st.id AND big.small_id = small.id "
      "AND st.g = 3 AND small.name = 'a'";
  EXPECT_EQ(Query(sql), (Rows{"100"}));
  const std::string plan = Plan(sql);
  // st narrowed to 100 rows is hashed and big streams past it; small is read by key.
  EXPECT_LT(plan.find("Seq Scan on big"), plan.find("Seq Scan on st")) << plan;
  EXPECT_NE(plan.find("Lookup: by small_pkey"), std::string::npos) << plan;
  EXPECT_EQ(EstimatedRows(sql), "1");  // the count
  EXPECT_EQ(EstimatedRows("SELECT * FROM big, st WHERE big.st_id = st.id AND st.g = 3"), "300");
}

TEST_F(PlannerStatisticsTest, TablesThatChangeEnoughAreAnalyzedInTheBackground) {
  sql::stats::SetAutoAnalyzeDelay(0);
  Run("CREATE TABLE grow (id integer PRIMARY KEY, v integer)");
  Run("INSERT INTO grow SELECT i, i % 5 FROM generate_series(1, 40) i");
  EXPECT_EQ(Query("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'grow'"),
            (Rows{"40"}));
  Run("INSERT INTO grow SELECT i, i % 5 FROM generate_series(41, 100) i");  // past 50 changes
  Rows rows;
  for (int attempt = 0; attempt < 200; ++attempt) {
    rows = Query("SELECT n_live_tup, last_autoanalyze IS NOT NULL FROM pg_stat_user_tables "
                 "WHERE relname = 'grow'");
    if (rows == Rows{"100|t"}) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sql::stats::SetAutoAnalyzeDelay(60000);
  EXPECT_EQ(rows, (Rows{"100|t"}));
  EXPECT_EQ(Query("SELECT n_distinct FROM pg_stats WHERE tablename = 'grow' AND attname = 'v'"),
            (Rows{"5"}));
}

}  // namespace
}  // namespace plexus::session
