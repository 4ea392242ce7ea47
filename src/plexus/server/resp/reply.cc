// RESP reply bytes.
#include "plexus/server/resp/reply.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace plexus::server::resp {

void Reply::Header(char type, int64_t length) {
  char buffer[24];
  buffer[0] = type;
  auto [end, error] = std::to_chars(buffer + 1, buffer + sizeof(buffer) - 2, length);
  (void)error;  // 21 digits always fit an int64_t
  *end++ = '\r';
  *end++ = '\n';
  out_->append(buffer, static_cast<size_t>(end - buffer));
}

void Reply::Simple(std::string_view text) {
  out_->push_back('+');
  out_->append(text);
  out_->append("\r\n");
}

void Reply::Error(std::string_view message) {
  out_->push_back('-');
  // An error is one line: Redis replaces newlines with spaces.
  for (char c : message) out_->push_back(c == '\r' || c == '\n' ? ' ' : c);
  out_->append("\r\n");
}

void Reply::Integer(int64_t value) { Header(':', value); }

void Reply::Bulk(std::string_view bytes) {
  Header('$', static_cast<int64_t>(bytes.size()));
  out_->append(bytes);
  out_->append("\r\n");
}

void Reply::Null() { out_->append(protocol_ == 3 ? "_\r\n" : "$-1\r\n"); }
void Reply::NullArray() { out_->append(protocol_ == 3 ? "_\r\n" : "*-1\r\n"); }
void Reply::Array(size_t length) { Header('*', static_cast<int64_t>(length)); }

void Reply::Map(size_t pairs) {
  if (protocol_ == 3) {
    Header('%', static_cast<int64_t>(pairs));
  } else {
    Header('*', static_cast<int64_t>(pairs * 2));
  }
}

void Reply::Set(size_t length) { Header(protocol_ == 3 ? '~' : '*', static_cast<int64_t>(length)); }
void Reply::Push(size_t length) {
  Header(protocol_ == 3 ? '>' : '*', static_cast<int64_t>(length));
}

std::string FormatDouble(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const int length = std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return std::string(buffer, static_cast<size_t>(length));
}

void Reply::Double(double value) {
  if (protocol_ == 3) {
    out_->push_back(',');
    out_->append(FormatDouble(value));
    out_->append("\r\n");
  } else {
    Bulk(FormatDouble(value));
  }
}

void Reply::Boolean(bool value) {
  if (protocol_ == 3) {
    out_->append(value ? "#t\r\n" : "#f\r\n");
  } else {
    Integer(value ? 1 : 0);
  }
}

void Reply::Verbatim(std::string_view text) {
  if (protocol_ == 3) {
    Header('=', static_cast<int64_t>(text.size() + 4));
    out_->append("txt:");
    out_->append(text);
    out_->append("\r\n");
  } else {
    Bulk(text);
  }
}

}  // namespace plexus::server::resp
