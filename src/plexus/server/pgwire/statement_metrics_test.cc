#include "plexus/server/pgwire/statement_metrics.h"

#include <gtest/gtest.h>

#include <string>

#include "plexus/base/metrics.h"

namespace plexus::server::pgwire {
namespace {

TEST(StatementMetricsTest, CommandIsTheTagsFirstWord) {
  EXPECT_EQ(StatementCommand("SELECT 3"), "SELECT");
  EXPECT_EQ(StatementCommand("INSERT 0 1"), "INSERT");
  EXPECT_EQ(StatementCommand("CREATE TABLE"), "CREATE");
  EXPECT_EQ(StatementCommand("BEGIN"), "BEGIN");
  EXPECT_EQ(StatementCommand("START TRANSACTION"), "START");
  EXPECT_EQ(StatementCommand("SELECTED 1"), "OTHER");
  EXPECT_EQ(StatementCommand(""), "OTHER");
}

TEST(StatementMetricsTest, RecordCountsByCommandAndObservesTheDuration) {
  base::Registry& registry = base::DefaultRegistry();
  const base::Counter& inserts =
      registry.RegisterCounter("plexus_pg_statements_total", "", {{"command", "INSERT"}});
  const base::Counter& other =
      registry.RegisterCounter("plexus_pg_statements_total", "", {{"command", "OTHER"}});
  const uint64_t inserts_before = inserts.value();
  const uint64_t other_before = other.value();
  RecordStatement("INSERT 0 5", std::chrono::microseconds(30));
  RecordStatement("INSERT 0 1", std::chrono::milliseconds(2));
  RecordStatement("FROBNICATE", std::chrono::microseconds(1));
  EXPECT_EQ(inserts.value() - inserts_before, 2u);
  EXPECT_EQ(other.value() - other_before, 1u);
  const std::string text = registry.ExportPrometheus();
  EXPECT_NE(text.find("# TYPE plexus_pg_statement_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(text.find("plexus_pg_statements_total{command=\"SELECT\"} "), std::string::npos);
}

TEST(StatementMetricsTest, ErrorsAreCounted) {
  RecordStatementError();  // registers the counter with its help text
  const base::Counter& errors =
      base::DefaultRegistry().RegisterCounter("plexus_pg_errors_total", "");
  const uint64_t before = errors.value();
  RecordStatementError();
  EXPECT_EQ(errors.value(), before + 1);
}

}  // namespace
}  // namespace plexus::server::pgwire
