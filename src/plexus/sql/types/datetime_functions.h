// PostgreSQL 15's date/time operators and functions: arithmetic with days and
// intervals (month arithmetic clamps the day of month), differences, casts
// between the types, age, make_date / make_timestamp, extract / date_part and
// date_trunc. Zoned operations take the session zone. Errors are SQLSTATE 22008
// ("date out of range", "timestamp out of range", "cannot subtract infinite
// dates"), 22023 / 0A000 for units that are unknown / unsupported.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/types/datetime.h"
#include "plexus/sql/types/interval.h"

namespace plexus::sql {

class TimeZone;

// date + integer, date - integer, date - date.
Result<Date> AddDays(Date date, int32_t days);
Result<Date> SubtractDays(Date date, int32_t days);
Result<int32_t> SubtractDates(Date a, Date b);

// Casts. date -> timestamp fails past 294276 AD ("date out of range for
// timestamp").
Result<Timestamp> DateToTimestamp(Date date);
Result<TimestampTz> DateToTimestampTz(Date date, const TimeZone &zone);
Result<Date> TimestampToDate(Timestamp value);
Result<Date> TimestampTzToDate(TimestampTz value, const TimeZone &zone);
Result<Timestamp> TimestampTzToTimestamp(TimestampTz value, const TimeZone &zone);
Result<TimestampTz> TimestampToTimestampTz(Timestamp value, const TimeZone &zone);
Time TimestampToTime(Timestamp value);  // REQUIRES: finite

// date + time, date + interval, date - interval (all give timestamp).
Result<Timestamp> AddDateTime(Date date, Time time);
Result<Timestamp> AddDateInterval(Date date, const Interval &span);
Result<Timestamp> SubtractDateInterval(Date date, const Interval &span);

// timestamp +/- interval: months first (clamping the day to the month's
// length), then days, then the time. For timestamptz the months and days move
// the local wall clock in `zone`.
Result<Timestamp> AddTimestampInterval(Timestamp value, const Interval &span);
Result<Timestamp> SubtractTimestampInterval(Timestamp value, const Interval &span);
Result<TimestampTz> AddTimestampTzInterval(TimestampTz value, const Interval &span,
                                           const TimeZone &zone);
Result<TimestampTz> SubtractTimestampTzInterval(TimestampTz value, const Interval &span,
                                                const TimeZone &zone);
// timestamp - timestamp: the difference in time, then justify_hours.
Result<Interval> SubtractTimestamps(Timestamp a, Timestamp b);
Result<Interval> SubtractTimestampTzs(TimestampTz a, TimestampTz b);

// time + interval and time - interval wrap around midnight; time - time is an
// interval.
Time AddTimeInterval(Time time, const Interval &span);
Time SubtractTimeInterval(Time time, const Interval &span);
Interval SubtractTimes(Time a, Time b);

// age(a, b): the symbolic difference in years, months, days and time; age(x) is
// age(today's midnight, x), whose first argument the caller supplies.
Result<Interval> Age(Timestamp a, Timestamp b);
Result<Interval> AgeTz(TimestampTz a, TimestampTz b, const TimeZone &zone);

// make_date, make_time, make_timestamp (negative years are BC).
Result<Date> MakeDate(int32_t year, int32_t month, int32_t day);
Result<Time> MakeTime(int32_t hour, int32_t minute, double second);
Result<Timestamp> MakeTimestamp(int32_t year, int32_t month, int32_t day, int32_t hour,
                                int32_t minute, double second);
// to_timestamp(double): seconds since 1970-01-01 UTC.
Result<TimestampTz> ToTimestampFromEpoch(double seconds);

// The result of extract / date_part. extract returns numeric in PostgreSQL 15
// and date_part returns double precision, which can differ in the last digits,
// so both are given: the exact decimal `unscaled / 10^scale` (render with
// DecimalText) and the double as date_part computes it. `kind` tells NULL (e.g.
// extract(day from 'infinity')) and +-Infinity.
struct DateTimePart {
  enum class Kind : uint8_t { kNull, kFinite, kInfinity, kNegativeInfinity };
  Kind kind = Kind::kFinite;
  __int128 unscaled = 0;
  int scale = 0;
  double value = 0;  // the date_part (float8) result
  // The numeric result as PostgreSQL prints it: "5.500000", "Infinity", "" for
  // NULL.
  std::string DecimalText() const;
};

// extract(field from x). Units as PostgreSQL spells them (case-insensitive):
// microseconds, milliseconds, second, minute, hour, day, week, month, quarter,
// year, decade, century, millennium, dow, isodow, doy, isoyear, julian, epoch,
// and for timestamptz timezone, timezone_hour, timezone_minute. date_part on a
// date is date_part on the date cast to timestamp (PostgreSQL defines it so);
// ExtractDate is extract's own date version.
Result<DateTimePart> ExtractTimestamp(std::string_view unit, Timestamp value);
Result<DateTimePart> ExtractTimestampTz(std::string_view unit, TimestampTz value,
                                        const TimeZone &zone);
Result<DateTimePart> ExtractDate(std::string_view unit, Date value);
Result<DateTimePart> ExtractTime(std::string_view unit, Time value);
Result<DateTimePart> ExtractInterval(std::string_view unit, const Interval &value);

// date_trunc(unit, x): microseconds .. millennium and week (ISO Monday). The
// timestamptz form truncates the local time in `zone` (date_trunc(unit, x,
// zone) passes a named zone).
Result<Timestamp> TruncateTimestamp(std::string_view unit, Timestamp value);
Result<TimestampTz> TruncateTimestampTz(std::string_view unit, TimestampTz value,
                                        const TimeZone &zone);
Result<Interval> TruncateInterval(std::string_view unit, const Interval &value);

// ISO 8601 week helpers (PostgreSQL's date2isoweek, date2isoyear, isoweek2j).
int IsoWeekOfDate(int year, int month, int day);
int IsoYearOfDate(int year, int month, int day);
int32_t IsoWeekToJulian(int iso_year, int week);

}  // namespace plexus::sql
