// bytea input (hex and escape formats) and hex output.
#include "plexus/sql/types/bytea.h"

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHexSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Status InvalidHexDigit(std::string_view text, size_t at) {
  // PostgreSQL shows the offending character (a whole UTF-8 sequence).
  size_t length = 1;
  const auto lead = static_cast<uint8_t>(text[at]);
  if (lead >= 0xf0)
    length = 4;
  else if (lead >= 0xe0)
    length = 3;
  else if (lead >= 0xc0)
    length = 2;
  return SqlError(kInvalidParameterValue,
                  "invalid hexadecimal digit: \"" + std::string(text.substr(at, length)) + "\"");
}

Status ParseHex(std::string_view text, std::string* out) {
  size_t at = 0;
  while (at < text.size()) {
    if (IsHexSpace(text[at])) {
      ++at;
      continue;
    }
    const int high = HexDigitValue(text[at]);
    if (high < 0) return InvalidHexDigit(text, at);
    if (at + 1 >= text.size()) {
      return SqlError(kInvalidParameterValue, "invalid hexadecimal data: odd number of digits");
    }
    const int low = HexDigitValue(text[at + 1]);
    if (low < 0) return InvalidHexDigit(text, at + 1);
    out->push_back(static_cast<char>(high * 16 + low));
    at += 2;
  }
  return Status::Ok();
}

bool IsOctal(char c, char max) { return c >= '0' && c <= max; }

}  // namespace

Status ParseBytea(std::string_view text, std::string* out) {
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') return ParseHex(text.substr(2), out);
  for (size_t at = 0; at < text.size();) {
    if (text[at] != '\\') {
      out->push_back(text[at++]);
      continue;
    }
    if (at + 1 < text.size() && text[at + 1] == '\\') {
      out->push_back('\\');
      at += 2;
      continue;
    }
    if (at + 3 < text.size() && IsOctal(text[at + 1], '3') && IsOctal(text[at + 2], '7') &&
        IsOctal(text[at + 3], '7')) {
      out->push_back(static_cast<char>(((text[at + 1] - '0') << 6) | ((text[at + 2] - '0') << 3) |
                                       (text[at + 3] - '0')));
      at += 4;
      continue;
    }
    return SqlError(kInvalidTextRepresentation, "invalid input syntax for type bytea");
  }
  return Status::Ok();
}

void FormatBytea(std::string_view bytes, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  for (char c : bytes) {
    out->push_back(kHex[static_cast<uint8_t>(c) >> 4]);
    out->push_back(kHex[static_cast<uint8_t>(c) & 0xf]);
  }
}

}  // namespace plexus::sql
