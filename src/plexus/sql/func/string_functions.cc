// String functions over whole values: ||, length and its synonyms, octet_length, bit_length,
// lower, upper, initcap (case mapping of the C.UTF-8 locale, as a PostgreSQL database initialized
// in C.UTF-8 maps case), LIKE and ILIKE, ascii, chr, to_hex, reverse, repeat (md5: bytea_uuid_functions.cc).
#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>

#include "plexus/sql/func/registry.h"
#include "plexus/sql/func/string_support.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

Status RequestedLengthTooLarge() {
  return SqlError(kProgramLimitExceeded, "requested length too large");
}

namespace {

Status ConcatKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    std::string_view left = args[0]->GetString(row);
    std::string_view right = args[1]->GetString(row);
    if (left.size() + right.size() > kStringBytesMax) return RequestedLengthTooLarge();
    char* bytes = out->arena().Allocate(left.size() + right.size());
    // (An empty string_view may have a null data pointer, which memcpy must not see.)
    if (!left.empty()) std::memcpy(bytes, left.data(), left.size());
    if (!right.empty()) std::memcpy(bytes + left.size(), right.data(), right.size());
    out->values<std::string_view>()[row] = {bytes, left.size() + right.size()};
  }
  return Status::Ok();
}

Status LengthRow(const Vector* const* args, size_t row, Vector* out) {
  out->values<int32_t>()[row] = static_cast<int32_t>(Utf8Count(args[0]->GetString(row)));
  return Status::Ok();
}

// character(n): trailing spaces are not part of the value (bpcharlen).
Status BlankPaddedLengthRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  out->values<int32_t>()[row] = static_cast<int32_t>(Utf8Count(text));
  return Status::Ok();
}

template <int kBitsPerByte>
Status OctetLengthRow(const Vector* const* args, size_t row, Vector* out) {
  out->values<int32_t>()[row] =
      static_cast<int32_t>(args[0]->GetString(row).size() * kBitsPerByte);
  return Status::Ok();
}

enum class CaseMode { kLower, kUpper, kInitCap };

// The C.UTF-8 locale of the C library: PostgreSQL's towlower/towupper/iswalnum in a C.UTF-8
// database. Null when the locale is missing; case mapping is then ASCII only.
locale_t CaseLocale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return locale;
}

uint32_t MapCodePoint(uint32_t c, bool upper, locale_t locale) {
  if (locale != static_cast<locale_t>(0)) {
    return static_cast<uint32_t>(upper ? towupper_l(c, locale) : towlower_l(c, locale));
  }
  if (upper && c >= 'a' && c <= 'z') return c - 'a' + 'A';
  if (!upper && c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  return c;
}

bool IsAlphanumeric(uint32_t c, locale_t locale) {
  if (locale != static_cast<locale_t>(0)) return iswalnum_l(c, locale) != 0;
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Whether the bytes at `offset` form one well-formed multibyte character.
bool WellFormedAt(std::string_view text, size_t offset) {
  const size_t bytes = Utf8CharBytes(static_cast<unsigned char>(text[offset]));
  if (bytes == 1 || bytes > text.size() - offset) return false;
  for (size_t i = 1; i < bytes; ++i) {
    if ((static_cast<unsigned char>(text[offset + i]) & 0xC0) != 0x80) return false;
  }
  return true;
}

// As PostgreSQL's str_tolower / str_toupper / str_initcap: character by character; initcap
// upper-cases a character that follows a non-alphanumeric one and lower-cases the rest.
void MapCase(std::string_view text, CaseMode mode, std::string* out) {
  const locale_t locale = CaseLocale();
  bool previous_alphanumeric = false;
  size_t offset = 0;
  while (offset < text.size()) {
    const auto lead = static_cast<unsigned char>(text[offset]);
    if (lead >= 0x80 && !WellFormedAt(text, offset)) {  // malformed: copied unchanged
      out->push_back(text[offset++]);
      continue;
    }
    uint32_t c = Utf8Decode(text, &offset);
    const bool upper =
        mode == CaseMode::kUpper || (mode == CaseMode::kInitCap && !previous_alphanumeric);
    c = MapCodePoint(c, upper, locale);
    if (mode == CaseMode::kInitCap) previous_alphanumeric = IsAlphanumeric(c, locale);
    Utf8Append(c, out);
  }
}

template <CaseMode kMode>
Status CaseKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  std::string mapped;
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    mapped.clear();
    MapCase(args[0]->GetString(row), kMode, &mapped);
    out->SetString(row, mapped);
  }
  return Status::Ok();
}

char Fold(char c, bool fold) {
  return fold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

// SQL LIKE (string_support.h): '%' matches any run of characters, '_' one character, '\' escapes the next pattern
// character. Backtracks only to the last '%', so matching is linear in practice. nullopt when
// matching reaches a '\' that ends the pattern (PostgreSQL's error).
std::optional<bool> Like(std::string_view text, std::string_view pattern, bool fold) {
  size_t t = 0;
  size_t p = 0;
  size_t star_p = std::string_view::npos;
  size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size() && pattern[p] == '_') {
      t += Utf8CharBytes(static_cast<unsigned char>(text[t]));
      ++p;
      continue;
    }
    if (p < pattern.size()) {
      if (pattern[p] == '\\' && p + 1 == pattern.size()) return std::nullopt;
      size_t q = pattern[p] == '\\' ? p + 1 : p;
      const size_t length = Utf8CharBytes(static_cast<unsigned char>(pattern[q]));
      if (t + length <= text.size() && q + length <= pattern.size()) {
        bool same = true;
        for (size_t i = 0; i < length && same; ++i) {
          same = Fold(text[t + i], fold) == Fold(pattern[q + i], fold);
        }
        if (same) {
          t += length;
          p = q + length;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) return false;
    // Let the last '%' absorb one more character and retry from there.
    star_t += Utf8CharBytes(static_cast<unsigned char>(text[star_t]));
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

namespace {

template <bool kFold, bool kNegate>
Status LikeKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const std::optional<bool> match = Like(args[0]->GetString(row), args[1]->GetString(row), kFold);
    if (!match.has_value()) {
      return SqlError(kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
    }
    out->values<uint8_t>()[row] = *match != kNegate;
  }
  return Status::Ok();
}

// PostgreSQL's length coercions varchar(value, n, explicit) and bpchar(value, n, explicit), which
// casts to varchar(n) / char(n) call: a longer value is an error (22001) unless the cast is
// explicit or the excess is spaces, and is then cut to n characters; bpchar pads to n with spaces.
template <bool kPad>
Status LengthCoercionRow(const Vector* const* args, size_t row, Vector* out) {
  const std::string_view text = args[0]->GetString(row);
  const int32_t length = args[1]->values<int32_t>()[row];
  const bool explicit_cast = args[2]->values<uint8_t>()[row] != 0;
  size_t cut = 0;  // bytes of the first `length` characters
  int32_t characters = 0;
  while (cut < text.size() && characters < length) {
    cut += std::min(Utf8CharBytes(static_cast<unsigned char>(text[cut])), text.size() - cut);
    ++characters;
  }
  if (cut < text.size()) {
    if (!explicit_cast && text.find_first_not_of(' ', cut) != std::string_view::npos) {
      return SqlError(kStringDataRightTruncation,
                      std::string("value too long for type ") +
                          (kPad ? "character(" : "character varying(") + std::to_string(length) + ")");
    }
    out->SetString(row, text.substr(0, cut));
    return Status::Ok();
  }
  if (kPad && characters < length) {
    std::string padded(text);
    padded.append(static_cast<size_t>(length - characters), ' ');
    out->SetString(row, padded);
    return Status::Ok();
  }
  out->SetString(row, text);
  return Status::Ok();
}

// like_escape(pattern, escape), what LIKE ... ESCAPE calls: the pattern rewritten to escape with
// '\' (PostgreSQL's MB_do_like_escape). An empty escape string means no escape character.
Status LikeEscapeRow(const Vector* const* args, size_t row, Vector* out) {
  const std::string_view pattern = args[0]->GetString(row);
  const std::string_view escape = args[1]->GetString(row);
  std::string result;
  if (escape.empty()) {
    for (char c : pattern) {
      result += c;
      if (c == '\\') result += c;
    }
  } else if (Utf8CharBytes(static_cast<unsigned char>(escape[0])) != escape.size()) {
    return SqlError(kInvalidEscapeSequence, "invalid escape string");
  } else if (escape == "\\") {
    result = pattern;
  } else {
    bool after_escape = false;
    for (size_t p = 0; p < pattern.size();) {
      const size_t length = std::min(Utf8CharBytes(static_cast<unsigned char>(pattern[p])),
                                     pattern.size() - p);
      const std::string_view c = pattern.substr(p, length);
      p += length;
      if (c == escape && !after_escape) {
        result += '\\';
        after_escape = true;
      } else if (c == "\\") {
        result += after_escape ? "\\" : "\\\\";
        after_escape = false;
      } else {
        result += c;
        after_escape = false;
      }
    }
  }
  out->SetString(row, result);
  return Status::Ok();
}

// ascii(''): 0; otherwise the code point of the first character.
Status AsciiRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  size_t offset = 0;
  out->values<int32_t>()[row] = text.empty() ? 0 : static_cast<int32_t>(Utf8Decode(text, &offset));
  return Status::Ok();
}

Status ChrRow(const Vector* const* args, size_t row, Vector* out) {
  const int32_t value = args[0]->values<int32_t>()[row];
  if (value < 0) return SqlError(kInvalidParameterValue, "character number must be positive");
  if (value == 0) return SqlError(kProgramLimitExceeded, "null character not permitted");
  if (value > 0x10FFFF) {
    return SqlError(kProgramLimitExceeded,
                    "requested character too large for encoding: " + std::to_string(value));
  }
  if (value >= 0xD800 && value <= 0xDFFF) {  // UTF-16 surrogates are not characters
    return SqlError(kProgramLimitExceeded,
                    "requested character not valid for encoding: " + std::to_string(value));
  }
  std::string encoded;
  Utf8Append(static_cast<uint32_t>(value), &encoded);
  out->SetString(row, encoded);
  return Status::Ok();
}

constexpr char kHexDigits[] = "0123456789abcdef";

// to_hex of the two's complement bits: to_hex(-1) is ffffffff for integer.
template <typename T>
Status ToHexRow(const Vector* const* args, size_t row, Vector* out) {
  using Unsigned = std::make_unsigned_t<T>;
  auto value = static_cast<Unsigned>(args[0]->values<T>()[row]);
  char digits[2 * sizeof(T)];
  size_t count = 0;
  do {
    digits[sizeof(digits) - 1 - count++] = kHexDigits[value & 0x0F];
    value = static_cast<Unsigned>(value >> 4);
  } while (value != 0);
  out->SetString(row, {digits + sizeof(digits) - count, count});
  return Status::Ok();
}

// Characters in reverse order (a character's bytes stay in order).
Status ReverseRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  char* bytes = out->arena().Allocate(text.size());
  size_t offset = 0;
  while (offset < text.size()) {
    const size_t length = Utf8CharBytesAt(text, offset);
    std::memcpy(bytes + text.size() - offset - length, text.data() + offset, length);
    offset += length;
  }
  out->values<std::string_view>()[row] = {bytes, text.size()};
  return Status::Ok();
}

Status RepeatRow(const Vector* const* args, size_t row, Vector* out) {
  std::string_view text = args[0]->GetString(row);
  const int32_t count = args[1]->values<int32_t>()[row];
  const size_t times = count > 0 ? static_cast<size_t>(count) : 0;
  if (!text.empty() && times > kStringBytesMax / text.size()) return RequestedLengthTooLarge();
  char* bytes = out->arena().Allocate(text.size() * times);
  for (size_t i = 0; i < times; ++i) std::memcpy(bytes + i * text.size(), text.data(), text.size());
  out->values<std::string_view>()[row] = {bytes, text.size() * times};
  return Status::Ok();
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  const Type character = Type::Of(TypeId::kChar);
  const Type integer = Type::Of(TypeId::kInt32);
  registry.Add({"||", {text, text}, text, ConcatKernel});
  for (const char* name : {"length", "char_length", "character_length"}) {
    registry.Add({name, {text}, integer, RowKernel<LengthRow>});
    registry.Add({name, {character}, integer, RowKernel<BlankPaddedLengthRow>});
  }
  registry.Add({"octet_length", {text}, integer, RowKernel<OctetLengthRow<1>>});
  // bpcharoctetlen: the padding counts (length(character) leaves it out).
  registry.Add({"octet_length", {character}, integer, RowKernel<OctetLengthRow<1>>});
  registry.Add({"bit_length", {text}, integer, RowKernel<OctetLengthRow<8>>});
  registry.Add({"upper", {text}, text, CaseKernel<CaseMode::kUpper>});
  registry.Add({"lower", {text}, text, CaseKernel<CaseMode::kLower>});
  registry.Add({"initcap", {text}, text, CaseKernel<CaseMode::kInitCap>});
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"~~", {text, text}, boolean, LikeKernel<false, false>});    // LIKE
  registry.Add({"!~~", {text, text}, boolean, LikeKernel<false, true>});    // NOT LIKE
  registry.Add({"~~*", {text, text}, boolean, LikeKernel<true, false>});    // ILIKE
  registry.Add({"!~~*", {text, text}, boolean, LikeKernel<true, true>});    // NOT ILIKE
  registry.Add({"like_escape", {text, text}, text, RowKernel<LikeEscapeRow>});
  registry.Add({"varchar", {text, integer, boolean}, text, RowKernel<LengthCoercionRow<false>>});
  registry.Add({"bpchar", {text, integer, boolean}, text, RowKernel<LengthCoercionRow<true>>});
  registry.Add({"ascii", {text}, integer, RowKernel<AsciiRow>});
  registry.Add({"chr", {integer}, text, RowKernel<ChrRow>});
  registry.Add({"to_hex", {integer}, text, RowKernel<ToHexRow<int32_t>>});
  registry.Add({"to_hex", {Type::Of(TypeId::kInt64)}, text, RowKernel<ToHexRow<int64_t>>});
  registry.Add({"reverse", {text}, text, RowKernel<ReverseRow>});
  registry.Add({"repeat", {text, integer}, text, RowKernel<RepeatRow>});
}

}  // namespace plexus::sql
