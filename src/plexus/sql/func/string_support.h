// Helpers shared by the string function files: UTF-8 character stepping (text is UTF-8, as in a
// PostgreSQL database with encoding UTF8), and the adaptor that turns a per-row function into a
// batch kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "plexus/sql/func/function.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

// SQL LIKE of `text` against `pattern`, ILIKE with `fold`; nullopt when the pattern ends with
// an escape character (PostgreSQL's 22025).
std::optional<bool> Like(std::string_view text, std::string_view pattern, bool fold);

// Class 22 conditions of the string functions that sql/sqlstate.h does not list yet.
inline constexpr SqlState kSubstringError{"22011", StatusCode::kInvalidArgument};

// PostgreSQL's limit on one value (MaxAllocSize - 1): longer results fail with 54000.
inline constexpr size_t kStringBytesMax = (size_t{1} << 30) - 1;

// Bytes of the UTF-8 character starting with `lead` (1 for bytes that are not a valid start).
inline size_t Utf8CharBytes(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Bytes of the character at `offset`, never running past the end of `text`.
// REQUIRES: offset < text.size().
inline size_t Utf8CharBytesAt(std::string_view text, size_t offset) {
  const size_t bytes = Utf8CharBytes(static_cast<unsigned char>(text[offset]));
  return bytes <= text.size() - offset ? bytes : text.size() - offset;
}

// Characters, not bytes: UTF-8 continuation bytes do not count.
inline int64_t Utf8Count(std::string_view text) {
  int64_t characters = 0;
  for (char c : text) characters += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return characters;
}

// Byte offset of character `index` (0-based); text.size() when the text is shorter.
inline size_t Utf8Offset(std::string_view text, int64_t index) {
  size_t offset = 0;
  for (int64_t i = 0; i < index && offset < text.size(); ++i) {
    offset += Utf8CharBytesAt(text, offset);
  }
  return offset;
}

// The code point of the character at `*offset`, advancing `*offset` past it. A malformed byte
// decodes as itself. REQUIRES: *offset < text.size().
inline uint32_t Utf8Decode(std::string_view text, size_t* offset) {
  const size_t bytes = Utf8CharBytesAt(text, *offset);
  const auto lead = static_cast<unsigned char>(text[*offset]);
  static constexpr uint8_t kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t code_point = bytes == 1 ? lead : lead & kLeadMask[bytes];
  for (size_t i = 1; i < bytes; ++i) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[*offset + i]) & 0x3F);
  }
  *offset += bytes;
  return code_point;
}

// Appends the UTF-8 encoding of `code_point`. REQUIRES: code_point <= 0x10FFFF.
inline void Utf8Append(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// 54000 "requested length too large", PostgreSQL's answer to a result beyond kStringBytesMax.
Status RequestedLengthTooLarge();

// As quote_identifier: lower-case letters, digits and '_' (not first a digit) that do not spell
// a reserved keyword are appended as they are; anything else double-quoted.
void QuoteIdentifier(std::string_view text, std::string* out);
// As quote_literal_internal: quotes and backslashes doubled, and an E prefix when there is a
// backslash.
void QuoteLiteral(std::string_view text, std::string* out);
// The value as its ::text cast writes it (booleans as true/false, the rest as the type's output).
Status TextOfValue(const Vector& vector, size_t row, std::string* out);

// Runs `kRow(args, row, out)` for every active row: the batch kernel of a per-row function. The
// template argument is inlined, so no row goes through an indirect call.
template <Status (*kRow)(const Vector* const* args, size_t row, Vector* out)>
Status RowKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                 ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    Status status = kRow(args, row, out);
    if (!status.ok()) [[unlikely]] return status;
  }
  return Status::Ok();
}

}  // namespace plexus::sql
