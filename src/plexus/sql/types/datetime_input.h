// Text input of date, time, timestamp and timestamptz as PostgreSQL 15 accepts
// it with DateStyle 'ISO, MDY': ISO and run-together numeric dates, text
// months, BC, ISO 8601 'T', zone suffixes (numeric, abbreviations, IANA names)
// and the special words.
#pragma once

#include <string_view>

#include "plexus/base/status.h"
#include "plexus/sql/types/datetime.h"

namespace plexus::sql {

class TimeZone;

// What input of relative words ('now', 'today') and unzoned timestamptz depends
// on.
struct DateTimeContext {
  const TimeZone *zone = nullptr;  // the session time zone; REQUIRES: non-null
  TimestampTz now;                 // the transaction's start, for 'now', 'today', ...
};

// Errors (messages as PostgreSQL words them, with the input quoted):
//   22007 invalid input syntax for type <type>: "<input>"
//   22008 date/time field value out of range: "<input>" (HINT about datestyle
//   for M/D overflow) 22008 date out of range / timestamp out of range:
//   "<input>" 22009 time zone displacement out of range: "<input>" 22023 time
//   zone "<name>" not recognized
Result<Date> ParseDate(std::string_view text, const DateTimeContext &context);
Result<Time> ParseTime(std::string_view text, const DateTimeContext &context);
Result<Timestamp> ParseTimestamp(std::string_view text, const DateTimeContext &context);
Result<TimestampTz> ParseTimestampTz(std::string_view text, const DateTimeContext &context);

}  // namespace plexus::sql
