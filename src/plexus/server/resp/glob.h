// Redis's glob-style pattern matching (stringmatchlen): * ? [abc] [^a-z] and \ escapes.
#pragma once

#include <string_view>

namespace plexus::server::resp {

bool GlobMatch(std::string_view pattern, std::string_view text, bool ignore_case = false);

}  // namespace plexus::server::resp
