// Walking a plan: the plans a node reads from directly — its children and the subqueries in its
// expressions — for checks that look at every table a statement reads (privileges, a view's
// dependencies).
#pragma once

#include <functional>

#include "plexus/base/status.h"
#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

// Calls `visit` on each child of `node`, then on the plan of each subquery in its expressions
// (not on deeper ones: `visit` recurses itself). Stops at the first error.
Status ForEachSubplan(const PlanNode& node, const std::function<Status(const PlanNode&)>& visit);

}  // namespace plexus::sql
