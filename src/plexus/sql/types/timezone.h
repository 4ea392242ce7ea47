// Time zones as PostgreSQL resolves them: IANA zones read from the system tz
// database (TZif files under /usr/share/zoneinfo, parsed here), POSIX TZ
// strings ('UTC+3', '<+03>-3', 'EST5EDT,...') and fixed offsets. A TimeZone is
// immutable and shared; Find() caches one per name.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/types/datetime.h"

namespace plexus::sql {

// One local time type of a zone: its offset, DST flag and abbreviation ("CET",
// "+03").
struct ZoneType {
  int32_t utc_offset_seconds = 0;  // local time minus UTC; east is positive
  bool is_dst = false;
  std::string abbreviation;
};

// A POSIX TZ rule date: Jn (1..365, Feb 29 never counted), n (0..365) or
// Mm.w.d.
struct PosixRuleDate {
  enum class Kind : uint8_t { kJulianNoLeap, kDayOfYear, kMonthWeekDay };
  Kind kind = Kind::kMonthWeekDay;
  int day = 0;  // Jn / n: the day; Mm.w.d: d (0 = Sunday)
  int week = 0;
  int month = 0;
  int32_t time_seconds = 7200;  // local time of the change, may be negative or past 24h
};

// A POSIX TZ string: a standard type and optionally a DST type with the rules
// switching them.
struct PosixZone {
  ZoneType standard;
  std::optional<ZoneType> daylight;
  PosixRuleDate start;  // standard -> daylight, in standard time
  PosixRuleDate end;    // daylight -> standard, in daylight time
};

// Parses a POSIX TZ string as PostgreSQL's tzparse does (an empty standard name
// is allowed; a DST part without rules takes the US rules M3.2.0,M11.1.0).
// Nothing on failure.
std::optional<PosixZone> ParsePosixZone(std::string_view spec);

// Transitions of a POSIX zone in one calendar year, as Unix seconds, with the
// type after each: appends (start, daylight) and (end, standard). REQUIRES:
// zone.daylight.
struct ZoneTransition {
  int64_t unix_seconds;
  const ZoneType *type;
};
void AppendPosixTransitions(const PosixZone &zone, int year, std::vector<ZoneTransition> *out);

class TimeZone {
 public:
  // The zone a name denotes as PostgreSQL's pg_tzset resolves it: a TZif file
  // of the system tz database (matched case-insensitively), else a POSIX TZ
  // string. Cached and thread-safe. Error 22023 `time zone "x" not recognized`.
  static Result<std::shared_ptr<const TimeZone>> Find(std::string_view name);
  // SET TIME ZONE semantics: a plain number is hours east of UTC (SQL sign
  // convention, '-5'), anything else goes to Find() (so '+02:00' and 'UTC+3'
  // are POSIX: west is positive).
  static Result<std::shared_ptr<const TimeZone>> FromSetting(std::string_view value);
  // A zone of constant offset, named as PostgreSQL names it ("<+05:30>-05:30").
  static std::shared_ptr<const TimeZone> FixedOffset(int32_t utc_offset_seconds);
  static std::shared_ptr<const TimeZone> Utc();

  // Built by the loaders; use Find() instead.
  TimeZone(std::string name, std::vector<int64_t> transitions, std::vector<uint8_t> types_after,
           std::vector<ZoneType> types, std::optional<PosixZone> footer);

  // The canonical name (file name as spelled on disk, or the upper-cased POSIX
  // string).
  const std::string &name() const { return name_; }

  // The local time type in effect at a UTC instant (Unix seconds).
  const ZoneType &TypeAtUtc(int64_t unix_seconds) const;

  // PostgreSQL's DetermineTimeZoneOffset: the UTC offset (east positive) to use
  // for a local wall-clock time given as seconds since 1970-01-01 00:00 local.
  // In a spring-forward gap the offset before the change is used; in a
  // fall-back overlap the offset after it.
  int32_t OffsetOfLocal(int64_t local_unix_seconds, bool *is_dst = nullptr) const;

 private:
  struct Segment {
    const ZoneType *type;                 // in effect at the instant asked about
    const ZoneType *next_type = nullptr;  // after the next transition, if any
    int64_t next_transition = 0;
  };
  // The type at `unix_seconds` and the first transition strictly after it.
  Segment FindSegment(int64_t unix_seconds) const;
  const ZoneType &LowestStandardType() const;

  std::string name_;
  std::vector<int64_t> transitions_;  // Unix seconds, ascending
  std::vector<uint8_t> types_after_;  // index into types_ of each transition
  std::vector<ZoneType> types_;       // never empty
  std::optional<PosixZone> footer_;   // rules for instants after the last transition
};

// Loads a TZif file's contents (RFC 8536, versions 1-4; leap seconds ignored).
Result<std::shared_ptr<const TimeZone>> ParseTzif(std::string name, std::string_view data);

// Local fields of an instant in `zone` (PostgreSQL's timestamp2tm with a zone):
// the fields carry utc_offset_seconds and is_dst. False when the instant cannot
// be broken down.
bool TimestampTzToFields(TimestampTz value, const TimeZone &zone, DateTimeFields *fields);
// The UTC offset PostgreSQL picks for local `fields` in `zone`
// (DetermineTimeZoneOffset); an out-of-range date gives 0.
int32_t LocalOffsetOfFields(const DateTimeFields &fields, const TimeZone &zone,
                            bool *is_dst = nullptr);
// The instant of local `fields` in `zone`; false when out of range.
bool FieldsToTimestampTz(const DateTimeFields &fields, const TimeZone &zone, TimestampTz *value);

}  // namespace plexus::sql
