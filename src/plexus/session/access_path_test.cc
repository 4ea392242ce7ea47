// Which access path the planner picks, seen through EXPLAIN: primary key and secondary index
// ranges for SELECT, UPDATE and DELETE.
#include <gtest/gtest.h>

#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class AccessPathTest : public SessionTestBase {
 protected:
  void SetUp() override {
    SessionTestBase::SetUp();
    Run("CREATE TABLE t (id integer PRIMARY KEY, city text, age integer, email text)");
    Run("CREATE INDEX t_city_age ON t (city, age)");
    Run("CREATE UNIQUE INDEX t_email ON t (email)");
    Run("INSERT INTO t VALUES (1, 'oslo', 30, 'a'), (2, 'rome', 40, 'b'), (3, 'oslo', 50, 'c')");
  }
  // The first line of the plan that names a scan.
  std::string ScanOf(const std::string& sql) {
    for (const std::string& line : Query("EXPLAIN (COSTS OFF) " + sql)) {
      if (line.find("Scan") != std::string::npos) {
        return line.substr(line.find_first_not_of(" ->"));
      }
    }
    return "";
  }
};

TEST_F(AccessPathTest, ChoosesTheKeyWithTheMostFixedColumns) {
  EXPECT_EQ(ScanOf("SELECT * FROM t WHERE id = 2"), "Index Scan using t_pkey on t");
  EXPECT_EQ(ScanOf("SELECT * FROM t WHERE city = 'oslo'"), "Index Scan using t_city_age on t");
  EXPECT_EQ(ScanOf("SELECT * FROM t WHERE city = 'oslo' AND age > 35"),
            "Index Scan using t_city_age on t");
  EXPECT_EQ(ScanOf("SELECT * FROM t WHERE email = 'b' AND city = 'rome'"),
            "Index Scan using t_email on t");
  EXPECT_EQ(ScanOf("SELECT * FROM t WHERE id = 1 AND city = 'oslo'"), "Index Scan using t_pkey on t");
  EXPECT_EQ(ScanOf("SELECT * FROM t WHERE age = 30"), "Seq Scan on t");
  EXPECT_EQ(Query("SELECT id FROM t WHERE city = 'oslo' AND age > 35"), (Rows{"3"}));
}

TEST_F(AccessPathTest, UpdateAndDeleteReadOnlyTheirKeys) {
  EXPECT_EQ(ScanOf("UPDATE t SET age = 1 WHERE id = 2"), "Index Scan using t_pkey on t");
  EXPECT_EQ(ScanOf("DELETE FROM t WHERE email = 'c'"), "Index Scan using t_email on t");
  Run("UPDATE t SET age = age + 1 WHERE id = 2");
  Run("DELETE FROM t WHERE email = 'c'");
  Run("UPDATE t SET email = 'z' WHERE city = 'oslo'");
  EXPECT_EQ(Query("SELECT id, age, email FROM t ORDER BY id"), (Rows{"1|30|z", "2|41|b"}));
}

}  // namespace
}  // namespace plexus::session
