// Framing of the PostgreSQL 3.0 wire protocol (see protocol.h for the byte format).
#include "plexus/server/pgwire/protocol.h"

#include "plexus/base/assert.h"
#include "plexus/server/pgwire/errors.h"
#include "plexus/server/pgwire/limits.h"

namespace plexus::server::pgwire {

Status ProtocolViolation(std::string_view message) {
  return sql::SqlError(kProtocolViolation, message);
}

void AppendInt16(std::string* out, int16_t value) {
  const auto bits = static_cast<uint16_t>(value);
  out->push_back(static_cast<char>(bits >> 8));
  out->push_back(static_cast<char>(bits & 0xff));
}

void AppendInt32(std::string* out, int32_t value) {
  const auto bits = static_cast<uint32_t>(value);
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(bits >> shift));
}

void AppendInt64(std::string* out, int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(bits >> shift));
}

int16_t LoadInt16(const char* data) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  return static_cast<int16_t>(static_cast<uint16_t>((bytes[0] << 8) | bytes[1]));
}

int32_t LoadInt32(const char* data) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  uint32_t bits = 0;
  for (int i = 0; i < 4; ++i) bits = (bits << 8) | bytes[i];
  return static_cast<int32_t>(bits);
}

int64_t LoadInt64(const char* data) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | bytes[i];
  return static_cast<int64_t>(bits);
}

namespace {

// The startup body after the version: name\0value\0 ... \0.
bool ParseStartupParameters(std::string_view body, StartupPacket* packet, Status* error) {
  MessageReader reader(body);
  while (true) {
    std::string_view name;
    if (!reader.ReadString(&name)) {
      *error = ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
      return false;
    }
    if (name.empty()) break;
    std::string_view value;
    if (!reader.ReadString(&value)) {
      *error = ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
      return false;
    }
    if (packet->parameters.size() == kStartupParametersMax) {
      *error = ProtocolViolation("too many startup parameters");
      return false;
    }
    packet->parameters.emplace_back(name, value);
  }
  if (!reader.done()) {
    *error = ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
    return false;
  }
  return true;
}

}  // namespace

FrameResult NextStartupPacket(std::string_view input, StartupPacket* packet, size_t* bytes,
                              Status* error) {
  if (input.size() < 4) return FrameResult::kIncomplete;
  const auto length = static_cast<uint32_t>(LoadInt32(input.data()));
  if (length < kStartupPacketBytesMin || length > kStartupPacketBytesMax) {
    *error = ProtocolViolation("invalid length of startup packet");
    return FrameResult::kError;
  }
  if (input.size() < length) return FrameResult::kIncomplete;
  *packet = StartupPacket();
  const auto code = static_cast<uint32_t>(LoadInt32(input.data() + 4));
  const std::string_view body = input.substr(8, length - 8);
  *bytes = length;
  switch (code) {
    case kSslRequestCode:
    case kGssEncRequestCode:
      if (!body.empty()) {
        *error = ProtocolViolation("invalid length of startup packet");
        return FrameResult::kError;
      }
      packet->kind = code == kSslRequestCode ? StartupPacket::Kind::kSslRequest
                                             : StartupPacket::Kind::kGssEncRequest;
      return FrameResult::kFrame;
    case kCancelRequestCode:
      if (body.size() != 8) {
        *error = ProtocolViolation("invalid length of startup packet");
        return FrameResult::kError;
      }
      packet->kind = StartupPacket::Kind::kCancelRequest;
      packet->process_id = LoadInt32(body.data());
      packet->secret_key = LoadInt32(body.data() + 4);
      return FrameResult::kFrame;
    default:
      break;
  }
  packet->kind = StartupPacket::Kind::kStartup;
  packet->version = code;
  if (code >> 16 != 3) {
    *error = sql::SqlError(sql::kFeatureNotSupported,
                           "unsupported frontend protocol " + std::to_string(code >> 16) + "." +
                               std::to_string(code & 0xffff) +
                               ": server supports 3.0 to 3.0");
    return FrameResult::kError;
  }
  if (!ParseStartupParameters(body, packet, error)) return FrameResult::kError;
  return FrameResult::kFrame;
}

FrameResult NextMessage(std::string_view input, Message* message, size_t* bytes, Status* error) {
  if (input.size() < 5) return FrameResult::kIncomplete;
  const auto length = static_cast<uint32_t>(LoadInt32(input.data() + 1));
  if (length < 4 || length - 4 > kMessageBytesMax) {
    *error = ProtocolViolation("invalid message length");
    return FrameResult::kError;
  }
  if (input.size() - 1 < length) return FrameResult::kIncomplete;
  message->type = input[0];
  message->body = input.substr(5, length - 4);
  *bytes = size_t{length} + 1;
  return FrameResult::kFrame;
}

bool MessageReader::ReadByte(uint8_t* value) {
  if (rest_.empty()) return false;
  *value = static_cast<uint8_t>(rest_[0]);
  rest_.remove_prefix(1);
  return true;
}

bool MessageReader::ReadInt16(int16_t* value) {
  if (rest_.size() < 2) return false;
  *value = LoadInt16(rest_.data());
  rest_.remove_prefix(2);
  return true;
}

bool MessageReader::ReadInt32(int32_t* value) {
  if (rest_.size() < 4) return false;
  *value = LoadInt32(rest_.data());
  rest_.remove_prefix(4);
  return true;
}

bool MessageReader::ReadString(std::string_view* value) {
  const size_t end = rest_.find('\0');
  if (end == std::string_view::npos) return false;
  *value = rest_.substr(0, end);
  rest_.remove_prefix(end + 1);
  return true;
}

bool MessageReader::ReadBytes(size_t count, std::string_view* value) {
  if (rest_.size() < count) return false;
  *value = rest_.substr(0, count);
  rest_.remove_prefix(count);
  return true;
}

MessageWriter& MessageWriter::Begin(char type) {
  PLEXUS_ASSERT(!open_);
  open_ = true;
  out_->push_back(type);
  start_ = out_->size();
  out_->append(4, '\0');
  return *this;
}

MessageWriter& MessageWriter::Byte(uint8_t value) {
  out_->push_back(static_cast<char>(value));
  return *this;
}

MessageWriter& MessageWriter::Int16(int16_t value) {
  AppendInt16(out_, value);
  return *this;
}

MessageWriter& MessageWriter::Int32(int32_t value) {
  AppendInt32(out_, value);
  return *this;
}

MessageWriter& MessageWriter::String(std::string_view value) {
  out_->append(value);
  out_->push_back('\0');
  return *this;
}

MessageWriter& MessageWriter::Bytes(std::string_view value) {
  out_->append(value);
  return *this;
}

void MessageWriter::End() {
  PLEXUS_ASSERT(open_);
  open_ = false;
  const size_t length = out_->size() - start_;
  const auto bits = static_cast<uint32_t>(length);
  for (int i = 0; i < 4; ++i) (*out_)[start_ + i] = static_cast<char>(bits >> (24 - 8 * i));
}

}  // namespace plexus::server::pgwire
