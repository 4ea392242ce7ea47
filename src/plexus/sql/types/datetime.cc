// Calendar arithmetic on Julian day numbers, field conversions of the date/time
// types, and their order-preserving key encodings.
#include "plexus/sql/types/datetime.h"

#include "plexus/base/assert.h"

namespace plexus::sql {

namespace {

constexpr int kJulianYearMax = 5874898;
constexpr int kJulianMonthMax = 6;
constexpr int32_t kDaysPer400Years = 146097;

}  // namespace

// Fliegel & Van Flandern style day count shifted so that March starts the
// computational year; the leap day then falls at the end, and all arithmetic
// stays in non-negative integers for the supported range (years >= -4800 + 1).
int32_t DateToJulian(int year, int month, int day) {
  int64_t y = year;
  int64_t m = month;
  if (m > 2) {
    m += 1;
    y += 4800;
  } else {
    m += 13;
    y += 4799;
  }
  int64_t century = y / 100;
  int64_t julian = y * 365 - 32167;
  julian += y / 4 - century + century / 4;
  julian += 7834 * m / 256 + day;
  return static_cast<int32_t>(julian);
}

void JulianToDate(int32_t julian_day, int *year, int *month, int *day) {
  // The algorithm needs a non-negative day count; the calendar repeats every
  // 400 years.
  int year_shift = 0;
  while (julian_day < 0) {
    julian_day += kDaysPer400Years;
    year_shift += 400;
  }
  uint32_t julian = static_cast<uint32_t>(julian_day) + 32044;
  uint32_t quad = julian / 146097;
  uint32_t extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + extra / 146097;
  quad = julian / 1461;
  julian -= quad * 1461;
  int y = static_cast<int>(julian * 4 / 1461);
  julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
  y += static_cast<int>(quad * 4);
  *year = y - 4800 - year_shift;
  quad = julian * 2141 / 65536;
  *day = static_cast<int>(julian - 7834 * quad / 256);
  *month = static_cast<int>((quad + 10) % kMonthsPerYear + 1);
}

int JulianDayOfWeek(int32_t julian) {
  int dow = static_cast<int>((int64_t{julian} + 1) % 7);
  return dow < 0 ? dow + 7 : dow;
}

bool IsLeapYear(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  PLEXUS_DCHECK(month >= 1 && month <= 12);
  return kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
}

bool IsValidJulianDate(int year, int month, int /*day*/) {
  bool after_start = year > kJulianYearMin || (year == kJulianYearMin && month >= kJulianMonthMin);
  bool before_end = year < kJulianYearMax || (year == kJulianYearMax && month < kJulianMonthMax);
  return after_start && before_end;
}

DateTimeFields DateToFields(Date date) {
  PLEXUS_DCHECK(IsFinite(date));
  DateTimeFields fields;
  JulianToDate(date.days + kPostgresEpochJulian, &fields.year, &fields.month, &fields.day);
  return fields;
}

void TimeToFields(Time time, DateTimeFields *fields) {
  int64_t micros = time.micros;
  fields->hour = static_cast<int>(micros / kMicrosPerHour);
  micros -= int64_t{fields->hour} * kMicrosPerHour;
  fields->minute = static_cast<int>(micros / kMicrosPerMinute);
  micros -= int64_t{fields->minute} * kMicrosPerMinute;
  fields->second = static_cast<int>(micros / kMicrosPerSecond);
  fields->micros = static_cast<int32_t>(micros - int64_t{fields->second} * kMicrosPerSecond);
}

bool TimestampToFields(Timestamp timestamp, DateTimeFields *fields) {
  int64_t date = timestamp.micros / kMicrosPerDay;
  int64_t time = timestamp.micros - date * kMicrosPerDay;
  if (time < 0) {
    time += kMicrosPerDay;
    date -= 1;
  }
  date += kPostgresEpochJulian;
  // Local times of the earliest instants fall a little before Julian day 0,
  // which JulianToDate handles; far beyond that nothing can be broken down.
  if (date < -kDaysPer400Years || date > std::numeric_limits<int32_t>::max()) return false;
  JulianToDate(static_cast<int32_t>(date), &fields->year, &fields->month, &fields->day);
  TimeToFields(Time{time}, fields);
  return true;
}

int64_t FieldsToTimeMicros(const DateTimeFields &fields) {
  return ((int64_t{fields.hour} * 60 + fields.minute) * 60 + fields.second) * kMicrosPerSecond +
         fields.micros;
}

bool FieldsToTimestamp(const DateTimeFields &fields, Timestamp *timestamp) {
  return FieldsToMicrosAtOffset(fields, 0, &timestamp->micros);
}

bool FieldsToMicrosAtOffset(const DateTimeFields &fields, int32_t utc_offset_seconds,
                            int64_t *micros) {
  if (!IsValidJulianDate(fields.year, fields.month, fields.day)) return false;
  int64_t date =
      int64_t{DateToJulian(fields.year, fields.month, fields.day)} - kPostgresEpochJulian;
  int64_t time = FieldsToTimeMicros(fields);
  int64_t result = 0;
  if (__builtin_mul_overflow(date, kMicrosPerDay, &result) ||
      __builtin_add_overflow(result, time, &result)) {
    return false;
  }
  // Time of day may reach 24:00:00, so allow 1999-12-31 24:00:00 but not a
  // wrapped sign.
  if ((result < 0 && date > 0) || (result > 0 && date < -1)) return false;
  result -= int64_t{utc_offset_seconds} * kMicrosPerSecond;
  if (!IsValidTimestampMicros(result)) return false;
  *micros = result;
  return true;
}

void AppendBigEndianFlipped(std::string *out, uint64_t bits, int bytes) {
  PLEXUS_DCHECK(bytes >= 1 && bytes <= 8);
  bits ^= uint64_t{1} << (bytes * 8 - 1);
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((bits >> (i * 8)) & 0xFF));
}

void AppendKey(std::string *out, Date value) {
  AppendBigEndianFlipped(out, static_cast<uint32_t>(value.days), 4);
}
void AppendKey(std::string *out, Time value) {
  AppendBigEndianFlipped(out, static_cast<uint64_t>(value.micros), 8);
}
void AppendKey(std::string *out, Timestamp value) {
  AppendBigEndianFlipped(out, static_cast<uint64_t>(value.micros), 8);
}
void AppendKey(std::string *out, TimestampTz value) {
  AppendBigEndianFlipped(out, static_cast<uint64_t>(value.micros), 8);
}

namespace {

// Reads `bytes` big-endian bytes with the top bit restored.
Result<uint64_t> ReadBigEndianFlipped(std::string_view *input, int bytes) {
  if (input->size() < static_cast<size_t>(bytes)) {
    return Status::Corruption("date/time key is truncated");
  }
  uint64_t bits = 0;
  for (int i = 0; i < bytes; ++i) bits = (bits << 8) | static_cast<uint8_t>((*input)[i]);
  input->remove_prefix(bytes);
  return bits ^ (uint64_t{1} << (bytes * 8 - 1));
}

}  // namespace

Result<Date> DecodeDateKey(std::string_view *input) {
  PLEXUS_ASSIGN_OR_RETURN(uint64_t bits, ReadBigEndianFlipped(input, 4));
  return Date{static_cast<int32_t>(static_cast<uint32_t>(bits))};
}

Result<int64_t> DecodeInt64Key(std::string_view *input) {
  PLEXUS_ASSIGN_OR_RETURN(uint64_t bits, ReadBigEndianFlipped(input, 8));
  return static_cast<int64_t>(bits);
}

}  // namespace plexus::sql
