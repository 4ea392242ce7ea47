// extract / date_part and date_trunc as PostgreSQL 15 computes them, with both
// result forms: the exact numeric of extract and the double of date_part.
#include <cctype>
#include <cmath>
#include <string>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_decode.h"
#include "plexus/sql/types/datetime_functions.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

using Kind = DateTimePart::Kind;

constexpr const char *kTimestampName = "timestamp without time zone";
constexpr const char *kTimestampTzName = "timestamp with time zone";

// A unit word resolved as PostgreSQL does: the interval unit table, then the
// date keywords. Returns the unit code (internal::kUnit*),
// internal::kSpecialEpoch for 'epoch', or 0.
int ResolveUnit(std::string_view unit, std::string *lower) {
  lower->clear();
  for (char c : unit)
    lower->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  internal::Keyword keyword = internal::LookupIntervalKeyword(*lower);
  if (keyword.type == internal::kTokenUnknown) keyword = internal::LookupDateKeyword(*lower);
  if (keyword.type == internal::kTokenUnits) return keyword.value;
  if (keyword.type == internal::kTokenReserved && keyword.value == internal::kSpecialEpoch) {
    return internal::kUnitEpoch;
  }
  return 0;
}

Status NotRecognized(const std::string &unit, const char *type_name) {
  return SqlError(kInvalidParameterValue,
                  "unit \"" + unit + "\" not recognized for type " + type_name);
}
Status NotSupported(const std::string &unit, const char *type_name) {
  return SqlError(kFeatureNotSupported,
                  "unit \"" + unit + "\" not supported for type " + type_name);
}

DateTimePart IntegerPart(int64_t value) {
  return DateTimePart{Kind::kFinite, value, 0, static_cast<double>(value)};
}

DateTimePart ScaledPart(int64_t unscaled, int scale, double value) {
  return DateTimePart{Kind::kFinite, unscaled, scale, value};
}

// AD/BC-aware year based parts (there is no year 0: 1 BC is year 0 internally).
int64_t YearPart(int year) { return year > 0 ? year : year - 1; }
int64_t DecadePart(int year) { return year >= 0 ? year / 10 : -((8 - (year - 1)) / 10); }
int64_t CenturyPart(int year) { return year > 0 ? (year + 99) / 100 : -((99 - (year - 1)) / 100); }
int64_t MillenniumPart(int year) {
  return year > 0 ? (year + 999) / 1000 : -((999 - (year - 1)) / 1000);
}

// The Julian day with the time of day as a fraction: numeric with PostgreSQL's
// division scale.
DateTimePart JulianPart(const DateTimeFields &f) {
  int64_t julian = DateToJulian(f.year, f.month, f.day);
  int64_t micros = FieldsToTimeMicros(f);
  // numeric_div's scale: 16 significant digits after the quotient's base-10000
  // weight.
  int weight = 0;
  for (int64_t rest = micros; rest >= 10000; rest /= 10000) ++weight;
  int scale = 28 - 4 * weight;
  __int128 power = 1;
  for (int i = 0; i < scale; ++i) power *= 10;
  __int128 numerator = static_cast<__int128>(micros) * power;
  __int128 quotient = (numerator + kMicrosPerDay / 2) / kMicrosPerDay;  // round half up
  double value = static_cast<double>(julian) +
                 ((f.hour * 60 + f.minute) * 60 + f.second + f.micros / 1000000.0) /
                     static_cast<double>(kSecondsPerDay);
  return DateTimePart{Kind::kFinite, julian * power + quotient, scale, value};
}

// Parts of broken-down date and time fields common to timestamp and
// timestamptz.
bool FieldPart(int unit, const DateTimeFields &f, DateTimePart *part) {
  using namespace internal;  // NOLINT: unit names
  int64_t second_micros = int64_t{f.second} * kMicrosPerSecond + f.micros;
  int32_t julian = DateToJulian(f.year, f.month, f.day);
  switch (unit) {
    case kUnitMicrosecond:
      *part = IntegerPart(second_micros);
      return true;
    case kUnitMillisecond:
      *part = ScaledPart(second_micros, 3, f.second * 1000.0 + f.micros / 1000.0);
      return true;
    case kUnitSecond:
      *part = ScaledPart(second_micros, 6, f.second + f.micros / 1000000.0);
      return true;
    case kUnitMinute:
      *part = IntegerPart(f.minute);
      return true;
    case kUnitHour:
      *part = IntegerPart(f.hour);
      return true;
    case kUnitDay:
      *part = IntegerPart(f.day);
      return true;
    case kUnitMonth:
      *part = IntegerPart(f.month);
      return true;
    case kUnitQuarter:
      *part = IntegerPart((f.month - 1) / 3 + 1);
      return true;
    case kUnitWeek:
      *part = IntegerPart(IsoWeekOfDate(f.year, f.month, f.day));
      return true;
    case kUnitYear:
      *part = IntegerPart(YearPart(f.year));
      return true;
    case kUnitDecade:
      *part = IntegerPart(DecadePart(f.year));
      return true;
    case kUnitCentury:
      *part = IntegerPart(CenturyPart(f.year));
      return true;
    case kUnitMillennium:
      *part = IntegerPart(MillenniumPart(f.year));
      return true;
    case kUnitJulian:
      *part = JulianPart(f);
      return true;
    case kUnitIsoYear: {
      int iso_year = IsoYearOfDate(f.year, f.month, f.day);
      *part = IntegerPart(iso_year <= 0 ? iso_year - 1 : iso_year);
      return true;
    }
    case kUnitDayOfWeek:
      *part = IntegerPart(JulianDayOfWeek(julian));
      return true;
    case kUnitIsoDayOfWeek: {
      int dow = JulianDayOfWeek(julian);
      *part = IntegerPart(dow == 0 ? 7 : dow);
      return true;
    }
    case kUnitDayOfYear:
      *part = IntegerPart(julian - DateToJulian(f.year, 1, 1) + 1);
      return true;
    default:
      return false;
  }
}

// extract on an infinite timestamp: NULL for cyclic units, +-Infinity for
// growing ones.
Result<DateTimePart> NonFinitePart(int unit, bool negative, const std::string &name,
                                   const char *type_name) {
  using namespace internal;  // NOLINT
  switch (unit) {
    case kUnitYear:
    case kUnitDecade:
    case kUnitCentury:
    case kUnitMillennium:
    case kUnitJulian:
    case kUnitIsoYear:
    case kUnitEpoch: {
      DateTimePart part;
      part.kind = negative ? Kind::kNegativeInfinity : Kind::kInfinity;
      part.value = negative ? -HUGE_VAL : HUGE_VAL;
      return part;
    }
    case kUnitMicrosecond:
    case kUnitMillisecond:
    case kUnitSecond:
    case kUnitMinute:
    case kUnitHour:
    case kUnitDay:
    case kUnitMonth:
    case kUnitQuarter:
    case kUnitWeek:
    case kUnitDayOfWeek:
    case kUnitIsoDayOfWeek:
    case kUnitDayOfYear:
    case kUnitTimezone:
    case kUnitTimezoneHour:
    case kUnitTimezoneMinute: {
      DateTimePart part;
      part.kind = Kind::kNull;
      return part;
    }
    default:
      return NotSupported(name, type_name);
  }
}

DateTimePart EpochPart(int64_t micros_since_2000) {
  int64_t epoch_micros = -kPostgresEpochUnixSeconds * kMicrosPerSecond;
  __int128 unscaled = static_cast<__int128>(micros_since_2000) - epoch_micros;
  return DateTimePart{Kind::kFinite, unscaled, 6, static_cast<double>(unscaled) / 1000000.0};
}

}  // namespace

std::string DateTimePart::DecimalText() const {
  switch (kind) {
    case Kind::kNull:
      return "";
    case Kind::kInfinity:
      return "Infinity";
    case Kind::kNegativeInfinity:
      return "-Infinity";
    case Kind::kFinite:
      break;
  }
  unsigned __int128 magnitude = unscaled < 0 ? -static_cast<unsigned __int128>(unscaled)
                                             : static_cast<unsigned __int128>(unscaled);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, scale + 1 - digits.size(), '0');
  }
  if (scale > 0) digits.insert(digits.size() - scale, ".");
  return (unscaled < 0 ? "-" : "") + digits;
}

int IsoWeekOfDate(int year, int month, int day) {
  int32_t day_n = DateToJulian(year, month, day);
  int32_t day_4 = DateToJulian(year, 1, 4);
  int day_0 = JulianDayOfWeek(day_4 - 1);
  if (day_n < day_4 - day_0) {
    day_4 = DateToJulian(year - 1, 1, 4);
    day_0 = JulianDayOfWeek(day_4 - 1);
  }
  int week = (day_n - (day_4 - day_0)) / 7 + 1;
  if (week >= 52) {
    day_4 = DateToJulian(year + 1, 1, 4);
    day_0 = JulianDayOfWeek(day_4 - 1);
    if (day_n >= day_4 - day_0) week = (day_n - (day_4 - day_0)) / 7 + 1;
  }
  return week;
}

int IsoYearOfDate(int year, int month, int day) {
  int32_t day_n = DateToJulian(year, month, day);
  int32_t day_4 = DateToJulian(year, 1, 4);
  int day_0 = JulianDayOfWeek(day_4 - 1);
  if (day_n < day_4 - day_0) {
    day_4 = DateToJulian(year - 1, 1, 4);
    day_0 = JulianDayOfWeek(day_4 - 1);
    year--;
  }
  int week = (day_n - (day_4 - day_0)) / 7 + 1;
  if (week >= 52) {
    day_4 = DateToJulian(year + 1, 1, 4);
    day_0 = JulianDayOfWeek(day_4 - 1);
    if (day_n >= day_4 - day_0) year++;
  }
  return year;
}

int32_t IsoWeekToJulian(int iso_year, int week) {
  int32_t day_4 = DateToJulian(iso_year, 1, 4);
  int day_0 = JulianDayOfWeek(day_4 - 1);
  return (week - 1) * 7 + (day_4 - day_0);
}

Result<DateTimePart> ExtractTimestamp(std::string_view unit_text, Timestamp value) {
  std::string name;
  int unit = ResolveUnit(unit_text, &name);
  if (unit == 0) return NotRecognized(name, kTimestampName);
  if (!IsFinite(value)) {
    return NonFinitePart(unit, value.micros == kTimestampNegativeInfinity, name, kTimestampName);
  }
  if (unit == internal::kUnitEpoch) return EpochPart(value.micros);
  DateTimeFields fields;
  if (!TimestampToFields(value, &fields)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  DateTimePart part;
  if (!FieldPart(unit, fields, &part)) return NotSupported(name, kTimestampName);
  return part;
}

Result<DateTimePart> ExtractTimestampTz(std::string_view unit_text, TimestampTz value,
                                        const TimeZone &zone) {
  std::string name;
  int unit = ResolveUnit(unit_text, &name);
  if (unit == 0) return NotRecognized(name, kTimestampTzName);
  if (!IsFinite(value)) {
    return NonFinitePart(unit, value.micros == kTimestampNegativeInfinity, name, kTimestampTzName);
  }
  if (unit == internal::kUnitEpoch) return EpochPart(value.micros);
  DateTimeFields fields;
  if (!TimestampTzToFields(value, zone, &fields)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  int32_t offset = fields.utc_offset_seconds;
  switch (unit) {
    case internal::kUnitTimezone:
      return IntegerPart(offset);
    case internal::kUnitTimezoneHour:
      return IntegerPart(offset / 3600);
    case internal::kUnitTimezoneMinute:
      return IntegerPart(offset / 60 % 60);
    default:
      break;
  }
  DateTimePart part;
  if (!FieldPart(unit, fields, &part)) return NotSupported(name, kTimestampTzName);
  return part;
}

Result<DateTimePart> ExtractDate(std::string_view unit_text, Date value) {
  using namespace internal;  // NOLINT
  std::string name;
  int unit = ResolveUnit(unit_text, &name);
  if (unit == 0) return NotRecognized(name, "date");
  bool date_unit = unit == kUnitDay || unit == kUnitMonth || unit == kUnitQuarter ||
                   unit == kUnitWeek || unit == kUnitDayOfWeek || unit == kUnitIsoDayOfWeek ||
                   unit == kUnitDayOfYear || unit == kUnitYear || unit == kUnitDecade ||
                   unit == kUnitCentury || unit == kUnitMillennium || unit == kUnitJulian ||
                   unit == kUnitIsoYear || unit == kUnitEpoch;
  if (!date_unit) return NotSupported(name, "date");
  if (!IsFinite(value)) {
    return NonFinitePart(unit, value.days == kDateNegativeInfinity, name, "date");
  }
  if (unit == kUnitEpoch) {
    return IntegerPart((int64_t{value.days} + kPostgresEpochJulian - kUnixEpochJulian) *
                       kSecondsPerDay);
  }
  if (unit == kUnitJulian) return IntegerPart(int64_t{value.days} + kPostgresEpochJulian);
  DateTimePart part;
  FieldPart(unit, DateToFields(value), &part);
  return part;
}

Result<DateTimePart> ExtractTime(std::string_view unit_text, Time value) {
  using namespace internal;  // NOLINT
  std::string name;
  int unit = ResolveUnit(unit_text, &name);
  if (unit == 0) return NotRecognized(name, "time without time zone");
  if (unit == kUnitEpoch) {
    return ScaledPart(value.micros, 6, static_cast<double>(value.micros) / 1000000.0);
  }
  DateTimeFields fields;
  TimeToFields(value, &fields);
  bool time_unit = unit == kUnitMicrosecond || unit == kUnitMillisecond || unit == kUnitSecond ||
                   unit == kUnitMinute || unit == kUnitHour;
  DateTimePart part;
  if (!time_unit || !FieldPart(unit, fields, &part)) {
    return NotSupported(name, "time without time zone");
  }
  return part;
}

Result<DateTimePart> ExtractInterval(std::string_view unit_text, const Interval &value) {
  using namespace internal;  // NOLINT
  std::string name;
  int unit = ResolveUnit(unit_text, &name);
  if (unit == 0) return NotRecognized(name, "interval");
  if (unit == kUnitEpoch) {
    // 365.25 days a year and 30 a month, computed in quarter days to stay
    // integral.
    int64_t seconds =
        (int64_t{4 * 365 + 1} * (value.months / kMonthsPerYear) +
         int64_t{4 * kDaysPerMonth} * (value.months % kMonthsPerYear) + int64_t{4} * value.days) *
        (kSecondsPerDay / 4);
    __int128 unscaled = static_cast<__int128>(seconds) * kMicrosPerSecond + value.micros;
    double result = static_cast<double>(value.micros) / 1000000.0 +
                    365.25 * kSecondsPerDay * (value.months / kMonthsPerYear) +
                    30.0 * kSecondsPerDay * (value.months % kMonthsPerYear) +
                    static_cast<double>(kSecondsPerDay) * value.days;
    return DateTimePart{Kind::kFinite, unscaled, 6, result};
  }
  int64_t time = value.micros;
  int64_t hours = time / kMicrosPerHour;
  time -= hours * kMicrosPerHour;
  int64_t minutes = time / kMicrosPerMinute;
  time -= minutes * kMicrosPerMinute;
  int64_t second_micros = time;
  int64_t seconds = time / kMicrosPerSecond;
  int64_t micros = time - seconds * kMicrosPerSecond;
  int years = value.months / kMonthsPerYear;
  int months = value.months % kMonthsPerYear;
  switch (unit) {
    case kUnitMicrosecond:
      return IntegerPart(second_micros);
    case kUnitMillisecond:
      return ScaledPart(second_micros, 3, seconds * 1000.0 + micros / 1000.0);
    case kUnitSecond:
      return ScaledPart(second_micros, 6, seconds + micros / 1000000.0);
    case kUnitMinute:
      return IntegerPart(minutes);
    case kUnitHour:
      return IntegerPart(hours);
    case kUnitDay:
      return IntegerPart(value.days);
    case kUnitMonth:
      return IntegerPart(months);
    case kUnitQuarter:
      return IntegerPart(months / 3 + 1);
    case kUnitYear:
      return IntegerPart(years);
    case kUnitDecade:
      return IntegerPart(years / 10);
    case kUnitCentury:
      return IntegerPart(years / 100);
    case kUnitMillennium:
      return IntegerPart(years / 1000);
    default:
      return NotSupported(name, "interval");
  }
}

}  // namespace plexus::sql
