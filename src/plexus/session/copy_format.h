// COPY's text and CSV data formats, as PostgreSQL reads and writes them: CopyParser splits the
// client's data (arriving in arbitrary chunks) into records of fields, CopyFormatter writes
// fields. Text: fields split by the delimiter, backslash escapes (\n, \t, \\, \N, octal, \x..),
// "\." alone on a line ends the data. CSV: fields may be quoted (a quoted field may hold
// delimiters and newlines; an unquoted field equal to the NULL string is NULL). Binary:
// "PGCOPY\n\377\r\n\0", int32 flags, int32 extension length and extension, then per row an
// int16 field count and per field an int32 length (-1: NULL) and the value's binary form; an
// int16 -1 ends the data. Binary records hold each field's bytes for the front end to decode.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/session/copy.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::session {

// Malformed COPY data (missing or extra columns, an unterminated quote).
inline constexpr sql::SqlState kBadCopyFileFormat{"22P04", StatusCode::kInvalidArgument};

using CopyRecord = std::vector<std::optional<std::string>>;  // nullopt: NULL

class CopyParser {
 public:
  explicit CopyParser(const CopyFormat& format) : format_(format) {}

  void Feed(std::string_view data) { buffer_.append(data); }
  // The next complete record into *record: true when there was one. With `at_end` (no more
  // data will come) a last line without a newline counts. After the end marker "\." (or at
  // the end), returns false. 22P04 for malformed CSV (an unterminated quoted field).
  Result<bool> Next(bool at_end, CopyRecord* record);
  // Lines consumed so far (for error messages).
  uint64_t line() const { return line_; }

 private:
  Result<bool> NextText(bool at_end, CopyRecord* record);
  Result<bool> NextCsv(bool at_end, CopyRecord* record);
  Result<bool> NextBinary(bool at_end, CopyRecord* record);
  void Compact();

  CopyFormat format_;
  std::string buffer_;
  size_t begin_ = 0;
  uint64_t line_ = 0;
  bool finished_ = false;
  bool binary_header_read_ = false;
};

// Appends one field (or NULL) in the format; the caller adds delimiters and the newline.
void AppendCopyField(const CopyFormat& format, std::string_view value, std::string* out);
void AppendCopyNull(const CopyFormat& format, std::string* out);

// Binary COPY output: the file header, a row's field count, a field (length and bytes, or -1
// for NULL) and the trailer.
void AppendBinaryCopyHeader(std::string* out);
void AppendBinaryCopyFieldCount(size_t fields, std::string* out);
void AppendBinaryCopyNull(std::string* out);
// REQUIRES: `length_at` is where the field's 4-byte length was reserved; the value follows it.
void FinishBinaryCopyField(size_t length_at, std::string* out);
void AppendBinaryCopyTrailer(std::string* out);

}  // namespace plexus::session
