// Shared by the operators that write table rows (physical_table.cc, physical_modify.cc).
#pragma once

#include <vector>

#include "plexus/sql/exec/expression_evaluator.h"
#include "plexus/sql/exec/vector.h"

namespace plexus::sql {

// Evaluates the RETURNING expressions over `written` (rows in table column order) into `out`.
Status EmitReturning(ExecContext& context, std::vector<ExpressionEvaluator>& returning,
                     const Batch& written, Batch* out);

}  // namespace plexus::sql
