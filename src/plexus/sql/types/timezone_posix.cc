// POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3"): the parser and the yearly
// transitions they define. Offsets in the string count west as positive;
// ZoneType stores east as positive.
#include <cctype>

#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

constexpr int32_t kSecondsPerHour = 3600;
// tzcode's limit on the hours of an offset or rule time: one week.
constexpr int kPosixHoursMax = 24 * 7 - 1;

class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // An abbreviation: <quoted> (letters, digits, + and -) or a run of non-digit,
  // non-sign chars.
  bool Name(std::string *name) {
    size_t start = pos_;
    if (Consume('<')) {
      while (!AtEnd() && Peek() != '>') ++pos_;
      if (!Consume('>')) return false;
      *name = std::string(text_.substr(start + 1, pos_ - start - 2));
      return true;
    }
    while (!AtEnd() && !std::isdigit(static_cast<unsigned char>(Peek())) && Peek() != ',' &&
           Peek() != '-' && Peek() != '+') {
      ++pos_;
    }
    *name = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  bool Number(int min, int max, int *value) {
    if (!std::isdigit(static_cast<unsigned char>(Peek()))) return false;
    int result = 0;
    while (std::isdigit(static_cast<unsigned char>(Peek()))) {
      result = result * 10 + (text_[pos_++] - '0');
      if (result > max) return false;
    }
    if (result < min) return false;
    *value = result;
    return true;
  }

  // [+|-]hh[:mm[:ss]] in seconds.
  bool Offset(int32_t *seconds) {
    bool negative = false;
    if (Consume('-')) {
      negative = true;
    } else {
      Consume('+');
    }
    int hours = 0;
    int minutes = 0;
    int secs = 0;
    if (!Number(0, kPosixHoursMax, &hours)) return false;
    if (Consume(':')) {
      if (!Number(0, 59, &minutes)) return false;
      if (Consume(':') && !Number(0, 60, &secs)) return false;
    }
    int32_t total = hours * kSecondsPerHour + minutes * 60 + secs;
    *seconds = negative ? -total : total;
    return true;
  }

  bool RuleDate(PosixRuleDate *rule) {
    if (Consume('J')) {
      rule->kind = PosixRuleDate::Kind::kJulianNoLeap;
      if (!Number(1, 365, &rule->day)) return false;
    } else if (Consume('M')) {
      rule->kind = PosixRuleDate::Kind::kMonthWeekDay;
      if (!Number(1, 12, &rule->month) || !Consume('.') || !Number(1, 5, &rule->week) ||
          !Consume('.') || !Number(0, 6, &rule->day)) {
        return false;
      }
    } else {
      rule->kind = PosixRuleDate::Kind::kDayOfYear;
      if (!Number(0, 365, &rule->day)) return false;
    }
    rule->time_seconds = 2 * kSecondsPerHour;
    if (Consume('/')) return Offset(&rule->time_seconds);
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t UnixDays(int year, int month, int day) {
  return int64_t{DateToJulian(year, month, day)} - kUnixEpochJulian;
}

// Seconds from local midnight of January 1 to the rule's change, as tzcode's
// transtime.
int64_t RuleSecondsIntoYear(const PosixRuleDate &rule, int year) {
  int64_t day_index = 0;  // 0-based day of the year
  switch (rule.kind) {
    case PosixRuleDate::Kind::kJulianNoLeap:
      day_index = rule.day - 1;
      if (IsLeapYear(year) && rule.day >= 60) day_index += 1;
      break;
    case PosixRuleDate::Kind::kDayOfYear:
      day_index = rule.day;
      break;
    case PosixRuleDate::Kind::kMonthWeekDay: {
      int first_dow = JulianDayOfWeek(DateToJulian(year, rule.month, 1));
      int day = 1 + (rule.day - first_dow + 7) % 7 + 7 * (rule.week - 1);
      while (day > DaysInMonth(year, rule.month)) day -= 7;
      day_index = UnixDays(year, rule.month, day) - UnixDays(year, 1, 1);
      break;
    }
  }
  return day_index * kSecondsPerDay + rule.time_seconds;
}

}  // namespace

std::optional<PosixZone> ParsePosixZone(std::string_view spec) {
  PosixParser parser(spec);
  PosixZone zone;
  // PostgreSQL (unlike IANA tzcode) allows an empty standard abbreviation:
  // '+02:00'.
  if (!parser.Name(&zone.standard.abbreviation) || parser.AtEnd()) return std::nullopt;
  int32_t standard_west = 0;
  if (!parser.Offset(&standard_west)) return std::nullopt;
  zone.standard.utc_offset_seconds = -standard_west;
  if (parser.AtEnd()) return zone;

  ZoneType daylight;
  daylight.is_dst = true;
  if (!parser.Name(&daylight.abbreviation) || daylight.abbreviation.empty()) return std::nullopt;
  int32_t daylight_west = standard_west - kSecondsPerHour;
  if (!parser.AtEnd() && parser.Peek() != ',' && parser.Peek() != ';') {
    if (!parser.Offset(&daylight_west)) return std::nullopt;
  }
  daylight.utc_offset_seconds = -daylight_west;
  zone.daylight = daylight;
  if (parser.AtEnd()) {
    // tzcode's default rules (the US rules since 2007) when a DST zone names
    // none.
    PosixParser defaults("M3.2.0,M11.1.0");
    bool ok =
        defaults.RuleDate(&zone.start) && defaults.Consume(',') && defaults.RuleDate(&zone.end);
    if (!ok) return std::nullopt;
    return zone;
  }
  if (!parser.Consume(',') && !parser.Consume(';')) return std::nullopt;
  if (!parser.RuleDate(&zone.start) || !parser.Consume(',') || !parser.RuleDate(&zone.end) ||
      !parser.AtEnd()) {
    return std::nullopt;
  }
  return zone;
}

void AppendPosixTransitions(const PosixZone &zone, int year, std::vector<ZoneTransition> *out) {
  int64_t january_first = UnixDays(year, 1, 1) * kSecondsPerDay;
  int32_t standard_offset = zone.standard.utc_offset_seconds;
  int32_t daylight_offset = zone.daylight->utc_offset_seconds;
  out->push_back(
      {january_first + RuleSecondsIntoYear(zone.start, year) - standard_offset, &*zone.daylight});
  out->push_back(
      {january_first + RuleSecondsIntoYear(zone.end, year) - daylight_offset, &zone.standard});
}

}  // namespace plexus::sql
