// Output of the date/time types in PostgreSQL's ISO style (EncodeDateOnly,
// EncodeTimeOnly, EncodeDateTime).
#include "plexus/sql/types/datetime_output.h"

#include <cstdio>

#include "plexus/base/assert.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

void AppendPadded(std::string *out, int64_t value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%0*lld", width, static_cast<long long>(value));
  out->append(buffer);
}

void AppendClock(std::string *out, const DateTimeFields &fields) {
  AppendPadded(out, fields.hour, 2);
  out->push_back(':');
  AppendPadded(out, fields.minute, 2);
  out->push_back(':');
  AppendSeconds(out, fields.second, fields.micros);
}

std::string FormatDateTimeFields(const DateTimeFields &fields, bool with_offset) {
  std::string out;
  AppendIsoDate(&out, fields);
  out.push_back(' ');
  AppendClock(&out, fields);
  if (with_offset) AppendUtcOffset(&out, fields.utc_offset_seconds);
  if (fields.year <= 0) out += " BC";
  return out;
}

}  // namespace

void AppendSeconds(std::string *out, int seconds, int32_t micros) {
  AppendPadded(out, seconds < 0 ? -seconds : seconds, 2);
  if (micros == 0) return;
  char fraction[16];
  std::snprintf(fraction, sizeof(fraction), ".%06d", micros < 0 ? -micros : micros);
  std::string_view text = fraction;
  while (text.back() == '0') text.remove_suffix(1);
  out->append(text);
}

void AppendUtcOffset(std::string *out, int32_t utc_offset_seconds) {
  int32_t magnitude = utc_offset_seconds < 0 ? -utc_offset_seconds : utc_offset_seconds;
  out->push_back(utc_offset_seconds < 0 ? '-' : '+');
  AppendPadded(out, magnitude / 3600, 2);
  int minutes = magnitude / 60 % 60;
  int seconds = magnitude % 60;
  if (minutes != 0 || seconds != 0) {
    out->push_back(':');
    AppendPadded(out, minutes, 2);
  }
  if (seconds != 0) {
    out->push_back(':');
    AppendPadded(out, seconds, 2);
  }
}

void AppendIsoDate(std::string *out, const DateTimeFields &fields) {
  AppendPadded(out, fields.year > 0 ? fields.year : -(fields.year - 1), 4);
  out->push_back('-');
  AppendPadded(out, fields.month, 2);
  out->push_back('-');
  AppendPadded(out, fields.day, 2);
}

std::string FormatDate(Date value) {
  if (value.days == kDatePositiveInfinity) return "infinity";
  if (value.days == kDateNegativeInfinity) return "-infinity";
  DateTimeFields fields = DateToFields(value);
  std::string out;
  AppendIsoDate(&out, fields);
  if (fields.year <= 0) out += " BC";
  return out;
}

std::string FormatTime(Time value) {
  DateTimeFields fields;
  TimeToFields(value, &fields);
  std::string out;
  AppendClock(&out, fields);
  return out;
}

std::string FormatTimestamp(Timestamp value) {
  if (value.micros == kTimestampPositiveInfinity) return "infinity";
  if (value.micros == kTimestampNegativeInfinity) return "-infinity";
  DateTimeFields fields;
  bool ok = TimestampToFields(value, &fields);
  PLEXUS_DCHECK(ok);
  if (!ok) return "timestamp out of range";
  return FormatDateTimeFields(fields, /*with_offset=*/false);
}

std::string FormatTimestampTz(TimestampTz value, const TimeZone &zone) {
  if (value.micros == kTimestampPositiveInfinity) return "infinity";
  if (value.micros == kTimestampNegativeInfinity) return "-infinity";
  DateTimeFields fields;
  bool ok = TimestampTzToFields(value, zone, &fields);
  PLEXUS_DCHECK(ok);
  if (!ok) return "timestamp out of range";
  return FormatDateTimeFields(fields, /*with_offset=*/true);
}

}  // namespace plexus::sql
