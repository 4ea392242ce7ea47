// Fuzzes pgwire's framing of untrusted client bytes: startup packets (SSLRequest,
// CancelRequest, StartupMessage with parameters) and typed messages, plus the body readers.
// Any bytes give frames, "need more" or a protocol error, never a crash, a read past the input
// or a hang. Properties: a frame never claims more bytes than it was given; splitting the input
// in two gives the same frames as feeding it at once; a message written back parses to itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/server/pgwire/protocol.h"

using plexus::Status;
using plexus::server::pgwire::FrameResult;
using plexus::server::pgwire::Message;
using plexus::server::pgwire::MessageReader;
using plexus::server::pgwire::MessageWriter;
using plexus::server::pgwire::NextMessage;
using plexus::server::pgwire::NextStartupPacket;
using plexus::server::pgwire::StartupPacket;

namespace {

struct Outcome {
  std::vector<std::string> frames;  // type + body, or the startup packet's parameters
  bool error = false;
};

// Reads every body field a message could have, as the backend's readers do.
void ReadBody(std::string_view body) {
  MessageReader reader(body);
  for (int steps = 0; steps < 10000 && !reader.done(); ++steps) {
    uint8_t byte = 0;
    int16_t int16 = 0;
    int32_t int32 = 0;
    std::string_view text;
    const size_t before = reader.remaining();
    switch (steps % 4) {
      case 0: (void)reader.ReadString(&text); break;
      case 1: (void)reader.ReadInt16(&int16); break;
      case 2:
        if (reader.ReadInt32(&int32) && int32 >= 0) (void)reader.ReadBytes(int32, &text);
        break;
      default: (void)reader.ReadByte(&byte); break;
    }
    if (reader.remaining() > before) std::abort();
  }
}

Outcome Frame(std::string_view input, size_t split, bool startup) {
  Outcome outcome;
  size_t offset = 0;
  size_t visible = split;
  for (int steps = 0; steps < 100000 && offset < input.size(); ++steps) {
    const std::string_view window = input.substr(offset, visible - offset);
    size_t bytes = 0;
    Status error;
    FrameResult result;
    std::string frame;
    if (startup) {
      StartupPacket packet;
      result = NextStartupPacket(window, &packet, &bytes, &error);
      if (result == FrameResult::kFrame) {
        frame = std::to_string(static_cast<int>(packet.kind));
        for (const auto& [name, value] : packet.parameters) frame += name + "=" + value + ";";
        // After one StartupMessage the connection switches to typed messages.
        if (packet.kind == StartupPacket::Kind::kStartup) startup = false;
      }
    } else {
      Message message;
      result = NextMessage(window, &message, &bytes, &error);
      if (result == FrameResult::kFrame) {
        frame = std::string(1, message.type) + std::string(message.body);
        ReadBody(message.body);
        std::string written;
        MessageWriter(&written).Begin(message.type).Bytes(message.body).End();
        Message again;
        size_t again_bytes = 0;
        Status again_error;
        if (NextMessage(written, &again, &again_bytes, &again_error) != FrameResult::kFrame ||
            again_bytes != written.size() || again.body != message.body) {
          std::abort();
        }
      }
    }
    if (result == FrameResult::kIncomplete) {
      if (visible == input.size()) break;
      visible = input.size();
      continue;
    }
    if (result == FrameResult::kError) {
      if (error.ok()) std::abort();
      outcome.error = true;
      break;
    }
    if (bytes == 0 || bytes > window.size()) std::abort();
    outcome.frames.push_back(std::move(frame));
    offset += bytes;
    if (visible < offset) visible = offset;
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool startup = (data[0] & 1) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const Outcome whole = Frame(input, input.size(), startup);
  const Outcome pieces = Frame(input, input.size() / 2, startup);
  if (!whole.error && !pieces.error && whole.frames != pieces.frames) std::abort();
  return 0;
}
