// Internal to sql/types: PostgreSQL's date/time input machinery. Text is split
// into typed fields (ParseDateTime), and the fields are interpreted into
// DateTimeFields (DecodeDateTime, DecodeTimeOnly) with PostgreSQL's heuristics
// for DateStyle ISO, MDY.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/sql/types/datetime.h"
#include "plexus/sql/types/datetime_input.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql::internal {

// Kinds of field the tokenizer produces (PostgreSQL's DTK_* field types).
enum class FieldKind : uint8_t { kNumber, kString, kDate, kTime, kZone, kSpecial };

struct DateField {
  FieldKind kind;
  std::string text;  // lower-cased
};

// At most this many fields in one input (PostgreSQL's MAXDATEFIELDS).
inline constexpr size_t kDateFieldsMax = 25;

// Token types of the keyword tables; their bits form the "already seen" masks
// (DTK_M).
enum TokenType : int {
  kTokenReserved = 0,
  kTokenMonth = 1,
  kTokenYear = 2,
  kTokenDay = 3,
  kTokenJulian = 4,
  kTokenZone = 5,
  kTokenDaylightZone = 6,
  kTokenDynamicZone = 7,
  kTokenIgnore = 8,
  kTokenAmPm = 9,
  kTokenHour = 10,
  kTokenMinute = 11,
  kTokenSecond = 12,
  kTokenMillisecond = 13,
  kTokenMicrosecond = 14,
  kTokenDayOfYear = 15,
  kTokenDayOfWeek = 16,
  kTokenUnits = 17,
  kTokenAdBc = 18,
  kTokenAgo = 19,
  kTokenIsoTime = 23,
  kTokenWeek = 24,
  kTokenDecade = 25,
  kTokenCentury = 26,
  kTokenMillennium = 27,
  kTokenDstModifier = 28,
  kTokenUnknown = 31,
};

constexpr int Mask(int token_type) { return 1 << token_type; }
inline constexpr int kDateMask = Mask(kTokenYear) | Mask(kTokenMonth) | Mask(kTokenDay);
inline constexpr int kAllSecondsMask =
    Mask(kTokenSecond) | Mask(kTokenMillisecond) | Mask(kTokenMicrosecond);
inline constexpr int kTimeMask = Mask(kTokenHour) | Mask(kTokenMinute) | kAllSecondsMask;

// Values of reserved words and units (PostgreSQL's DTK_* value codes).
enum Special : int {
  kSpecialNone = 0,
  kSpecialEpoch,
  kSpecialInfinity,
  kSpecialNegativeInfinity,
  kSpecialNow,
  kSpecialToday,
  kSpecialTomorrow,
  kSpecialYesterday,
  kSpecialZulu,
  kSpecialAm,
  kSpecialPm,
  kSpecialAd,
  kSpecialBc,
  // Units (for "j2451545", "y2001m02d04", and intervals).
  kUnitYear,
  kUnitMonth,
  kUnitDay,
  kUnitHour,
  kUnitMinute,
  kUnitSecond,
  kUnitMillisecond,
  kUnitMicrosecond,
  kUnitJulian,
  kUnitTime,  // the ISO "t"
  kUnitWeek,
  kUnitDecade,
  kUnitCentury,
  kUnitMillennium,
  kUnitDayOfWeek,
  kUnitDayOfYear,
  kUnitIsoDayOfWeek,
  kUnitIsoYear,
  kUnitQuarter,
  kUnitEpoch,
  kUnitTimezone,
  kUnitTimezoneHour,
  kUnitTimezoneMinute,
};

struct Keyword {
  int type;   // TokenType
  int value;  // Special, month 1..12, weekday 0..6, or zone offset in seconds
};

// Looks a lower-cased word up in the date/time keyword table (datetktbl),
// comparing at most the first 10 characters as PostgreSQL does. kTokenUnknown
// when absent.
Keyword LookupDateKeyword(std::string_view word);
// Looks a word up in the interval keyword table (deltatktbl).
Keyword LookupIntervalKeyword(std::string_view word);

// A time zone abbreviation of PostgreSQL's "Default" set: a fixed offset, or a
// zone whose offset at the given time applies ("dynamic").
struct ZoneAbbreviation {
  bool found = false;
  int32_t utc_offset_seconds = 0;
  bool is_dst = false;
  std::string_view zone_name;  // non-empty for dynamic abbreviations
};
ZoneAbbreviation LookupZoneAbbreviation(std::string_view word);

// Outcomes of decoding (PostgreSQL's DTERR_* codes).
enum class DecodeError : uint8_t {
  kNone,
  kBadFormat,
  kFieldOverflow,
  kMonthDayOverflow,  // reported with the "datestyle" hint
  kIntervalOverflow,
  kZoneOverflow,
  kUnknownZone,  // a zone name that did not resolve: `time zone "x" not
                 // recognized`
};

// Splits input into fields. kBadFormat on characters no field can hold or too
// many fields.
DecodeError TokenizeDateTime(std::string_view input, std::vector<DateField> *fields);

// What an input denoted: a date/time in `fields`, or a special value.
enum class DecodedKind : uint8_t { kDateTime, kEpoch, kInfinity, kNegativeInfinity };

struct DecodeState {
  DateTimeFields fields;
  DecodedKind kind = DecodedKind::kDateTime;
  bool has_zone = false;           // an explicit zone was given (numeric, abbreviation or name)
  int32_t utc_offset_seconds = 0;  // the offset applying to `fields` (east positive)
  std::string bad_zone_name;       // for DecodeError::kUnknownZone
};

// PostgreSQL's DecodeDateTime for date, timestamp and timestamptz input. When
// no zone is given, the offset comes from context.zone at the decoded local
// time.
DecodeError DecodeDateTime(std::vector<DateField> &fields, const DateTimeContext &context,
                           DecodeState *state);
// PostgreSQL's DecodeTimeOnly for time input (a date or zone is accepted and
// ignored).
DecodeError DecodeTimeOnly(std::vector<DateField> &fields, const DateTimeContext &context,
                           DecodeState *state);

// Fields being decoded: PostgreSQL's pg_tm and fsec plus the flags its decoders
// share.
struct DecodingFields {
  DateTimeFields tm;
  int day_of_year = 0;          // from a "yyyy-ddd" date
  bool two_digit_year = false;  // a 1- or 2-digit year, to be read as 1970..2069
  bool text_month = false;      // the month was given as a word
};

// One all-digit field (maybe with a fraction) given the fields seen so far
// (`mask`); sets *field_mask to what it decoded.
DecodeError DecodeNumber(std::string_view text, int mask, int *field_mask, DecodingFields *out);
// A run-together number: yyyymmdd, yymmdd, hhmmss, hhmm, with optional
// fraction.
DecodeError DecodeNumberField(std::string_view text, int mask, int *field_mask,
                              DecodingFields *out);
// A date field with delimiters ("2024-01-02", "jan-02-2024", "2024.001").
DecodeError DecodeDateField(std::string_view text, int mask, int *field_mask, DecodingFields *out);
// Final year adjustment (BC, 2-digit years), day-of-year, and month/day range
// checks.
DecodeError ValidateDate(int mask, bool is_julian, bool bc, DecodingFields *out);
// PostgreSQL's time_overflows: each part in range and the total at most
// 24:00:00.
bool TimeOverflows(const DateTimeFields &fields);
// "+hh", "+hh:mm", "+hhmm", "-hh:mm:ss" into an offset east of UTC.
DecodeError DecodeNumericZone(std::string_view text, int32_t *utc_offset_seconds);

// Helpers shared with interval input.
// "hh:mm[:ss[.frac]]" (or "mm:ss.frac", read as minutes and seconds).
DecodeError DecodeTimeField(std::string_view text, DateTimeFields *fields, int *mask);
// A fraction ".ddd" to microseconds, rounded.
DecodeError ParseFractionalSecond(std::string_view text, int32_t *micros);
// strtol-like: digits with optional sign into int, sets *rest past them.
// Overflow reported.
bool ParseInt(std::string_view text, int *value, std::string_view *rest, bool *overflow);

}  // namespace plexus::sql::internal
