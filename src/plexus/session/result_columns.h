// The result columns of a query or DML plan as a front end describes them: name, type, and for
// a plain column of a table its table OID and attnum (PostgreSQL's resorigtbl/resorigcol).
#pragma once

#include <vector>

#include "plexus/session/session.h"
#include "plexus/sql/plan/plan.h"

namespace plexus::session {

std::vector<ResultColumn> ResultColumnsOf(const sql::PlanNode& plan);

}  // namespace plexus::session
