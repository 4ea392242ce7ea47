// The arithmetic engine under Numeric: finite decimal values unpacked into base-10000 digits with
// a weight and a display scale. Each routine follows the algorithm PostgreSQL 15 uses (numeric.c),
// including its guard digits and intermediate scales, so results round exactly as PostgreSQL's do.
#pragma once

#include <cstdint>
#include <string>

#include "plexus/base/status.h"
#include "plexus/sql/types/numeric_digits.h"

namespace plexus::sql::numeric_internal {

inline constexpr int kBase = 10000;  // NBASE: one digit holds four decimal digits
inline constexpr int kHalfBase = kBase / 2;
inline constexpr int kBaseDigits = 4;      // DEC_DIGITS: decimal digits per base-10000 digit
inline constexpr int kMulGuardDigits = 2;  // extra base digits kept by a rounded multiplication
inline constexpr int kDivGuardDigits = 4;  // extra base digits kept by the fast division

// Scale limits, as PostgreSQL defines them (NUMERIC_MAX_DISPLAY_SCALE etc.).
inline constexpr int kSignificantDigitsMin = 16;  // a computed result carries at least this many
inline constexpr int kDisplayScaleMin = 0;
inline constexpr int kDisplayScaleMax = 1000;   // the largest scale a computed result chooses
inline constexpr int kResultScaleMax = 2000;    // bounds exp(): |x| < 3 * this, else overflow
inline constexpr int kStoredScaleMax = 0x3FFF;  // the largest display scale a value may carry
inline constexpr int kWeightMax = 32767;  // base-10000 weight of a value's first digit (int16)
inline constexpr int kWeightMin = -32768;

// A finite value: sign * sum(digits[i] * kBase^(weight - i)), shown with dscale decimals.
// Digits may have leading or trailing zeros (Strip() removes them); no digits means zero.
// dscale may be negative in intermediate results (rounding before the decimal point).
struct Var {
  DigitVector digits;
  int weight = 0;
  bool negative = false;
  int dscale = 0;

  bool IsZero() const { return digits.empty(); }
};

// Constructors of small integers and conversions.
Var VarFromInt64(int64_t value);
Var VarFromInt128(__int128 value);
// Rounds half away from zero to an integer; false when it does not fit.
bool VarToInt64(const Var& var, int64_t* value);
// Decimal text of `var` with exactly var.dscale decimals (PostgreSQL's get_str_from_var).
std::string VarToText(const Var& var);
// strtod of VarToText: +-HUGE_VAL or 0 when out of double's range.
double VarToDoubleNoOverflow(const Var& var);

// Comparison, ignoring leading/trailing zero digits.
int CompareAbs(const Var& a, const Var& b);
int Compare(const Var& a, const Var& b);

// Exact sum/difference; result dscale is the larger input dscale.
Var Add(const Var& a, const Var& b);
Var Subtract(const Var& a, const Var& b);
// Product rounded to rscale decimals, computed with kMulGuardDigits guard digits.
Var Multiply(const Var& a, const Var& b, int rscale);

// Rounds (half away from zero) or truncates at rscale decimals; rscale < 0 rounds before the
// decimal point. Sets dscale to rscale. Leaves digits unstripped.
void Round(Var* var, int rscale);
void Truncate(Var* var, int rscale);
// Removes leading and trailing zero digits; zero becomes positive with weight 0.
void Strip(Var* var);
Var Ceil(const Var& var);
Var Floor(const Var& var);

// Quotient with exactly rscale decimals, rounded or truncated (Knuth's algorithm D: exact).
Result<Var> Divide(const Var& a, const Var& b, int rscale, bool round);
// PostgreSQL's div_var_fast: the "FM" algorithm, approximate in the last guard digits. Used only
// where PostgreSQL uses it (logarithms and negative integer powers).
Result<Var> DivideFast(const Var& a, const Var& b, int rscale, bool round);
// Quotient a / (divisor * kBase^divisor_weight). REQUIRES: divisor != 0.
Var DivideByInt(const Var& a, int64_t divisor, int divisor_weight, int rscale, bool round);
// The scale PostgreSQL gives a quotient: at least kSignificantDigitsMin significant digits.
int SelectDivideScale(const Var& a, const Var& b);
// a - trunc(a / b) * b.
Result<Var> Modulo(const Var& a, const Var& b);

// Correctly rounded square root at rscale decimals. REQUIRES: var >= 0.
Var Sqrt(const Var& var, int rscale);
// e^var at rscale decimals; fails when the result overflows.
Result<Var> Exp(const Var& var, int rscale);
// Estimated decimal weight of ln(var), used to choose scales.
int EstimateLnWeight(const Var& var);
// Natural logarithm at rscale decimals. REQUIRES: var > 0.
Var Ln(const Var& var, int rscale);
// Logarithm of num in base `base`, choosing the result scale. REQUIRES: both > 0.
Result<Var> Log(const Var& base, const Var& num);
// base ^ exponent, choosing the result scale (PostgreSQL's power_var).
Result<Var> Power(const Var& base, const Var& exponent);

}  // namespace plexus::sql::numeric_internal
