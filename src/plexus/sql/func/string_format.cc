// format(formatstr, ...): PostgreSQL's text_format. Specifiers are %[position$][-][width]type
// with type s (the value's text), I (quoted as an identifier) or L (quoted as a literal); the
// width may be * or *position$ (taken from an argument), and %% is a percent sign.
#include <charconv>
#include <limits>
#include <string>

#include "plexus/sql/func/cast.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/func/string_support.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

Status FormatError(std::string_view message, bool with_hint) {
  Status status = SqlError(kInvalidParameterValue, message);
  if (with_hint) status.SetHint("For a single \"%\" use \"%%\".");
  return status;
}

Status NumberOutOfRange() { return SqlError(kNumericValueOutOfRange, "number is out of range"); }

// Reads one format string; `values` are the arguments after it (args[1..]).
class Formatter {
 public:
  Formatter(std::string_view format, const Vector* const* values, size_t value_count, size_t row)
      : format_(format), values_(values), value_count_(value_count), row_(row) {}

  Status Run(std::string* out) {
    for (at_ = 0; at_ < format_.size(); ++at_) {
      if (format_[at_] != '%') {
        out->push_back(format_[at_]);
        continue;
      }
      PLEXUS_RETURN_IF_ERROR(Advance());
      if (format_[at_] == '%') {
        out->push_back('%');
        continue;
      }
      PLEXUS_RETURN_IF_ERROR(Specifier(out));
      if (out->size() > kStringBytesMax) return RequestedLengthTooLarge();
    }
    return Status::Ok();
  }

 private:
  Status Advance() {
    if (++at_ >= format_.size()) return FormatError("unterminated format() type specifier", true);
    return Status::Ok();
  }

  // Digits at the cursor into *value; false (cursor unmoved) when there are none.
  Result<bool> Digits(int* value) {
    if (at_ >= format_.size() || format_[at_] < '0' || format_[at_] > '9') return false;
    int64_t number = 0;
    while (format_[at_] >= '0' && format_[at_] <= '9') {
      number = number * 10 + (format_[at_] - '0');
      if (number > std::numeric_limits<int32_t>::max()) return NumberOutOfRange();
      PLEXUS_RETURN_IF_ERROR(Advance());
    }
    *value = static_cast<int>(number);
    return true;
  }

  // An argument position n$ (n > 0) at the cursor, past the '$'.
  Status Position(int n, int* position) {
    if (n == 0) {
      return FormatError("format specifies argument 0, but arguments are numbered from 1", false);
    }
    *position = n;
    return Advance();
  }

  // The next argument (1-based `next_`), NULL as nullptr.
  Result<const Vector*> Fetch() {
    if (next_ > value_count_) return FormatError("too few arguments for format()", false);
    const Vector* value = values_[next_ - 1];
    ++next_;
    return value->IsNull(row_) ? nullptr : value;
  }

  Result<int> WidthValue(const Vector* value) {
    if (value == nullptr) return 0;
    std::string text;
    PLEXUS_RETURN_IF_ERROR(FormatText(*value, row_, &text));
    int64_t width = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), width);
    if (error != std::errc() || end != text.data() + text.size() ||
        width < std::numeric_limits<int32_t>::min() ||
        width > std::numeric_limits<int32_t>::max()) {
      return SqlError(kInvalidTextRepresentation,
                      "invalid input syntax for type integer: \"" + text + "\"");
    }
    return static_cast<int>(width);
  }

  // One specifier, the cursor on the character after '%'.
  Status Specifier(std::string* out) {
    int position = -1;
    int width_position = -1;
    bool minus = false;
    int width = 0;
    int n = 0;
    PLEXUS_ASSIGN_OR_RETURN(bool has_number, Digits(&n));
    if (has_number && format_[at_] != '$') {
      width = n;
    } else {
      if (has_number) PLEXUS_RETURN_IF_ERROR(Position(n, &position));
      while (format_[at_] == '-') {
        minus = true;
        PLEXUS_RETURN_IF_ERROR(Advance());
      }
      if (format_[at_] == '*') {
        PLEXUS_RETURN_IF_ERROR(Advance());
        PLEXUS_ASSIGN_OR_RETURN(bool has_position, Digits(&n));
        width_position = 0;
        if (has_position) {
          if (format_[at_] != '$') {
            return FormatError("width argument position must be ended by \"$\"", false);
          }
          PLEXUS_RETURN_IF_ERROR(Position(n, &width_position));
        }
      } else {
        PLEXUS_ASSIGN_OR_RETURN(bool has_width, Digits(&width));
        (void)has_width;  // no digits: width stays 0
      }
    }
    const char type = format_[at_];
    if (type != 's' && type != 'I' && type != 'L') {
      const std::string_view character = format_.substr(at_, Utf8CharBytesAt(format_, at_));
      return FormatError("unrecognized format() type specifier \"" + std::string(character) + "\"",
                         true);
    }
    if (width_position >= 0) {
      if (width_position > 0) next_ = static_cast<size_t>(width_position);
      PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Fetch());
      PLEXUS_ASSIGN_OR_RETURN(width, WidthValue(value));
    }
    if (position > 0) next_ = static_cast<size_t>(position);
    PLEXUS_ASSIGN_OR_RETURN(const Vector* value, Fetch());
    std::string text;
    PLEXUS_RETURN_IF_ERROR(Convert(type, value, &text));
    return Pad(text, width, minus, out);
  }

  Status Convert(char type, const Vector* value, std::string* text) {
    if (value == nullptr) {
      if (type == 'I') {
        return SqlError(kNullValueNotAllowed,
                        "null values cannot be formatted as an SQL identifier");
      }
      if (type == 'L') text->append("NULL");
      return Status::Ok();
    }
    std::string plain;
    PLEXUS_RETURN_IF_ERROR(FormatText(*value, row_, &plain));
    if (type == 'I') {
      QuoteIdentifier(plain, text);
    } else if (type == 'L') {
      QuoteLiteral(plain, text);
    } else {
      *text = std::move(plain);
    }
    return Status::Ok();
  }

  // Pads to `width` characters, on the right for '-' or a negative width.
  static Status Pad(std::string_view text, int width, bool minus, std::string* out) {
    if (width == std::numeric_limits<int32_t>::min()) return NumberOutOfRange();
    const bool left_aligned = minus || width < 0;
    const int64_t wanted = width < 0 ? -static_cast<int64_t>(width) : width;
    const int64_t padding = std::max<int64_t>(0, wanted - Utf8Count(text));
    if (static_cast<size_t>(padding) > kStringBytesMax) return RequestedLengthTooLarge();
    if (!left_aligned) out->append(static_cast<size_t>(padding), ' ');
    out->append(text);
    if (left_aligned) out->append(static_cast<size_t>(padding), ' ');
    return Status::Ok();
  }

  std::string_view format_;
  const Vector* const* values_;
  size_t value_count_;
  size_t row_;
  size_t at_ = 0;
  size_t next_ = 1;
};

// Not strict: a NULL format gives NULL, NULL arguments are formatted.
Status FormatKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  size_t value_count = 0;
  while (value_count < kFunctionArgumentsMax && args[value_count + 1] != nullptr) ++value_count;
  std::string result;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    if (args[0]->IsNull(row)) {
      out->SetNull(row, true);
      continue;
    }
    result.clear();
    Formatter formatter(args[0]->GetString(row), args + 1, value_count, row);
    PLEXUS_RETURN_IF_ERROR(formatter.Run(&result));
    out->SetString(row, result);
  }
  return Status::Ok();
}

}  // namespace

void RegisterStringFormatFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  ScalarFunction format{"format", {text}, text, FormatKernel};
  format.strict = false;
  registry.Add(format);
  ScalarFunction format_values{"format", {text, AnyArgumentType()}, text, FormatKernel};
  format_values.strict = false;
  format_values.variadic = true;
  registry.Add(format_values);
}

}  // namespace plexus::sql
