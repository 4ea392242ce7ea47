// Aggregate functions: how each folds its input rows into one value per group.
#pragma once

#include <optional>
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
  kJsonbAgg,   // jsonb_agg(value): a JSON array of the values (NULL as null), as to_jsonb makes them
  kJsonbObjectAgg,  // jsonb_object_agg(key, value): an object, the last value of a key winning
  // Variance and standard deviation: exact (numeric) over integers and numerics, Youngs-Cramer
  // in double precision over floats, as PostgreSQL computes them.
  kVarSamp,
  kVarPop,
  kStddevSamp,
  kStddevPop,
  // Two-variable statistics over double precision (Y, X) pairs where neither is NULL.
  kCorr,
  kCovarPop,
  kCovarSamp,
  kRegrSlope,
  kRegrIntercept,
  kRegrCount,
  kRegrR2,
  kRegrAvgX,
  kRegrAvgY,
  kBitAnd,
  kBitOr,
  kBitXor,
  // Ordered-set aggregates, f(direct argument) WITHIN GROUP (ORDER BY value): the call's args are
  // the value and then the direct argument (the fraction, or fractions as an array).
  kPercentileCont,  // interpolated between the two nearest values (double precision, interval)
  kPercentileDisc,  // the first value whose position reaches the fraction
  kMode,            // the most frequent value, the first in sort order among equals
};

struct AggregateFunction {
  std::string_view name;
  AggregateKind kind;
};

// The aggregate called `name` (lower case), or nullptr when `name` is not an aggregate.
const AggregateFunction* FindAggregate(std::string_view name);
// How many arguments it takes (count(*): none).
size_t AggregateArity(const AggregateFunction& function);
// Whether it takes (Y, X) pairs of double precision (corr, covar_*, regr_*).
bool AggregateIsRegression(const AggregateFunction& function);
// Whether it is an ordered-set aggregate (called with WITHIN GROUP).
bool AggregateIsOrderedSet(const AggregateFunction& function);
// An ordered-set aggregate's value argument type (what the ORDER BY value of type `value` is
// cast to) and its result type given that and the direct argument's type (an array of fractions
// gives an array); 42883 when it does not take them.
Result<Type> OrderedSetValueType(const AggregateFunction& function, const Type& value);
Result<Type> OrderedSetResultType(const AggregateFunction& function, const Type& value,
                                  const Type& fraction);
// Whether its value depends on the order of its input (array_agg, string_agg, jsonb_agg...).
bool AggregateIsOrderSensitive(const AggregateFunction& function);
// The type argument `index` of a call is cast to, given its type and the first argument's, or
// nullopt when it is taken as it is: untyped literals become text, string_agg's delimiter takes
// the value's type.
std::optional<Type> AggregateArgumentCast(const AggregateFunction& function, size_t index,
                                          const Type& argument, const Type& first);
// Its result type for an argument of type `argument` (ignored for count(*)); a SQL error
// (42883) when the aggregate does not accept that type.
Result<Type> AggregateResultType(const AggregateFunction& function, const Type& argument);

}  // namespace plexus::sql
