// The text form of one-dimensional arrays, as PostgreSQL's array_in/array_out write it:
// '{1,2,NULL}', '{"a b",c,"",NULL}', '{}'. Elements stay text here; the caller converts them to
// the element type.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::sql {

// Elements in one array (PostgreSQL's MaxArraySize is far larger; arrays here live in one row).
inline constexpr size_t kArrayElementsMax = 1 << 24;

struct ArrayTextElement {
  std::string text;
  bool is_null = false;
};

// Splits array text into its elements (quotes and backslash escapes resolved, unquoted NULL
// recognized). 22P02 "malformed array literal: "<text>"" with PostgreSQL's detail; 0A000 for
// multidimensional arrays and explicit bounds ('[0:1]={1,2}'), which are not supported.
Result<std::vector<ArrayTextElement>> ParseArrayText(std::string_view text);

// Appends one non-null element as array_out writes it: quoted (with \" and \\) when it is empty,
// is NULL in any case, or holds whitespace or any of {},"\.
void AppendArrayElementText(std::string_view text, std::string* out);

}  // namespace plexus::sql
