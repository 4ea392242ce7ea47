// Concurrent sessions through SQL: READ COMMITTED updates lock the row and change its latest
// version (PostgreSQL's semantics, no lost updates); REPEATABLE READ ones fail with 40001
// instead of losing one.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class ConcurrencySqlTest : public SessionTestBase {
 protected:
  // Runs `per_thread` single-statement increments in each of two sessions at once; returns how
  // many failed.
  int IncrementConcurrently(const std::string& isolation, int per_thread) {
    std::atomic<int> failures{0};
    auto work = [&] {
      Session session(engine_.get());
      TextSink sink;
      EXPECT_TRUE(session.Execute("SET default_transaction_isolation = '" + isolation + "'", sink).ok());
      for (int i = 0; i < per_thread; ++i) {
        Status status = session.Execute("UPDATE counter SET n = n + 1 WHERE id = 1", sink);
        if (!status.ok()) {
          EXPECT_EQ(status.sql_state(), "40001") << status.ToString();
          ++failures;
        }
      }
    };
    std::thread first(work);
    std::thread second(work);
    first.join();
    second.join();
    return failures.load();
  }
};

TEST_F(ConcurrencySqlTest, ReadCommittedIncrementsAreNeverLost) {
  Run("CREATE TABLE counter (id integer PRIMARY KEY, n integer)");
  Run("INSERT INTO counter VALUES (1, 0)");
  EXPECT_EQ(IncrementConcurrently("read committed", 200), 0);
  EXPECT_EQ(Query("SELECT n FROM counter"), (Rows{"400"}));
}

TEST_F(ConcurrencySqlTest, RepeatableReadFailsRatherThanLosingAnUpdate) {
  Run("CREATE TABLE counter (id integer PRIMARY KEY, n integer)");
  Run("INSERT INTO counter VALUES (1, 0)");
  const int failures = IncrementConcurrently("repeatable read", 200);
  EXPECT_EQ(Query("SELECT n FROM counter"), (Rows{std::to_string(400 - failures)}));
}

TEST_F(ConcurrencySqlTest, SelectForUpdateLocksTheRowsItReturnsUntilCommit) {
  Run("CREATE TABLE counter (id integer PRIMARY KEY, n integer)");
  Run("INSERT INTO counter VALUES (1, 0), (2, 0)");
  // Read-modify-write through SELECT ... FOR UPDATE in two sessions at once loses nothing.
  auto work = [&] {
    Session session(engine_.get());
    TextSink sink;
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(session.Execute("BEGIN", sink).ok());
      TextSink read;
      ASSERT_TRUE(session.Execute("SELECT n FROM counter WHERE id = 1 FOR UPDATE", read).ok());
      ASSERT_EQ(read.rows_.size(), 1u);
      const int n = std::stoi(read.rows_[0]);
      ASSERT_TRUE(
          session.Execute("UPDATE counter SET n = " + std::to_string(n + 1) + " WHERE id = 1", sink)
              .ok());
      ASSERT_TRUE(session.Execute("COMMIT", sink).ok());
    }
  };
  std::thread first(work);
  std::thread second(work);
  first.join();
  second.join();
  EXPECT_EQ(Query("SELECT n FROM counter WHERE id = 1"), (Rows{"200"}));
}

TEST_F(ConcurrencySqlTest, SessionsStartInReadCommitted) {
  EXPECT_EQ(Query("SHOW default_transaction_isolation"), (Rows{"read committed"}));
  Run("BEGIN");
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"read committed"}));
  Run("COMMIT");
}

}  // namespace
}  // namespace plexus::session
