// uuid: 16 bytes, PostgreSQL's text input (32 hex digits, a hyphen allowed after any group of
// four, optional braces, either case) and output (lower-case 8-4-4-4-12).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::sql {

using UuidBytes = std::array<uint8_t, 16>;

// Fails with 22P02 "invalid input syntax for type uuid: "<text>"".
Result<UuidBytes> ParseUuid(std::string_view text);
void FormatUuid(const uint8_t* bytes, std::string* out);
// A version 4 (random) UUID, as gen_random_uuid().
UuidBytes RandomUuid();

}  // namespace plexus::sql
