// to_char(timestamp, format): PostgreSQL's date/time template patterns (formatting.c) over
// broken-down fields.
#pragma once

#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/types/datetime.h"

namespace plexus::sql {

// The text of `fields` (a local date and time) in the template `format`: HH, HH12, HH24, MI, SS,
// MS, US, SSSS, AM/PM (and a.m. forms), Y,YYY, YYYY..Y, IYYY..I, BC/AD, MONTH/Month/month,
// MON/Mon/mon, MM, DAY/Day/day, DY/Dy/dy, DDD, IDDD, DD, D, ID, W, WW, IW, CC, J, Q, the FM
// prefix and TH/th suffix, "quoted text" and \-escapes; anything else is copied. Time zone
// patterns (TZ, TZH, TZM, OF) and RM are not supported (0A000).
Result<std::string> FormatDateTimeTemplate(const DateTimeFields& fields, std::string_view format);

}  // namespace plexus::sql
