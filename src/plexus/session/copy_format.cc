// COPY text and CSV formats (see copy_format.h), following PostgreSQL's copyfromparse.c and
// copyto.c.
#include "plexus/session/copy_format.h"

#include "plexus/sql/sqlstate.h"

namespace plexus::session {

namespace {

Status BadCopyData(std::string_view message) {
  return sql::SqlError(kBadCopyFileFormat, message);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One text-format field with its backslash escapes resolved.
std::string UnescapeText(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      out.push_back(c);
      continue;
    }
    const char next = raw[++i];
    switch (next) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x': {
        int value = 0;
        int digits = 0;
        while (digits < 2 && i + 1 < raw.size() && HexValue(raw[i + 1]) >= 0) {
          value = value * 16 + HexValue(raw[++i]);
          ++digits;
        }
        if (digits == 0) {
          out.push_back('x');
        } else {
          out.push_back(static_cast<char>(value));
        }
        break;
      }
      default:
        if (next >= '0' && next <= '7') {
          int value = next - '0';
          for (int digits = 1; digits < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' &&
                               raw[i + 1] <= '7';
               ++digits) {
            value = value * 8 + (raw[++i] - '0');
          }
          out.push_back(static_cast<char>(value & 0xff));
        } else {
          out.push_back(next);  // \\, \<delimiter> and any other character stand for themselves
        }
    }
  }
  return out;
}

}  // namespace

void CopyParser::Compact() {
  if (begin_ > buffer_.size() / 2) {
    buffer_.erase(0, begin_);
    begin_ = 0;
  }
}

Result<bool> CopyParser::Next(bool at_end, CopyRecord* record) {
  if (finished_) return false;
  if (buffer_.size() - begin_ > kCopyLineBytesMax) {
    return BadCopyData("COPY line is longer than " + std::to_string(kCopyLineBytesMax) +
                       " bytes");
  }
  Result<bool> result = format_.binary ? NextBinary(at_end, record)
                        : format_.csv    ? NextCsv(at_end, record)
                                         : NextText(at_end, record);
  Compact();
  return result;
}

Result<bool> CopyParser::NextText(bool at_end, CopyRecord* record) {
  const std::string_view rest(buffer_.data() + begin_, buffer_.size() - begin_);
  size_t end = rest.find('\n');
  size_t next = end == std::string_view::npos ? rest.size() : end + 1;
  if (end == std::string_view::npos) {
    if (!at_end || rest.empty()) return false;
    end = rest.size();
  }
  std::string_view line = rest.substr(0, end);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  begin_ += next;
  ++line_;
  if (line == "\\.") {
    finished_ = true;
    return false;
  }
  record->clear();
  // Split on unescaped delimiters: a backslash always takes the next character with it.
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '\\') {
      ++i;
      continue;
    }
    if (i < line.size() && line[i] != format_.delimiter) continue;
    const std::string_view raw = line.substr(start, i - start);
    if (raw == format_.null_text) {
      record->emplace_back(std::nullopt);
    } else {
      record->emplace_back(UnescapeText(raw));
    }
    start = i + 1;
  }
  return true;
}

Result<bool> CopyParser::NextCsv(bool at_end, CopyRecord* record) {
  const std::string_view rest(buffer_.data() + begin_, buffer_.size() - begin_);
  if (rest.empty()) return false;
  record->clear();
  std::string field;
  bool quoted = false;       // the current field had a quoted part
  bool in_quotes = false;
  size_t lines = 1;
  size_t i = 0;
  auto finish_field = [&]() {
    if (!quoted && field == format_.null_text) {
      record->emplace_back(std::nullopt);
    } else {
      record->emplace_back(std::move(field));
    }
    field.clear();
    quoted = false;
  };
  // The end-of-data marker: "\." alone on a line, outside quotes.
  {
    size_t line_end = rest.find('\n');
    std::string_view first = rest.substr(0, line_end == std::string_view::npos ? rest.size()
                                                                                : line_end);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    if (first == "\\." && (line_end != std::string_view::npos || at_end)) {
      finished_ = true;
      begin_ += line_end == std::string_view::npos ? rest.size() : line_end + 1;
      ++line_;
      return false;
    }
  }
  for (; i < rest.size(); ++i) {
    const char c = rest[i];
    if (in_quotes) {
      if (c == format_.escape && i + 1 < rest.size() &&
          (rest[i + 1] == format_.quote || rest[i + 1] == format_.escape) &&
          (format_.escape != format_.quote || rest[i + 1] == format_.quote)) {
        field.push_back(rest[++i]);
      } else if (c == format_.quote) {
        if (format_.escape == format_.quote && i + 1 == rest.size() && !at_end) {
          return false;  // maybe a doubled quote split across chunks
        }
        in_quotes = false;
      } else {
        if (c == '\n') ++lines;
        field.push_back(c);
      }
      continue;
    }
    if (c == format_.quote) {
      in_quotes = true;
      quoted = true;
    } else if (c == format_.delimiter) {
      finish_field();
    } else if (c == '\n' || (c == '\r' && i + 1 < rest.size() && rest[i + 1] == '\n')) {
      finish_field();
      begin_ += i + (c == '\r' ? 2 : 1);
      line_ += lines;
      return true;
    } else {
      field.push_back(c);
    }
  }
  if (!at_end) return false;
  if (in_quotes) return BadCopyData("unterminated CSV quoted field");
  finish_field();
  begin_ += rest.size();
  line_ += lines;
  return true;
}

namespace {

constexpr std::string_view kBinarySignature("PGCOPY\n\377\r\n\0", 11);

void AppendBig(std::string* out, uint32_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>(value >> shift));
  }
}

uint32_t LoadBig(std::string_view bytes, size_t at, int count) {
  uint32_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
  return value;
}

}  // namespace

Result<bool> CopyParser::NextBinary(bool at_end, CopyRecord* record) {
  const std::string_view rest(buffer_.data() + begin_, buffer_.size() - begin_);
  auto truncated = [&]() -> Result<bool> {
    if (at_end) return BadCopyData("unexpected EOF in COPY data");
    return false;
  };
  size_t at = 0;
  if (!binary_header_read_) {
    if (rest.size() < kBinarySignature.size() + 8) return truncated();
    if (rest.substr(0, kBinarySignature.size()) != kBinarySignature) {
      return BadCopyData("COPY file signature not recognized");
    }
    at = kBinarySignature.size() + 4;  // flags: no bits we must understand are defined
    const uint32_t extension = LoadBig(rest, at, 4);
    at += 4;
    if (extension > kCopyLineBytesMax) return BadCopyData("invalid COPY file header (wrong length)");
    if (rest.size() - at < extension) return truncated();
    at += extension;
    binary_header_read_ = true;
    begin_ += at;
    return NextBinary(at_end, record);
  }
  if (rest.size() < 2) {
    if (at_end && rest.empty()) return false;  // no trailer: PostgreSQL accepts the end here
    return truncated();
  }
  const auto fields = static_cast<int16_t>(LoadBig(rest, 0, 2));
  if (fields == -1) {
    finished_ = true;
    begin_ += 2;
    return false;
  }
  if (fields < 0) return BadCopyData("row field count is " + std::to_string(fields));
  at = 2;
  record->clear();
  for (int16_t i = 0; i < fields; ++i) {
    if (rest.size() - at < 4) return truncated();
    const auto length = static_cast<int32_t>(LoadBig(rest, at, 4));
    at += 4;
    if (length == -1) {
      record->emplace_back(std::nullopt);
      continue;
    }
    if (length < 0) return BadCopyData("invalid field size");
    if (rest.size() - at < static_cast<size_t>(length)) return truncated();
    record->emplace_back(std::string(rest.substr(at, length)));
    at += length;
  }
  begin_ += at;
  ++line_;
  return true;
}

void AppendBinaryCopyHeader(std::string* out) {
  out->append(kBinarySignature);
  AppendBig(out, 0, 4);  // flags
  AppendBig(out, 0, 4);  // header extension length
}

void AppendBinaryCopyFieldCount(size_t fields, std::string* out) {
  AppendBig(out, static_cast<uint32_t>(fields), 2);
}

void AppendBinaryCopyNull(std::string* out) { AppendBig(out, 0xFFFFFFFFu, 4); }

void FinishBinaryCopyField(size_t length_at, std::string* out) {
  const auto length = static_cast<uint32_t>(out->size() - length_at - 4);
  for (int i = 0; i < 4; ++i) (*out)[length_at + i] = static_cast<char>(length >> (24 - 8 * i));
}

void AppendBinaryCopyTrailer(std::string* out) { AppendBig(out, 0xFFFF, 2); }

void AppendCopyNull(const CopyFormat& format, std::string* out) { out->append(format.null_text); }

void AppendCopyField(const CopyFormat& format, std::string_view value, std::string* out) {
  if (!format.csv) {
    for (const char c : value) {
      switch (c) {
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        case '\b': out->append("\\b"); break;
        case '\f': out->append("\\f"); break;
        case '\v': out->append("\\v"); break;
        default:
          if (c == format.delimiter) out->push_back('\\');
          out->push_back(c);
      }
    }
    return;
  }
  // CSV: quote when the value could be misread — delimiter, quote, newline, the NULL string,
  // or an end-of-data marker.
  bool quote = value == format.null_text || value == "\\.";
  for (const char c : value) {
    if (c == format.delimiter || c == format.quote || c == format.escape || c == '\n' ||
        c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(value);
    return;
  }
  out->push_back(format.quote);
  for (const char c : value) {
    if (c == format.quote || c == format.escape) out->push_back(format.escape);
    out->push_back(c);
  }
  out->push_back(format.quote);
}

}  // namespace plexus::session
