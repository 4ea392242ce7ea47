// Engine division: the exact quotient (long division), PostgreSQL's approximate "FM" division
// used inside its logarithm and power routines, short division by an integer, the scale a
// quotient gets, and the remainder.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <vector>

#include "plexus/base/assert.h"
#include "plexus/sql/types/numeric_error.h"
#include "plexus/sql/types/numeric_var.h"

namespace plexus::sql::numeric_internal {
namespace {

using Uint128 = unsigned __int128;

// floor(numerator / divisor) for digit strings in base kBase, most significant digit first.
// REQUIRES: divisor has no leading zero digit. The quotient has numerator.size() digits.
std::vector<int64_t> DivideDigits(std::vector<int64_t> numerator, std::vector<int64_t> divisor) {
  int n = static_cast<int>(divisor.size());
  int count = static_cast<int>(numerator.size());
  std::vector<int64_t> quotient(count, 0);
  if (n == 1) {
    int64_t remainder = 0;
    for (int i = 0; i < count; i++) {
      int64_t value = remainder * kBase + numerator[i];
      quotient[i] = value / divisor[0];
      remainder = value % divisor[0];
    }
    return quotient;
  }
  if (count < n) return quotient;
  // Knuth's algorithm D: scale both so that the divisor's first digit is >= kBase / 2; the
  // scaled numerator gains one leading digit.
  int64_t scale = kBase / (divisor[0] + 1);
  int64_t carry = 0;
  for (int i = n - 1; i >= 0; i--) {
    int64_t value = divisor[i] * scale + carry;
    divisor[i] = value % kBase;
    carry = value / kBase;
  }
  PLEXUS_ASSERT(carry == 0);
  for (int i = count - 1; i >= 0; i--) {
    int64_t value = numerator[i] * scale + carry;
    numerator[i] = value % kBase;
    carry = value / kBase;
  }
  numerator.insert(numerator.begin(), carry);
  // Step j divides numerator[j .. j + n] by the divisor, giving quotient digit j + n - 1.
  for (int j = 0; j + n <= count; j++) {
    int64_t top = numerator[j] * kBase + numerator[j + 1];
    int64_t estimate = std::min<int64_t>(top / divisor[0], kBase - 1);
    int64_t rest = top - estimate * divisor[0];
    while (rest < kBase && estimate * divisor[1] > rest * kBase + numerator[j + 2]) {
      estimate--;
      rest += divisor[0];
    }
    int64_t borrow = 0;
    for (int i = n; i >= 0; i--) {
      int64_t value = numerator[j + i] - (i > 0 ? estimate * divisor[i - 1] : 0) - borrow;
      borrow = value < 0 ? (kBase - 1 - value) / kBase : 0;
      numerator[j + i] = value + borrow * kBase;
    }
    if (borrow != 0) {  // the estimate was one too large: add the divisor back
      estimate--;
      carry = 0;
      for (int i = n; i >= 0; i--) {
        int64_t value = numerator[j + i] + (i > 0 ? divisor[i - 1] : 0) + carry;
        carry = value >= kBase ? 1 : 0;
        numerator[j + i] = value - carry * kBase;
      }
    }
    quotient[j + n - 1] = estimate;
  }
  return quotient;
}

// Finishes a quotient: sign, weight, rounding or truncation at rscale, stripping.
Var FinishQuotient(Var result, bool negative, int weight, int rscale, bool round) {
  result.weight = weight;
  result.negative = negative;
  if (round) {
    Round(&result, rscale);
  } else {
    Truncate(&result, rscale);
  }
  Strip(&result);
  return result;
}

// Number of quotient digits PostgreSQL computes for a quotient of weight `weight`.
int QuotientDigits(int weight, int rscale, bool round) {
  int count = std::max(weight + 1 + (rscale + kBaseDigits - 1) / kBaseDigits, 1);
  return round ? count + 1 : count;
}

// Normalizes one digit of a signed working array, returning the carry into the next digit.
int64_t NormalizeDigit(int64_t* digit) {
  int64_t carry = 0;
  if (*digit < 0) {
    carry = -((-*digit - 1) / kBase) - 1;
  } else if (*digit >= kBase) {
    carry = *digit / kBase;
  }
  *digit -= carry * kBase;
  return carry;
}

// A quotient digit estimated from four working digits, truncated toward minus infinity the way
// PostgreSQL's div_var_fast does it.
int EstimateQuotientDigit(const std::vector<int64_t>& work, int index, int last, double inverse) {
  double dividend = static_cast<double>(work[index]);
  for (int i = 1; i < 4; i++) {
    dividend *= kBase;
    if (index + i <= last) dividend += static_cast<double>(work[index + i]);
  }
  double quotient = dividend * inverse;
  return quotient >= 0.0 ? static_cast<int>(quotient) : static_cast<int>(quotient) - 1;
}

// The main loop of PostgreSQL's div_var_fast: turns work (a zero digit, then the dividend) into
// count + 1 quotient digits, each estimated from four working digits in floating point and
// possibly off by one; the caller's carry pass settles them.
void EstimateQuotientDigits(const Var& b, int count, std::vector<int64_t>* work_digits) {
  std::vector<int64_t>& work = *work_digits;
  int b_count = static_cast<int>(b.digits.size());
  double divisor = b.digits[0];
  for (int i = 1; i < 4; i++) {
    divisor *= kBase;
    if (i < b_count) divisor += static_cast<double>(b.digits[i]);
  }
  double inverse = 1.0 / divisor;
  // PostgreSQL keeps the work digits in int and normalizes before they could overflow; the
  // normalization points change the estimates, so they are kept, though work is int64 here.
  constexpr int kWorkDigitBound = (INT_MAX - INT_MAX / kBase - 1) / (kBase - 1);
  int bound = 1;
  int qi = 0;
  for (; qi < count; qi++) {
    int digit = EstimateQuotientDigit(work, qi, count, inverse);
    if (digit != 0) {
      bound += std::abs(digit);
      if (bound > kWorkDigitBound) {
        int64_t carry = 0;
        for (int i = std::min(qi + b_count - 2, count); i > qi; i--) {
          work[i] += carry;
          carry = NormalizeDigit(&work[i]);
        }
        work[qi] += carry;
        bound = 1;
        digit = EstimateQuotientDigit(work, qi, count, inverse);
        bound += std::abs(digit);
      }
      if (digit != 0) {
        int stop = std::min(b_count, count - qi + 1);
        for (int i = 0; i < stop; i++) {
          work[qi + i] -= static_cast<int64_t>(static_cast<Digit>(digit)) * b.digits[i];
        }
      }
    }
    work[qi + 1] += work[qi] * kBase;
    work[qi] = digit;
  }
  work[qi] = EstimateQuotientDigit(work, qi, /*last=*/qi, inverse);
}

}  // namespace

Result<Var> Divide(const Var& a, const Var& b, int rscale, bool round) {
  if (b.digits.empty() || b.digits[0] == 0) return DivisionByZeroError();
  if (a.IsZero()) {
    Var zero;
    zero.dscale = rscale;
    return zero;
  }
  // The quotient digits PostgreSQL computes are exact (truncated) whichever of its division
  // routines it picks, so one long division reproduces all of them.
  int weight = a.weight - b.weight;
  int count = QuotientDigits(weight, rscale, round);
  int a_count = static_cast<int>(a.digits.size());
  int b_count = static_cast<int>(b.digits.size());
  // numerator = a's digits shifted so that the quotient's last digit has weight
  // weight - count + 1; digits shifted below the units are dropped (floor of floor).
  int shift = b_count - a_count + count - 1;
  std::vector<int64_t> numerator(a.digits.begin(), a.digits.end());
  if (shift >= 0) {
    numerator.resize(a_count + shift, 0);
  } else {
    numerator.resize(std::max(a_count + shift, 0));
  }
  std::vector<int64_t> divisor(b.digits.begin(), b.digits.end());
  std::vector<int64_t> quotient = DivideDigits(std::move(numerator), std::move(divisor));
  Var result;
  result.digits.assign(count, 0);
  int offset = count - static_cast<int>(quotient.size());
  for (int i = 0; i < static_cast<int>(quotient.size()); i++) {
    PLEXUS_ASSERT(i + offset >= 0 || quotient[i] == 0);
    if (i + offset >= 0) result.digits[i + offset] = static_cast<Digit>(quotient[i]);
  }
  return FinishQuotient(std::move(result), a.negative != b.negative, weight, rscale, round);
}

Var DivideByInt(const Var& a, int64_t divisor, int divisor_weight, int rscale, bool round) {
  PLEXUS_ASSERT(divisor != 0);
  Var result;
  if (a.IsZero()) {
    result.dscale = rscale;
    return result;
  }
  bool negative = a.negative != (divisor < 0);
  uint64_t magnitude = divisor < 0 ? 0 - static_cast<uint64_t>(divisor) : divisor;
  int weight = a.weight - divisor_weight;
  int count = QuotientDigits(weight, rscale, round);
  int a_count = static_cast<int>(a.digits.size());
  result.digits.resize(count);
  Uint128 carry = 0;
  for (int i = 0; i < count; i++) {
    carry = carry * kBase + (i < a_count ? a.digits[i] : 0);
    result.digits[i] = static_cast<Digit>(carry / magnitude);
    carry %= magnitude;
  }
  return FinishQuotient(std::move(result), negative, weight, rscale, round);
}

Result<Var> DivideFast(const Var& a, const Var& b, int rscale, bool round) {
  int b_count = static_cast<int>(b.digits.size());
  if (b_count == 0 || b.digits[0] == 0) return DivisionByZeroError();
  if (b_count <= 2) {  // PostgreSQL hands short divisors to its exact short division
    int64_t divisor = b.digits[0];
    int divisor_weight = b.weight;
    if (b_count == 2) {
      divisor = divisor * kBase + b.digits[1];
      divisor_weight--;
    }
    return DivideByInt(a, b.negative ? -divisor : divisor, divisor_weight, rscale, round);
  }
  if (a.IsZero()) {
    Var zero;
    zero.dscale = rscale;
    return zero;
  }
  int weight = a.weight - b.weight + 1;
  int count = weight + 1 + (rscale + kBaseDigits - 1) / kBaseDigits + kDivGuardDigits;
  count = std::max(count, kDivGuardDigits);
  // work[0] is a zero digit, then the dividend; each step turns one position into a quotient
  // digit. Entries may leave [0, kBase) between normalizations.
  std::vector<int64_t> work(count + 1, 0);
  int load = std::min(count, static_cast<int>(a.digits.size()));
  for (int i = 0; i < load; i++) work[i + 1] = a.digits[i];
  EstimateQuotientDigits(b, count, &work);
  Var result;
  result.digits.resize(count + 1);
  int64_t carry = 0;
  for (int i = count; i >= 0; i--) {
    int64_t value = work[i] + carry;
    carry = NormalizeDigit(&value);
    result.digits[i] = static_cast<Digit>(value);
  }
  PLEXUS_ASSERT(carry == 0);
  return FinishQuotient(std::move(result), a.negative != b.negative, weight, rscale, round);
}

int SelectDivideScale(const Var& a, const Var& b) {
  // The weight and first digit of each input, ignoring leading zero digits.
  auto first_digit = [](const Var& var, int* weight) {
    *weight = 0;
    for (size_t i = 0; i < var.digits.size(); i++) {
      if (var.digits[i] != 0) {
        *weight = var.weight - static_cast<int>(i);
        return static_cast<int>(var.digits[i]);
      }
    }
    return 0;
  };
  int a_weight = 0;
  int b_weight = 0;
  int a_first = first_digit(a, &a_weight);
  int b_first = first_digit(b, &b_weight);
  // Estimated quotient weight; when the first digits tie, assume a < b.
  int quotient_weight = a_weight - b_weight;
  if (a_first <= b_first) quotient_weight--;
  int rscale = kSignificantDigitsMin - quotient_weight * kBaseDigits;
  rscale = std::max({rscale, a.dscale, b.dscale, kDisplayScaleMin});
  return std::min(rscale, kDisplayScaleMax);
}

Result<Var> Modulo(const Var& a, const Var& b) {
  PLEXUS_ASSIGN_OR_RETURN(Var quotient, Divide(a, b, 0, /*round=*/false));
  Var product = Multiply(b, quotient, b.dscale);
  return Subtract(a, product);
}

}  // namespace plexus::sql::numeric_internal
