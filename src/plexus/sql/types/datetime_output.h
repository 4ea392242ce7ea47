// Text output of date, time, timestamp and timestamptz exactly as PostgreSQL 15
// prints them with DateStyle 'ISO, MDY': '2024-01-02', '03:04:05.5',
// '2024-01-02 03:04:05+05:30', '0044-03-15 BC', 'infinity'. Fractions print up
// to six digits with trailing zeros dropped.
#pragma once

#include <string>

#include "plexus/sql/types/datetime.h"

namespace plexus::sql {

class TimeZone;

std::string FormatDate(Date value);
std::string FormatTime(Time value);
// REQUIRES: value is infinite or within the valid timestamp range (as every
// parsed or computed value is).
std::string FormatTimestamp(Timestamp value);
// In `zone` (the session time zone), with the UTC offset as "+hh[:mm[:ss]]".
std::string FormatTimestampTz(TimestampTz value, const TimeZone &zone);

// Pieces shared with interval output and to_char.
// Appends "ss" or "ss.ffffff" with trailing zeros of the fraction removed.
void AppendSeconds(std::string *out, int seconds, int32_t micros);
// Appends "+hh", "+hh:mm" or "+hh:mm:ss" for an offset east of UTC.
void AppendUtcOffset(std::string *out, int32_t utc_offset_seconds);
// Appends "yyyy-mm-dd" with the AD/BC year (the caller appends " BC").
void AppendIsoDate(std::string *out, const DateTimeFields &fields);

}  // namespace plexus::sql
