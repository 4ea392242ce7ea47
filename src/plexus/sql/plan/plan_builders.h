// Small constructors of plan nodes and predicate lists, shared by the binder and planner.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

// A node of `kind` over `child` with the child's output columns (filter, sort, limit, distinct).
inline PlanPtr WrapPlan(PlanKind kind, PlanPtr child) {
  auto node = PlanNode::Make(kind);
  node->types = child->types;
  node->names = child->names;
  node->children.push_back(std::move(child));
  return node;
}

inline PlanPtr MakeFilter(PlanPtr child, ExprPtr predicate) {
  PlanPtr filter = WrapPlan(PlanKind::kFilter, std::move(child));
  filter->predicate = std::move(predicate);
  return filter;
}

inline PlanPtr MakeProject(PlanPtr child, std::vector<ExprPtr> expressions,
                           std::vector<std::string> names) {
  auto project = PlanNode::Make(PlanKind::kProject);
  for (const ExprPtr& expr : expressions) project->types.push_back(expr->type);
  project->names = std::move(names);
  project->expressions = std::move(expressions);
  project->children.push_back(std::move(child));
  return project;
}

inline PlanPtr MakeJoin(PlanPtr left, PlanPtr right, JoinType type, ExprPtr predicate) {
  auto join = PlanNode::Make(PlanKind::kJoin);
  join->types = left->types;
  join->names = left->names;
  join->types.insert(join->types.end(), right->types.begin(), right->types.end());
  join->names.insert(join->names.end(), right->names.begin(), right->names.end());
  join->join_type = type;
  join->predicate = std::move(predicate);
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  return join;
}

// The conjunction of `conjuncts`; null when there are none.
inline ExprPtr AndOf(std::vector<ExprPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  return Expr::Make(ExprKind::kAnd, Type::Of(TypeId::kBool), std::move(conjuncts));
}

}  // namespace plexus::sql
