// Deep copies of bound expressions (a subquery plan is shared: plans are immutable).
#include "plexus/sql/plan/expression.h"

namespace plexus::sql {

ExprPtr Expr::Clone() const {
  auto copy = std::make_unique<Expr>();
  copy->kind = kind;
  copy->type = type;
  copy->constant = constant;
  copy->column = column;
  copy->depth = depth;
  copy->parameter = parameter;
  copy->function = function;
  copy->args.reserve(args.size());
  for (const ExprPtr& arg : args) copy->args.push_back(arg->Clone());
  copy->has_else = has_else;
  copy->subquery = subquery;
  copy->subquery_kind = subquery_kind;
  copy->correlated = correlated;
  if (compare) copy->compare = compare->Clone();
  copy->name = name;
  return copy;
}

}  // namespace plexus::sql
