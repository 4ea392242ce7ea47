// to_char's date/time template patterns, following PostgreSQL's formatting.c (DCH_to_char).
#include "plexus/sql/types/datetime_to_char.h"

#include <cstdio>
#include <cstdlib>

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {
namespace {

enum class Pattern {
  kAD, kADDots, kAM, kAMDots, kBC, kBCDots, kPM, kPMDots, kCC, kDay, kDDD, kDD, kDY, kD, kFX,
  kHH24, kHH12, kHH, kIDDD, kID, kIW, kIYYY, kIYY, kIY, kI, kJ, kMI, kMM, kMonth, kMon, kMS,
  kOF, kQ, kRM, kSSSSS, kSSSS, kSS, kTZH, kTZM, kTZ, kUS, kWW, kW, kYCommaYYY, kYYYY, kYYY, kYY,
  kY,
};

// How a name is spelled: "MONTH", "Month" or "month" (numbers ignore it).
enum class Spelling { kUpper, kCapitalized, kLower };

struct PatternKeyword {
  std::string_view text;
  Pattern pattern;
  Spelling spelling;
};

// PostgreSQL's keywords: each upper-case form, its lower-case twin, and the capitalized names.
constexpr PatternKeyword kPatternKeywords[] = {
    {"A.D.", Pattern::kADDots, Spelling::kUpper}, {"A.M.", Pattern::kAMDots, Spelling::kUpper},
    {"AD", Pattern::kAD, Spelling::kUpper},       {"AM", Pattern::kAM, Spelling::kUpper},
    {"B.C.", Pattern::kBCDots, Spelling::kUpper}, {"BC", Pattern::kBC, Spelling::kUpper},
    {"CC", Pattern::kCC, Spelling::kUpper},       {"DAY", Pattern::kDay, Spelling::kUpper},
    {"DDD", Pattern::kDDD, Spelling::kUpper},     {"DD", Pattern::kDD, Spelling::kUpper},
    {"DY", Pattern::kDY, Spelling::kUpper},       {"Day", Pattern::kDay, Spelling::kCapitalized},
    {"Dy", Pattern::kDY, Spelling::kCapitalized}, {"D", Pattern::kD, Spelling::kUpper},
    {"FX", Pattern::kFX, Spelling::kUpper},       {"HH24", Pattern::kHH24, Spelling::kUpper},
    {"HH12", Pattern::kHH12, Spelling::kUpper},   {"HH", Pattern::kHH, Spelling::kUpper},
    {"IDDD", Pattern::kIDDD, Spelling::kUpper},   {"ID", Pattern::kID, Spelling::kUpper},
    {"IW", Pattern::kIW, Spelling::kUpper},       {"IYYY", Pattern::kIYYY, Spelling::kUpper},
    {"IYY", Pattern::kIYY, Spelling::kUpper},     {"IY", Pattern::kIY, Spelling::kUpper},
    {"I", Pattern::kI, Spelling::kUpper},         {"J", Pattern::kJ, Spelling::kUpper},
    {"MI", Pattern::kMI, Spelling::kUpper},       {"MM", Pattern::kMM, Spelling::kUpper},
    {"MONTH", Pattern::kMonth, Spelling::kUpper}, {"MON", Pattern::kMon, Spelling::kUpper},
    {"MS", Pattern::kMS, Spelling::kUpper},       {"Month", Pattern::kMonth, Spelling::kCapitalized},
    {"Mon", Pattern::kMon, Spelling::kCapitalized}, {"OF", Pattern::kOF, Spelling::kUpper},
    {"P.M.", Pattern::kPMDots, Spelling::kUpper}, {"PM", Pattern::kPM, Spelling::kUpper},
    {"Q", Pattern::kQ, Spelling::kUpper},         {"RM", Pattern::kRM, Spelling::kUpper},
    {"SSSSS", Pattern::kSSSSS, Spelling::kUpper}, {"SSSS", Pattern::kSSSS, Spelling::kUpper},
    {"SS", Pattern::kSS, Spelling::kUpper},       {"TZH", Pattern::kTZH, Spelling::kUpper},
    {"TZM", Pattern::kTZM, Spelling::kUpper},     {"TZ", Pattern::kTZ, Spelling::kUpper},
    {"US", Pattern::kUS, Spelling::kUpper},       {"WW", Pattern::kWW, Spelling::kUpper},
    {"W", Pattern::kW, Spelling::kUpper},         {"Y,YYY", Pattern::kYCommaYYY, Spelling::kUpper},
    {"YYYY", Pattern::kYYYY, Spelling::kUpper},   {"YYY", Pattern::kYYY, Spelling::kUpper},
    {"YY", Pattern::kYY, Spelling::kUpper},       {"Y", Pattern::kY, Spelling::kUpper},
};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// The longest keyword at the start of `text`: an upper-case or capitalized one as written, or
// the lower-case twin of an upper-case one (spelled in lower case then).
const PatternKeyword* MatchKeyword(std::string_view text, Spelling* spelling) {
  const PatternKeyword* best = nullptr;
  for (const PatternKeyword& keyword : kPatternKeywords) {
    if (keyword.text.size() > text.size()) continue;
    if (best != nullptr && keyword.text.size() <= best->text.size()) continue;
    const std::string_view head = text.substr(0, keyword.text.size());
    if (head == keyword.text) {
      best = &keyword;
      *spelling = keyword.spelling;
      continue;
    }
    if (keyword.spelling != Spelling::kUpper) continue;
    bool lower = true;
    for (size_t i = 0; i < head.size() && lower; ++i) lower = head[i] == Lower(keyword.text[i]);
    if (lower) {
      best = &keyword;
      *spelling = Spelling::kLower;
    }
  }
  return best;
}

std::string Spell(std::string_view name, Spelling spelling, bool fill_mode, size_t width) {
  std::string text(name);
  for (size_t i = 0; i < text.size(); ++i) {
    if (spelling == Spelling::kUpper) text[i] = Upper(text[i]);
    if (spelling == Spelling::kLower) text[i] = Lower(text[i]);
  }
  if (!fill_mode && text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string Number(int64_t value, int width, bool fill_mode) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%0*lld", fill_mode ? 0 : width,
                static_cast<long long>(value));
  return buffer;
}

// "st", "nd", "rd" or "th" for the number ending `digits` (PostgreSQL's get_th).
std::string_view Ordinal(std::string_view digits, bool upper) {
  const size_t n = digits.size();
  const char last = n > 0 ? digits[n - 1] : '0';
  const bool teen = n > 1 && digits[n - 2] == '1';
  if (!teen && last == '1') return upper ? "ST" : "st";
  if (!teen && last == '2') return upper ? "ND" : "nd";
  if (!teen && last == '3') return upper ? "RD" : "rd";
  return upper ? "TH" : "th";
}

// Calendar facts of one date that several patterns need.
struct Calendar {
  int32_t julian = 0;
  int day_of_week = 0;   // 0 = Sunday
  int day_of_year = 1;   // 1-based
  int iso_year = 0;
  int iso_week = 1;
  int iso_day_of_year = 1;
};

Calendar CalendarOf(const DateTimeFields& fields) {
  Calendar calendar;
  calendar.julian = DateToJulian(fields.year, fields.month, fields.day);
  calendar.day_of_week = JulianDayOfWeek(calendar.julian);
  calendar.day_of_year = calendar.julian - DateToJulian(fields.year, 1, 1) + 1;
  // ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday.
  const int iso_day = calendar.day_of_week == 0 ? 7 : calendar.day_of_week;
  const int32_t thursday = calendar.julian - iso_day + 4;
  int year = 0;
  int month = 0;
  int day = 0;
  JulianToDate(thursday, &year, &month, &day);
  calendar.iso_year = year;
  calendar.iso_week = (thursday - DateToJulian(year, 1, 1)) / 7 + 1;
  calendar.iso_day_of_year = (calendar.iso_week - 1) * 7 + iso_day;
  return calendar;
}

// PostgreSQL's ADJUST_YEAR: BC years count from 1.
int AdjustYear(int year) { return year <= 0 ? -(year - 1) : year; }

Result<std::string> FormatPattern(Pattern pattern, Spelling spelling, bool fill_mode,
                                  const DateTimeFields& fields, const Calendar& calendar) {
  const int hour12 = fields.hour % 12 == 0 ? 12 : fields.hour % 12;
  const bool pm = fields.hour >= 12;
  const bool lower = spelling == Spelling::kLower;
  const int year = AdjustYear(fields.year);
  const int iso_year = AdjustYear(calendar.iso_year);
  switch (pattern) {
    case Pattern::kAD:
    case Pattern::kBC: return std::string(fields.year <= 0 ? (lower ? "bc" : "BC") : (lower ? "ad" : "AD"));
    case Pattern::kADDots:
    case Pattern::kBCDots:
      return std::string(fields.year <= 0 ? (lower ? "b.c." : "B.C.") : (lower ? "a.d." : "A.D."));
    case Pattern::kAM:
    case Pattern::kPM: return std::string(pm ? (lower ? "pm" : "PM") : (lower ? "am" : "AM"));
    case Pattern::kAMDots:
    case Pattern::kPMDots: return std::string(pm ? (lower ? "p.m." : "P.M.") : (lower ? "a.m." : "A.M."));
    case Pattern::kHH:
    case Pattern::kHH12: return Number(hour12, 2, fill_mode);
    case Pattern::kHH24: return Number(fields.hour, 2, fill_mode);
    case Pattern::kMI: return Number(fields.minute, 2, fill_mode);
    case Pattern::kSS: return Number(fields.second, 2, fill_mode);
    case Pattern::kMS: return Number(fields.micros / 1000, 3, fill_mode);
    case Pattern::kUS: return Number(fields.micros, 6, fill_mode);
    case Pattern::kSSSS:
    case Pattern::kSSSSS:
      return Number(fields.hour * 3600 + fields.minute * 60 + fields.second, 0, true);
    case Pattern::kYCommaYYY: {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%d,%03d", year / 1000, year % 1000);
      return std::string(buffer);
    }
    case Pattern::kYYYY: return Number(year, year >= 0 ? 4 : 5, fill_mode);
    case Pattern::kYYY: return Number(year % 1000, 3, fill_mode);
    case Pattern::kYY: return Number(year % 100, 2, fill_mode);
    case Pattern::kY: return Number(year % 10, 1, fill_mode);
    case Pattern::kIYYY: return Number(iso_year, iso_year >= 0 ? 4 : 5, fill_mode);
    case Pattern::kIYY: return Number(iso_year % 1000, 3, fill_mode);
    case Pattern::kIY: return Number(iso_year % 100, 2, fill_mode);
    case Pattern::kI: return Number(iso_year % 10, 1, fill_mode);
    case Pattern::kMonth: return Spell(kMonthNames[fields.month - 1], spelling, fill_mode, 9);
    case Pattern::kMon: return Spell(kMonthNames[fields.month - 1].substr(0, 3), spelling, true, 0);
    case Pattern::kMM: return Number(fields.month, 2, fill_mode);
    case Pattern::kDay: return Spell(kDayNames[calendar.day_of_week], spelling, fill_mode, 9);
    case Pattern::kDY: return Spell(kDayNames[calendar.day_of_week].substr(0, 3), spelling, true, 0);
    case Pattern::kDDD: return Number(calendar.day_of_year, 3, fill_mode);
    case Pattern::kIDDD: return Number(calendar.iso_day_of_year, 3, fill_mode);
    case Pattern::kDD: return Number(fields.day, 2, fill_mode);
    case Pattern::kD: return Number(calendar.day_of_week + 1, 1, fill_mode);
    case Pattern::kID: return Number(calendar.day_of_week == 0 ? 7 : calendar.day_of_week, 1, fill_mode);
    case Pattern::kW: return Number((fields.day - 1) / 7 + 1, 1, fill_mode);
    case Pattern::kWW: return Number((calendar.day_of_year - 1) / 7 + 1, 2, fill_mode);
    case Pattern::kIW: return Number(calendar.iso_week, 2, fill_mode);
    case Pattern::kCC: {
      const int century = fields.year > 0 ? (fields.year + 99) / 100 : -((99 - (fields.year - 1)) / 100);
      return Number(century, 2, fill_mode);
    }
    case Pattern::kJ: return Number(calendar.julian, 0, true);
    case Pattern::kQ: return Number((fields.month - 1) / 3 + 1, 1, fill_mode);
    case Pattern::kFX: return std::string();
    case Pattern::kOF:
    case Pattern::kRM:
    case Pattern::kTZ:
    case Pattern::kTZH:
    case Pattern::kTZM: break;
  }
  return SqlError(kFeatureNotSupported,
                  "to_char: time zone and roman numeral patterns are not supported yet");
}

bool IsNumeric(Pattern pattern) {
  switch (pattern) {
    case Pattern::kAD: case Pattern::kADDots: case Pattern::kAM: case Pattern::kAMDots:
    case Pattern::kBC: case Pattern::kBCDots: case Pattern::kPM: case Pattern::kPMDots:
    case Pattern::kMonth: case Pattern::kMon: case Pattern::kDay: case Pattern::kDY:
    case Pattern::kFX: return false;
    default: return true;
  }
}

}  // namespace

Result<std::string> FormatDateTimeTemplate(const DateTimeFields& fields, std::string_view format) {
  const Calendar calendar = CalendarOf(fields);
  std::string out;
  size_t i = 0;
  while (i < format.size()) {
    const char c = format[i];
    if (c == '"') {  // literal text up to the closing quote; \" is a quote
      for (++i; i < format.size() && format[i] != '"'; ++i) {
        if (format[i] == '\\' && i + 1 < format.size()) ++i;
        out += format[i];
      }
      ++i;
      continue;
    }
    if (c == '\\' && i + 1 < format.size() && format[i + 1] == '"') {
      out += '"';
      i += 2;
      continue;
    }
    std::string_view rest = format.substr(i);
    bool fill_mode = false;
    if (rest.size() > 2 && (rest.substr(0, 2) == "FM" || rest.substr(0, 2) == "fm")) {
      Spelling ignored;
      if (MatchKeyword(rest.substr(2), &ignored) != nullptr) {
        fill_mode = true;
        rest.remove_prefix(2);
        i += 2;
      }
    }
    Spelling spelling = Spelling::kUpper;
    const PatternKeyword* keyword = MatchKeyword(rest, &spelling);
    if (keyword == nullptr) {
      out += c;
      ++i;
      continue;
    }
    i += keyword->text.size();
    PLEXUS_ASSIGN_OR_RETURN(std::string text,
                            FormatPattern(keyword->pattern, spelling, fill_mode, fields, calendar));
    out += text;
    const std::string_view after = format.substr(i);
    if (IsNumeric(keyword->pattern) && after.size() >= 2 &&
        (after.substr(0, 2) == "TH" || after.substr(0, 2) == "th")) {
      out += Ordinal(text, after[0] == 'T');
      i += 2;
    }
  }
  return out;
}

}  // namespace plexus::sql
