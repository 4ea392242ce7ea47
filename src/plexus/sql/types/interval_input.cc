// interval_in: PostgreSQL's DecodeInterval (fields read right to left so that a
// unit word labels the number before it; "hh:mm:ss" and "y-m" forms; 'ago'
// negates) and, when that fails on syntax, DecodeISO8601Interval
// ('P1Y2M3DT4H5M6S' and the alternative 'P0001-02-03T04:05:06').
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_decode.h"
#include "plexus/sql/types/interval.h"

namespace plexus::sql {

namespace {

using internal::DecodeError;
using internal::FieldKind;
using internal::Mask;

// PostgreSQL's pg_itm_in: the parts accumulated while decoding.
struct IntervalParts {
  int64_t micros = 0;
  int32_t days = 0;
  int32_t months = 0;
  int32_t years = 0;
};

bool AddScaled64(int64_t value, int64_t scale, int64_t *sum) {
  int64_t product = 0;
  return !__builtin_mul_overflow(value, scale, &product) &&
         !__builtin_add_overflow(*sum, product, sum);
}

bool AddScaled32(int64_t value, int64_t scale, int32_t *sum) {
  int64_t product = 0;
  if (__builtin_mul_overflow(value, scale, &product)) return false;
  if (product < std::numeric_limits<int32_t>::min() ||
      product > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  return !__builtin_add_overflow(*sum, static_cast<int32_t>(product), sum);
}

// A fraction of `scale` microseconds, rounded half away from zero.
bool AdjustFractionMicros(double fraction, int64_t scale, IntervalParts *parts) {
  if (fraction == 0) return true;
  fraction *= static_cast<double>(scale);
  int64_t micros = static_cast<int64_t>(fraction);
  fraction -= static_cast<double>(micros);
  if (fraction > 0.5) {
    micros++;
  } else if (fraction < -0.5) {
    micros--;
  }
  return !__builtin_add_overflow(parts->micros, micros, &parts->micros);
}

bool AdjustFractionDays(double fraction, int scale, IntervalParts *parts) {
  if (fraction == 0) return true;
  fraction *= scale;
  int extra_days = static_cast<int>(fraction);
  if (__builtin_add_overflow(parts->days, extra_days, &parts->days)) return false;
  return AdjustFractionMicros(fraction - extra_days, kMicrosPerDay, parts);
}

bool AdjustFractionYears(double fraction, int scale, IntervalParts *parts) {
  if (fraction == 0) return true;
  double months = std::rint(fraction * scale * kMonthsPerYear);
  if (std::fabs(months) > std::numeric_limits<int32_t>::max()) return false;
  return !__builtin_add_overflow(parts->months, static_cast<int32_t>(months), &parts->months);
}

bool AdjustMicros(int64_t value, double fraction, int64_t scale, IntervalParts *parts) {
  return AddScaled64(value, scale, &parts->micros) && AdjustFractionMicros(fraction, scale, parts);
}

// Applies "<value><fraction> <unit>" to the parts; sets *mask to the unit's
// bit.
DecodeError ApplyUnit(int unit, int64_t value, double fraction, IntervalParts *parts, int *mask) {
  using namespace internal;  // NOLINT: token and unit names
  bool ok = true;
  switch (unit) {
    case kUnitMicrosecond:
      ok = AdjustMicros(value, fraction, 1, parts);
      *mask = Mask(kTokenMicrosecond);
      break;
    case kUnitMillisecond:
      ok = AdjustMicros(value, fraction, 1000, parts);
      *mask = Mask(kTokenMillisecond);
      break;
    case kUnitSecond:
      ok = AdjustMicros(value, fraction, kMicrosPerSecond, parts);
      *mask = fraction == 0 ? Mask(kTokenSecond) : kAllSecondsMask;
      break;
    case kUnitMinute:
      ok = AdjustMicros(value, fraction, kMicrosPerMinute, parts);
      *mask = Mask(kTokenMinute);
      break;
    case kUnitHour:
      ok = AdjustMicros(value, fraction, kMicrosPerHour, parts);
      *mask = Mask(kTokenHour);
      break;
    case kUnitDay:
      ok = AddScaled32(value, 1, &parts->days) &&
           AdjustFractionMicros(fraction, kMicrosPerDay, parts);
      *mask = Mask(kTokenDay);
      break;
    case kUnitWeek:
      ok = AddScaled32(value, 7, &parts->days) && AdjustFractionDays(fraction, 7, parts);
      *mask = Mask(kTokenWeek);
      break;
    case kUnitMonth:
      ok = AddScaled32(value, 1, &parts->months) &&
           AdjustFractionDays(fraction, kDaysPerMonth, parts);
      *mask = Mask(kTokenMonth);
      break;
    case kUnitYear:
    case kUnitDecade:
    case kUnitCentury:
    case kUnitMillennium: {
      int scale = unit == kUnitYear      ? 1
                  : unit == kUnitDecade  ? 10
                  : unit == kUnitCentury ? 100
                                         : 1000;
      ok = AddScaled32(value, scale, &parts->years) && AdjustFractionYears(fraction, scale, parts);
      *mask = Mask(unit == kUnitYear      ? kTokenYear
                   : unit == kUnitDecade  ? kTokenDecade
                   : unit == kUnitCentury ? kTokenCentury
                                          : kTokenMillennium);
      break;
    }
    default:
      return DecodeError::kBadFormat;
  }
  return ok ? DecodeError::kNone : DecodeError::kFieldOverflow;
}

// "[-]hh:mm[:ss[.frac]]" or "mm:ss.frac" as microseconds (hours may exceed 24).
DecodeError DecodeIntervalTime(std::string_view text, int64_t *micros) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return DecodeError::kBadFormat;
  int64_t hours = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return DecodeError::kBadFormat;
    if (__builtin_mul_overflow(hours, 10, &hours) ||
        __builtin_add_overflow(hours, text[i] - '0', &hours)) {
      return DecodeError::kFieldOverflow;
    }
  }
  // The rest has the shape of a time after its hours; reuse the time decoder on
  // "0:rest".
  DateTimeFields fields;
  int mask = 0;
  std::string rest = "0" + std::string(text.substr(colon));
  DecodeError error = internal::DecodeTimeField(rest, &fields, &mask);
  if (error != DecodeError::kNone) return error;
  if (fields.hour == 0 && fields.minute == 0 && rest.find(':', 2) == std::string::npos &&
      rest.find('.') != std::string::npos) {
    // "mm:ss.frac": the first number was minutes.
    if (hours > 59) return DecodeError::kFieldOverflow;
    fields.minute = static_cast<int>(hours);
    hours = 0;
  }
  int64_t total = fields.micros;
  if (!AddScaled64(hours, kMicrosPerHour, &total) ||
      !AddScaled64(fields.minute, kMicrosPerMinute, &total) ||
      !AddScaled64(fields.second, kMicrosPerSecond, &total)) {
    return DecodeError::kFieldOverflow;
  }
  *micros = total;
  return DecodeError::kNone;
}

// A decimal number of ISO 8601 interval input, split into integer and fraction
// (truncating toward zero); *end is set past it. Magnitudes above 1e15
// overflow.
DecodeError ParseIsoNumber(std::string_view text, size_t *pos, int64_t *integer, double *fraction) {
  if (*pos >= text.size()) return DecodeError::kBadFormat;
  char first = text[*pos];
  if (!std::isdigit(static_cast<unsigned char>(first)) && first != '-' && first != '.') {
    return DecodeError::kBadFormat;
  }
  std::string rest(text.substr(*pos));
  char *end = nullptr;
  errno = 0;
  double value = std::strtod(rest.c_str(), &end);
  if (end == rest.c_str() || errno != 0) return DecodeError::kBadFormat;
  if (std::isnan(value) || value < -1.0e15 || value > 1.0e15) return DecodeError::kFieldOverflow;
  *integer = value >= 0 ? static_cast<int64_t>(std::floor(value))
                        : -static_cast<int64_t>(std::floor(-value));
  *fraction = value - static_cast<double>(*integer);
  *pos += static_cast<size_t>(end - rest.c_str());
  return DecodeError::kNone;
}

// Digits at the start of a field (after an optional '-').
size_t IsoIntegerWidth(std::string_view text, size_t start) {
  if (start < text.size() && text[start] == '-') ++start;
  size_t end = start;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  return end - start;
}

#define PLEXUS_ISO_ADJUST(ok) \
  if (!(ok)) return DecodeError::kFieldOverflow

// The alternative format's date part: "yyyy-mm-dd" (extended) with optional 'T'
// after any part. `unit` is the character that ended the year. Sets *done at
// the end of the text.
DecodeError DecodeIsoAlternativeDate(std::string_view text, size_t *pos, char unit, int64_t value,
                                     double fraction, IntervalParts *parts, bool *done,
                                     bool *date_part) {
  PLEXUS_ISO_ADJUST(AddScaled32(value, 1, &parts->years) &&
                    AdjustFractionYears(fraction, 1, parts));
  *done = unit == '\0';
  if (unit != '-') {
    *date_part = unit != 'T';
    return DecodeError::kNone;
  }
  DecodeError error = ParseIsoNumber(text, pos, &value, &fraction);
  if (error != DecodeError::kNone) return error;
  PLEXUS_ISO_ADJUST(AddScaled32(value, 1, &parts->months) &&
                    AdjustFractionDays(fraction, kDaysPerMonth, parts));
  auto finish = [&](bool *handled) {
    *handled = true;
    if (*pos >= text.size()) {
      *done = true;
    } else if (text[*pos] == 'T') {
      ++*pos;
      *date_part = false;
    } else {
      *handled = false;
    }
  };
  bool handled = false;
  finish(&handled);
  if (handled) return DecodeError::kNone;
  if (text[*pos] != '-') return DecodeError::kBadFormat;
  ++*pos;
  error = ParseIsoNumber(text, pos, &value, &fraction);
  if (error != DecodeError::kNone) return error;
  PLEXUS_ISO_ADJUST(AddScaled32(value, 1, &parts->days) &&
                    AdjustFractionMicros(fraction, kMicrosPerDay, parts));
  finish(&handled);
  return handled ? DecodeError::kNone : DecodeError::kBadFormat;
}

// The alternative format's time part: "hh:mm:ss" (extended). Always ends the
// text.
DecodeError DecodeIsoAlternativeTime(std::string_view text, size_t *pos, int64_t value,
                                     double fraction, IntervalParts *parts, char unit) {
  PLEXUS_ISO_ADJUST(AdjustMicros(value, fraction, kMicrosPerHour, parts));
  if (unit == '\0') return DecodeError::kNone;
  DecodeError error = ParseIsoNumber(text, pos, &value, &fraction);
  if (error != DecodeError::kNone) return error;
  PLEXUS_ISO_ADJUST(AdjustMicros(value, fraction, kMicrosPerMinute, parts));
  if (*pos >= text.size()) return DecodeError::kNone;
  if (text[*pos] != ':') return DecodeError::kBadFormat;
  ++*pos;
  error = ParseIsoNumber(text, pos, &value, &fraction);
  if (error != DecodeError::kNone) return error;
  PLEXUS_ISO_ADJUST(AdjustMicros(value, fraction, kMicrosPerSecond, parts));
  return *pos >= text.size() ? DecodeError::kNone : DecodeError::kBadFormat;
}

// One "<number><unit>" of the date part (before 'T'). Sets *done when the text
// ended.
DecodeError DecodeIsoDateUnit(std::string_view text, size_t *pos, size_t start, char unit,
                              int64_t value, double fraction, bool have_field, IntervalParts *parts,
                              bool *done, bool *date_part) {
  switch (unit) {
    case 'Y':
      PLEXUS_ISO_ADJUST(AddScaled32(value, 1, &parts->years) &&
                        AdjustFractionYears(fraction, 1, parts));
      return DecodeError::kNone;
    case 'M':
      PLEXUS_ISO_ADJUST(AddScaled32(value, 1, &parts->months) &&
                        AdjustFractionDays(fraction, kDaysPerMonth, parts));
      return DecodeError::kNone;
    case 'W':
      PLEXUS_ISO_ADJUST(AddScaled32(value, 7, &parts->days) &&
                        AdjustFractionDays(fraction, 7, parts));
      return DecodeError::kNone;
    case 'D':
      PLEXUS_ISO_ADJUST(AddScaled32(value, 1, &parts->days) &&
                        AdjustFractionMicros(fraction, kMicrosPerDay, parts));
      return DecodeError::kNone;
    case 'T':
    case '\0':
      if (IsoIntegerWidth(text, start) == 8 && !have_field) {
        // Basic alternative format: yyyymmdd.
        PLEXUS_ISO_ADJUST(AddScaled32(value / 10000, 1, &parts->years) &&
                          AddScaled32((value / 100) % 100, 1, &parts->months) &&
                          AddScaled32(value % 100, 1, &parts->days) &&
                          AdjustFractionMicros(fraction, kMicrosPerDay, parts));
        *done = unit == '\0';
        *date_part = false;
        return DecodeError::kNone;
      }
      [[fallthrough]];
    case '-':
      if (have_field) return DecodeError::kBadFormat;
      return DecodeIsoAlternativeDate(text, pos, unit, value, fraction, parts, done, date_part);
    default:
      return DecodeError::kBadFormat;
  }
}

// One "<number><unit>" of the time part (after 'T'). Sets *done when the text
// ended.
DecodeError DecodeIsoTimeUnit(std::string_view text, size_t *pos, size_t start, char unit,
                              int64_t value, double fraction, bool have_field, IntervalParts *parts,
                              bool *done) {
  switch (unit) {
    case 'H':
      PLEXUS_ISO_ADJUST(AdjustMicros(value, fraction, kMicrosPerHour, parts));
      return DecodeError::kNone;
    case 'M':
      PLEXUS_ISO_ADJUST(AdjustMicros(value, fraction, kMicrosPerMinute, parts));
      return DecodeError::kNone;
    case 'S':
      PLEXUS_ISO_ADJUST(AdjustMicros(value, fraction, kMicrosPerSecond, parts));
      return DecodeError::kNone;
    case '\0':
      if (IsoIntegerWidth(text, start) == 6 && !have_field) {
        // Basic alternative format: hhmmss.
        PLEXUS_ISO_ADJUST(AdjustMicros(value / 10000, 0, kMicrosPerHour, parts) &&
                          AdjustMicros((value / 100) % 100, 0, kMicrosPerMinute, parts) &&
                          AdjustMicros(value % 100, 0, kMicrosPerSecond, parts) &&
                          AdjustFractionMicros(fraction, 1, parts));
        *done = true;
        return DecodeError::kNone;
      }
      [[fallthrough]];
    case ':':
      if (have_field) return DecodeError::kBadFormat;
      *done = true;
      return DecodeIsoAlternativeTime(text, pos, value, fraction, parts, unit);
    default:
      return DecodeError::kBadFormat;
  }
}

#undef PLEXUS_ISO_ADJUST

// ISO 8601 "format with designators" (P1Y2M3DT4H5M6S) and "alternative format".
DecodeError DecodeIsoInterval(std::string_view text, IntervalParts *parts) {
  if (text.size() < 2 || text[0] != 'P') return DecodeError::kBadFormat;
  size_t pos = 1;
  bool date_part = true;
  bool have_field = false;
  while (pos < text.size()) {
    if (text[pos] == 'T') {
      date_part = false;
      have_field = false;
      ++pos;
      continue;
    }
    size_t start = pos;
    int64_t value = 0;
    double fraction = 0;
    DecodeError error = ParseIsoNumber(text, &pos, &value, &fraction);
    if (error != DecodeError::kNone) return error;
    char unit = pos < text.size() ? text[pos] : '\0';
    if (pos < text.size()) ++pos;
    bool done = false;
    bool was_date_part = date_part;
    error = date_part ? DecodeIsoDateUnit(text, &pos, start, unit, value, fraction, have_field,
                                          parts, &done, &date_part)
                      : DecodeIsoTimeUnit(text, &pos, start, unit, value, fraction, have_field,
                                          parts, &done);
    if (error != DecodeError::kNone || done) return error;
    // The alternative formats switch to the time part themselves and start a
    // new field set.
    have_field = was_date_part == date_part;
  }
  return DecodeError::kNone;
}

class IntervalDecoder {
 public:
  explicit IntervalDecoder(std::vector<internal::DateField> &fields) : fields_(fields) {}

  DecodeError Run(IntervalParts *parts) {
    using namespace internal;  // NOLINT
    for (size_t i = fields_.size(); i-- > 0;) {
      int field_mask = 0;
      bool skip = false;
      DecodeError error = DecodeOne(fields_[i], parts, &field_mask, &skip);
      if (error != DecodeError::kNone) return error;
      if (skip) continue;
      if (field_mask & mask_) return DecodeError::kBadFormat;
      mask_ |= field_mask;
    }
    if (mask_ == 0) return DecodeError::kBadFormat;
    if (is_before_) {
      if (parts->micros == std::numeric_limits<int64_t>::min() ||
          parts->days == std::numeric_limits<int32_t>::min() ||
          parts->months == std::numeric_limits<int32_t>::min() ||
          parts->years == std::numeric_limits<int32_t>::min()) {
        return DecodeError::kFieldOverflow;
      }
      parts->micros = -parts->micros;
      parts->days = -parts->days;
      parts->months = -parts->months;
      parts->years = -parts->years;
    }
    return DecodeError::kNone;
  }

 private:
  DecodeError DecodeOne(internal::DateField &field, IntervalParts *parts, int *field_mask,
                        bool *skip) {
    using namespace internal;  // NOLINT
    switch (field.kind) {
      case FieldKind::kTime:
        return DecodeTime(field.text, false, parts, field_mask);
      case FieldKind::kZone:
        // A signed time ("-02:00:00"); otherwise a signed number.
        if (field.text.find(':', 1) != std::string::npos) {
          IntervalParts saved = *parts;
          if (DecodeTime(std::string_view(field.text).substr(1), field.text[0] == '-', parts,
                         field_mask) == DecodeError::kNone) {
            return DecodeError::kNone;
          }
          *parts = saved;
        }
        [[fallthrough]];
      case FieldKind::kDate:
      case FieldKind::kNumber:
        return DecodeNumber(field.text, parts, field_mask);
      case FieldKind::kString:
      case FieldKind::kSpecial: {
        Keyword keyword = LookupIntervalKeyword(field.text);
        if (keyword.type == kTokenIgnore) {
          *skip = true;
          return DecodeError::kNone;
        }
        if (keyword.type == kTokenUnits) {
          unit_ = keyword.value;
        } else if (keyword.type == kTokenAgo) {
          is_before_ = true;
          unit_ = -1;  // a bare number right before 'ago' has no unit
        } else {
          return DecodeError::kBadFormat;
        }
        return DecodeError::kNone;
      }
    }
    return DecodeError::kBadFormat;
  }

  DecodeError DecodeTime(std::string_view text, bool negative, IntervalParts *parts,
                         int *field_mask) {
    int64_t micros = 0;
    DecodeError error = DecodeIntervalTime(text, &micros);
    if (error != DecodeError::kNone) return error;
    // As PostgreSQL, the time replaces (not adds to) microseconds decoded so
    // far.
    parts->micros = negative ? -micros : micros;
    *field_mask = internal::kTimeMask;
    unit_ = internal::kUnitDay;
    return DecodeError::kNone;
  }

  DecodeError DecodeNumber(std::string_view text, IntervalParts *parts, int *field_mask) {
    if (unit_ == 0) unit_ = internal::kUnitSecond;  // a bare number is seconds
    size_t pos = (text[0] == '+' || text[0] == '-') ? 1 : 0;
    size_t digits_end = pos;
    while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end]))) {
      ++digits_end;
    }
    // strtol reads no digits from ".5": the integer part is then 0.
    if (digits_end == pos && (digits_end >= text.size() || text[digits_end] != '.')) {
      return DecodeError::kBadFormat;
    }
    errno = 0;
    int64_t value =
        digits_end == pos
            ? 0
            : std::strtoll(std::string(text.substr(0, digits_end)).c_str(), nullptr, 10);
    if (errno == ERANGE) return DecodeError::kFieldOverflow;
    std::string_view rest = text.substr(digits_end);
    double fraction = 0;
    if (!rest.empty() && rest[0] == '-') {
      // SQL "years-months".
      int months = 0;
      std::string_view after;
      bool overflow = false;
      if (!internal::ParseInt(rest.substr(1), &months, &after, &overflow)) {
        after = rest.substr(1);  // strtol read nothing: zero months
      }
      if (overflow || months < 0 || months >= kMonthsPerYear) return DecodeError::kFieldOverflow;
      if (!after.empty()) return DecodeError::kBadFormat;
      unit_ = internal::kUnitMonth;
      if (text[0] == '-') months = -months;
      if (__builtin_mul_overflow(value, kMonthsPerYear, &value) ||
          __builtin_add_overflow(value, months, &value)) {
        return DecodeError::kFieldOverflow;
      }
    } else if (!rest.empty() && rest[0] == '.') {
      for (size_t i = 1; i < rest.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return DecodeError::kBadFormat;
      }
      fraction = std::strtod(std::string(rest).c_str(), nullptr);
      if (text[0] == '-') fraction = -fraction;
    } else if (!rest.empty()) {
      return DecodeError::kBadFormat;
    }
    DecodeError error = ApplyUnit(unit_, value, fraction, parts, field_mask);
    if (error != DecodeError::kNone) return error;
    if (unit_ == internal::kUnitHour) unit_ = internal::kUnitDay;  // "1 02" after hours is days
    return DecodeError::kNone;
  }

  std::vector<internal::DateField> &fields_;
  int mask_ = 0;
  int unit_ = 0;            // the unit a number to the left takes; 0 before any
  bool is_before_ = false;  // 'ago' was given
};

Result<Interval> PartsToInterval(const IntervalParts &parts) {
  int64_t months = int64_t{parts.years} * kMonthsPerYear + parts.months;
  if (months < std::numeric_limits<int32_t>::min() ||
      months > std::numeric_limits<int32_t>::max()) {
    return IntervalOutOfRange();
  }
  return Interval{parts.micros, parts.days, static_cast<int32_t>(months)};
}

}  // namespace

Result<Interval> ParseInterval(std::string_view text) {
  std::vector<internal::DateField> fields;
  IntervalParts parts;
  DecodeError error = internal::TokenizeDateTime(text, &fields);
  if (error == DecodeError::kNone) error = IntervalDecoder(fields).Run(&parts);
  if (error == DecodeError::kBadFormat) {
    parts = IntervalParts();
    error = DecodeIsoInterval(text, &parts);
  }
  std::string quoted = "\"" + std::string(text) + "\"";
  switch (error) {
    case DecodeError::kNone:
      return PartsToInterval(parts);
    case DecodeError::kFieldOverflow:
    case DecodeError::kIntervalOverflow:
      return SqlError(kIntervalFieldOverflow, "interval field value out of range: " + quoted);
    default:
      return SqlError(kInvalidDatetimeFormat, "invalid input syntax for type interval: " + quoted);
  }
}

}  // namespace plexus::sql
