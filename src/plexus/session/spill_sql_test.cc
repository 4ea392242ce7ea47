// Sorts, hash aggregates, hash joins, window functions, DISTINCT and set operations past
// work_mem: spill files live only while their statement runs (gone after success, error,
// cancel, statement_timeout and a portal closed halfway), results match the in-memory ones, and
// EXPLAIN ANALYZE tells which method ran.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "plexus/session/session_test_util.h"
#include "plexus/sql/exec/spill_file.h"

namespace plexus::session {
namespace {

class SpillTest : public SessionTestBase {
 protected:
  void SetUp() override {
    SessionTestBase::SetUp();
    ASSERT_TRUE(sql::SetSpillRoot(temp_.path()).ok());
    spill_dir_ = temp_.path() + "/tmp";
  }
  void TearDown() override {
    ASSERT_TRUE(sql::SetSpillRoot("").ok());
    SessionTestBase::TearDown();
  }

  // Files of the spill directory this process holds open (they are unlinked, so only
  // /proc/self/fd still names them), plus any file still linked in the directory.
  Rows SpillFiles() const {
    Rows files;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code error;
      const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
      if (!error && target.rfind(spill_dir_ + "/", 0) == 0) files.push_back(target);
    }
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator(spill_dir_, error);
         !error && it != std::filesystem::directory_iterator(); ++it) {
      files.push_back(it->path().string());
    }
    return files;
  }

  // EXPLAIN ANALYZE's lines that start with `prefix`, trimmed.
  Rows ExplainLines(std::string_view sql, std::string_view prefix) {
    Rows lines;
    for (std::string line : Query("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " +
                                  std::string(sql))) {
      line.erase(0, line.find_first_not_of(' '));
      if (line.rfind(prefix, 0) == 0) lines.push_back(line);
    }
    return lines;
  }

  std::string spill_dir_;
};

constexpr std::string_view kSortDigest =
    "SELECT md5(string_agg(v::text, ',' ORDER BY n)) FROM "
    "(SELECT row_number() OVER () AS n, v FROM "
    "(SELECT (g * 7919) % 100003 AS v FROM generate_series(1, 20000) g ORDER BY 1 DESC) s) t";

TEST_F(SpillTest, ExternalSortMatchesInMemorySort) {
  const Rows in_memory = Query(kSortDigest);
  Run("SET work_mem = '64kB'");
  EXPECT_EQ(Query(kSortDigest), in_memory);
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, ExplainAnalyzeShowsSortMethod) {
  const std::string sort = "SELECT g FROM generate_series(1, 20000) g ORDER BY g DESC";
  Rows lines = ExplainLines(sort, "Sort Method:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Sort Method: quicksort  Memory: ", 0), 0u) << lines[0];
  lines = ExplainLines(sort + " LIMIT 10", "Sort Method:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Sort Method: top-N heapsort  Memory: ", 0), 0u) << lines[0];
  Run("SET work_mem = '64kB'");
  lines = ExplainLines(sort, "Sort Method:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Sort Method: external merge  Disk: ", 0), 0u) << lines[0];

  const std::string group = "SELECT g % 10000, count(*) FROM generate_series(1, 30000) g GROUP BY 1";
  lines = ExplainLines(group, "Batches:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("Disk Usage: "), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].rfind("Batches: 1  ", 0), std::string::npos) << lines[0];
  Run("RESET work_mem");
  lines = ExplainLines("SELECT g % 2000, count(*) FROM generate_series(1, 30000) g GROUP BY 1",
                       "Batches:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Batches: 1  Memory Usage: ", 0), 0u) << lines[0];
  EXPECT_EQ(lines[0].find("Disk"), std::string::npos) << lines[0];
}

TEST_F(SpillTest, TopNKeepsTiesInInputOrder) {
  // Ties on the key come out in input order, with and without the bound.
  const std::string query =
      "SELECT g FROM generate_series(1, 10000) g ORDER BY g % 3 LIMIT 5 OFFSET 3";
  EXPECT_EQ(Query(query), (Rows{"12", "15", "18", "21", "24"}));
  Run("SET work_mem = '64kB'");
  EXPECT_EQ(Query(query), (Rows{"12", "15", "18", "21", "24"}));
  EXPECT_EQ(Query("SELECT g FROM generate_series(1, 20000) g ORDER BY g % 3 DESC, g DESC "
                  "LIMIT 3"),
            (Rows{"20000", "19997", "19994"}));
}

TEST_F(SpillTest, HashAggregateSpillMatchesInMemory) {
  const std::string query =
      "SELECT md5(string_agg(k::text || ':' || c || ':' || s || ':' || d || ':' || o, ',' "
      "ORDER BY k)) FROM (SELECT g % 7500 AS k, count(*) AS c, sum(g) AS s, "
      "count(DISTINCT g % 7) AS d, string_agg(g::text, '-' ORDER BY g DESC) AS o "
      "FROM generate_series(1, 30000) g GROUP BY g % 7500) t";
  const Rows in_memory = Query(query);
  Run("SET work_mem = '64kB'");
  EXPECT_EQ(Query(query), in_memory);
  EXPECT_EQ(Query("SELECT count(*), sum(c) FROM (SELECT g % 10000, count(*) AS c "
                  "FROM generate_series(1, 30000) g GROUP BY 1) t"),
            (Rows{"10000|30000"}));
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, GraceHashJoinMatchesInMemory) {
  Run("CREATE TABLE r (id integer PRIMARY KEY, k integer, v text)");
  Run("INSERT INTO r SELECT g, CASE WHEN g % 11 = 0 THEN NULL ELSE g % 1050 END, 'v' || g "
      "FROM generate_series(1, 6000) g");
  const std::string left =
      "SELECT count(*), count(y.id), sum(x.id::bigint * 100000 + coalesce(y.id, 0)), "
      "sum(length(y.v)) FROM r x LEFT JOIN r y ON y.k = x.id % 1350";
  const std::string full =
      "SELECT count(*), count(x.id), count(y.id), sum(y.id) FROM (SELECT * FROM r WHERE id % 2 = 0) x "
      "FULL JOIN r y ON y.k = x.k AND y.id > x.id";
  const Rows left_rows = Query(left);
  const Rows full_rows = Query(full);
  EXPECT_TRUE(ExplainLines(left, "Batches:").empty());
  Run("SET work_mem = '64kB'");
  EXPECT_EQ(Query(left), left_rows);
  EXPECT_EQ(Query(full), full_rows);
  const Rows lines = ExplainLines(left, "Batches:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Batches: 16  Memory Usage: ", 0), 0u) << lines[0];
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, SemiAndAntiJoinsSpillPartitionsMatchInMemory) {
  Run("CREATE TABLE r (id integer PRIMARY KEY, k integer, v text)");
  Run("INSERT INTO r SELECT g, CASE WHEN g % 11 = 0 THEN NULL ELSE g % 7000 END, 'v' || g "
      "FROM generate_series(1, 12000) g");
  const std::vector<std::string> queries = {
      // Only the keys matter: the right side keeps its set of keys.
      "SELECT count(*), sum(id) FROM r x WHERE EXISTS (SELECT 1 FROM r y WHERE y.k = x.id)",
      "SELECT count(*), sum(id) FROM r x WHERE NOT EXISTS (SELECT 1 FROM r y WHERE y.k = x.k)",
      "SELECT count(*), sum(id) FROM r x WHERE x.k IN (SELECT id * 2 FROM r)",
      // A condition beyond the keys: the right rows are kept, by key.
      "SELECT count(*), sum(id) FROM r x WHERE EXISTS "
      "(SELECT 1 FROM r y WHERE y.k = x.id AND y.v <> x.v AND y.id > x.id)",
      "SELECT count(*), sum(id) FROM r x WHERE NOT EXISTS "
      "(SELECT 1 FROM r y WHERE y.k = x.k AND y.id < x.id)"};
  std::vector<Rows> in_memory;
  for (const std::string& query : queries) {
    in_memory.push_back(Query(query));
    EXPECT_TRUE(ExplainLines(query, "Batches:").empty()) << query;
  }
  Run("SET work_mem = '64kB'");
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(Query(queries[i]), in_memory[i]) << queries[i];
    const Rows lines = ExplainLines(queries[i], "Batches:");
    ASSERT_EQ(lines.size(), 1u) << queries[i];
    EXPECT_EQ(lines[0].rfind("Batches: 16  Memory Usage: ", 0), 0u) << lines[0];
    EXPECT_EQ(SpillFiles(), Rows{});
  }
  // Stopped halfway (a LIMIT): the files go with the statement.
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT id FROM r x WHERE EXISTS "
                  "(SELECT 1 FROM r y WHERE y.k = x.id) LIMIT 3) t"),
            (Rows{"3"}));
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, RecursiveWorkTablesSpillMatchInMemory) {
  // Rounds of 20,000 rows (UNION ALL), and a graph walk whose rounds grow (UNION).
  const std::vector<std::string> queries = {
      "WITH RECURSIVE t(n, s) AS (SELECT g, 0 FROM generate_series(1, 20000) g UNION ALL "
      "SELECT n, s + 1 FROM t WHERE s < 3) SELECT count(*), sum(n), sum(s), count(DISTINCT n) FROM t",
      "WITH RECURSIVE walk(node) AS (SELECT 1 UNION SELECT (node * 11 + d) % 100003 FROM walk, "
      "generate_series(0, 9) d) SELECT count(*), sum(node) FROM walk"};
  std::vector<Rows> in_memory;
  for (const std::string& query : queries) {
    in_memory.push_back(Query(query));
    const Rows lines = ExplainLines(query, "Storage:");
    ASSERT_EQ(lines.size(), 1u) << query;
    EXPECT_EQ(lines[0].rfind("Storage: Memory  Maximum Storage: ", 0), 0u) << lines[0];
  }
  Run("SET work_mem = '64kB'");
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(Query(queries[i]), in_memory[i]) << queries[i];
    const Rows lines = ExplainLines(queries[i], "Storage:");
    ASSERT_EQ(lines.size(), 1u) << queries[i];
    EXPECT_EQ(lines[0].rfind("Storage: Disk  Maximum Storage: ", 0), 0u) << lines[0];
    EXPECT_EQ(SpillFiles(), Rows{});
  }
  EXPECT_EQ(in_memory[0], (Rows{"80000|800040000|120000|20000"}));
  EXPECT_EQ(in_memory[1], (Rows{"100003|5000250003"}));  // PostgreSQL's answers
}

TEST_F(SpillTest, WindowDistinctAndSetOperationsSpillMatchInMemory) {
  const std::vector<std::string> queries = {
      "SELECT md5(string_agg(g || ':' || r || ':' || s || ':' || l, ',' ORDER BY g)) FROM "
      "(SELECT g, row_number() OVER (PARTITION BY g % 7 ORDER BY g DESC) AS r, "
      "sum(g) OVER (PARTITION BY g % 100 ORDER BY g ROWS 2 PRECEDING) AS s, "
      "coalesce(lag(g) OVER (ORDER BY g % 1000, g), 0) AS l FROM generate_series(1, 20000) g) t",
      "SELECT count(*), sum(k) FROM (SELECT DISTINCT g % 15000 AS k FROM generate_series(1, 30000) g) t",
      "SELECT count(*), sum(k) FROM (SELECT g % 9000 AS k FROM generate_series(1, 20000) g "
      "UNION SELECT g FROM generate_series(5000, 12000) g) t",
      "SELECT count(*), sum(k) FROM (SELECT g AS k FROM generate_series(1, 20000) g "
      "INTERSECT SELECT g * 2 FROM generate_series(1, 20000) g) t",
      "SELECT count(*), sum(k) FROM (SELECT g % 12000 AS k FROM generate_series(1, 20000) g "
      "EXCEPT ALL SELECT g FROM generate_series(1, 9000) g) t",
      "SELECT count(*), sum(k) FROM (SELECT g AS k FROM generate_series(1, 20000) g "
      "EXCEPT SELECT g * 3 FROM generate_series(1, 200) g) t"};
  std::vector<Rows> in_memory;
  for (const std::string& query : queries) in_memory.push_back(Query(query));
  Run("SET work_mem = '64kB'");
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(Query(queries[i]), in_memory[i]) << queries[i];
    EXPECT_EQ(SpillFiles(), Rows{});
  }
}

TEST_F(SpillTest, ExplainAnalyzeShowsWindowAndSetOperationStorage) {
  const std::string window =
      "SELECT g, sum(g) OVER (PARTITION BY g % 500 ORDER BY g) FROM generate_series(1, 20000) g";
  const std::string except =
      "SELECT g FROM generate_series(1, 20000) g EXCEPT SELECT g * 2 FROM generate_series(1, 20000) g";
  Rows lines = ExplainLines(window, "Storage:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Storage: Memory  Maximum Storage: ", 0), 0u) << lines[0];
  lines = ExplainLines(except, "Batches:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Batches: 1  Memory Usage: ", 0), 0u) << lines[0];
  Run("SET work_mem = '64kB'");
  lines = ExplainLines(window, "Storage:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("Storage: Disk  Maximum Storage: ", 0), 0u) << lines[0];
  lines = ExplainLines(except, "Batches:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("Disk Usage: "), std::string::npos) << lines[0];
  lines = ExplainLines("SELECT DISTINCT g % 15000 FROM generate_series(1, 30000) g", "Batches:");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("Disk Usage: "), std::string::npos) << lines[0];
}

TEST_F(SpillTest, WindowDistinctAndSetOperationSpillFilesGoAfterAnError) {
  Run("SET work_mem = '64kB'");
  EXPECT_EQ(Error("SELECT g, row_number() OVER (PARTITION BY g % 10 ORDER BY 1 / (g - 30000)) "
                  "FROM generate_series(1, 40000) g"),
            "22012 division by zero");
  EXPECT_EQ(SpillFiles(), Rows{});
  EXPECT_EQ(Error("SELECT DISTINCT g, 1 / (g - 30000) FROM generate_series(1, 40000) g"),
            "22012 division by zero");
  EXPECT_EQ(SpillFiles(), Rows{});
  EXPECT_EQ(Error("SELECT g FROM generate_series(1, 40000) g INTERSECT "
                  "SELECT 1 / (g - 30000) FROM generate_series(1, 40000) g"),
            "22012 division by zero");
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, WindowSpillFilesGoWhenAPortalClosesHalfway) {
  Run("SET work_mem = '64kB'");
  auto prepared = Prepare(
      "SELECT g, count(*) OVER (PARTITION BY g % 1000) FROM generate_series(1, 20000) g");
  ASSERT_NE(prepared, nullptr);
  auto portal = session_->Bind(prepared, {});
  ASSERT_TRUE(portal.ok()) << portal.status().ToString();
  bool suspended = false;
  ASSERT_TRUE(session_->Execute(**portal, sink_, 3, &suspended).ok());
  EXPECT_TRUE(suspended);
  EXPECT_EQ(sink_.rows_.size(), 3u);
  EXPECT_FALSE(SpillFiles().empty());  // the partitions are being read from the merge
  portal->reset();
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, CancelStopsASpillingDistinct) {
  Run("SET work_mem = '64kB'");
  std::atomic<bool> cancel{false};
  session_->set_cancel_flag(&cancel);
  std::thread canceler([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.store(true);
  });
  const std::string error =
      Error("SELECT count(*) FROM (SELECT DISTINCT g FROM generate_series(1, 100000000) g) t");
  canceler.join();
  EXPECT_EQ(error, "57014 canceling statement due to user request");
  EXPECT_EQ(SpillFiles(), Rows{});
  session_->set_cancel_flag(nullptr);
}

TEST_F(SpillTest, SpillFilesGoAfterAnError) {
  Run("SET work_mem = '64kB'");
  EXPECT_EQ(Error("SELECT g, 1 / (g - 30000) FROM generate_series(1, 40000) g ORDER BY 2"),
            "22012 division by zero");
  EXPECT_EQ(SpillFiles(), Rows{});
  EXPECT_EQ(Error("SELECT g % 10000, sum(1 / (g - 30000)) FROM generate_series(1, 40000) g "
                  "GROUP BY 1"),
            "22012 division by zero");
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, SpillFilesGoWhenAPortalClosesHalfway) {
  Run("SET work_mem = '64kB'");
  auto prepared = Prepare("SELECT g FROM generate_series(1, 20000) g ORDER BY g DESC");
  ASSERT_NE(prepared, nullptr);
  auto portal = session_->Bind(prepared, {});
  ASSERT_TRUE(portal.ok()) << portal.status().ToString();
  bool suspended = false;
  ASSERT_TRUE(session_->Execute(**portal, sink_, 3, &suspended).ok());
  EXPECT_TRUE(suspended);
  EXPECT_EQ(sink_.rows_, (Rows{"20000", "19999", "19998"}));
  EXPECT_FALSE(SpillFiles().empty());  // the merge is under way
  portal->reset();
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, SpillFilesGoWhenALimitStopsTheSort) {
  // The statement ends with the sort halfway through its merge; its operator tree is kept for
  // the next execution, its files are not.
  Run("SET work_mem = '64kB'");
  auto prepared = Prepare(
      "SELECT sum(g) FROM (SELECT g FROM generate_series(1, 20000) g ORDER BY g DESC "
      "LIMIT 10000) s");
  ASSERT_NE(prepared, nullptr);
  EXPECT_EQ(RunPrepared(prepared, {}), (Rows{"150005000"}));
  EXPECT_EQ(SpillFiles(), Rows{});
  EXPECT_EQ(RunPrepared(prepared, {}), (Rows{"150005000"}));
  EXPECT_EQ(SpillFiles(), Rows{});
}

TEST_F(SpillTest, StatementTimeoutStopsASpillingSort) {
  Run("SET work_mem = '64kB'");
  Run("SET statement_timeout = '200ms'");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Error("SELECT g FROM generate_series(1, 100000000) g ORDER BY g DESC"),
            "57014 canceling statement due to statement timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  EXPECT_EQ(SpillFiles(), Rows{});
  Run("RESET statement_timeout");
  EXPECT_EQ(Query("SELECT 1"), (Rows{"1"}));
}

TEST_F(SpillTest, CancelStopsASpillingAggregate) {
  Run("SET work_mem = '64kB'");
  std::atomic<bool> cancel{false};
  session_->set_cancel_flag(&cancel);
  std::thread canceler([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.store(true);
  });
  const std::string error =
      Error("SELECT g, count(*) FROM generate_series(1, 100000000) g GROUP BY g");
  canceler.join();
  EXPECT_EQ(error, "57014 canceling statement due to user request");
  EXPECT_EQ(SpillFiles(), Rows{});
  session_->set_cancel_flag(nullptr);
}

}  // namespace
}  // namespace plexus::session
