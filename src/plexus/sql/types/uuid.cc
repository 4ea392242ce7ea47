// uuid text input/output, following PostgreSQL's string_to_uuid and uuid_out.
#include "plexus/sql/types/uuid.h"

#include <random>

#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<UuidBytes> ParseUuid(std::string_view text) {
  auto syntax_error = [&] {
    return SqlError(kInvalidTextRepresentation,
                    "invalid input syntax for type uuid: \"" + std::string(text) + "\"");
  };
  UuidBytes uuid{};
  size_t at = 0;
  const bool braces = !text.empty() && text[0] == '{';
  if (braces) ++at;
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (at + 1 >= text.size()) return syntax_error();
    const int high = HexDigit(text[at]);
    const int low = HexDigit(text[at + 1]);
    if (high < 0 || low < 0) return syntax_error();
    uuid[i] = static_cast<uint8_t>(high * 16 + low);
    at += 2;
    if (at < text.size() && text[at] == '-' && i % 2 == 1 && i < uuid.size() - 1) ++at;
  }
  if (braces) {
    if (at >= text.size() || text[at] != '}') return syntax_error();
    ++at;
  }
  if (at != text.size()) return syntax_error();
  return uuid;
}

void FormatUuid(const uint8_t* bytes, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out->push_back('-');
    out->push_back(kHex[bytes[i] >> 4]);
    out->push_back(kHex[bytes[i] & 0xf]);
  }
}

UuidBytes RandomUuid() {
  // One generator per thread, seeded from the OS; gen_random_uuid() needs uniqueness, not
  // cryptographic secrecy.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  UuidBytes uuid;
  for (size_t i = 0; i < uuid.size(); i += 8) {
    uint64_t bits = generator();
    for (size_t j = 0; j < 8; ++j) uuid[i + j] = static_cast<uint8_t>(bits >> (8 * j));
  }
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x40);  // version 4
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return uuid;
}

}  // namespace plexus::sql
