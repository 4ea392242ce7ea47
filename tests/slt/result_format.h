// How sqllogictest renders, orders and hashes query results: values become text per the column's
// type letter (I: "%d", R: "%.3f", T: as is), then are sorted per the sort mode and, past the hash
// threshold, summarised as "N values hashing to <md5 of each value followed by '\n'>".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "slt/script_parser.h"

namespace plexus::slt {

// NULL is "NULL" in every column type. T: "" is "(empty)" and every byte outside ' '..'~' is '@'.
// I: the integer value of the text, a fraction truncated toward zero, non-numeric text 0.
// R: the text's value printed with "%.3f", non-numeric text 0.000.
// In I and R columns the booleans "t" and "f" (PostgreSQL's text form) are 1 and 0.
std::string FormatValue(char type, const std::optional<std::string>& value);

// Orders `values` (a flat list of `column_count` values per row) per `mode`: rowsort compares rows
// value by value with strcmp, valuesort sorts every value on its own. REQUIRES: column_count > 0
// and values.size() is a multiple of it for kRowSort.
void SortValues(SortMode mode, size_t column_count, std::vector<std::string>& values);

// The 32 lowercase hex digits of the MD5 of every value followed by "\n".
Result<std::string> HashValues(const std::vector<std::string>& values);

// "N values hashing to <hash>", as scripts write it.
std::string HashLine(size_t value_count, std::string_view hash);

}  // namespace plexus::slt
