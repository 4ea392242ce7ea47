// Ordered-set aggregates (percentile_cont, percentile_disc, mode) over their rows in sort order,
// with PostgreSQL's choice of rows (orderedsetaggs.c): NULL values are left out; a fraction
// outside [0, 1] is 22003; an array of fractions gives an array with NULL for NULL fractions.
#include <cmath>
#include <cstdio>
#include <string>

#include "plexus/sql/exec/aggregate_state.h"
#include "plexus/sql/exec/vector_compare.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/array.h"
#include "plexus/sql/types/interval.h"

namespace plexus::sql {

namespace {

using Rows = std::vector<std::pair<const Batch*, size_t>>;

Status CheckFraction(double fraction) {
  if (fraction < 0 || fraction > 1 || std::isnan(fraction)) {
    char text[64];
    std::snprintf(text, sizeof(text), "%g", fraction);
    return SqlError(kNumericValueOutOfRange,
                    "percentile value " + std::string(text) + " is not between 0 and 1");
  }
  return Status::Ok();
}

// percentile_disc: the first row whose cumulative share reaches the fraction.
size_t DiscreteIndex(double fraction, size_t count) {
  const double position = std::ceil(fraction * static_cast<double>(count));
  return position <= 1 ? 0 : static_cast<size_t>(position) - 1;
}

// percentile_cont: lo + (hi - lo) * proportion between the rows around fraction * (count - 1).
// REQUIRES: `out` is double precision or interval, as the value column.
Status Interpolate(const Rows& values, double fraction, Vector* out, size_t row) {
  const double position = fraction * static_cast<double>(values.size() - 1);
  const size_t first = static_cast<size_t>(std::floor(position));
  const size_t second = static_cast<size_t>(std::ceil(position));
  const Vector& low_column = values[first].first->column(0);
  const Vector& high_column = values[second].first->column(0);
  const size_t low_row = values[first].second;
  const size_t high_row = values[second].second;
  const double proportion = position - static_cast<double>(first);
  out->SetNull(row, false);
  if (out->type().id == TypeId::kInterval) {
    Interval result = Slot<Interval>::Get(low_column, low_row);
    if (first != second) {
      PLEXUS_ASSIGN_OR_RETURN(Interval difference,
                              SubtractIntervals(Slot<Interval>::Get(high_column, high_row), result));
      PLEXUS_ASSIGN_OR_RETURN(Interval step, MultiplyInterval(difference, proportion));
      PLEXUS_ASSIGN_OR_RETURN(result, AddIntervals(result, step));
    }
    Slot<Interval>::Set(out, row, result);
    return Status::Ok();
  }
  const double low = low_column.values<double>()[low_row];
  double result = low;
  if (first != second) result = low + (high_column.values<double>()[high_row] - low) * proportion;
  SetValue(out, row, Value::Float64(result));
  return Status::Ok();
}

// One fraction's value into row `row` of `out` (of the value's type).
Status Percentile(AggregateKind kind, const Rows& values, double fraction, Vector* out,
                  size_t row) {
  PLEXUS_RETURN_IF_ERROR(CheckFraction(fraction));
  if (kind == AggregateKind::kPercentileCont) return Interpolate(values, fraction, out, row);
  const auto& [batch, slot] = values[DiscreteIndex(fraction, values.size())];
  out->CopyRow(batch->column(0), slot, row);
  return Status::Ok();
}

// mode(): the longest run of equal values; the first such run wins ties.
void Mode(const Rows& values, Vector* out, size_t row) {
  size_t best = 0;
  size_t best_length = 0;
  size_t run_start = 0;
  for (size_t i = 1; i <= values.size(); ++i) {
    const bool run_ends =
        i == values.size() ||
        CompareSlots(values[i].first->column(0), values[i].second,
                     values[run_start].first->column(0), values[run_start].second) != 0;
    if (!run_ends) continue;
    if (i - run_start > best_length) {
      best = run_start;
      best_length = i - run_start;
    }
    run_start = i;
  }
  out->CopyRow(values[best].first->column(0), values[best].second, row);
}

// An array of fractions: the values in an array, one per fraction.
Status Percentiles(AggregateKind kind, const Rows& values, const Vector& fractions,
                   size_t fractions_row, Vector* out, size_t row) {
  const Type element = Type::Of(out->type().element);
  PLEXUS_ASSIGN_OR_RETURN(ArrayView view, ArrayView::Open(fractions.GetString(fractions_row),
                                                          Type::Of(TypeId::kFloat64)));
  ArrayBuilder result(element);
  Vector& scratch = ScratchVector(element, 0);
  for (size_t i = 0; i < view.size(); ++i) {
    if (view.IsNull(i)) {
      result.AppendNull();
      continue;
    }
    const Value fraction = view.Get(i);
    PLEXUS_RETURN_IF_ERROR(Percentile(kind, values, fraction.float_value(), &scratch, 0));
    result.AppendSlot(scratch, 0);
  }
  out->SetString(row, result.Finish());
  return Status::Ok();
}

}  // namespace

Status FinishOrderedSet(const AggregateCall& call, const Rows& rows, Vector* out, size_t row) {
  Rows values;
  values.reserve(rows.size());
  for (const auto& entry : rows) {
    if (!entry.first->column(0).IsNull(entry.second)) values.push_back(entry);
  }
  const AggregateKind kind = call.function->kind;
  // The direct argument is the same in every row; with no row PostgreSQL's result is NULL too.
  if (values.empty() || (kind != AggregateKind::kMode &&
                         rows.front().first->column(1).IsNull(rows.front().second))) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  if (kind == AggregateKind::kMode) {
    Mode(values, out, row);
    return Status::Ok();
  }
  const Vector& fraction = rows.front().first->column(1);
  const size_t fraction_row = rows.front().second;
  if (fraction.type().id == TypeId::kArray) {
    return Percentiles(kind, values, fraction, fraction_row, out, row);
  }
  return Percentile(kind, values, fraction.values<double>()[fraction_row], out, row);
}

}  // namespace plexus::sql
