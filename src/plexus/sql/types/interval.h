// PostgreSQL's interval: months, days and microseconds kept apart (a month is
// not a fixed number of days, nor a day of hours across DST), compared and
// keyed by the normalized value months * 30 days + days * 24 h + micros. Input
// in PostgreSQL's and ISO 8601 formats, output in IntervalStyle 'postgres', and
// the interval arithmetic of PostgreSQL 15.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::sql {

struct Interval {
  int64_t micros = 0;
  int32_t days = 0;
  int32_t months = 0;
};

// The value intervals compare by: 128-bit microseconds with 1 month = 30 days,
// 1 day = 24 h.
__int128 IntervalNormalizedMicros(const Interval &value);
// Ordering as PostgreSQL's interval_cmp: '1 mon' == '30 days', '1 day' == '24
// hours'.
std::strong_ordering CompareIntervals(const Interval &a, const Interval &b);
inline bool operator==(const Interval &a, const Interval &b) {
  return CompareIntervals(a, b) == std::strong_ordering::equal;
}
inline std::strong_ordering operator<=>(const Interval &a, const Interval &b) {
  return CompareIntervals(a, b);
}
// Field-by-field identity ('1 mon' and '30 days' differ), e.g. for tests and
// DISTINCT on text.
inline bool SameFields(const Interval &a, const Interval &b) {
  return a.micros == b.micros && a.days == b.days && a.months == b.months;
}

// Order-preserving key of the normalized value: 16 bytes, the 128-bit integer
// with its sign bit flipped, big-endian. Intervals that compare equal get equal
// keys (as in a PostgreSQL btree); the key is not decodable to the fields.
void AppendKey(std::string *out, const Interval &value);

// Input. Errors: 22007 invalid input syntax for type interval: "<input>"; 22015
// interval field value out of range: "<input>"; 22008 interval out of range.
Result<Interval> ParseInterval(std::string_view text);
// Output in IntervalStyle 'postgres': '1 year 2 mons 3 days 04:05:06', '-1 days
// +02:00:00'.
std::string FormatInterval(const Interval &value);

// Arithmetic; 22008 "interval out of range" on overflow, 22012 "division by
// zero".
Result<Interval> NegateInterval(const Interval &value);
Result<Interval> AddIntervals(const Interval &a, const Interval &b);
Result<Interval> SubtractIntervals(const Interval &a, const Interval &b);
// interval * float8: fractional months spill into days (30 per month),
// fractional days into time, as PostgreSQL 15's interval_mul.
Result<Interval> MultiplyInterval(const Interval &value, double factor);
Result<Interval> DivideInterval(const Interval &value, double divisor);

// justify_hours: whole 24 h of time into days; justify_days: whole 30 days into
// months; justify_interval: both, with the signs of the parts made to agree.
Result<Interval> JustifyHours(const Interval &value);
Result<Interval> JustifyDays(const Interval &value);
Result<Interval> JustifyInterval(const Interval &value);

// make_interval(years, months, weeks, days, hours, mins, secs).
Result<Interval> MakeInterval(int32_t years, int32_t months, int32_t weeks, int32_t days,
                              int32_t hours, int32_t minutes, double seconds);

// The error every interval overflow reports.
Status IntervalOutOfRange();

}  // namespace plexus::sql
