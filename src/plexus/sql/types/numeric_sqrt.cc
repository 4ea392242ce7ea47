// Engine square root: the correctly rounded root, computed as PostgreSQL 15 does with Zimmermann's
// Karatsuba square root on the integer formed by the argument's digits.
#include <algorithm>
#include <cmath>
#include <vector>

#include "plexus/base/assert.h"
#include "plexus/sql/types/numeric_var.h"

namespace plexus::sql::numeric_internal {
namespace {

// Digits [start, start + count) of `n`, zeros past its stored digits, as an integer.
Var DigitsAsInteger(const Var& n, int start, int count) {
  Var result;
  result.digits.assign(count, 0);
  int stored = static_cast<int>(n.digits.size());
  for (int i = 0; i < count && start + i < stored; i++) result.digits[i] = n.digits[start + i];
  result.weight = count - 1;
  Strip(&result);
  return result;
}

// var * kBase^places.
Var Shifted(Var var, int places) {
  if (!var.IsZero()) var.weight += places;
  return var;
}

// floor(sqrt(n)) and n - floor(sqrt(n))^2 for n < kBase^4, in integers.
void SmallSqrt(int64_t n, int64_t* root, int64_t* remainder) {
  int64_t s = static_cast<int64_t>(std::sqrt(static_cast<double>(n)));
  int64_t r = n - s * s;
  // Newton's step corrects a double that was off by one either way.
  while (r < 0 || r > 2 * s) {
    s = (s + n / s) / 2;
    r = n - s * s;
  }
  *root = s;
  *remainder = r;
}

// floor(sqrt(n)) for an integer n >= 1 with no leading zero digit. Zimmermann's SqrtRem: with
// n = a3 b^3 + a2 b^2 + a1 b + a0 (a3 >= b / 4), (s, r) = SqrtRem(a3 b + a2), (q, u) =
// DivRem(r b + a1, 2 s), then s b + q is the root, less one when u b + a0 - q^2 < 0. Run from
// the innermost root outward, each step consuming the next 2 * blen digits of n.
Var IntegerSqrt(const Var& n) {
  PLEXUS_ASSERT(!n.IsZero() && n.weight >= 0 && n.digits[0] != 0);
  std::vector<int> sizes;  // digits of n used by each step, outermost first
  for (int size = n.weight + 1;;) {
    sizes.push_back(size);
    if (size <= 4) break;
    int blen = size / 4;
    if (blen * 4 == size && n.digits[0] < kBase / 4) blen--;  // keep a3 >= b / 4
    size -= 2 * blen;
  }
  int used = sizes.back();
  int64_t inner = 0;
  for (int i = 0; i < used; i++) {
    inner = inner * kBase + (i < static_cast<int>(n.digits.size()) ? n.digits[i] : 0);
  }
  int64_t small_root = 0;
  int64_t small_remainder = 0;
  SmallSqrt(inner, &small_root, &small_remainder);
  Var root = VarFromInt64(small_root);
  Var remainder = VarFromInt64(small_remainder);
  const Var one = VarFromInt64(1);
  for (int step = static_cast<int>(sizes.size()) - 2; step >= 0; step--) {
    int blen = (sizes[step] - used) / 2;
    Var a1 = DigitsAsInteger(n, used, blen);
    Var a0 = DigitsAsInteger(n, used + blen, blen);
    used += 2 * blen;
    Var numerator = Add(Shifted(remainder, blen), a1);
    Var denominator = Add(root, root);
    Result<Var> quotient = Divide(numerator, denominator, 0, /*round=*/false);
    PLEXUS_ASSERT(quotient.ok());
    Var rest = Subtract(numerator, Multiply(*quotient, denominator, 0));
    root = Add(Shifted(std::move(root), blen), *quotient);
    Var high = Add(Shifted(std::move(rest), blen), a0);
    Var square = Multiply(*quotient, *quotient, 0);
    if (step == 0) {  // the last step needs only the sign of the remainder
      if (Compare(high, square) < 0) root = Subtract(root, one);
      break;
    }
    remainder = Subtract(high, square);
    if (remainder.negative) {  // root is one too large
      remainder = Add(remainder, root);
      root = Subtract(root, one);
      remainder = Add(remainder, root);
    }
  }
  PLEXUS_ASSERT(used == n.weight + 1);
  return root;
}

}  // namespace

Var Sqrt(const Var& var, int rscale) {
  PLEXUS_ASSERT(!var.negative || var.IsZero());
  Var result;
  if (var.IsZero()) {
    result.dscale = rscale;
    return result;
  }
  // PostgreSQL computes the truncated root to at least one decimal beyond rscale and rounds it,
  // which gives the correctly rounded root. rscale < 0 rounds before the decimal point.
  int result_weight = var.weight >= 0 ? var.weight / 2 : -((-var.weight - 1) / 2 + 1);
  int count = rscale + 1 >= 0 ? result_weight + 1 + (rscale + kBaseDigits) / kBaseDigits
                              : result_weight + 1 - (-rscale - 1) / kBaseDigits;
  count = std::max(count, 1);
  // root = isqrt(floor(var * kBase^(2 * shift))) * kBase^-shift.
  int shift = count - result_weight - 1;
  Var integer = DigitsAsInteger(var, 0, var.weight + 2 * shift + 1);
  result = IntegerSqrt(integer);
  result.weight -= shift;
  Round(&result, rscale);
  Strip(&result);
  return result;
}

}  // namespace plexus::sql::numeric_internal
