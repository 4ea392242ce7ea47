// Regular expressions for callers outside the scalar functions (regexp_functions.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::sql {

// regexp_matches(text, pattern, flags)'s rows: each match's capture groups as an encoded text[]
// (the whole match when the pattern has none), every match with the 'g' flag, else the first.
Result<std::vector<std::string>> RegexpMatches(std::string_view text, std::string_view pattern,
                                               std::string_view flags);

}  // namespace plexus::sql
