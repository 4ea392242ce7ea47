// Interval comparison, keys, output and arithmetic (PostgreSQL 15's
// interval_cmp, interval_out in 'postgres' style, interval_pl/mi/um/mul/div,
// justify_*, make_interval).
#include "plexus/sql/types/interval.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime.h"

namespace plexus::sql {

namespace {

bool FitsInt32(int64_t value) {
  return value >= std::numeric_limits<int32_t>::min() &&
         value <= std::numeric_limits<int32_t>::max();
}

// PostgreSQL's FLOAT8_FITS_IN_INT64.
bool DoubleFitsInt64(double value) {
  return !std::isnan(value) && value >= -9223372036854775808.0 && value < 9223372036854775808.0;
}

bool DoubleFitsInt32(double value) {
  return !std::isnan(value) && value <= std::numeric_limits<int32_t>::max() &&
         value >= std::numeric_limits<int32_t>::min();
}

// PostgreSQL's TSROUND: round to microsecond precision in the units of the
// value.
double RoundToMicros(double value) { return std::rint(value * 1000000.0) / 1000000.0; }

// "1 year", "-2 mons", "+3 days": a part of the 'postgres' style output. A part
// after a negative one gets an explicit '+' when positive.
void AppendPart(std::string *out, int64_t value, const char *unit, bool *is_zero, bool *is_before) {
  if (value == 0) return;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%s%s%lld %s%s", *is_zero ? "" : " ",
                (*is_before && value > 0) ? "+" : "", static_cast<long long>(value), unit,
                value != 1 ? "s" : "");
  out->append(buffer);
  *is_before = value < 0;
  *is_zero = false;
}

// The fractional months / days of a product or quotient, cascaded down as
// interval_mul does.
Result<Interval> CascadeFractions(const Interval &value, double months_exact, double days_exact,
                                  double micros_exact) {
  if (!DoubleFitsInt32(months_exact) || !DoubleFitsInt32(days_exact)) {
    return IntervalOutOfRange();
  }
  Interval result;
  result.months = static_cast<int32_t>(months_exact);
  result.days = static_cast<int32_t>(days_exact);
  double month_remainder_days = RoundToMicros((months_exact - result.months) * kDaysPerMonth);
  double second_remainder = RoundToMicros(
      (days_exact - result.days + month_remainder_days - static_cast<int>(month_remainder_days)) *
      kSecondsPerDay);
  // Rounding, or the cascade, can make a whole day or more of seconds.
  if (std::fabs(second_remainder) >= kSecondsPerDay) {
    int whole_days = static_cast<int>(second_remainder / kSecondsPerDay);
    result.days += whole_days;
    second_remainder -= static_cast<double>(whole_days) * kSecondsPerDay;
  }
  result.days += static_cast<int32_t>(month_remainder_days);
  double micros = std::rint(micros_exact + second_remainder * kMicrosPerSecond);
  if (!DoubleFitsInt64(micros)) return IntervalOutOfRange();
  result.micros = static_cast<int64_t>(micros);
  (void)value;
  return result;
}

}  // namespace

Status IntervalOutOfRange() { return SqlError(kDatetimeFieldOverflow, "interval out of range"); }

__int128 IntervalNormalizedMicros(const Interval &value) {
  __int128 days = static_cast<__int128>(value.months) * kDaysPerMonth + value.days;
  return days * kMicrosPerDay + value.micros;
}

std::strong_ordering CompareIntervals(const Interval &a, const Interval &b) {
  return IntervalNormalizedMicros(a) <=> IntervalNormalizedMicros(b);
}

void AppendKey(std::string *out, const Interval &value) {
  unsigned __int128 bits = static_cast<unsigned __int128>(IntervalNormalizedMicros(value));
  AppendBigEndianFlipped(out, static_cast<uint64_t>(bits >> 64), 8);
  AppendBigEndianFlipped(out, static_cast<uint64_t>(bits) ^ (uint64_t{1} << 63), 8);
}

std::string FormatInterval(const Interval &value) {
  std::string out;
  bool is_zero = true;
  bool is_before = false;
  AppendPart(&out, value.months / kMonthsPerYear, "year", &is_zero, &is_before);
  AppendPart(&out, value.months % kMonthsPerYear, "mon", &is_zero, &is_before);
  AppendPart(&out, value.days, "day", &is_zero, &is_before);
  int64_t time = value.micros;
  int64_t hours = time / kMicrosPerHour;
  time -= hours * kMicrosPerHour;
  int64_t minutes = time / kMicrosPerMinute;
  time -= minutes * kMicrosPerMinute;
  int64_t seconds = time / kMicrosPerSecond;
  int64_t micros = time - seconds * kMicrosPerSecond;
  if (is_zero || hours != 0 || minutes != 0 || seconds != 0 || micros != 0) {
    bool minus = hours < 0 || minutes < 0 || seconds < 0 || micros < 0;
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%s%s%02lld:%02lld:", is_zero ? "" : " ",
                  minus ? "-" : (is_before ? "+" : ""),
                  static_cast<long long>(hours < 0 ? -hours : hours),
                  static_cast<long long>(minutes < 0 ? -minutes : minutes));
    out.append(buffer);
    std::snprintf(buffer, sizeof(buffer), "%02lld", static_cast<long long>(std::llabs(seconds)));
    out.append(buffer);
    if (micros != 0) {
      std::snprintf(buffer, sizeof(buffer), ".%06lld", static_cast<long long>(std::llabs(micros)));
      std::string_view fraction = buffer;
      while (fraction.back() == '0') fraction.remove_suffix(1);
      out.append(fraction);
    }
  }
  return out;
}

Result<Interval> NegateInterval(const Interval &value) {
  if (value.micros == std::numeric_limits<int64_t>::min() ||
      value.days == std::numeric_limits<int32_t>::min() ||
      value.months == std::numeric_limits<int32_t>::min()) {
    return IntervalOutOfRange();
  }
  return Interval{-value.micros, -value.days, -value.months};
}

Result<Interval> AddIntervals(const Interval &a, const Interval &b) {
  Interval result;
  if (__builtin_add_overflow(a.months, b.months, &result.months) ||
      __builtin_add_overflow(a.days, b.days, &result.days) ||
      __builtin_add_overflow(a.micros, b.micros, &result.micros)) {
    return IntervalOutOfRange();
  }
  return result;
}

Result<Interval> SubtractIntervals(const Interval &a, const Interval &b) {
  Interval result;
  if (__builtin_sub_overflow(a.months, b.months, &result.months) ||
      __builtin_sub_overflow(a.days, b.days, &result.days) ||
      __builtin_sub_overflow(a.micros, b.micros, &result.micros)) {
    return IntervalOutOfRange();
  }
  return result;
}

Result<Interval> MultiplyInterval(const Interval &value, double factor) {
  return CascadeFractions(value, value.months * factor, value.days * factor,
                          static_cast<double>(value.micros) * factor);
}

Result<Interval> DivideInterval(const Interval &value, double divisor) {
  if (divisor == 0.0) return SqlError(kDivisionByZero, "division by zero");
  return CascadeFractions(value, value.months / divisor, value.days / divisor,
                          static_cast<double>(value.micros) / divisor);
}

Result<Interval> JustifyHours(const Interval &value) {
  Interval result = value;
  int64_t whole_days = result.micros / kMicrosPerDay;
  result.micros -= whole_days * kMicrosPerDay;
  int64_t days = int64_t{result.days} + whole_days;
  if (!FitsInt32(days)) return IntervalOutOfRange();
  result.days = static_cast<int32_t>(days);
  if (result.days > 0 && result.micros < 0) {
    result.micros += kMicrosPerDay;
    result.days--;
  } else if (result.days < 0 && result.micros > 0) {
    result.micros -= kMicrosPerDay;
    result.days++;
  }
  return result;
}

Result<Interval> JustifyDays(const Interval &value) {
  Interval result = value;
  int32_t whole_months = result.days / kDaysPerMonth;
  result.days -= whole_months * kDaysPerMonth;
  if (__builtin_add_overflow(result.months, whole_months, &result.months)) {
    return IntervalOutOfRange();
  }
  if (result.months > 0 && result.days < 0) {
    result.days += kDaysPerMonth;
    result.months--;
  } else if (result.months < 0 && result.days > 0) {
    result.days -= kDaysPerMonth;
    result.months++;
  }
  return result;
}

Result<Interval> JustifyInterval(const Interval &value) {
  Interval result = value;
  // Fold days into months first when that keeps the day count small (no
  // overflow below).
  if ((result.days > 0 && result.micros > 0) || (result.days < 0 && result.micros < 0)) {
    int32_t whole_months = result.days / kDaysPerMonth;
    result.days -= whole_months * kDaysPerMonth;
    if (__builtin_add_overflow(result.months, whole_months, &result.months)) {
      return IntervalOutOfRange();
    }
  }
  int64_t whole_days = result.micros / kMicrosPerDay;
  result.micros -= whole_days * kMicrosPerDay;
  result.days += static_cast<int32_t>(whole_days);
  int32_t whole_months = result.days / kDaysPerMonth;
  result.days -= whole_months * kDaysPerMonth;
  if (__builtin_add_overflow(result.months, whole_months, &result.months)) {
    return IntervalOutOfRange();
  }
  if (result.months > 0 && (result.days < 0 || (result.days == 0 && result.micros < 0))) {
    result.days += kDaysPerMonth;
    result.months--;
  } else if (result.months < 0 && (result.days > 0 || (result.days == 0 && result.micros > 0))) {
    result.days -= kDaysPerMonth;
    result.months++;
  }
  if (result.days > 0 && result.micros < 0) {
    result.micros += kMicrosPerDay;
    result.days--;
  } else if (result.days < 0 && result.micros > 0) {
    result.micros -= kMicrosPerDay;
    result.days++;
  }
  return result;
}

Result<Interval> MakeInterval(int32_t years, int32_t months, int32_t weeks, int32_t days,
                              int32_t hours, int32_t minutes, double seconds) {
  if (std::isinf(seconds) || std::isnan(seconds)) return IntervalOutOfRange();
  // PostgreSQL 15 checks only the seconds; the integer parts wrap around as its
  // int32 math does.
  auto wrap32 = [](int64_t value) { return static_cast<int32_t>(static_cast<uint32_t>(value)); };
  Interval result;
  result.months = wrap32(int64_t{years} * kMonthsPerYear + months);
  result.days = wrap32(int64_t{weeks} * 7 + days);
  double second_micros = std::rint(seconds * kMicrosPerSecond);
  if (!DoubleFitsInt64(second_micros)) return IntervalOutOfRange();
  int64_t micros = int64_t{hours} * kMicrosPerHour + int64_t{minutes} * kMicrosPerMinute;
  if (__builtin_add_overflow(micros, static_cast<int64_t>(second_micros), &result.micros)) {
    return IntervalOutOfRange();
  }
  return result;
}

}  // namespace plexus::sql
