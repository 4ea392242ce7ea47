// psql's aligned and expanded formats (print.c: print_aligned_text, print_aligned_vertical) for
// border 1, the default: every character here was compared with psql 15's output.
#include "plexus/app/table_printer.h"

#include <algorithm>
#include <string_view>

#include "plexus/base/assert.h"

namespace plexus::app {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t begin = 0;
  while (true) {
    const size_t newline = text.find('\n', begin);
    if (newline == std::string_view::npos) {
      lines.push_back(text.substr(begin));
      return lines;
    }
    lines.push_back(text.substr(begin, newline - begin));
    begin = newline + 1;
  }
}

void AppendSpaces(size_t count, std::string* out) { out->append(count, ' '); }

void AppendRowCount(size_t rows, std::string* out) {
  *out += "(" + std::to_string(rows) + (rows == 1 ? " row)\n" : " rows)\n");
}

void AppendHeaderLine(const TextTable& table, const std::vector<size_t>& widths,
                      std::string* out) {
  for (size_t column = 0; column < widths.size(); ++column) {
    if (column > 0) *out += '|';
    const size_t width = DisplayWidth(table.headers[column]);
    const size_t left = (widths[column] - width) / 2;
    *out += ' ';
    AppendSpaces(left, out);
    *out += table.headers[column];
    AppendSpaces(widths[column] - width - left, out);
    *out += ' ';
  }
  *out += '\n';
  for (size_t column = 0; column < widths.size(); ++column) {
    if (column > 0) *out += '+';
    out->append(widths[column] + 2, '-');
  }
  *out += '\n';
}

// One row, which spans as many lines as its tallest cell; a cell that continues on the next
// line ends in '+' instead of a space.
void AppendRow(const TextTable& table, const std::vector<std::string>& row,
               const std::vector<size_t>& widths, std::string* out) {
  std::vector<std::vector<std::string_view>> cells;
  size_t height = 1;
  for (const std::string& cell : row) {
    cells.push_back(SplitLines(cell));
    height = std::max(height, cells.back().size());
  }
  for (size_t line = 0; line < height; ++line) {
    for (size_t column = 0; column < widths.size(); ++column) {
      const bool last = column + 1 == widths.size();
      if (column > 0) *out += '|';
      *out += ' ';
      const std::string_view text =
          line < cells[column].size() ? cells[column][line] : std::string_view();
      const bool continues = line + 1 < cells[column].size();
      const size_t padding = widths[column] - DisplayWidth(text);
      if (table.alignments[column] == Alignment::kRight) AppendSpaces(padding, out);
      *out += text;
      if (table.alignments[column] == Alignment::kLeft && (!last || continues)) {
        AppendSpaces(padding, out);
      }
      if (continues) {
        *out += '+';
      } else if (!last) {
        *out += ' ';
      }
    }
    *out += '\n';
  }
}

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string FormatAligned(const TextTable& table) {
  PLEXUS_ASSERT(table.alignments.size() == table.headers.size());
  std::vector<size_t> widths;
  for (const std::string& header : table.headers) widths.push_back(DisplayWidth(header));
  for (const std::vector<std::string>& row : table.rows) {
    PLEXUS_ASSERT(row.size() == widths.size());
    for (size_t column = 0; column < row.size(); ++column) {
      for (std::string_view line : SplitLines(row[column])) {
        widths[column] = std::max(widths[column], DisplayWidth(line));
      }
    }
  }
  std::string out;
  if (!table.title.empty()) {
    size_t total = 0;
    for (size_t width : widths) total += width + 3;
    total = total > 0 ? total - 1 : 0;
    const size_t title_width = DisplayWidth(table.title);
    if (title_width < total) AppendSpaces((total - title_width) / 2, &out);
    out += table.title + "\n";
  }
  AppendHeaderLine(table, widths, &out);
  for (const std::vector<std::string>& row : table.rows) AppendRow(table, row, widths, &out);
  for (const std::string& footer : table.footers) out += footer + "\n";
  if (table.row_count_footer) AppendRowCount(table.rows.size(), &out);
  return out;
}

std::string FormatExpanded(const TextTable& table) {
  if (table.rows.empty()) {
    std::string out;
    if (table.row_count_footer) AppendRowCount(0, &out);
    return out;
  }
  size_t header_width = 0;
  size_t value_width = 0;
  for (const std::string& header : table.headers) {
    header_width = std::max(header_width, DisplayWidth(header));
  }
  for (const std::vector<std::string>& row : table.rows) {
    for (const std::string& cell : row) {
      for (std::string_view line : SplitLines(cell)) {
        value_width = std::max(value_width, DisplayWidth(line));
      }
    }
  }
  std::string out;
  for (size_t record = 0; record < table.rows.size(); ++record) {
    // "-[ RECORD n ]" over a rule as wide as "header | value", with '+' above the '|'.
    const std::string label = "-[ RECORD " + std::to_string(record + 1) + " ]";
    std::string rule(header_width + value_width + 3, '-');
    rule[header_width + 1] = '+';
    out += label.size() >= rule.size() ? label : label + rule.substr(label.size());
    out += '\n';
    for (size_t column = 0; column < table.headers.size(); ++column) {
      const std::vector<std::string_view> lines = SplitLines(table.rows[record][column]);
      for (size_t line = 0; line < lines.size(); ++line) {
        const std::string_view header = line == 0 ? table.headers[column] : std::string_view();
        out += header;
        AppendSpaces(header_width - DisplayWidth(header), &out);
        out += " | ";
        out += lines[line];
        if (line + 1 < lines.size()) {
          AppendSpaces(value_width - DisplayWidth(lines[line]), &out);
          out += '+';
        }
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace plexus::app
