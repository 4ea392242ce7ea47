// to_char(timestamp, format) and its inverse to_date/to_timestamp(text, format): PostgreSQL's
// date/time template patterns (formatting.c) over broken-down fields.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/types/datetime.h"

namespace plexus::sql {

// The English names to_char writes and to_date/to_timestamp read.
inline constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
inline constexpr std::array<std::string_view, 7> kDayNames = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

// The text of `fields` (a local date and time) in the template `format`: HH, HH12, HH24, MI, SS,
// MS, US, SSSS, AM/PM (and a.m. forms), Y,YYY, YYYY..Y, IYYY..I, BC/AD, MONTH/Month/month,
// MON/Mon/mon, MM, DAY/Day/day, DY/Dy/dy, DDD, IDDD, DD, D, ID, W, WW, IW, CC, J, Q, the FM
// prefix and TH/th suffix, "quoted text" and \-escapes; anything else is copied. Time zone
// patterns (TZ, TZH, TZM, OF) and RM are not supported (0A000).
Result<std::string> FormatDateTimeTemplate(const DateTimeFields& fields, std::string_view format);


// to_date/to_timestamp(text, format): the local date and time `text` spells in the template
// `format` (formatting.c's DCH_from_char without FX): YYYY, YY, MM, DD, DDD-less day of month,
// HH24, HH12/HH, MI, SS, MS, US, AM/PM (and a.m. forms), Month/Mon, Day/Dy (read and ignored),
// the FM prefix; a separator in the format matches one separator of the input, or none; a
// number followed by a separator in the format reads all its digits. Fields not given are those
// of 0001-01-01 BC 00:00:00 (astronomical year 0). 22007 for text that does not match, 22008 for a field out of range;
// TZ is 0A000 (PostgreSQL 15 reads it only in to_char).
Result<DateTimeFields> ParseDateTimeTemplate(std::string_view text, std::string_view format);

}  // namespace plexus::sql
