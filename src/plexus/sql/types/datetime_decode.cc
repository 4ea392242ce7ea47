// The date/time tokenizer (PostgreSQL's ParseDateTime) and the decoders of
// single fields: numbers, run-together numbers, dates, times, numeric zones,
// and the final date validation.
#include "plexus/sql/types/datetime_decode.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace plexus::sql::internal {

namespace {

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Reads a digit run ([digits][sep digits]...) for the tokenizer.
class Scanner {
 public:
  explicit Scanner(std::string_view input) : input_(input) {}
  bool AtEnd() const { return pos_ >= input_.size(); }
  char Peek() const { return AtEnd() ? '\0' : input_[pos_]; }
  void Take(std::string *out, bool lower = false) {
    out->push_back(lower ? Lower(input_[pos_]) : input_[pos_]);
    ++pos_;
  }
  void Skip() { ++pos_; }
  template <typename Predicate>
  void TakeWhile(std::string *out, Predicate predicate, bool lower = false) {
    while (!AtEnd() && predicate(Peek())) Take(out, lower);
  }

 private:
  std::string_view input_;
  size_t pos_ = 0;
};

// A field that starts with a digit: a number, a time (has ':'), or a date with
// '-', '/', '.'.
void ScanNumericField(Scanner *scan, DateField *field) {
  scan->TakeWhile(&field->text, IsDigit);
  if (scan->Peek() == ':') {
    field->kind = FieldKind::kTime;
    scan->Take(&field->text);
    scan->TakeWhile(&field->text, [](char c) { return IsDigit(c) || c == ':' || c == '.'; });
  } else if (scan->Peek() == '-' || scan->Peek() == '/' || scan->Peek() == '.') {
    char delimiter = scan->Peek();
    scan->Take(&field->text);
    if (IsDigit(scan->Peek())) {
      field->kind = delimiter == '.' ? FieldKind::kNumber : FieldKind::kDate;
      scan->TakeWhile(&field->text, IsDigit);
      // Only a second delimiter of the same kind makes a three-part date.
      if (scan->Peek() == delimiter) {
        field->kind = FieldKind::kDate;
        scan->Take(&field->text);
        scan->TakeWhile(&field->text, [delimiter](char c) { return IsDigit(c) || c == delimiter; });
      }
    } else {
      field->kind = FieldKind::kDate;
      scan->TakeWhile(
          &field->text, [delimiter](char c) { return IsAlnum(c) || c == delimiter; }, true);
    }
  } else {
    field->kind = FieldKind::kNumber;
  }
}

// A field that starts with a letter: a word, or a date / zone name with
// embedded punctuation.
void ScanAlphaField(Scanner *scan, DateField *field) {
  field->kind = FieldKind::kString;
  scan->TakeWhile(&field->text, IsAlpha, true);
  bool is_date = false;
  char next = scan->Peek();
  if (next == '-' || next == '/' || next == '.') {
    is_date = true;
  } else if (next == '+' || IsDigit(next)) {
    // "j2451545" or "t0304": a known keyword followed by digits is not a zone
    // name.
    is_date = LookupDateKeyword(field->text).type == kTokenUnknown;
  }
  if (is_date) {
    field->kind = FieldKind::kDate;
    do {
      scan->Take(&field->text, true);
    } while (!scan->AtEnd() &&
             (IsAlnum(scan->Peek()) ||
              std::string_view("+-/_.:").find(scan->Peek()) != std::string_view::npos));
  }
}

}  // namespace

DecodeError TokenizeDateTime(std::string_view input, std::vector<DateField> *fields) {
  Scanner scan(input);
  fields->clear();
  while (!scan.AtEnd()) {
    char c = scan.Peek();
    if (IsSpace(c)) {
      scan.Skip();
      continue;
    }
    if (fields->size() >= kDateFieldsMax) return DecodeError::kBadFormat;
    DateField field{FieldKind::kNumber, ""};
    if (IsDigit(c)) {
      ScanNumericField(&scan, &field);
    } else if (c == '.') {
      scan.Take(&field.text);
      scan.TakeWhile(&field.text, IsDigit);
      field.kind = FieldKind::kNumber;
    } else if (IsAlpha(c)) {
      ScanAlphaField(&scan, &field);
    } else if (c == '+' || c == '-') {
      scan.Take(&field.text);
      while (IsSpace(scan.Peek())) scan.Skip();
      if (IsDigit(scan.Peek())) {
        // A numeric zone (or a signed number / yyyy-mm for intervals).
        field.kind = FieldKind::kZone;
        scan.TakeWhile(&field.text,
                       [](char d) { return IsDigit(d) || d == ':' || d == '.' || d == '-'; });
      } else if (IsAlpha(scan.Peek())) {
        field.kind = FieldKind::kSpecial;
        scan.TakeWhile(&field.text, IsAlpha, true);
      } else {
        return DecodeError::kBadFormat;
      }
    } else if (std::ispunct(static_cast<unsigned char>(c))) {
      scan.Skip();  // other punctuation only separates fields
      continue;
    } else {
      return DecodeError::kBadFormat;
    }
    fields->push_back(std::move(field));
  }
  return DecodeError::kNone;
}

bool ParseInt(std::string_view text, int *value, std::string_view *rest, bool *overflow) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  size_t digits_start = pos;
  int64_t result = 0;
  *overflow = false;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (result <= int64_t{INT32_MAX} + 1) result = result * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == digits_start) {
    *rest = text;
    return false;
  }
  if (negative) result = -result;
  if (result > INT32_MAX || result < INT32_MIN) *overflow = true;
  *value = static_cast<int>(result);
  *rest = text.substr(pos);
  return true;
}

DecodeError ParseFractionalSecond(std::string_view text, int32_t *micros) {
  // A '.' followed by digits only; a lone '.' is a zero fraction, as PostgreSQL
  // reads it.
  if (text.empty() || text[0] != '.') return DecodeError::kBadFormat;
  for (size_t i = 1; i < text.size(); ++i) {
    if (!IsDigit(text[i])) return DecodeError::kBadFormat;
  }
  double fraction = std::strtod(std::string(text).c_str(), nullptr);
  *micros = static_cast<int32_t>(std::rint(fraction * 1000000));
  return DecodeError::kNone;
}

DecodeError DecodeTimeField(std::string_view text, DateTimeFields *fields, int *mask) {
  *mask = kTimeMask;
  std::string_view rest;
  bool overflow = false;
  if (!ParseInt(text, &fields->hour, &rest, &overflow)) return DecodeError::kBadFormat;
  if (overflow) return DecodeError::kFieldOverflow;
  if (rest.empty() || rest[0] != ':') return DecodeError::kBadFormat;
  if (!ParseInt(rest.substr(1), &fields->minute, &rest, &overflow)) return DecodeError::kBadFormat;
  if (overflow) return DecodeError::kFieldOverflow;
  fields->second = 0;
  fields->micros = 0;
  if (rest.empty()) {
    // hh:mm
  } else if (rest[0] == '.') {
    // mm:ss.fff: always minutes to seconds.
    DecodeError error = ParseFractionalSecond(rest, &fields->micros);
    if (error != DecodeError::kNone) return error;
    fields->second = fields->minute;
    fields->minute = fields->hour;
    fields->hour = 0;
  } else if (rest[0] == ':') {
    if (!ParseInt(rest.substr(1), &fields->second, &rest, &overflow)) {
      return DecodeError::kBadFormat;
    }
    if (overflow) return DecodeError::kFieldOverflow;
    if (!rest.empty()) {
      if (rest[0] != '.') return DecodeError::kBadFormat;
      DecodeError error = ParseFractionalSecond(rest, &fields->micros);
      if (error != DecodeError::kNone) return error;
    }
  } else {
    return DecodeError::kBadFormat;
  }
  if (fields->hour < 0 || fields->minute < 0 || fields->minute > 59 || fields->second < 0 ||
      fields->second > 60 || fields->micros < 0 || fields->micros > kMicrosPerSecond) {
    return DecodeError::kFieldOverflow;
  }
  return DecodeError::kNone;
}

bool TimeOverflows(const DateTimeFields &fields) {
  if (fields.hour < 0 || fields.hour > 24 || fields.minute < 0 || fields.minute >= 60 ||
      fields.second < 0 || fields.second > 60 || fields.micros < 0 ||
      fields.micros > kMicrosPerSecond) {
    return true;
  }
  // Each part may sit at its limit (24 h, 60 s), but not the total past
  // 24:00:00.
  return FieldsToTimeMicros(fields) > kMicrosPerDay;
}

DecodeError DecodeNumericZone(std::string_view text, int32_t *utc_offset_seconds) {
  if (text.empty() || (text[0] != '+' && text[0] != '-')) return DecodeError::kBadFormat;
  int hours = 0, minutes = 0, seconds = 0;
  std::string_view rest;
  bool overflow = false;
  if (!ParseInt(text.substr(1), &hours, &rest, &overflow)) return DecodeError::kBadFormat;
  if (overflow) return DecodeError::kZoneOverflow;
  if (!rest.empty() && rest[0] == ':') {
    if (!ParseInt(rest.substr(1), &minutes, &rest, &overflow)) return DecodeError::kBadFormat;
    if (overflow) return DecodeError::kZoneOverflow;
    if (!rest.empty() && rest[0] == ':') {
      if (!ParseInt(rest.substr(1), &seconds, &rest, &overflow)) return DecodeError::kBadFormat;
      if (overflow) return DecodeError::kZoneOverflow;
    }
  } else if (rest.empty() && text.size() > 3) {
    minutes = hours % 100;  // run together: +hhmm
    hours /= 100;
  }
  constexpr int kZoneHoursMax = 15;
  if (hours < 0 || hours > kZoneHoursMax || minutes < 0 || minutes >= 60 || seconds < 0 ||
      seconds >= 60) {
    return DecodeError::kZoneOverflow;
  }
  int32_t offset = (hours * 60 + minutes) * 60 + seconds;
  *utc_offset_seconds = text[0] == '-' ? -offset : offset;
  if (!rest.empty()) return DecodeError::kBadFormat;
  return DecodeError::kNone;
}

}  // namespace plexus::sql::internal
