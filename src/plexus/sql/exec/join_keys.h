// The equality conjuncts of a join condition that pair a left expression with a right one:
// the keys a hash join hashes on and a lookup join reads the right table by.
#pragma once

#include <cstddef>
#include <vector>

#include "plexus/sql/plan/expression.h"

namespace plexus::sql {

// The conjuncts `left expr = right expr` of `condition` (over the left input's `left_width`
// columns followed by the right input's) whose sides encode equal values to equal key bytes;
// the right expressions are rewritten to read the right input's own columns.
void CollectJoinKeys(const Expr& condition, size_t left_width, std::vector<ExprPtr>* left,
                     std::vector<ExprPtr>* right);

}  // namespace plexus::sql
