// Date/time arithmetic and casts as PostgreSQL 15 defines them (date_pli,
// date_mi, timestamp_pl_interval, timestamptz_pl_interval, timestamp_mi,
// timestamp_age, the casts).
#include <cmath>
#include <cstdio>
#include <limits>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_functions.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

Status DateOutOfRange() { return SqlError(kDatetimeFieldOverflow, "date out of range"); }
Status TimestampOutOfRange() { return SqlError(kDatetimeFieldOverflow, "timestamp out of range"); }
Status DateOutOfRangeForTimestamp() {
  return SqlError(kDatetimeFieldOverflow, "date out of range for timestamp");
}

// Adds months to broken-down fields, clamping the day to the new month's
// length.
void AddMonthsToFields(int32_t months, DateTimeFields *fields) {
  int64_t month = int64_t{fields->month} + months;
  int64_t year = fields->year;
  if (month > kMonthsPerYear) {
    year += (month - 1) / kMonthsPerYear;
    month = (month - 1) % kMonthsPerYear + 1;
  } else if (month < 1) {
    year += month / kMonthsPerYear - 1;
    month = month % kMonthsPerYear + kMonthsPerYear;
  }
  fields->year = static_cast<int>(year);
  fields->month = static_cast<int>(month);
  int last_day = DaysInMonth(fields->year, fields->month);
  if (fields->day > last_day) fields->day = last_day;
}

// Adds days to the date part of fields through the Julian day number.
bool AddDaysToFields(int32_t days, DateTimeFields *fields) {
  int64_t julian = int64_t{DateToJulian(fields->year, fields->month, fields->day)} + days;
  if (julian < 0 || julian > std::numeric_limits<int32_t>::max()) return false;
  JulianToDate(static_cast<int32_t>(julian), &fields->year, &fields->month, &fields->day);
  return true;
}

// PostgreSQL negates the interval of timestamp - interval without an overflow
// check, so the most negative field stays as it is (two's complement wrap).
Interval NegatedUnchecked(const Interval &span) {
  return Interval{static_cast<int64_t>(0 - static_cast<uint64_t>(span.micros)),
                  static_cast<int32_t>(0 - static_cast<uint32_t>(span.days)),
                  static_cast<int32_t>(0 - static_cast<uint32_t>(span.months))};
}

void FieldsSignedDifference(const DateTimeFields &a, const DateTimeFields &b, DateTimeFields *out) {
  out->micros = a.micros - b.micros;
  out->second = a.second - b.second;
  out->minute = a.minute - b.minute;
  out->hour = a.hour - b.hour;
  out->day = a.day - b.day;
  out->month = a.month - b.month;
  out->year = a.year - b.year;
}

// Makes *low non-negative by borrowing units of `base` from *high.
void Borrow(int64_t *low, int64_t *high, int64_t base) {
  if (*low >= 0) return;
  int64_t borrowed = (-*low + base - 1) / base;
  *low += borrowed * base;
  *high -= borrowed;
}

// PostgreSQL's timestamp_age on broken-down fields; `a_before_b` is a < b as
// instants.
Result<Interval> SymbolicDifference(const DateTimeFields &a, const DateTimeFields &b,
                                    bool a_before_b) {
  DateTimeFields d;
  FieldsSignedDifference(a, b, &d);
  int sign = a_before_b ? -1 : 1;
  int64_t micros = int64_t{d.micros} * sign;
  int64_t second = int64_t{d.second} * sign, minute = int64_t{d.minute} * sign;
  int64_t hour = int64_t{d.hour} * sign, day = int64_t{d.day} * sign;
  int64_t month = int64_t{d.month} * sign, year = int64_t{d.year} * sign;
  // Borrow from the next larger field; a borrowed month has the length of the
  // earlier timestamp's month.
  const DateTimeFields &earlier = a_before_b ? a : b;
  Borrow(&micros, &second, kMicrosPerSecond);
  Borrow(&second, &minute, 60);
  Borrow(&minute, &hour, 60);
  Borrow(&hour, &day, 24);
  Borrow(&day, &month, DaysInMonth(earlier.year, earlier.month));
  Borrow(&month, &year, kMonthsPerYear);
  int64_t months = (year * kMonthsPerYear + month) * sign;
  int64_t days = day * sign;
  int64_t time = (((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + micros) * sign;
  if (months < std::numeric_limits<int32_t>::min() ||
      months > std::numeric_limits<int32_t>::max()) {
    return IntervalOutOfRange();
  }
  return Interval{time, static_cast<int32_t>(days), static_cast<int32_t>(months)};
}

std::string FormatSeconds(double second) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%02g", second);
  return buffer;
}

// PostgreSQL's float_time_overflows.
bool FloatTimeOverflows(int32_t hour, int32_t minute, double second) {
  if (hour < 0 || hour > 24 || minute < 0 || minute >= 60) return true;
  if (std::isnan(second)) return true;
  double micros = std::rint(second * kMicrosPerSecond);
  if (micros < 0 || micros > 60.0 * kMicrosPerSecond) return true;
  return (int64_t{hour} * 60 + minute) * 60 * kMicrosPerSecond + static_cast<int64_t>(micros) >
         kMicrosPerDay;
}

}  // namespace

Result<Date> AddDays(Date date, int32_t days) {
  if (!IsFinite(date)) return date;
  int64_t result = int64_t{date.days} + days;
  if (!IsValidDateDays(result)) return DateOutOfRange();
  return Date{static_cast<int32_t>(result)};
}

Result<Date> SubtractDays(Date date, int32_t days) {
  if (!IsFinite(date)) return date;
  int64_t result = int64_t{date.days} - days;
  if (!IsValidDateDays(result)) return DateOutOfRange();
  return Date{static_cast<int32_t>(result)};
}

Result<int32_t> SubtractDates(Date a, Date b) {
  if (!IsFinite(a) || !IsFinite(b)) {
    return SqlError(kDatetimeFieldOverflow, "cannot subtract infinite dates");
  }
  return a.days - b.days;
}

Result<Timestamp> DateToTimestamp(Date date) {
  if (date.days == kDateNegativeInfinity) return Timestamp{kTimestampNegativeInfinity};
  if (date.days == kDatePositiveInfinity) return Timestamp{kTimestampPositiveInfinity};
  if (date.days >= kTimestampEndJulian - kPostgresEpochJulian) return DateOutOfRangeForTimestamp();
  return Timestamp{int64_t{date.days} * kMicrosPerDay};
}

Result<TimestampTz> DateToTimestampTz(Date date, const TimeZone &zone) {
  if (date.days == kDateNegativeInfinity) return TimestampTz{kTimestampNegativeInfinity};
  if (date.days == kDatePositiveInfinity) return TimestampTz{kTimestampPositiveInfinity};
  if (date.days >= kTimestampEndJulian - kPostgresEpochJulian) return DateOutOfRangeForTimestamp();
  DateTimeFields fields = DateToFields(date);
  int32_t offset = LocalOffsetOfFields(fields, zone);
  int64_t result = int64_t{date.days} * kMicrosPerDay - int64_t{offset} * kMicrosPerSecond;
  if (!IsValidTimestampMicros(result)) return DateOutOfRangeForTimestamp();
  return TimestampTz{result};
}

Result<Date> TimestampToDate(Timestamp value) {
  if (value.micros == kTimestampNegativeInfinity) return Date{kDateNegativeInfinity};
  if (value.micros == kTimestampPositiveInfinity) return Date{kDatePositiveInfinity};
  DateTimeFields fields;
  if (!TimestampToFields(value, &fields)) return TimestampOutOfRange();
  return Date{DateToJulian(fields.year, fields.month, fields.day) - kPostgresEpochJulian};
}

Result<Date> TimestampTzToDate(TimestampTz value, const TimeZone &zone) {
  if (value.micros == kTimestampNegativeInfinity) return Date{kDateNegativeInfinity};
  if (value.micros == kTimestampPositiveInfinity) return Date{kDatePositiveInfinity};
  DateTimeFields fields;
  if (!TimestampTzToFields(value, zone, &fields)) return TimestampOutOfRange();
  return Date{DateToJulian(fields.year, fields.month, fields.day) - kPostgresEpochJulian};
}

Result<Timestamp> TimestampTzToTimestamp(TimestampTz value, const TimeZone &zone) {
  if (!IsFinite(value)) return Timestamp{value.micros};
  DateTimeFields fields;
  Timestamp result;
  if (!TimestampTzToFields(value, zone, &fields) || !FieldsToTimestamp(fields, &result)) {
    return TimestampOutOfRange();
  }
  return result;
}

Result<TimestampTz> TimestampToTimestampTz(Timestamp value, const TimeZone &zone) {
  if (!IsFinite(value)) return TimestampTz{value.micros};
  DateTimeFields fields;
  if (!TimestampToFields(value, &fields)) return TimestampOutOfRange();
  int32_t offset = LocalOffsetOfFields(fields, zone);
  int64_t result = value.micros - int64_t{offset} * kMicrosPerSecond;
  if (!IsValidTimestampMicros(result)) return TimestampOutOfRange();
  return TimestampTz{result};
}

Time TimestampToTime(Timestamp value) {
  int64_t micros = value.micros % kMicrosPerDay;
  return Time{micros < 0 ? micros + kMicrosPerDay : micros};
}

Result<Timestamp> AddDateTime(Date date, Time time) {
  PLEXUS_ASSIGN_OR_RETURN(Timestamp start, DateToTimestamp(date));
  if (!IsFinite(start)) return start;
  int64_t result = start.micros + time.micros;
  if (!IsValidTimestampMicros(result)) return TimestampOutOfRange();
  return Timestamp{result};
}

Result<Timestamp> AddDateInterval(Date date, const Interval &span) {
  PLEXUS_ASSIGN_OR_RETURN(Timestamp start, DateToTimestamp(date));
  return AddTimestampInterval(start, span);
}

Result<Timestamp> SubtractDateInterval(Date date, const Interval &span) {
  PLEXUS_ASSIGN_OR_RETURN(Timestamp start, DateToTimestamp(date));
  return SubtractTimestampInterval(start, span);
}

Result<Timestamp> AddTimestampInterval(Timestamp value, const Interval &span) {
  if (!IsFinite(value)) return value;
  Timestamp result = value;
  if (span.months != 0) {
    DateTimeFields fields;
    if (!TimestampToFields(result, &fields)) return TimestampOutOfRange();
    AddMonthsToFields(span.months, &fields);
    if (!FieldsToTimestamp(fields, &result)) return TimestampOutOfRange();
  }
  if (span.days != 0) {
    DateTimeFields fields;
    if (!TimestampToFields(result, &fields) || !AddDaysToFields(span.days, &fields) ||
        !FieldsToTimestamp(fields, &result)) {
      return TimestampOutOfRange();
    }
  }
  if (__builtin_add_overflow(result.micros, span.micros, &result.micros) ||
      !IsValidTimestampMicros(result.micros)) {
    return TimestampOutOfRange();
  }
  return result;
}

Result<Timestamp> SubtractTimestampInterval(Timestamp value, const Interval &span) {
  return AddTimestampInterval(value, NegatedUnchecked(span));
}

Result<TimestampTz> AddTimestampTzInterval(TimestampTz value, const Interval &span,
                                           const TimeZone &zone) {
  if (!IsFinite(value)) return value;
  TimestampTz result = value;
  if (span.months != 0) {
    DateTimeFields fields;
    if (!TimestampTzToFields(result, zone, &fields)) return TimestampOutOfRange();
    AddMonthsToFields(span.months, &fields);
    if (!FieldsToTimestampTz(fields, zone, &result)) return TimestampOutOfRange();
  }
  if (span.days != 0) {
    DateTimeFields fields;
    if (!TimestampTzToFields(result, zone, &fields) || !AddDaysToFields(span.days, &fields) ||
        !FieldsToTimestampTz(fields, zone, &result)) {
      return TimestampOutOfRange();
    }
  }
  if (__builtin_add_overflow(result.micros, span.micros, &result.micros) ||
      !IsValidTimestampMicros(result.micros)) {
    return TimestampOutOfRange();
  }
  return result;
}

Result<TimestampTz> SubtractTimestampTzInterval(TimestampTz value, const Interval &span,
                                                const TimeZone &zone) {
  return AddTimestampTzInterval(value, NegatedUnchecked(span), zone);
}

Result<Interval> SubtractTimestamps(Timestamp a, Timestamp b) {
  if (!IsFinite(a) || !IsFinite(b)) {
    return SqlError(kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  Interval difference;
  if (__builtin_sub_overflow(a.micros, b.micros, &difference.micros)) return IntervalOutOfRange();
  return JustifyHours(difference);
}

Result<Interval> SubtractTimestampTzs(TimestampTz a, TimestampTz b) {
  return SubtractTimestamps(Timestamp{a.micros}, Timestamp{b.micros});
}

Time AddTimeInterval(Time time, const Interval &span) {
  int64_t result = time.micros + span.micros % kMicrosPerDay;
  result %= kMicrosPerDay;
  if (result < 0) result += kMicrosPerDay;
  return Time{result};
}

Time SubtractTimeInterval(Time time, const Interval &span) {
  int64_t result = time.micros - span.micros % kMicrosPerDay;
  result %= kMicrosPerDay;
  if (result < 0) result += kMicrosPerDay;
  return Time{result};
}

Interval SubtractTimes(Time a, Time b) { return Interval{a.micros - b.micros, 0, 0}; }

// As PostgreSQL 15, age() breaks infinite timestamps down like finite ones (the
// fields of INT64_MAX microseconds), so it gives a large interval rather than
// an error.
Result<Interval> Age(Timestamp a, Timestamp b) {
  DateTimeFields fields_a, fields_b;
  if (!TimestampToFields(a, &fields_a) || !TimestampToFields(b, &fields_b)) {
    return TimestampOutOfRange();
  }
  return SymbolicDifference(fields_a, fields_b, a < b);
}

Result<Interval> AgeTz(TimestampTz a, TimestampTz b, const TimeZone &zone) {
  DateTimeFields fields_a, fields_b;
  if (!TimestampTzToFields(a, zone, &fields_a) || !TimestampTzToFields(b, zone, &fields_b)) {
    return TimestampOutOfRange();
  }
  return SymbolicDifference(fields_a, fields_b, a < b);
}

namespace {

// make_date's and make_timestamp's date checks: negative years are BC, year 0
// does not exist. `shown_year` is the year the error messages print.
Result<int32_t> ValidatedDays(int32_t year, int32_t month, int32_t day, bool show_input_year) {
  int64_t magnitude = year < 0 ? -int64_t{year} : year;
  int64_t astronomical = year < 0 ? 1 - magnitude : magnitude;
  auto text = [&](int64_t shown_year) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%lld-%02d-%02d", static_cast<long long>(shown_year),
                  month, day);
    return std::string(buffer);
  };
  if (magnitude == 0 || month < 1 || month > 12 || day < 1 || day > 31) {
    return SqlError(kDatetimeFieldOverflow,
                    "date field value out of range: " + text(show_input_year ? year : magnitude));
  }
  int64_t shown = show_input_year ? year : astronomical;
  if (astronomical > std::numeric_limits<int>::max() ||
      day > DaysInMonth(static_cast<int>(astronomical), month)) {
    return SqlError(kDatetimeFieldOverflow, "date field value out of range: " + text(shown));
  }
  int year_value = static_cast<int>(astronomical);
  int64_t days = int64_t{DateToJulian(year_value, month, day)} - kPostgresEpochJulian;
  if (!IsValidJulianDate(year_value, month, day) || !IsValidDateDays(days)) {
    return SqlError(kDatetimeFieldOverflow, "date out of range: " + text(shown));
  }
  return static_cast<int32_t>(days);
}

}  // namespace

Result<Date> MakeDate(int32_t year, int32_t month, int32_t day) {
  PLEXUS_ASSIGN_OR_RETURN(int32_t days, ValidatedDays(year, month, day, false));
  return Date{days};
}

Result<Time> MakeTime(int32_t hour, int32_t minute, double second) {
  if (FloatTimeOverflows(hour, minute, second)) {
    char buffer[96];
    std::snprintf(buffer, sizeof(buffer), "time field value out of range: %d:%02d:%s", hour, minute,
                  FormatSeconds(second).c_str());
    return SqlError(kDatetimeFieldOverflow, buffer);
  }
  return Time{(int64_t{hour} * 60 + minute) * 60 * kMicrosPerSecond +
              static_cast<int64_t>(std::rint(second * kMicrosPerSecond))};
}

Result<Timestamp> MakeTimestamp(int32_t year, int32_t month, int32_t day, int32_t hour,
                                int32_t minute, double second) {
  PLEXUS_ASSIGN_OR_RETURN(int64_t date, ValidatedDays(year, month, day, true));
  PLEXUS_ASSIGN_OR_RETURN(Time time, MakeTime(hour, minute, second));
  int64_t result = 0;
  bool overflow = __builtin_mul_overflow(date, kMicrosPerDay, &result) ||
                  __builtin_add_overflow(result, time.micros, &result);
  if (overflow || (result < 0 && date > 0) || (result > 0 && date < -1) ||
      !IsValidTimestampMicros(result)) {
    char buffer[128];
    std::snprintf(buffer, sizeof(buffer), "timestamp out of range: %d-%02d-%02d %d:%02d:%s", year,
                  month, day, hour, minute, FormatSeconds(second).c_str());
    return SqlError(kDatetimeFieldOverflow, buffer);
  }
  return Timestamp{result};
}

Result<TimestampTz> ToTimestampFromEpoch(double seconds) {
  if (std::isnan(seconds)) return SqlError(kDatetimeFieldOverflow, "timestamp cannot be NaN");
  if (std::isinf(seconds)) {
    return TimestampTz{seconds < 0 ? kTimestampNegativeInfinity : kTimestampPositiveInfinity};
  }
  char text[64];
  std::snprintf(text, sizeof(text), "timestamp out of range: \"%g\"", seconds);
  double min_seconds = static_cast<double>(kSecondsPerDay) * (0 - kUnixEpochJulian);
  double end_seconds =
      static_cast<double>(kSecondsPerDay) * (kTimestampEndJulian - kUnixEpochJulian);
  if (seconds < min_seconds || seconds >= end_seconds) {
    return SqlError(kDatetimeFieldOverflow, text);
  }
  double micros =
      std::rint((seconds - static_cast<double>(kPostgresEpochUnixSeconds)) * kMicrosPerSecond);
  int64_t result = static_cast<int64_t>(micros);
  if (!IsValidTimestampMicros(result)) return SqlError(kDatetimeFieldOverflow, text);
  return TimestampTz{result};
}

}  // namespace plexus::sql
