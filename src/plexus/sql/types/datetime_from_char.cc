// to_date/to_timestamp's reading of text by a date/time template, following PostgreSQL's
// formatting.c (DCH_from_char) for the common patterns, without FX's exact matching.
#include <cctype>
#include <optional>
#include <string>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_to_char.h"

namespace plexus::sql {
namespace {

enum class Field {
  kYYYY, kYY, kMM, kDD, kHH24, kHH12, kMI, kSS, kMS, kUS, kMeridiem, kMeridiemDots, kMonth,
  kMon, kDay, kDy, kTZ, kFM,
};

struct FieldKeyword {
  std::string_view text;  // upper case; the format matches it in any case
  Field field;
};

// Longest first where one keyword starts another (HH24 before HH, MONTH before MON before MM).
constexpr FieldKeyword kFieldKeywords[] = {
    {"YYYY", Field::kYYYY}, {"YY", Field::kYY},       {"MONTH", Field::kMonth},
    {"MON", Field::kMon},   {"MM", Field::kMM},       {"MS", Field::kMS},
    {"MI", Field::kMI},     {"DAY", Field::kDay},     {"DY", Field::kDy},
    {"DD", Field::kDD},     {"HH24", Field::kHH24},   {"HH12", Field::kHH12},
    {"HH", Field::kHH12},   {"SS", Field::kSS},       {"US", Field::kUS},
    {"A.M.", Field::kMeridiemDots}, {"P.M.", Field::kMeridiemDots},
    {"AM", Field::kMeridiem}, {"PM", Field::kMeridiem}, {"TZ", Field::kTZ},
    {"FM", Field::kFM},
};

bool HasKeywordPrefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) !=
        std::toupper(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

const FieldKeyword* KeywordAt(std::string_view format) {
  for (const FieldKeyword& keyword : kFieldKeywords) {
    if (HasKeywordPrefix(format, keyword.text)) return &keyword;
  }
  return nullptr;
}

bool IsSeparator(char c) { return !std::isalnum(static_cast<unsigned char>(c)); }

// How many digits a number reads when the format does not end it with a separator.
int FieldWidth(Field field) {
  switch (field) {
    case Field::kYYYY: return 4;
    case Field::kMS: return 3;
    case Field::kUS: return 6;
    default: return 2;
  }
}

Status InvalidValue(std::string_view text, std::string_view keyword, std::string_view detail) {
  Status status = SqlError(kInvalidDatetimeFormat, "invalid value \"" + std::string(text) +
                                                       "\" for \"" + std::string(keyword) + "\"");
  status.SetDetail(std::string(detail));
  return status;
}

struct Parsed {
  DateTimeFields fields;
  bool twelve_hour = false;
  std::optional<bool> pm;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view format) : text_(text), format_(format) {
    parsed_.fields.year = 0;  // PostgreSQL's default: year 0, 1 BC
  }

  Result<Parsed> Run() {
    while (!format_.empty()) {
      const FieldKeyword* keyword = KeywordAt(format_);
      if (keyword == nullptr) {
        ConsumeLiteral();
        continue;
      }
      format_.remove_prefix(keyword->text.size());
      if (keyword->field == Field::kFM) continue;
      PLEXUS_RETURN_IF_ERROR(Read(*keyword));
    }
    return parsed_;
  }

 private:
  // A separator of the format matches one separator of the input or none; a space in the
  // format skips the input's spaces; other characters skip one input character.
  void ConsumeLiteral() {
    const char c = format_.front();
    format_.remove_prefix(1);
    if (c == '"') {  // quoted text, keywords included, skips as many input characters
      while (!format_.empty() && format_.front() != '"') {
        format_.remove_prefix(format_.front() == '\\' && format_.size() > 1 ? 2 : 1);
        if (!text_.empty()) text_.remove_prefix(1);
      }
      if (!format_.empty()) format_.remove_prefix(1);
      return;
    }
    if (c == ' ') {
      SkipSpaces();
      return;
    }
    if (text_.empty()) return;
    if (IsSeparator(c)) {
      if (IsSeparator(text_.front())) text_.remove_prefix(1);
      return;
    }
    text_.remove_prefix(1);
  }

  void SkipSpaces() {
    while (!text_.empty() && std::isspace(static_cast<unsigned char>(text_.front()))) {
      text_.remove_prefix(1);
    }
  }

  // A number: all its digits when the format puts a separator (or nothing) after it, else at
  // most the field's width. Returns the value and how many digits it had.
  Result<std::pair<int64_t, int>> Number(const FieldKeyword& keyword) {
    SkipSpaces();
    const bool to_separator = format_.empty() || (IsSeparator(format_.front()) &&
                                                  KeywordAt(format_) == nullptr);
    const size_t limit = to_separator ? text_.size() : static_cast<size_t>(FieldWidth(keyword.field));
    size_t length = 0;
    while (length < text_.size() && length < limit && length < 9 &&
           std::isdigit(static_cast<unsigned char>(text_[length]))) {
      ++length;
    }
    if (length == 0) {
      if (text_.empty()) {
        return SqlError(kInvalidDatetimeFormat, "source string too short for \"" +
                                                    std::string(keyword.text) +
                                                    "\" formatting field");
      }
      return InvalidValue(text_.substr(0, std::min<size_t>(text_.size(), FieldWidth(keyword.field))),
                          keyword.text, "Value must be an integer.");
    }
    int64_t value = 0;
    for (size_t i = 0; i < length; ++i) value = value * 10 + (text_[i] - '0');
    text_.remove_prefix(length);
    return std::pair<int64_t, int>{value, static_cast<int>(length)};
  }

  // A name from `names` (whole, or its first three letters); its index.
  Result<int> Name(const FieldKeyword& keyword, const std::string_view* names, size_t count,
                   bool abbreviated) {
    SkipSpaces();
    for (size_t i = 0; i < count; ++i) {
      const std::string_view name = abbreviated ? names[i].substr(0, 3) : names[i];
      if (HasKeywordPrefix(text_, name)) {
        text_.remove_prefix(name.size());
        return static_cast<int>(i);
      }
    }
    return InvalidValue(text_.substr(0, std::min<size_t>(text_.size(), abbreviated ? 3 : 9)),
                        keyword.text, "The given value did not match any of the allowed values "
                                      "for this field.");
  }

  Status Read(const FieldKeyword& keyword) {
    DateTimeFields& fields = parsed_.fields;
    switch (keyword.field) {
      case Field::kTZ:
        return SqlError(kFeatureNotSupported,
                        "formatting field \"" + std::string(keyword.text) +
                            "\" is only supported in to_char");
      case Field::kMeridiem:
      case Field::kMeridiemDots: {
        SkipSpaces();
        const bool dots = keyword.field == Field::kMeridiemDots;
        for (std::string_view candidate : {dots ? "A.M." : "AM", dots ? "P.M." : "PM"}) {
          if (HasKeywordPrefix(text_, candidate)) {
            parsed_.pm = candidate.front() == 'P';
            text_.remove_prefix(candidate.size());
            return Status::Ok();
          }
        }
        return InvalidValue(text_.substr(0, std::min<size_t>(text_.size(), dots ? 4 : 2)),
                            keyword.text, "The given value did not match any of the allowed "
                                          "values for this field.");
      }
      case Field::kMonth:
      case Field::kMon: {
        PLEXUS_ASSIGN_OR_RETURN(int month, Name(keyword, kMonthNames.data(), kMonthNames.size(),
                                                keyword.field == Field::kMon));
        fields.month = month + 1;
        return Status::Ok();
      }
      case Field::kDay:
      case Field::kDy: {
        PLEXUS_ASSIGN_OR_RETURN(int day, Name(keyword, kDayNames.data(), kDayNames.size(),
                                              keyword.field == Field::kDy));
        (void)day;  // the day of the week does not change the date, as in PostgreSQL
        return Status::Ok();
      }
      default:
        break;
    }
    PLEXUS_ASSIGN_OR_RETURN(auto number, Number(keyword));
    const auto [value, digits] = number;
    switch (keyword.field) {
      case Field::kYYYY: fields.year = static_cast<int>(value); break;
      case Field::kYY:
        // Two digits name the year nearest 2020 (formatting.c's adjust_partial_year_to_2020).
        fields.year = static_cast<int>(digits > 2 ? value : value < 70 ? value + 2000 : value + 1900);
        break;
      case Field::kMM: fields.month = static_cast<int>(value); break;
      case Field::kDD: fields.day = static_cast<int>(value); break;
      case Field::kHH24: fields.hour = static_cast<int>(value); break;
      case Field::kHH12:
        fields.hour = static_cast<int>(value);
        parsed_.twelve_hour = true;
        break;
      case Field::kMI: fields.minute = static_cast<int>(value); break;
      case Field::kSS: fields.second = static_cast<int>(value); break;
      case Field::kMS: {
        // Fewer digits are leading fraction digits: "5" is 500 ms.
        const int64_t scale[] = {1, 100, 10, 1};
        fields.micros += static_cast<int32_t>(value * (digits <= 3 ? scale[digits] : 1) * 1000);
        break;
      }
      case Field::kUS: {
        int64_t micros = value;
        for (int i = digits; i < 6; ++i) micros *= 10;
        fields.micros += static_cast<int32_t>(micros);
        break;
      }
      default: break;
    }
    return Status::Ok();
  }

  std::string_view text_;
  std::string_view format_;
  Parsed parsed_;
};

Status OutOfRange(std::string_view text) {
  return SqlError(kDatetimeFieldOverflow,
                  "date/time field value out of range: \"" + std::string(text) + "\"");
}

}  // namespace

Result<DateTimeFields> ParseDateTimeTemplate(std::string_view text, std::string_view format) {
  PLEXUS_ASSIGN_OR_RETURN(Parsed parsed, Parser(text, format).Run());
  DateTimeFields& fields = parsed.fields;
  if (parsed.twelve_hour) {
    if (fields.hour < 1 || fields.hour > 12) {
      Status status = SqlError(kInvalidDatetimeFormat, "hour \"" + std::to_string(fields.hour) +
                                                           "\" is invalid for the 12-hour clock");
      status.SetHint("Use the 24-hour clock, or give an hour between 1 and 12.");
      return status;
    }
  }
  if (parsed.pm.has_value()) {
    if (*parsed.pm && fields.hour < 12) fields.hour += 12;
    if (!*parsed.pm && fields.hour == 12) fields.hour = 0;
  } else if (parsed.twelve_hour && fields.hour == 12) {
    fields.hour = 0;
  }
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 ||
      fields.day > DaysInMonth(fields.year, fields.month)) {
    return OutOfRange(text);
  }
  if (fields.hour > 24 || fields.minute > 59 || fields.second > 60 || fields.micros > 999999 ||
      (fields.hour == 24 && (fields.minute > 0 || fields.second > 0 || fields.micros > 0))) {
    return OutOfRange(text);
  }
  return fields;
}

}  // namespace plexus::sql
