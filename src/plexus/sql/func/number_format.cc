// to_number(text, format): PostgreSQL's numeric template patterns (formatting.c's NUM_processor
// reading text) for the common ones: 9 and 0 read a digit each, D and . the decimal point, G and
// , a group separator when there is one, S/MI/PL/SG a sign, PR angle brackets, L a currency
// symbol, FM nothing; other characters skip one input character. The result has the decimals
// read (at most the template's).
#include <cctype>
#include <string>

#include "plexus/sql/func/math_support.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

class NumberReader {
 public:
  NumberReader(std::string_view text, std::string_view format) : text_(text), format_(format) {}

  Result<Numeric> Run() {
    while (!format_.empty()) PLEXUS_RETURN_IF_ERROR(Step());
    if (digits_.empty()) {
      return SqlError(kInvalidTextRepresentation,
                      "invalid input syntax for type numeric: \" \"");
    }
    return Numeric::Parse((negative_ ? "-" : "") + digits_);
  }

 private:
  bool At(char c) const { return !text_.empty() && text_.front() == c; }
  void Skip() {
    if (!text_.empty()) text_.remove_prefix(1);
  }
  void ReadSign() {
    if (At('-')) {
      negative_ = true;
      Skip();
    } else if (At('+')) {
      Skip();
    }
  }

  Status Step() {
    for (std::string_view ignored : {"FM", "TH"}) {
      if (StartsWithNoCase(format_, ignored)) {
        format_.remove_prefix(ignored.size());
        return Status::Ok();
      }
    }
    for (std::string_view unsupported : {"EEEE", "V", "RN"}) {
      if (StartsWithNoCase(format_, unsupported)) {
        return SqlError(kFeatureNotSupported,
                        "\"" + std::string(unsupported) + "\" not supported for input");
      }
    }
    for (std::string_view sign : {"MI", "PL", "SG", "S"}) {
      if (StartsWithNoCase(format_, sign)) {
        format_.remove_prefix(sign.size());
        ReadSign();
        return Status::Ok();
      }
    }
    if (StartsWithNoCase(format_, "PR")) {  // <123> is negative
      format_.remove_prefix(2);
      if (At('>')) Skip();
      return Status::Ok();
    }
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(format_.front())));
    format_.remove_prefix(1);
    switch (c) {
      case '9':
      case '0':
        ReadDigit();
        return Status::Ok();
      case 'D':
      case '.':
        if (decimal_point_) return SqlError(kSyntaxError, "multiple decimal points");
        decimal_point_ = true;
        if (At('.')) {
          digits_ += '.';
          Skip();
        }
        return Status::Ok();
      case 'G':
      case ',':
        if (At(',')) Skip();
        return Status::Ok();
      case 'L':
        if (!text_.empty() && !std::isdigit(static_cast<unsigned char>(text_.front())) &&
            !At('-') && !At('+')) {
          Skip();
        }
        return Status::Ok();
      default:
        Skip();
        return Status::Ok();
    }
  }

  // A digit position: leading blanks and a sign may come before the first digit.
  void ReadDigit() {
    if (!started_) {
      while (At(' ')) Skip();
      if (At('<')) {
        negative_ = true;
        Skip();
      }
      ReadSign();
    }
    if (!text_.empty() && std::isdigit(static_cast<unsigned char>(text_.front()))) {
      if (decimal_point_ && digits_.find('.') == std::string::npos) digits_ += '.';
      digits_ += text_.front();
      Skip();
      started_ = true;
    }
  }

  std::string_view text_;
  std::string_view format_;
  std::string digits_;
  bool decimal_point_ = false;
  bool started_ = false;
  bool negative_ = false;
};

Status ToNumberKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext&) {
  std::string scratch;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(
        Numeric value, NumberReader(args[0]->GetString(row), args[1]->GetString(row)).Run());
    StoreNumeric(out, row, value, &scratch);
  }
  return Status::Ok();
}

}  // namespace

void RegisterNumberFormatFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  registry.Add({"to_number", {text, text}, Type::Of(TypeId::kNumeric), ToNumberKernel});
}

}  // namespace plexus::sql
