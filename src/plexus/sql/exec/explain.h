// EXPLAIN [ANALYZE]: a plan as PostgreSQL prints it in text format — one line per node
// ("Hash Join", "Seq Scan on t", children under "->  "), each with its estimated rows and, after
// ANALYZE has run the plan, its actual rows, loops and time; then the planning and execution time.
#pragma once

#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/plan/plan.h"

struct PgQuery__ExplainStmt;

namespace plexus::sql {

struct ExplainOptions {
  bool analyze = false;
  bool costs = true;
  bool timing = true;    // with ANALYZE: actual times
  bool summary = false;  // Planning Time / Execution Time (default: on with ANALYZE)
  bool verbose = false;  // output column lists
};

// The options of EXPLAIN (ANALYZE, COSTS OFF, ...) or EXPLAIN ANALYZE VERBOSE. Errors as
// PostgreSQL's: 42601 for an unknown option, 22023 for a bad value, 0A000 for a format other
// than TEXT.
Result<ExplainOptions> ParseExplainOptions(const PgQuery__ExplainStmt& statement);

// The rows of the "QUERY PLAN" column for `plan`. With ANALYZE the plan runs to the end first
// (its rows are dropped; DML changes rows, as in PostgreSQL).
Result<std::vector<std::string>> ExplainPlan(const PlanNode& plan, const ExplainOptions& options,
                                             ExecContext& context, double planning_ms);

}  // namespace plexus::sql
