// Engine basics: conversions, comparison, addition, multiplication and rounding of unpacked
// numeric values, following PostgreSQL 15's numeric.c step for step.
#include "plexus/sql/types/numeric_var.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "plexus/base/assert.h"

namespace plexus::sql::numeric_internal {
namespace {

// 10^(kBaseDigits - i): the unit of the last kept decimal when i decimals of a digit are kept.
constexpr int kRoundPowers[kBaseDigits] = {0, 1000, 100, 10};

template <typename Unsigned>
Var VarFromMagnitude(Unsigned magnitude, bool negative) {
  Var var;
  var.negative = negative;
  while (magnitude != 0) {
    var.digits.push_back(static_cast<Digit>(magnitude % kBase));
    magnitude /= kBase;
  }
  std::reverse(var.digits.begin(), var.digits.end());
  var.weight = static_cast<int>(var.digits.size()) - 1;
  if (var.digits.empty()) {
    var.weight = 0;
    var.negative = false;
  }
  return var;
}

// Number of base digits after the decimal point that `var` stores (may be negative).
int StoredFractionDigits(const Var& var) {
  return static_cast<int>(var.digits.size()) - var.weight - 1;
}

// The digit of `var` at base-10000 position `weight`, zero outside the stored digits.
int DigitAt(const Var& var, int weight) {
  int index = var.weight - weight;
  if (index < 0 || index >= static_cast<int>(var.digits.size())) return 0;
  return var.digits[index];
}

// |a| + |b|; result dscale is the larger input dscale.
Var AddAbs(const Var& a, const Var& b) {
  Var result;
  result.weight = std::max(a.weight, b.weight) + 1;
  result.dscale = std::max(a.dscale, b.dscale);
  int fraction_digits = std::max(StoredFractionDigits(a), StoredFractionDigits(b));
  int count = std::max(fraction_digits + result.weight + 1, 1);
  result.digits.resize(count);
  int carry = 0;
  for (int i = count - 1; i >= 0; i--) {
    int position = result.weight - i;
    carry += DigitAt(a, position) + DigitAt(b, position);
    result.digits[i] = static_cast<Digit>(carry >= kBase ? carry - kBase : carry);
    carry = carry >= kBase ? 1 : 0;
  }
  PLEXUS_ASSERT(carry == 0);
  Strip(&result);
  return result;
}

// |a| - |b|. REQUIRES: |a| >= |b|.
Var SubtractAbs(const Var& a, const Var& b) {
  Var result;
  result.weight = a.weight;
  result.dscale = std::max(a.dscale, b.dscale);
  int fraction_digits = std::max(StoredFractionDigits(a), StoredFractionDigits(b));
  int count = std::max(fraction_digits + result.weight + 1, 1);
  result.digits.resize(count);
  int borrow = 0;
  for (int i = count - 1; i >= 0; i--) {
    int position = result.weight - i;
    borrow += DigitAt(a, position) - DigitAt(b, position);
    result.digits[i] = static_cast<Digit>(borrow < 0 ? borrow + kBase : borrow);
    borrow = borrow < 0 ? -1 : 0;
  }
  PLEXUS_ASSERT(borrow == 0);
  Strip(&result);
  return result;
}

// Signed sum of a and (b with its sign flipped when `negate_b`).
Var AddSigned(const Var& a, const Var& b, bool negate_b) {
  bool b_negative = b.negative != negate_b;
  if (a.negative == b_negative) {
    Var result = AddAbs(a, b);
    result.negative = a.negative && !result.IsZero();
    return result;
  }
  int order = CompareAbs(a, b);
  if (order == 0) {
    Var zero;
    zero.dscale = std::max(a.dscale, b.dscale);
    return zero;
  }
  Var result = order > 0 ? SubtractAbs(a, b) : SubtractAbs(b, a);
  result.negative = (order > 0 ? a.negative : b_negative) && !result.IsZero();
  return result;
}

// Adds `carry` into digits[index] and the digits above it; grows the value by one leading digit
// when the carry runs out of the top.
void PropagateCarry(Var* var, int index, int carry) {
  while (carry != 0) {
    if (--index < 0) {
      var->digits.InsertFront(static_cast<Digit>(carry));
      var->weight++;
      return;
    }
    int sum = var->digits[index] + carry;
    var->digits[index] = static_cast<Digit>(sum >= kBase ? sum - kBase : sum);
    carry = sum >= kBase ? 1 : 0;
  }
}

}  // namespace

Var VarFromInt64(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  return VarFromMagnitude(magnitude, value < 0);
}

Var VarFromInt128(__int128 value) {
  using Uint128 = unsigned __int128;
  Uint128 magnitude = value < 0 ? 0 - static_cast<Uint128>(value) : static_cast<Uint128>(value);
  return VarFromMagnitude(magnitude, value < 0);
}

bool VarToInt64(const Var& var, int64_t* value) {
  Var rounded = var;
  Round(&rounded, 0);
  Strip(&rounded);
  if (rounded.IsZero()) {
    *value = 0;
    return true;
  }
  PLEXUS_DCHECK(rounded.weight >= 0);
  // Accumulate as a negative number so that INT64_MIN is reachable.
  int64_t accumulated = -rounded.digits[0];
  for (int i = 1; i <= rounded.weight; i++) {
    if (__builtin_mul_overflow(accumulated, kBase, &accumulated)) return false;
    int digit = i < static_cast<int>(rounded.digits.size()) ? rounded.digits[i] : 0;
    if (__builtin_sub_overflow(accumulated, digit, &accumulated)) return false;
  }
  if (!rounded.negative) {
    if (accumulated == INT64_MIN) return false;
    accumulated = -accumulated;
  }
  *value = accumulated;
  return true;
}

std::string VarToText(const Var& var) {
  std::string text;
  text.reserve(std::max(var.weight + 1, 1) * kBaseDigits + std::max(var.dscale, 0) + 6);
  if (var.negative) text.push_back('-');
  int count = static_cast<int>(var.digits.size());
  int index = 0;  // index into var.digits of the next digit to print
  if (var.weight < 0) {
    index = var.weight + 1;
    text.push_back('0');
  } else {
    for (; index <= var.weight; index++) {
      int digit = index < count ? var.digits[index] : 0;
      bool leading = index == 0;  // suppress leading decimal zeros of the first digit only
      for (int unit = 1000; unit >= 1; unit /= 10) {
        int decimal = digit / unit % 10;
        if (decimal != 0 || unit == 1) leading = false;
        if (!leading) text.push_back(static_cast<char>('0' + decimal));
      }
    }
  }
  if (var.dscale > 0) {
    text.push_back('.');
    size_t end = text.size() + var.dscale;
    for (int printed = 0; printed < var.dscale; index++, printed += kBaseDigits) {
      int digit = index >= 0 && index < count ? var.digits[index] : 0;
      for (int unit = 1000; unit >= 1; unit /= 10) {
        text.push_back(static_cast<char>('0' + digit / unit % 10));
      }
    }
    text.resize(end);
  }
  return text;
}

double VarToDoubleNoOverflow(const Var& var) {
  // Like PostgreSQL, go through the decimal text so that the double is correctly rounded.
  std::string text = VarToText(var);
  return std::strtod(text.c_str(), nullptr);
}

int CompareAbs(const Var& a, const Var& b) {
  int a_count = static_cast<int>(a.digits.size());
  int b_count = static_cast<int>(b.digits.size());
  int a_index = 0;
  int b_index = 0;
  int a_weight = a.weight;
  int b_weight = b.weight;
  // Digits above the other's first digit decide unless they are zero.
  for (; a_weight > b_weight && a_index < a_count; a_weight--) {
    if (a.digits[a_index++] != 0) return 1;
  }
  for (; b_weight > a_weight && b_index < b_count; b_weight--) {
    if (b.digits[b_index++] != 0) return -1;
  }
  if (a_weight == b_weight) {
    for (; a_index < a_count && b_index < b_count; a_index++, b_index++) {
      int difference = a.digits[a_index] - b.digits[b_index];
      if (difference != 0) return difference > 0 ? 1 : -1;
    }
  }
  for (; a_index < a_count; a_index++) {
    if (a.digits[a_index] != 0) return 1;
  }
  for (; b_index < b_count; b_index++) {
    if (b.digits[b_index] != 0) return -1;
  }
  return 0;
}

int Compare(const Var& a, const Var& b) {
  if (a.IsZero()) {
    if (b.IsZero()) return 0;
    return b.negative ? 1 : -1;
  }
  if (b.IsZero()) return a.negative ? -1 : 1;
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int order = CompareAbs(a, b);
  return a.negative ? -order : order;
}

Var Add(const Var& a, const Var& b) { return AddSigned(a, b, /*negate_b=*/false); }

Var Subtract(const Var& a, const Var& b) { return AddSigned(a, b, /*negate_b=*/true); }

Var Multiply(const Var& a, const Var& b, int rscale) {
  // Let `shorter` drive the outer loop, as PostgreSQL does: which input digits the guard-digit
  // cutoff ignores depends on it.
  const Var& shorter = a.digits.size() <= b.digits.size() ? a : b;
  const Var& longer = a.digits.size() <= b.digits.size() ? b : a;
  int shorter_count = static_cast<int>(shorter.digits.size());
  int longer_count = static_cast<int>(longer.digits.size());
  Var result;
  result.dscale = rscale;
  if (shorter_count == 0) return result;
  // Digit i of `shorter` times digit j of `longer` lands in slot i + j + 2; slots 0 and 1 take
  // carries. Slots beyond the requested scale plus guard digits are not computed.
  int result_weight = a.weight + b.weight + 2;
  int digits_max = result_weight + 1 + (rscale + kBaseDigits - 1) / kBaseDigits + kMulGuardDigits;
  int count = std::min(shorter_count + longer_count + 1, digits_max);
  if (count < 3) return result;
  // Accumulators, on the stack for the common short product.
  constexpr int kStackSlots = 64;
  int64_t stack_slots[kStackSlots] = {};
  std::vector<int64_t> heap_slots(count > kStackSlots ? count : 0, 0);
  int64_t* slots = count > kStackSlots ? heap_slots.data() : stack_slots;
  for (int i = std::min(shorter_count - 1, count - 3); i >= 0; i--) {
    int64_t digit = shorter.digits[i];
    if (digit == 0) continue;
    int limit = std::min(longer_count, count - i - 2);
    int64_t* slot = &slots[i + 2];
    for (int j = 0; j < limit; j++) slot[j] += digit * longer.digits[j];
  }
  result.digits.resize(count);
  int64_t carry = 0;
  for (int i = count - 1; i >= 0; i--) {
    int64_t value = slots[i] + carry;
    carry = value / kBase;
    result.digits[i] = static_cast<Digit>(value % kBase);
  }
  PLEXUS_ASSERT(carry == 0);
  result.weight = result_weight;
  result.negative = a.negative != b.negative;
  Round(&result, rscale);
  Strip(&result);
  return result;
}

void Round(Var* var, int rscale) {
  var->dscale = rscale;
  int decimals_kept = (var->weight + 1) * kBaseDigits + rscale;
  if (decimals_kept < 0) {
    var->digits.clear();
    var->weight = 0;
    var->negative = false;
    return;
  }
  int kept = (decimals_kept + kBaseDigits - 1) / kBaseDigits;
  int partial = decimals_kept % kBaseDigits;  // decimals kept in the last kept digit, 0 = all
  int count = static_cast<int>(var->digits.size());
  if (!(kept < count || (kept == count && partial > 0))) return;
  DigitVector& digits = var->digits;
  int carry = 0;
  int carry_index = kept;  // the carry goes into the digits before this index
  if (partial == 0) {
    carry = digits[kept] >= kHalfBase ? 1 : 0;
    digits.resize(kept);
  } else {
    digits.resize(kept);
    int last = kept - 1;  // the digit rounded within
    int unit = kRoundPowers[partial];
    int extra = digits[last] % unit;
    int rounded = digits[last] - extra;
    if (extra >= unit / 2) rounded += unit;
    carry = rounded >= kBase ? 1 : 0;
    digits[last] = static_cast<Digit>(rounded - carry * kBase);
    carry_index = last;
  }
  PropagateCarry(var, carry_index, carry);
}

void Truncate(Var* var, int rscale) {
  var->dscale = rscale;
  int decimals_kept = (var->weight + 1) * kBaseDigits + rscale;
  if (decimals_kept <= 0) {
    var->digits.clear();
    var->weight = 0;
    var->negative = false;
    return;
  }
  int kept = (decimals_kept + kBaseDigits - 1) / kBaseDigits;
  if (kept > static_cast<int>(var->digits.size())) return;
  var->digits.resize(kept);
  int partial = decimals_kept % kBaseDigits;
  if (partial > 0) {
    Digit& last = var->digits[kept - 1];
    last = static_cast<Digit>(last - last % kRoundPowers[partial]);
  }
}

void Strip(Var* var) {
  DigitVector& digits = var->digits;
  size_t leading = 0;
  while (leading < digits.size() && digits[leading] == 0) leading++;
  if (leading > 0) {
    digits.EraseFront(leading);
    var->weight -= static_cast<int>(leading);
  }
  while (!digits.empty() && digits.back() == 0) digits.pop_back();
  if (digits.empty()) {
    var->negative = false;
    var->weight = 0;
  }
}

Var Ceil(const Var& var) {
  Var result = var;
  Truncate(&result, 0);
  if (!var.negative && Compare(var, result) != 0) result = Add(result, VarFromInt64(1));
  return result;
}

Var Floor(const Var& var) {
  Var result = var;
  Truncate(&result, 0);
  if (var.negative && Compare(var, result) != 0) result = Subtract(result, VarFromInt64(1));
  return result;
}

}  // namespace plexus::sql::numeric_internal
