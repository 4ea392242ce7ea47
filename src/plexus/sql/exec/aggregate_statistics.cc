// Variance, standard deviation, correlation, covariance and linear regression aggregates, with
// PostgreSQL's arithmetic so that the digits match: exact numeric sums and numeric division's
// scale over integers and numerics (numeric_stddev_internal), Youngs-Cramer over doubles
// (float8_accum, float8_regr_accum and their final functions).
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "plexus/sql/exec/aggregate_state.h"
#include "plexus/sql/exec/vector_numeric.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/aggregate.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status FloatOverflow() { return SqlError(kNumericValueOutOfRange, "value out of range: overflow"); }

double DoubleAt(const Vector& argument, size_t row) {
  return argument.physical() == PhysicalType::kFloat32 ? argument.values<float>()[row]
                                                        : argument.values<double>()[row];
}

// float8_accum: N, Sx and Sxx = sum((X - Sx/N)^2), updated without cancellation.
Status AccumulateDouble(double value, StatisticsState* state) {
  const double previous_n = state->n;
  const double previous_sum = state->sum_x;
  state->n += 1.0;
  state->sum_x += value;
  if (previous_n > 0.0) {
    const double deviation = value * state->n - state->sum_x;
    state->squares_x += deviation * deviation / (state->n * previous_n);
    if (std::isinf(state->sum_x) || std::isinf(state->squares_x)) {
      if (!std::isinf(previous_sum) && !std::isinf(value)) return FloatOverflow();
      state->squares_x = kNaN;
    }
  } else if (std::isnan(value) || std::isinf(value)) {
    // An infinite or NaN first value makes the variance NaN even if no other value comes.
    state->squares_x = kNaN;
  }
  return Status::Ok();
}

// float8_regr_accum over a (Y, X) pair.
Status AccumulatePair(double y, double x, StatisticsState* state) {
  const double previous_n = state->n;
  const double previous_sum_x = state->sum_x;
  const double previous_sum_y = state->sum_y;
  state->n += 1.0;
  state->sum_x += x;
  state->sum_y += y;
  if (previous_n > 0.0) {
    const double deviation_x = x * state->n - state->sum_x;
    const double deviation_y = y * state->n - state->sum_y;
    const double scale = 1.0 / (state->n * previous_n);
    state->squares_x += deviation_x * deviation_x * scale;
    state->squares_y += deviation_y * deviation_y * scale;
    state->products += deviation_x * deviation_y * scale;
    if (std::isinf(state->sum_x) || std::isinf(state->squares_x)) {
      if (!std::isinf(previous_sum_x) && !std::isinf(x)) return FloatOverflow();
      state->squares_x = kNaN;
    }
    if (std::isinf(state->sum_y) || std::isinf(state->squares_y)) {
      if (!std::isinf(previous_sum_y) && !std::isinf(y)) return FloatOverflow();
      state->squares_y = kNaN;
    }
    if (std::isinf(state->products)) {
      if (!std::isinf(previous_sum_x) && !std::isinf(x) && !std::isinf(previous_sum_y) &&
          !std::isinf(y)) {
        return FloatOverflow();
      }
      state->products = kNaN;
    }
  } else {
    if (std::isnan(x) || std::isinf(x)) state->squares_x = state->products = kNaN;
    if (std::isnan(y) || std::isinf(y)) state->squares_y = state->products = kNaN;
  }
  return Status::Ok();
}

Numeric Int128ToNumeric(__int128 value) {
  if (value >= std::numeric_limits<int64_t>::min() && value <= std::numeric_limits<int64_t>::max()) {
    return Numeric::FromInt64(static_cast<int64_t>(value));
  }
  const bool negative = value < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(value) : value;
  std::string digits;
  while (magnitude != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  if (negative) digits.insert(digits.begin(), '-');
  Result<Numeric> parsed = Numeric::Parse(digits);
  PLEXUS_ASSERT(parsed.ok());
  return *parsed;
}

// The exact sums: smallint and integer in 128 bits, bigint and numeric in numeric (the square
// of a numeric at twice its scale, as do_numeric_accum multiplies).
Status AccumulateExact(const Vector& argument, size_t row, AggregateState* state) {
  StatisticsState& statistics = *state->statistics;
  switch (argument.physical()) {
    case PhysicalType::kInt16:
    case PhysicalType::kInt32: {
      const __int128 value = argument.physical() == PhysicalType::kInt16
                                 ? argument.values<int16_t>()[row]
                                 : argument.values<int32_t>()[row];
      statistics.small_sum += value;
      statistics.small_squares += value * value;
      return Status::Ok();
    }
    case PhysicalType::kInt64: {
      const Numeric value = Numeric::FromInt64(argument.values<int64_t>()[row]);
      PLEXUS_ASSIGN_OR_RETURN(Numeric square, value.Multiply(value));
      PLEXUS_ASSIGN_OR_RETURN(statistics.sum, statistics.sum.Add(value));
      PLEXUS_ASSIGN_OR_RETURN(statistics.squares, statistics.squares.Add(square));
      return Status::Ok();
    }
    default: {
      PLEXUS_ASSIGN_OR_RETURN(Numeric value, NumericAt(argument, row));
      if (!value.IsFinite()) {
        statistics.special = true;
        return Status::Ok();
      }
      PLEXUS_ASSIGN_OR_RETURN(Numeric square, value.Multiply(value));
      PLEXUS_ASSIGN_OR_RETURN(statistics.sum, statistics.sum.Add(value));
      PLEXUS_ASSIGN_OR_RETURN(statistics.squares, statistics.squares.Add(square));
      return Status::Ok();
    }
  }
}

bool IsSample(AggregateKind kind) {
  return kind == AggregateKind::kVarSamp || kind == AggregateKind::kStddevSamp;
}

bool IsStandardDeviation(AggregateKind kind) {
  return kind == AggregateKind::kStddevSamp || kind == AggregateKind::kStddevPop;
}

// numeric_stddev_internal: (N * sum(X^2) - sum(X)^2) / (N * (N - 1)) or / N^2, at numeric
// division's scale; the square root at that same scale.
Result<Numeric> ExactResult(AggregateKind kind, int64_t count, const StatisticsState& state) {
  if (state.special) return Numeric::NaN();
  PLEXUS_ASSIGN_OR_RETURN(Numeric sum, state.sum.Add(Int128ToNumeric(state.small_sum)));
  PLEXUS_ASSIGN_OR_RETURN(Numeric squares,
                          state.squares.Add(Int128ToNumeric(state.small_squares)));
  const Numeric n = Numeric::FromInt64(count);
  PLEXUS_ASSIGN_OR_RETURN(Numeric sum_squared, sum.Multiply(sum));
  PLEXUS_ASSIGN_OR_RETURN(Numeric scaled_squares, n.Multiply(squares));
  PLEXUS_ASSIGN_OR_RETURN(Numeric numerator, scaled_squares.Subtract(sum_squared));
  if (numerator.Compare(Numeric()) <= 0) return Numeric();  // PostgreSQL's const_zero
  PLEXUS_ASSIGN_OR_RETURN(
      Numeric denominator,
      n.Multiply(IsSample(kind) ? Numeric::FromInt64(count - 1) : n));
  PLEXUS_ASSIGN_OR_RETURN(Numeric variance, numerator.Divide(denominator));
  if (!IsStandardDeviation(kind)) return variance;
  PLEXUS_ASSIGN_OR_RETURN(Numeric root, variance.Sqrt());
  return root.Round(variance.scale());
}

// The double precision results; nullopt for NULL.
std::optional<double> DoubleResult(AggregateKind kind, const StatisticsState& state) {
  const double n = state.n;
  switch (kind) {
    case AggregateKind::kVarSamp:
    case AggregateKind::kStddevSamp:
    case AggregateKind::kVarPop:
    case AggregateKind::kStddevPop: {
      const bool sample = IsSample(kind);
      if (n <= (sample ? 1.0 : 0.0)) return std::nullopt;
      const double variance = state.squares_x / (sample ? n - 1.0 : n);
      return IsStandardDeviation(kind) ? std::sqrt(variance) : variance;
    }
    default:
      break;
  }
  if (n < 1.0) return std::nullopt;
  switch (kind) {
    case AggregateKind::kCovarPop: return state.products / n;
    case AggregateKind::kCovarSamp:
      if (n < 2.0) return std::nullopt;
      return state.products / (n - 1.0);
    case AggregateKind::kRegrAvgX: return state.sum_x / n;
    case AggregateKind::kRegrAvgY: return state.sum_y / n;
    case AggregateKind::kCorr:
      // NULL for horizontal and vertical lines, per the standard.
      if (state.squares_x == 0 || state.squares_y == 0) return std::nullopt;
      return state.products / std::sqrt(state.squares_x * state.squares_y);
    case AggregateKind::kRegrR2:
      if (state.squares_x == 0) return std::nullopt;
      if (state.squares_y == 0) return 1.0;
      return (state.products * state.products) / (state.squares_x * state.squares_y);
    case AggregateKind::kRegrSlope:
      if (state.squares_x == 0) return std::nullopt;
      return state.products / state.squares_x;
    case AggregateKind::kRegrIntercept:
      if (state.squares_x == 0) return std::nullopt;
      return (state.sum_y - state.sum_x * state.products / state.squares_x) / n;
    default:
      return std::nullopt;
  }
}

}  // namespace

Status AccumulateStatistics(const AggregateCall& call, const Vector* const* arguments, size_t row,
                            AggregateState* state) {
  const AggregateKind kind = call.function->kind;
  if (!state->statistics) state->statistics = std::make_unique<StatisticsState>();
  if (AggregateIsRegression(*call.function)) {
    // The transition is strict: a pair with a NULL on either side does not count.
    if (arguments[0]->IsNull(row) || arguments[1]->IsNull(row)) return Status::Ok();
    ++state->count;
    if (kind == AggregateKind::kRegrCount) return Status::Ok();
    return AccumulatePair(DoubleAt(*arguments[0], row), DoubleAt(*arguments[1], row),
                          state->statistics.get());
  }
  const Vector& argument = *arguments[0];
  if (call.type.id == TypeId::kFloat64) {
    return AccumulateDouble(DoubleAt(argument, row), state->statistics.get());
  }
  return AccumulateExact(argument, row, state);
}

Status FinishStatistics(const AggregateCall& call, const AggregateState& state, Vector* out,
                        size_t row) {
  const AggregateKind kind = call.function->kind;
  if (kind == AggregateKind::kRegrCount) {
    SetValue(out, row, Value::Int64(state.count));
    return Status::Ok();
  }
  if (!state.statistics) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  if (out->type().id == TypeId::kNumeric) {
    if (state.count == 0 || (IsSample(kind) && state.count <= 1)) {
      out->SetNull(row, true);
      return Status::Ok();
    }
    PLEXUS_ASSIGN_OR_RETURN(Numeric value, ExactResult(kind, state.count, *state.statistics));
    std::string scratch;
    out->SetNull(row, false);
    StoreNumeric(out, row, value, &scratch);
    return Status::Ok();
  }
  const std::optional<double> value = DoubleResult(kind, *state.statistics);
  if (!value) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  SetValue(out, row, Value::Float64(*value));
  return Status::Ok();
}

}  // namespace plexus::sql
