// RESP reply writer for protocol 2 and 3. RESP3-only types (null, map, set, double, boolean,
// push) are written in their RESP2 shape when the client speaks RESP2, as Redis does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace plexus::server::resp {

class Reply {
 public:
  // REQUIRES: `out` outlives the Reply; protocol is 2 or 3.
  Reply(std::string* out, int protocol) : out_(out), protocol_(protocol) {}

  int protocol() const { return protocol_; }
  std::string* buffer() { return out_; }

  void Ok() { out_->append("+OK\r\n"); }
  void Simple(std::string_view text);
  // `message` starts with the error code: "ERR syntax error", "WRONGTYPE Operation ...".
  void Error(std::string_view message);
  void Integer(int64_t value);
  void Bulk(std::string_view bytes);
  void Null();       // RESP2 "$-1", RESP3 "_"
  void NullArray();  // RESP2 "*-1", RESP3 "_"
  void Array(size_t length);
  void Map(size_t pairs);    // RESP2: an array of 2 * pairs
  void Set(size_t length);   // RESP2: an array
  void Push(size_t length);  // RESP2: an array
  // Redis 7.0's addReplyDouble: RESP2 a bulk of "%.17g" ("inf", "-inf"), RESP3 ",<text>".
  void Double(double value);
  void Boolean(bool value);              // RESP2: integer 1/0
  void Verbatim(std::string_view text);  // RESP3 "=N\r\ntxt:"; RESP2 a bulk
  // Appends bytes that are already a RESP value.
  void Raw(std::string_view bytes) { out_->append(bytes); }

 private:
  void Header(char type, int64_t length);
  std::string* out_;
  int protocol_;
};

// Redis's text for a double (%.17g; "inf", "-inf"), also used by replies and by stored values.
std::string FormatDouble(double value);

}  // namespace plexus::server::resp
