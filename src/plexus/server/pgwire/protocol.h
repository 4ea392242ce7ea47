// Framing of the PostgreSQL 3.0 wire protocol: splitting client input into startup packets and
// typed messages, bounds-checked readers for message bodies, and a writer for server messages.
// Byte format: a startup packet is [int32 length incl. itself][int32 code][body]; every later
// message is [byte type][int32 length incl. itself, not the type][body]; integers big-endian,
// strings NUL-terminated. No engine types here, so the fuzz target builds with this file alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::server::pgwire {

enum class FrameResult : uint8_t {
  kIncomplete,  // need more bytes
  kFrame,       // one packet/message parsed
  kError,       // protocol violation: report and close
};

// PostgreSQL's texts for protocol violations (SQLSTATE 08P01 unless noted).
Status ProtocolViolation(std::string_view message);

struct StartupPacket {
  enum class Kind : uint8_t { kStartup, kSslRequest, kGssEncRequest, kCancelRequest };
  Kind kind = Kind::kStartup;
  uint32_t version = 0;  // kStartup: the protocol version asked for
  std::vector<std::pair<std::string, std::string>> parameters;  // kStartup: in order sent
  int32_t process_id = 0;                                      // kCancelRequest
  int32_t secret_key = 0;                                      // kCancelRequest
};

// Parses the startup packet at the front of `input`. On kFrame sets *bytes to its size; on
// kError sets *error (an unsupported version is 0A000, as PostgreSQL reports it).
FrameResult NextStartupPacket(std::string_view input, StartupPacket* packet, size_t* bytes,
                              Status* error);

struct Message {
  char type = 0;
  std::string_view body;
};

// Splits off the typed message at the front of `input` (body views into `input`). A length
// word below 4 or above kMessageBytesMax is an error as soon as the header has arrived.
FrameResult NextMessage(std::string_view input, Message* message, size_t* bytes, Status* error);

// Reads a message body front to back; every read fails (returns false) instead of reading past
// the end, and the caller reports "invalid message format".
class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : rest_(body) {}

  bool ReadByte(uint8_t* value);
  bool ReadInt16(int16_t* value);
  bool ReadInt32(int32_t* value);
  // A NUL-terminated string (the NUL is consumed, not returned).
  bool ReadString(std::string_view* value);
  bool ReadBytes(size_t count, std::string_view* value);
  bool done() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

// Appends server messages to a string: Begin(type), the fields, End() (fills in the length).
class MessageWriter {
 public:
  explicit MessageWriter(std::string* out) : out_(out) {}

  MessageWriter& Begin(char type);
  MessageWriter& Byte(uint8_t value);
  MessageWriter& Int16(int16_t value);
  MessageWriter& Int32(int32_t value);
  MessageWriter& String(std::string_view value);  // with its terminating NUL
  MessageWriter& Bytes(std::string_view value);   // raw, no terminator
  void End();

 private:
  std::string* out_;
  size_t start_ = 0;
  bool open_ = false;
};

// Big-endian integer coding, shared with the binary value formats.
void AppendInt16(std::string* out, int16_t value);
void AppendInt32(std::string* out, int32_t value);
void AppendInt64(std::string* out, int64_t value);
int16_t LoadInt16(const char* data);
int32_t LoadInt32(const char* data);
int64_t LoadInt64(const char* data);

}  // namespace plexus::server::pgwire
