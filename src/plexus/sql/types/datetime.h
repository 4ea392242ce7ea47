// PostgreSQL's date/time value types (integer datetimes) and the proleptic
// Gregorian calendar they count on: dates are days and timestamps microseconds
// since 2000-01-01, infinities are the integer extremes, and broken-down fields
// convert to and from Julian day numbers.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::sql {

// Days since 2000-01-01. kDateNegativeInfinity / kDatePositiveInfinity are
// '-infinity'/'infinity'.
struct Date {
  int32_t days = 0;
  friend auto operator<=>(const Date &, const Date &) = default;
};

// Microseconds since midnight, 0 .. 24:00:00 inclusive (PostgreSQL accepts
// '24:00:00').
struct Time {
  int64_t micros = 0;
  friend auto operator<=>(const Time &, const Time &) = default;
};

// Microseconds since 2000-01-01 00:00:00 (wall clock, no zone).
struct Timestamp {
  int64_t micros = 0;
  friend auto operator<=>(const Timestamp &, const Timestamp &) = default;
};

// Microseconds since 2000-01-01 00:00:00 UTC.
struct TimestampTz {
  int64_t micros = 0;
  friend auto operator<=>(const TimestampTz &, const TimestampTz &) = default;
};

inline constexpr int32_t kDateNegativeInfinity = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kDatePositiveInfinity = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kTimestampNegativeInfinity = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kTimestampPositiveInfinity = std::numeric_limits<int64_t>::max();

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;
inline constexpr int64_t kSecondsPerDay = 86400;
inline constexpr int kDaysPerMonth = 30;  // PostgreSQL's conversion factor for interval math
inline constexpr int kMonthsPerYear = 12;

// Julian day numbers of 2000-01-01 (PostgreSQL's epoch) and of 1970-01-01 (Unix
// epoch).
inline constexpr int32_t kPostgresEpochJulian = 2451545;
inline constexpr int32_t kUnixEpochJulian = 2440588;
// Seconds from the Unix epoch to the PostgreSQL epoch.
inline constexpr int64_t kPostgresEpochUnixSeconds =
    int64_t{kPostgresEpochJulian - kUnixEpochJulian} * kSecondsPerDay;

// Valid ranges, as PostgreSQL's IS_VALID_JULIAN / IS_VALID_DATE /
// IS_VALID_TIMESTAMP: from 4714-11-24 BC (Julian day 0) to before 5874898-01-01
// (dates) or 294277-01-01 (timestamps).
inline constexpr int kJulianYearMin = -4713;  // astronomical year of 4714 BC
inline constexpr int kJulianMonthMin = 11;
inline constexpr int kJulianDayMin = 24;
inline constexpr int32_t kDateEndJulian = 2147483494;                // 5874898-01-01
inline constexpr int32_t kTimestampEndJulian = 109203528;            // 294277-01-01
inline constexpr int64_t kTimestampMinMicros = -211813488000000000;  // 4714-11-24 00:00 BC
inline constexpr int64_t kTimestampEndMicros = 9223371331200000000;  // 294277-01-01 00:00

inline bool IsFinite(Date d) {
  return d.days != kDateNegativeInfinity && d.days != kDatePositiveInfinity;
}
inline bool IsFinite(Timestamp t) {
  return t.micros != kTimestampNegativeInfinity && t.micros != kTimestampPositiveInfinity;
}
inline bool IsFinite(TimestampTz t) {
  return t.micros != kTimestampNegativeInfinity && t.micros != kTimestampPositiveInfinity;
}
inline bool IsValidDateDays(int64_t days) {
  return -int64_t{kPostgresEpochJulian} <= days && days < kDateEndJulian - kPostgresEpochJulian;
}
inline bool IsValidTimestampMicros(int64_t micros) {
  return kTimestampMinMicros <= micros && micros < kTimestampEndMicros;
}

// Broken-down date and time (PostgreSQL's pg_tm plus fsec). `year` is
// astronomical: 0 is 1 BC.
struct DateTimeFields {
  int year = 2000;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int32_t micros = 0;          // fraction of the second, 0..999999
  int utc_offset_seconds = 0;  // for zoned values: local time minus UTC (east is positive)
  bool is_dst = false;
};

// Julian day number of a proleptic Gregorian date (astronomical year). Valid
// for the whole range PostgreSQL supports.
int32_t DateToJulian(int year, int month, int day);
// The inverse of DateToJulian (negative days too, for local times just before
// day 0).
void JulianToDate(int32_t julian, int *year, int *month, int *day);
// Day of week of a Julian day number: 0 = Sunday .. 6 = Saturday.
int JulianDayOfWeek(int32_t julian);
bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
// PostgreSQL's IS_VALID_JULIAN: not before 4714-11-24 BC, and year small enough
// to compute.
bool IsValidJulianDate(int year, int month, int day);

// Calendar fields of a finite date. REQUIRES: IsFinite(date).
DateTimeFields DateToFields(Date date);
// Time-of-day fields (hour may be 24 for '24:00:00').
void TimeToFields(Time time, DateTimeFields *fields);
// Fields of a finite timestamp; false if it cannot be broken down (far outside
// the range).
bool TimestampToFields(Timestamp timestamp, DateTimeFields *fields);
// Microseconds of a time of day from fields (hour/minute/second/micros).
int64_t FieldsToTimeMicros(const DateTimeFields &fields);
// The timestamp of `fields` (date and time of day, `utc_offset_seconds`
// ignored); false when it overflows or lies outside the valid timestamp range.
bool FieldsToTimestamp(const DateTimeFields &fields, Timestamp *timestamp);
// The same for local fields at a UTC offset: microseconds of the UTC instant
// (the range check applies to the instant, as PostgreSQL's tm2timestamp does).
bool FieldsToMicrosAtOffset(const DateTimeFields &fields, int32_t utc_offset_seconds,
                            int64_t *micros);

// Order-preserving keys: memcmp order of the appended bytes is the value order,
// infinities included. Format: the integer with its sign bit flipped,
// big-endian, fixed width (4 bytes for Date, 8 for Time/Timestamp/TimestampTz).
// Keys are fixed width, so they concatenate.
void AppendKey(std::string *out, Date value);
void AppendKey(std::string *out, Time value);
void AppendKey(std::string *out, Timestamp value);
void AppendKey(std::string *out, TimestampTz value);
// Decoders: read one key from the front of *input and advance past it;
// Corruption when short.
Result<Date> DecodeDateKey(std::string_view *input);
// For Time, Timestamp and TimestampTz keys (all one int64 format).
Result<int64_t> DecodeInt64Key(std::string_view *input);

// The low `bytes` bytes of `bits`, big-endian, top bit of the first byte
// inverted. Shared by the key encoders of this folder.
void AppendBigEndianFlipped(std::string *out, uint64_t bits, int bytes);

}  // namespace plexus::sql
