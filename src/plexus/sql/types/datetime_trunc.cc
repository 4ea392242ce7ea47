// date_trunc for timestamp, timestamptz (on the local time of a zone,
// re-resolving the offset for units of a day or more) and interval, as
// PostgreSQL 15's timestamp_trunc, timestamptz_trunc_internal and
// interval_trunc.
#include <cctype>
#include <string>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_decode.h"
#include "plexus/sql/types/datetime_functions.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

int ResolveTruncUnit(std::string_view unit, std::string *lower) {
  using namespace internal;  // NOLINT: keyword and token names
  lower->clear();
  for (char c : unit)
    lower->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  Keyword keyword = LookupIntervalKeyword(*lower);
  return keyword.type == kTokenUnits ? keyword.value : 0;
}

Status Unsupported(const std::string &unit, const char *type_name) {
  return SqlError(kFeatureNotSupported,
                  "unit \"" + unit + "\" not supported for type " + type_name);
}
Status Unrecognized(const std::string &unit, const char *type_name) {
  return SqlError(kInvalidParameterValue,
                  "unit \"" + unit + "\" not recognized for type " + type_name);
}

// Truncates broken-down fields in place. Sets *whole_days when the unit is a
// day or larger.
bool TruncateFields(int unit, DateTimeFields *f, bool *whole_days) {
  using namespace internal;  // NOLINT: unit names
  *whole_days = true;
  int &year = f->year;
  switch (unit) {
    case kUnitWeek: {
      int week = IsoWeekOfDate(f->year, f->month, f->day);
      // Late-December days may be in week 1 of the next year, early January in
      // the last week of the previous one.
      if (week >= 52 && f->month == 1) --year;
      if (week <= 1 && f->month == 12) ++year;
      JulianToDate(IsoWeekToJulian(year, week), &f->year, &f->month, &f->day);
      f->hour = f->minute = f->second = 0;
      f->micros = 0;
      return true;
    }
    case kUnitMillennium:
    case kUnitCentury:
    case kUnitDecade:
      if (unit == kUnitMillennium) {
        year =
            year > 0 ? ((year + 999) / 1000) * 1000 - 999 : -((999 - (year - 1)) / 1000) * 1000 + 1;
      }
      if (unit == kUnitMillennium || unit == kUnitCentury) {
        year = year > 0 ? ((year + 99) / 100) * 100 - 99 : -((99 - (year - 1)) / 100) * 100 + 1;
      } else {
        year = year > 0 ? (year / 10) * 10 : -((8 - (year - 1)) / 10) * 10;
      }
      [[fallthrough]];
    case kUnitYear:
      f->month = 1;
      [[fallthrough]];
    case kUnitQuarter:
      f->month = 3 * ((f->month - 1) / 3) + 1;
      [[fallthrough]];
    case kUnitMonth:
      f->day = 1;
      [[fallthrough]];
    case kUnitDay:
      f->hour = 0;
      [[fallthrough]];
    case kUnitHour:
      *whole_days = unit != kUnitHour && *whole_days;
      f->minute = 0;
      [[fallthrough]];
    case kUnitMinute:
      *whole_days = unit != kUnitMinute && *whole_days;
      f->second = 0;
      [[fallthrough]];
    case kUnitSecond:
      *whole_days = unit != kUnitSecond && *whole_days;
      f->micros = 0;
      return true;
    case kUnitMillisecond:
      *whole_days = false;
      f->micros = (f->micros / 1000) * 1000;
      return true;
    case kUnitMicrosecond:
      *whole_days = false;
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<Timestamp> TruncateTimestamp(std::string_view unit_text, Timestamp value) {
  constexpr const char *kName = "timestamp without time zone";
  if (!IsFinite(value)) return value;
  std::string name;
  int unit = ResolveTruncUnit(unit_text, &name);
  if (unit == 0) return Unrecognized(name, kName);
  DateTimeFields fields;
  if (!TimestampToFields(value, &fields)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  bool whole_days = false;
  if (!TruncateFields(unit, &fields, &whole_days)) return Unsupported(name, kName);
  Timestamp result;
  if (!FieldsToTimestamp(fields, &result)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  return result;
}

Result<TimestampTz> TruncateTimestampTz(std::string_view unit_text, TimestampTz value,
                                        const TimeZone &zone) {
  constexpr const char *kName = "timestamp with time zone";
  if (!IsFinite(value)) return value;
  std::string name;
  int unit = ResolveTruncUnit(unit_text, &name);
  if (unit == 0) return Unrecognized(name, kName);
  DateTimeFields fields;
  if (!TimestampTzToFields(value, zone, &fields)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  bool whole_days = false;
  if (!TruncateFields(unit, &fields, &whole_days)) return Unsupported(name, kName);
  // Truncating to a day or more may cross a DST change, so the offset is looked
  // up again.
  int32_t offset = whole_days ? LocalOffsetOfFields(fields, zone) : fields.utc_offset_seconds;
  TimestampTz result;
  if (!FieldsToMicrosAtOffset(fields, offset, &result.micros)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  return result;
}

Result<Interval> TruncateInterval(std::string_view unit_text, const Interval &value) {
  using namespace internal;  // NOLINT: unit names
  std::string name;
  int unit = ResolveTruncUnit(unit_text, &name);
  if (unit == 0) return Unrecognized(name, "interval");
  int64_t year = value.months / kMonthsPerYear;
  int64_t month = value.months % kMonthsPerYear;
  int64_t day = value.days;
  int64_t time = value.micros;
  int64_t hour = time / kMicrosPerHour;
  time -= hour * kMicrosPerHour;
  int64_t minute = time / kMicrosPerMinute;
  time -= minute * kMicrosPerMinute;
  int64_t second = time / kMicrosPerSecond;
  int64_t micros = time - second * kMicrosPerSecond;
  switch (unit) {
    case kUnitMillennium:
      year = (year / 1000) * 1000;
      [[fallthrough]];
    case kUnitCentury:
      year = (year / 100) * 100;
      [[fallthrough]];
    case kUnitDecade:
      year = (year / 10) * 10;
      [[fallthrough]];
    case kUnitYear:
      month = 0;
      [[fallthrough]];
    case kUnitQuarter:
      month = 3 * (month / 3);
      [[fallthrough]];
    case kUnitMonth:
      day = 0;
      [[fallthrough]];
    case kUnitDay:
      hour = 0;
      [[fallthrough]];
    case kUnitHour:
      minute = 0;
      [[fallthrough]];
    case kUnitMinute:
      second = 0;
      [[fallthrough]];
    case kUnitSecond:
      micros = 0;
      break;
    case kUnitMillisecond:
      micros = (micros / 1000) * 1000;
      break;
    case kUnitMicrosecond:
      break;
    default: {
      Status status = Unsupported(name, "interval");
      if (unit == kUnitWeek) status.SetDetail("Months usually have fractional weeks.");
      return status;
    }
  }
  Interval result;
  result.months = static_cast<int32_t>(year * kMonthsPerYear + month);
  result.days = static_cast<int32_t>(day);
  result.micros = ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + micros;
  return result;
}

}  // namespace plexus::sql
