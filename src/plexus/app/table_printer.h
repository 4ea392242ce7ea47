// psql's output formats for a result: aligned (border 1: centered headers, `|` between columns,
// numbers right-aligned, "(N rows)" footer) and expanded (\x: one "-[ RECORD n ]" block per row).
// NULL prints as an empty string, as psql does by default.
#pragma once

#include <string>
#include <vector>

namespace plexus::app {

enum class Alignment : uint8_t { kLeft, kRight };

struct TextTable {
  std::string title;  // centered above the table (\d); empty: none
  std::vector<std::string> headers;
  std::vector<Alignment> alignments;           // one per header
  std::vector<std::vector<std::string>> rows;  // cells may hold newlines
  bool row_count_footer = true;                // "(N rows)" after the rows
  std::vector<std::string> footers;            // lines after the table ("Indexes:", ...)
};

// REQUIRES: every row and `alignments` have headers.size() entries.
std::string FormatAligned(const TextTable& table);
std::string FormatExpanded(const TextTable& table);

// Display width of UTF-8 text: code points (continuation bytes do not count).
size_t DisplayWidth(std::string_view text);

}  // namespace plexus::app
