// The running state of one aggregate over one group (or one window frame), and how rows fold
// into it. Used by hash aggregation and by window aggregates.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/exec/row_buffer.h"
#include "plexus/sql/plan/plan.h"
#include "plexus/sql/types/array.h"
#include "plexus/sql/types/interval.h"
#include "plexus/sql/types/jsonb.h"
#include "plexus/sql/types/numeric.h"

namespace plexus::sql {

// What variance, standard deviation and the two-variable statistics keep (aggregate_statistics.cc).
struct StatisticsState {
  // Youngs-Cramer sums over doubles, PostgreSQL's float8_accum and float8_regr_accum: the count,
  // sum and sum of squared deviations of X (and of Y), and the sum of products of deviations.
  double n = 0;
  double sum_x = 0;
  double squares_x = 0;
  double sum_y = 0;
  double squares_y = 0;
  double products = 0;
  // Exact sums of the values and of their squares: in 128 bits over smallint and integer (as
  // PostgreSQL's int128 accumulators), in numeric over bigint and numeric.
  __int128 small_sum = 0;
  __int128 small_squares = 0;
  Numeric sum;
  Numeric squares;
  bool special = false;  // a numeric NaN or infinity went in: the result is NaN
};

struct AggregateState {
  int64_t count = 0;
  // sum/avg of integers and numerics: integer_sum + numeric_sum, the integer part spilling into
  // numeric_sum when it would overflow (PostgreSQL's sum(bigint) is exact).
  int64_t integer_sum = 0;
  Numeric numeric_sum;
  bool numeric_spilled = false;  // numeric_sum holds integer overflow
  double float_sum = 0;
  Interval interval_sum;  // sum/avg of intervals
  bool has_value = false;
  bool flag = false;  // bool_and / bool_or accumulator
  std::string text;   // string_agg
  std::unique_ptr<RowBuffer> extreme;  // min/max: one row holding the current extreme
  std::unique_ptr<std::unordered_set<std::string>> seen;  // DISTINCT
  std::unique_ptr<ArrayBuilder> array;                    // array_agg
  std::unique_ptr<StatisticsState> statistics;  // variance, stddev, corr, covar_*, regr_*
  std::unique_ptr<Jsonb> json;  // jsonb_agg's array, jsonb_object_agg's object (not canonical)
  // ORDER BY inside the call: each row's arguments and sort keys (EncodeRow), folded in order
  // when the value is asked for.
  std::unique_ptr<std::vector<std::string>> ordered_rows;
  // What the parts that grow with the rows (DISTINCT's values, ORDER BY's rows, string_agg's
  // text, array_agg's elements) hold, roughly: the hash aggregate counts it against work_mem.
  size_t held_bytes = 0;
};

// The statistical aggregates' halves of AccumulateAggregate and FinishAggregate
// (aggregate_statistics.cc). REQUIRES: the call's kind is one of kVarSamp..kRegrAvgY; for one
// argument, a non-NULL value that DISTINCT kept and state->count already counts (the pairs of
// regressions come as they are: a pair with a NULL does not count).
Status AccumulateStatistics(const AggregateCall& call, const Vector* const* arguments, size_t row,
                            AggregateState* state);
Status FinishStatistics(const AggregateCall& call, const AggregateState& state, Vector* out,
                        size_t row);

// An ordered-set aggregate's value from its buffered rows in sort order (`rows`: each a batch and
// a row in it; column 0 the value, column 1 the direct argument) (aggregate_ordered_set.cc).
Status FinishOrderedSet(const AggregateCall& call,
                        const std::vector<std::pair<const Batch*, size_t>>& rows, Vector* out,
                        size_t row);

// Folds row `row` of the call's arguments (arguments[i] for call.args[i]; unused for count(*))
// into `state`. With ORDER BY inside the call, arguments[call.args.size() + k] holds the k-th
// sort key.
Status AccumulateAggregate(const AggregateCall& call, const Vector* const* arguments, size_t row,
                           AggregateState* state);
// Writes the aggregate's value for `state` into row `row` of `out`; `state` stays usable.
Status FinishAggregate(const AggregateCall& call, const AggregateState& state, Vector* out,
                       size_t row);

}  // namespace plexus::sql
