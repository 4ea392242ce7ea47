// Decoding of the numeric parts of date/time input: which of year, month, day a
// number is (DateStyle MDY), run-together yyyymmdd / hhmmss numbers, delimited
// dates, and the final validation of the year, month and day.
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "plexus/sql/types/datetime_decode.h"

namespace plexus::sql::internal {

namespace {

int Atoi(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    value = value * 10 + (c - '0');
    if (value > 100000000) break;  // only ever compared against small limits after this
  }
  return value;
}

// Which field a lone number fills, from what has been seen (`mask` &
// kDateMask).
DecodeError AssignDateNumber(int value, size_t length, int mask, int *field_mask,
                             DecodingFields *out) {
  DateTimeFields &tm = out->tm;
  switch (mask & kDateMask) {
    case 0:
      // Only YYYY-MM-DD (3+ digit year) or the DateStyle order (MDY) are
      // accepted.
      if (length >= 3) {
        *field_mask = Mask(kTokenYear);
        tm.year = value;
      } else {
        *field_mask = Mask(kTokenMonth);
        tm.month = value;
      }
      break;
    case Mask(kTokenYear):
      *field_mask = Mask(kTokenMonth);
      tm.month = value;
      break;
    case Mask(kTokenMonth):
      if (out->text_month && length >= 3) {
        *field_mask = Mask(kTokenYear);  // YYYY-MON-DD
        tm.year = value;
      } else {
        *field_mask = Mask(kTokenDay);  // MON-DD-YYYY, DD-MON-YYYY, MM-DD-YY
        tm.day = value;
      }
      break;
    case Mask(kTokenYear) | Mask(kTokenMonth):
      if (out->text_month && length >= 3 && out->two_digit_year) {
        // DD-MON-YYYY: the first number was the day after all.
        *field_mask = Mask(kTokenDay);
        tm.day = tm.year;
        tm.year = value;
        out->two_digit_year = false;
      } else {
        *field_mask = Mask(kTokenDay);
        tm.day = value;
      }
      break;
    case Mask(kTokenDay):
      *field_mask = Mask(kTokenMonth);
      tm.month = value;
      break;
    case Mask(kTokenMonth) | Mask(kTokenDay):
      *field_mask = Mask(kTokenYear);
      tm.year = value;
      break;
    default:
      return DecodeError::kBadFormat;
  }
  if (*field_mask == Mask(kTokenYear)) out->two_digit_year = length <= 2;
  return DecodeError::kNone;
}

}  // namespace

DecodeError DecodeNumber(std::string_view text, int mask, int *field_mask, DecodingFields *out) {
  *field_mask = 0;
  int value = 0;
  std::string_view rest;
  bool overflow = false;
  if (!ParseInt(text, &value, &rest, &overflow)) return DecodeError::kBadFormat;
  if (overflow) return DecodeError::kFieldOverflow;
  if (!rest.empty() && rest[0] == '.') {
    // More than two digits before the point: a run-together date or time
    // (040506.789).
    if (text.size() - rest.size() > 2) {
      return DecodeNumberField(text, mask | kDateMask, field_mask, out);
    }
    DecodeError error = ParseFractionalSecond(rest, &out->tm.micros);
    if (error != DecodeError::kNone) return error;
  } else if (!rest.empty()) {
    return DecodeError::kBadFormat;
  }
  // A 3-digit number right after a year is a day of the year.
  if (text.size() == 3 && (mask & kDateMask) == Mask(kTokenYear) && value >= 1 && value <= 366) {
    *field_mask = Mask(kTokenDayOfYear) | Mask(kTokenMonth) | Mask(kTokenDay);
    out->day_of_year = value;
    return DecodeError::kNone;
  }
  if ((mask & kDateMask) == kDateMask) {
    // The date is complete, so this must be a time.
    return DecodeNumberField(text, mask, field_mask, out);
  }
  return AssignDateNumber(value, text.size(), mask, field_mask, out);
}

DecodeError DecodeNumberField(std::string_view text, int mask, int *field_mask,
                              DecodingFields *out) {
  DateTimeFields &tm = out->tm;
  size_t point = text.find('.');
  if (point != std::string_view::npos) {
    double fraction = std::strtod(std::string(text.substr(point)).c_str(), nullptr);
    tm.micros = static_cast<int32_t>(std::rint(fraction * 1000000));
    text = text.substr(0, point);
  } else if ((mask & kDateMask) != kDateMask && text.size() >= 6) {
    // yymmdd or yyyymmdd (or longer years): the last four digits are month and
    // day.
    *field_mask = kDateMask;
    size_t length = text.size();
    tm.day = Atoi(text.substr(length - 2));
    tm.month = Atoi(text.substr(length - 4, 2));
    tm.year = Atoi(text.substr(0, length - 4));
    if (length - 4 == 2) out->two_digit_year = true;
    return DecodeError::kNone;
  }
  if ((mask & kTimeMask) != kTimeMask) {
    if (text.size() == 6) {
      *field_mask = kTimeMask;
      tm.hour = Atoi(text.substr(0, 2));
      tm.minute = Atoi(text.substr(2, 2));
      tm.second = Atoi(text.substr(4, 2));
      return DecodeError::kNone;
    }
    if (text.size() == 4) {
      *field_mask = kTimeMask;
      tm.hour = Atoi(text.substr(0, 2));
      tm.minute = Atoi(text.substr(2, 2));
      tm.second = 0;
      return DecodeError::kNone;
    }
  }
  return DecodeError::kBadFormat;
}

DecodeError DecodeDateField(std::string_view text, int mask, int *field_mask, DecodingFields *out) {
  *field_mask = 0;
  // Split into runs of digits and runs of letters; anything else separates.
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos < text.size() && parts.size() < kDateFieldsMax) {
    while (pos < text.size() && !std::isalnum(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos >= text.size()) return DecodeError::kBadFormat;  // ends with a separator
    size_t start = pos;
    bool digits = std::isdigit(static_cast<unsigned char>(text[pos])) != 0;
    while (pos < text.size() && (digits ? std::isdigit(static_cast<unsigned char>(text[pos]))
                                        : std::isalpha(static_cast<unsigned char>(text[pos])))) {
      ++pos;
    }
    parts.push_back(text.substr(start, pos - start));
    if (pos < text.size()) ++pos;  // the character after a run is a separator
  }
  // Words first: a month name is unambiguous.
  std::vector<bool> done(parts.size(), false);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!std::isalpha(static_cast<unsigned char>(parts[i][0]))) continue;
    Keyword keyword = LookupDateKeyword(parts[i]);
    done[i] = true;
    if (keyword.type == kTokenIgnore) continue;
    if (keyword.type != kTokenMonth) return DecodeError::kBadFormat;
    if (mask & Mask(kTokenMonth)) return DecodeError::kBadFormat;
    out->tm.month = keyword.value;
    out->text_month = true;
    mask |= Mask(kTokenMonth);
    *field_mask |= Mask(kTokenMonth);
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (done[i]) continue;
    int part_mask = 0;
    DecodeError error = DecodeNumber(parts[i], mask, &part_mask, out);
    if (error != DecodeError::kNone) return error;
    if (mask & part_mask) return DecodeError::kBadFormat;
    mask |= part_mask;
    *field_mask |= part_mask;
  }
  if ((mask & ~(Mask(kTokenDayOfYear) | Mask(kTokenZone))) != kDateMask) {
    return DecodeError::kBadFormat;
  }
  return DecodeError::kNone;
}

DecodeError ValidateDate(int mask, bool is_julian, bool bc, DecodingFields *out) {
  DateTimeFields &tm = out->tm;
  if (mask & Mask(kTokenYear)) {
    if (is_julian) {
      // The year came from a Julian day and is already astronomical.
    } else if (bc) {
      if (tm.year <= 0) return DecodeError::kFieldOverflow;  // there is no year 0 BC
      tm.year = -(tm.year - 1);
    } else if (out->two_digit_year) {
      if (tm.year < 0) return DecodeError::kFieldOverflow;
      if (tm.year < 70) {
        tm.year += 2000;
      } else if (tm.year < 100) {
        tm.year += 1900;
      }
    } else if (tm.year <= 0) {
      return DecodeError::kFieldOverflow;
    }
  }
  if (mask & Mask(kTokenDayOfYear)) {
    int64_t julian = int64_t{DateToJulian(tm.year, 1, 1)} + out->day_of_year - 1;
    if (julian < 0 || julian > INT32_MAX) return DecodeError::kFieldOverflow;
    JulianToDate(static_cast<int32_t>(julian), &tm.year, &tm.month, &tm.day);
  }
  if ((mask & Mask(kTokenMonth)) && (tm.month < 1 || tm.month > kMonthsPerYear)) {
    return DecodeError::kMonthDayOverflow;
  }
  if ((mask & Mask(kTokenDay)) && (tm.day < 1 || tm.day > 31)) {
    return DecodeError::kMonthDayOverflow;
  }
  if ((mask & kDateMask) == kDateMask && tm.day > DaysInMonth(tm.year, tm.month)) {
    return DecodeError::kFieldOverflow;  // "Feb 29" is not a field-order mistake
  }
  return DecodeError::kNone;
}

}  // namespace plexus::sql::internal
