// Engine functions beyond the four operations: exponential, logarithms and powers. They reproduce
// PostgreSQL 15's series, range reductions and working scales, since their last digits depend on
// them.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "plexus/base/assert.h"
#include "plexus/sql/types/numeric_error.h"
#include "plexus/sql/types/numeric_var.h"

namespace plexus::sql::numeric_internal {
namespace {

constexpr double kLog10OfE = 0.434294481903252;
constexpr double kLog10Of2 = 0.301029995663981;
constexpr double kLnOf10 = 2.302585092994046;

Var One() { return VarFromInt64(1); }

// A constant with one decimal: 0.9 or 1.1.
Var ZeroPointNine() { return Var{{9000}, -1, false, 1}; }
Var OnePointOne() { return Var{{1, 1000}, 0, false, 1}; }

// Clamps a scale chosen for a result into [kDisplayScaleMin, kDisplayScaleMax].
int ClampDisplayScale(int rscale) {
  return std::min(std::max(rscale, kDisplayScaleMin), kDisplayScaleMax);
}

// PostgreSQL's power_var_int (version 15): base ^ exponent by repeated squaring, with working
// scales that keep enough significant digits for rscale.
Result<Var> PowerInt(const Var& base, int exponent, int rscale) {
  switch (exponent) {
    case 0: {
      Var result = One();
      result.dscale = rscale;
      return result;
    }
    case 1: {
      Var result = base;
      Round(&result, rscale);
      return result;
    }
    case -1:
      return Divide(One(), base, rscale, /*round=*/true);
    case 2:
      return Multiply(base, base, rscale);
    default:
      break;
  }
  if (base.IsZero()) {
    if (exponent < 0) return DivisionByZeroError();
    Var zero;
    zero.dscale = rscale;
    return zero;
  }
  // base ~= leading * 10^power, so log10(result) ~= exponent * (log10(leading) + power).
  double leading = base.digits[0];
  int power = base.weight * kBaseDigits;
  for (size_t i = 1; i < base.digits.size() && i * kBaseDigits < 16; i++) {
    leading = leading * kBase + base.digits[i];
    power -= kBaseDigits;
  }
  double result_weight = exponent * (std::log10(leading) + power);
  if (result_weight > 3 * kWeightMax * kBaseDigits) return NumericOverflowError();
  if (result_weight + 1 < -rscale || result_weight + 1 < -kDisplayScaleMax) {
    Var zero;
    zero.dscale = rscale;
    return zero;
  }
  // The multiplications lose up to log10(|exponent|) digits; carry that many more (and 8).
  int significant_digits = 1 + rscale + static_cast<int>(result_weight);
  significant_digits += static_cast<int>(std::log(std::fabs(static_cast<double>(exponent)))) + 8;
  bool negative_exponent = exponent < 0;
  unsigned int mask = negative_exponent ? 0u - static_cast<unsigned int>(exponent)
                                        : static_cast<unsigned int>(exponent);  // INT_MIN too
  Var square = base;
  Var result = (mask & 1) ? base : One();
  while ((mask >>= 1) > 0) {
    int local_rscale = significant_digits - 2 * square.weight * kBaseDigits;
    local_rscale = std::min(local_rscale, 2 * square.dscale);
    local_rscale = std::max(local_rscale, kDisplayScaleMin);
    square = Multiply(square, square, local_rscale);
    if (mask & 1) {
      local_rscale = significant_digits - (square.weight + result.weight) * kBaseDigits;
      local_rscale = std::min(local_rscale, square.dscale + result.dscale);
      local_rscale = std::max(local_rscale, kDisplayScaleMin);
      result = Multiply(square, result, local_rscale);
    }
    // Past an int16 weight the result overflows (or, for a negative exponent, underflows).
    if (square.weight > kWeightMax || result.weight > kWeightMax) {
      if (!negative_exponent) return NumericOverflowError();
      Var zero;
      zero.dscale = rscale;
      return zero;
    }
  }
  if (negative_exponent) return DivideFast(One(), result, rscale, /*round=*/true);
  Round(&result, rscale);
  return result;
}

}  // namespace

Result<Var> Exp(const Var& var, int rscale) {
  Var x = var;
  double value = VarToDoubleNoOverflow(x);
  if (std::fabs(value) >= kResultScaleMax * 3) {
    if (value > 0) return NumericOverflowError();
    Var zero;
    zero.dscale = rscale;
    return zero;
  }
  int result_weight = static_cast<int>(value * kLog10OfE);
  // Halve x until |x| <= 0.01 so that the Taylor series converges quickly; square back after.
  int halvings = 0;
  if (std::fabs(value) > 0.01) {
    do {
      halvings++;
      value /= 2;
    } while (std::fabs(value) > 0.01);
    x = DivideByInt(x, int64_t{1} << halvings, 0, x.dscale + halvings, /*round=*/true);
  }
  // Squaring back loses about log10(2^halvings) digits; carry those and 8 more.
  int significant_digits = 1 + result_weight + rscale + static_cast<int>(halvings * kLog10Of2);
  significant_digits = std::max(significant_digits, 0) + 8;
  int local_rscale = significant_digits - 1;
  // exp(x) = 1 + x + x^2/2! + x^3/3! + ...
  Var result = Add(One(), x);
  Var term = Multiply(x, x, local_rscale);
  int n = 2;
  term = DivideByInt(term, n, 0, local_rscale, /*round=*/true);
  while (!term.IsZero()) {
    result = Add(result, term);
    term = Multiply(term, x, local_rscale);
    term = DivideByInt(term, ++n, 0, local_rscale, /*round=*/true);
  }
  while (halvings-- > 0) {
    local_rscale = significant_digits - result.weight * 2 * kBaseDigits;
    local_rscale = std::max(local_rscale, kDisplayScaleMin);
    result = Multiply(result, result, local_rscale);
  }
  Round(&result, rscale);
  return result;
}

int EstimateLnWeight(const Var& var) {
  if (var.negative) return 0;  // callers reject ln of a negative number themselves
  if (Compare(var, ZeroPointNine()) >= 0 && Compare(var, OnePointOne()) <= 0) {
    // ln(1 + x) ~= x near 1.
    Var x = Subtract(var, One());
    if (x.IsZero()) return 0;
    return x.weight * kBaseDigits + static_cast<int>(std::log10(x.digits[0]));
  }
  if (var.IsZero()) return 0;
  // var ~= leading * 10^power, so ln(var) ~= ln(leading) + power * ln(10).
  int leading = var.digits[0];
  int power = var.weight * kBaseDigits;
  if (var.digits.size() > 1) {
    leading = leading * kBase + var.digits[1];
    power -= kBaseDigits;
  }
  double ln_value = std::log(static_cast<double>(leading)) + power * kLnOf10;
  return static_cast<int>(std::log10(std::fabs(ln_value)));
}

Var Ln(const Var& var, int rscale) {
  PLEXUS_ASSERT(!var.negative && !var.IsZero());
  // Bring x into (0.9, 1.1) by square roots, keeping about rscale + 8 significant digits; each
  // root doubles the factor the series result is multiplied by at the end.
  Var x = var;
  Var factor = VarFromInt64(2);
  int roots = 0;
  while (Compare(x, ZeroPointNine()) <= 0 || Compare(x, OnePointOne()) >= 0) {
    x = Sqrt(x, rscale - x.weight * kBaseDigits / 2 + 8);
    factor = Multiply(factor, VarFromInt64(2), 0);
    roots++;
  }
  // ln(x) = 2 * (z + z^3/3 + z^5/5 + ...) with z = (x - 1) / (x + 1).
  int local_rscale = rscale + static_cast<int>((roots + 1) * kLog10Of2) + 8;
  Result<Var> z = DivideFast(Subtract(x, One()), Add(x, One()), local_rscale, /*round=*/true);
  PLEXUS_ASSERT(z.ok());
  Var result = *z;
  Var power = result;
  Var z_squared = Multiply(result, result, local_rscale);
  for (int n = 3;; n += 2) {
    power = Multiply(power, z_squared, local_rscale);
    Var term = DivideByInt(power, n, 0, local_rscale, /*round=*/true);
    if (term.IsZero()) break;
    result = Add(result, term);
    if (term.weight < result.weight - local_rscale * 2 / kBaseDigits) break;
  }
  return Multiply(result, factor, rscale);
}

Result<Var> Log(const Var& base, const Var& num) {
  int base_weight = EstimateLnWeight(base);
  int num_weight = EstimateLnWeight(num);
  int result_weight = num_weight - base_weight;
  int rscale = kSignificantDigitsMin - result_weight;
  rscale = ClampDisplayScale(std::max({rscale, base.dscale, num.dscale}));
  // Both logarithms carry more significant digits than the quotient needs.
  int base_rscale = std::max(rscale + result_weight - base_weight + 8, kDisplayScaleMin);
  int num_rscale = std::max(rscale + result_weight - num_weight + 8, kDisplayScaleMin);
  Var ln_base = Ln(base, base_rscale);
  Var ln_num = Ln(num, num_rscale);
  return DivideFast(ln_num, ln_base, rscale, /*round=*/true);
}

Result<Var> Power(const Var& base, const Var& exponent) {
  bool integral = static_cast<int>(exponent.digits.size()) <= exponent.weight + 1;
  int64_t integer_exponent = 0;
  if (integral && VarToInt64(exponent, &integer_exponent) && integer_exponent >= INT32_MIN &&
      integer_exponent <= INT32_MAX) {
    int rscale = ClampDisplayScale(std::max(kSignificantDigitsMin, base.dscale));
    return PowerInt(base, static_cast<int>(integer_exponent), rscale);
  }
  if (base.IsZero()) {  // 0 ^ non-integer; 0 ^ 0 went to PowerInt
    Var zero;
    zero.dscale = kSignificantDigitsMin;
    return zero;
  }
  Var magnitude = base;
  bool negative_result = false;
  if (base.negative) {
    if (!integral) return ComplexPowerError();
    negative_result = !exponent.IsZero() && (exponent.digits.back() & 1) != 0 &&
                      static_cast<int>(exponent.digits.size()) == exponent.weight + 1;
    magnitude.negative = false;
  }
  // A low-precision exponent * ln(base) estimates the result's weight and catches overflow.
  int ln_weight = EstimateLnWeight(magnitude);
  int local_rscale = std::max(8 - ln_weight, kDisplayScaleMin);
  Var product = Multiply(Ln(magnitude, local_rscale), exponent, local_rscale);
  double value = VarToDoubleNoOverflow(product);
  if (std::fabs(value) > kResultScaleMax * 3.01) {
    if (value > 0) return NumericOverflowError();
    Var zero;
    zero.dscale = kDisplayScaleMax;
    return zero;
  }
  value *= kLog10OfE;  // approximate decimal weight of the result
  int rscale = kSignificantDigitsMin - static_cast<int>(value);
  rscale = ClampDisplayScale(std::max({rscale, base.dscale, exponent.dscale}));
  int significant_digits = std::max(rscale + static_cast<int>(value), 0);
  local_rscale = std::max(significant_digits - ln_weight + 8, kDisplayScaleMin);
  product = Multiply(Ln(magnitude, local_rscale), exponent, local_rscale);
  PLEXUS_ASSIGN_OR_RETURN(Var result, Exp(product, rscale));
  if (negative_result && !result.IsZero()) result.negative = true;
  return result;
}

}  // namespace plexus::sql::numeric_internal
