// date_in, time_in, timestamp_in and timestamptz_in: tokenize, decode, then
// range-check and build the value; decode failures become PostgreSQL's messages
// with the input quoted.
#include "plexus/sql/types/datetime_input.h"

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_decode.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

using internal::DecodedKind;
using internal::DecodeError;
using internal::DecodeState;

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

Status DecodeFailure(DecodeError error, std::string_view text, std::string_view type_name,
                     const DecodeState &state) {
  switch (error) {
    case DecodeError::kFieldOverflow:
      return SqlError(kDatetimeFieldOverflow,
                      "date/time field value out of range: " + Quoted(text));
    case DecodeError::kMonthDayOverflow: {
      Status status =
          SqlError(kDatetimeFieldOverflow, "date/time field value out of range: " + Quoted(text));
      status.SetHint("Perhaps you need a different \"datestyle\" setting.");
      return status;
    }
    case DecodeError::kIntervalOverflow:
      return SqlError(kIntervalFieldOverflow, "interval field value out of range: " + Quoted(text));
    case DecodeError::kZoneOverflow:
      return SqlError(kInvalidTimeZoneDisplacement,
                      "time zone displacement out of range: " + Quoted(text));
    case DecodeError::kUnknownZone:
      return SqlError(kInvalidParameterValue,
                      "time zone " + Quoted(state.bad_zone_name) + " not recognized");
    case DecodeError::kNone:
    case DecodeError::kBadFormat:
      break;
  }
  return SqlError(kInvalidDatetimeFormat,
                  "invalid input syntax for type " + std::string(type_name) + ": " + Quoted(text));
}

// Tokenizes and decodes; on failure returns the error Status.
Status Decode(std::string_view text, std::string_view type_name, bool time_only,
              const DateTimeContext &context, DecodeState *state) {
  std::vector<internal::DateField> fields;
  DecodeError error = internal::TokenizeDateTime(text, &fields);
  if (error == DecodeError::kNone) {
    error = time_only ? internal::DecodeTimeOnly(fields, context, state)
                      : internal::DecodeDateTime(fields, context, state);
  }
  if (error != DecodeError::kNone) return DecodeFailure(error, text, type_name, *state);
  return Status::Ok();
}

Status OutOfRange(std::string_view what, std::string_view text) {
  return SqlError(kDatetimeFieldOverflow, std::string(what) + " out of range: " + Quoted(text));
}

}  // namespace

Result<Date> ParseDate(std::string_view text, const DateTimeContext &context) {
  DecodeState state;
  PLEXUS_RETURN_IF_ERROR(Decode(text, "date", false, context, &state));
  switch (state.kind) {
    case DecodedKind::kInfinity:
      return Date{kDatePositiveInfinity};
    case DecodedKind::kNegativeInfinity:
      return Date{kDateNegativeInfinity};
    case DecodedKind::kEpoch:
      return Date{kUnixEpochJulian - kPostgresEpochJulian};
    case DecodedKind::kDateTime:
      break;
  }
  const DateTimeFields &f = state.fields;
  if (!IsValidJulianDate(f.year, f.month, f.day)) return OutOfRange("date", text);
  int64_t days = int64_t{DateToJulian(f.year, f.month, f.day)} - kPostgresEpochJulian;
  if (!IsValidDateDays(days)) return OutOfRange("date", text);
  return Date{static_cast<int32_t>(days)};
}

Result<Time> ParseTime(std::string_view text, const DateTimeContext &context) {
  DecodeState state;
  PLEXUS_RETURN_IF_ERROR(Decode(text, "time", true, context, &state));
  return Time{FieldsToTimeMicros(state.fields)};
}

Result<Timestamp> ParseTimestamp(std::string_view text, const DateTimeContext &context) {
  DecodeState state;
  PLEXUS_RETURN_IF_ERROR(Decode(text, "timestamp", false, context, &state));
  switch (state.kind) {
    case DecodedKind::kInfinity:
      return Timestamp{kTimestampPositiveInfinity};
    case DecodedKind::kNegativeInfinity:
      return Timestamp{kTimestampNegativeInfinity};
    case DecodedKind::kEpoch:
      return Timestamp{-kPostgresEpochUnixSeconds * kMicrosPerSecond};
    case DecodedKind::kDateTime:
      break;
  }
  Timestamp result;
  if (!FieldsToTimestamp(state.fields, &result)) return OutOfRange("timestamp", text);
  return result;
}

Result<TimestampTz> ParseTimestampTz(std::string_view text, const DateTimeContext &context) {
  DecodeState state;
  PLEXUS_RETURN_IF_ERROR(Decode(text, "timestamp with time zone", false, context, &state));
  switch (state.kind) {
    case DecodedKind::kInfinity:
      return TimestampTz{kTimestampPositiveInfinity};
    case DecodedKind::kNegativeInfinity:
      return TimestampTz{kTimestampNegativeInfinity};
    case DecodedKind::kEpoch:
      return TimestampTz{-kPostgresEpochUnixSeconds * kMicrosPerSecond};
    case DecodedKind::kDateTime:
      break;
  }
  TimestampTz result;
  if (!FieldsToMicrosAtOffset(state.fields, state.utc_offset_seconds, &result.micros)) {
    return OutOfRange("timestamp", text);
  }
  return result;
}

}  // namespace plexus::sql
