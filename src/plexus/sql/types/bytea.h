// bytea text forms, as PostgreSQL's byteain/byteaout: input in hex ('\x' then pairs of hex
// digits, whitespace allowed between pairs) or escape format (backslash-backslash and
// backslash + three octal digits); output in hex.
#pragma once

#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::sql {

// Appends the bytes `text` stands for to *out.
Status ParseBytea(std::string_view text, std::string* out);
void FormatBytea(std::string_view bytes, std::string* out);

}  // namespace plexus::sql
