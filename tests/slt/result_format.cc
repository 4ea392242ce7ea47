// Rendering, ordering and hashing of query results the way sqllogictest's reference engines do it.
#include "slt/result_format.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <span>

namespace plexus::slt {
namespace {

// The numeric value at the start of `text` (after blanks and an optional '+'), as a double; also
// whether the text is exactly an integer, in which case `integer` holds it without rounding.
struct Number {
  double real = 0;
  bool is_integer = false;
  int64_t integer = 0;
};

Number ParseNumber(std::string_view text) {
  Number number;
  // PostgreSQL-compatible engines return booleans as "t" / "f"; SQLite, whose results the
  // scripts hold, has 1 and 0 instead.
  if (text == "t" || text == "f") {
    number.is_integer = true;
    number.integer = text == "t" ? 1 : 0;
    number.real = static_cast<double>(number.integer);
    return number;
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  auto [integer_end, integer_error] = std::from_chars(text.data(), end, number.integer);
  if (integer_error == std::errc() && integer_end == end) {
    number.is_integer = true;
    number.real = static_cast<double>(number.integer);
    return number;
  }
  // A numeric prefix is enough ("3abc" is 3), as in SQLite's text-to-number conversion.
  if (std::from_chars(text.data(), end, number.real).ec != std::errc() || std::isnan(number.real)) {
    number.real = 0;
  }
  return number;
}

std::string FormatInteger(std::string_view text) {
  Number number = ParseNumber(text);
  int64_t value = number.integer;
  if (!number.is_integer) {
    double truncated = std::trunc(number.real);
    constexpr double kLimit = 9.2e18;  // inside int64_t's range, far beyond any script's values
    value = static_cast<int64_t>(std::clamp(truncated, -kLimit, kLimit));
  }
  return std::to_string(value);
}

std::string FormatReal(std::string_view text) {
  double value = ParseNumber(text).real;
  if (value == 0) value = 0;  // -0.0 prints as 0.000, as SQLite's printf does
  char buffer[64];
  int length = std::snprintf(buffer, sizeof(buffer), "%.3f", value);
  if (length < 0 || static_cast<size_t>(length) >= sizeof(buffer)) return "(overflow)";
  return std::string(buffer, static_cast<size_t>(length));
}

std::string FormatText(std::string_view text) {
  if (text.empty()) return "(empty)";
  std::string rendered(text);
  for (char& c : rendered) {
    if (c < ' ' || c > '~') c = '@';
  }
  return rendered;
}

}  // namespace

std::string FormatValue(char type, const std::optional<std::string>& value) {
  if (!value.has_value()) return "NULL";
  switch (type) {
    case 'I':
      return FormatInteger(*value);
    case 'R':
      return FormatReal(*value);
    default:
      return FormatText(*value);
  }
}

void SortValues(SortMode mode, size_t column_count, std::vector<std::string>& values) {
  if (mode == SortMode::kNoSort) return;
  if (mode == SortMode::kValueSort || column_count <= 1) {
    std::sort(values.begin(), values.end());
    return;
  }
  const size_t row_count = values.size() / column_count;
  std::vector<std::span<const std::string>> rows;
  rows.reserve(row_count);
  for (size_t row = 0; row < row_count; ++row) {
    rows.emplace_back(values.data() + row * column_count, column_count);
  }
  // std::string's operator< compares bytes like strcmp for values without NUL bytes.
  std::stable_sort(rows.begin(), rows.end(), [](const auto& left, const auto& right) {
    return std::lexicographical_compare(left.begin(), left.end(), right.begin(), right.end());
  });
  std::vector<std::string> sorted;
  sorted.reserve(values.size());
  for (const auto& row : rows) sorted.insert(sorted.end(), row.begin(), row.end());
  values = std::move(sorted);
}

Result<std::string> HashValues(const std::vector<std::string>& values) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  if (context == nullptr) return Status::ResourceExhausted("EVP_MD_CTX_new failed");
  bool ok = EVP_DigestInit_ex(context, EVP_md5(), nullptr) == 1;
  for (size_t i = 0; ok && i < values.size(); ++i) {
    ok = EVP_DigestUpdate(context, values[i].data(), values[i].size()) == 1 &&
         EVP_DigestUpdate(context, "\n", 1) == 1;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  ok = ok && EVP_DigestFinal_ex(context, digest, &digest_length) == 1;
  EVP_MD_CTX_free(context);
  if (!ok) return Status::Internal("MD5 digest failed");
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < digest_length; ++i) {
    hex += kHexDigits[digest[i] >> 4];
    hex += kHexDigits[digest[i] & 0xf];
  }
  return hex;
}

std::string HashLine(size_t value_count, std::string_view hash) {
  return std::to_string(value_count) + " values hashing to " + std::string(hash);
}

}  // namespace plexus::slt
