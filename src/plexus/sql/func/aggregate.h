// Aggregate functions: how each folds its input rows into one value per group.
#pragma once

#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/catalog/type.h"

namespace plexus::sql {

using catalog::Type;

enum class AggregateKind : uint8_t {
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kBoolAnd,
  kBoolOr,
  kStringAgg,  // string_agg(value, delimiter)
  kArrayAgg,   // array_agg(value): NULLs become NULL elements
};

struct AggregateFunction {
  std::string_view name;
  AggregateKind kind;
};

// The aggregate called `name` (lower case), or nullptr when `name` is not an aggregate.
const AggregateFunction* FindAggregate(std::string_view name);
// How many arguments it takes (count(*): none).
size_t AggregateArity(const AggregateFunction& function);
// Its result type for an argument of type `argument` (ignored for count(*)); a SQL error
// (42883) when the aggregate does not accept that type.
Result<Type> AggregateResultType(const AggregateFunction& function, const Type& argument);

}  // namespace plexus::sql
