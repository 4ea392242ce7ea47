#include "plexus/server/pgwire/protocol.h"

#include <gtest/gtest.h>

#include "plexus/server/pgwire/limits.h"

namespace plexus::server::pgwire {
namespace {

std::string Startup(uint32_t code, std::string_view body) {
  std::string out;
  AppendInt32(&out, static_cast<int32_t>(8 + body.size()));
  AppendInt32(&out, static_cast<int32_t>(code));
  out.append(body);
  return out;
}

TEST(ProtocolTest, StartupPacketWithParameters) {
  const std::string bytes =
      Startup(kProtocolVersion3, std::string("user\0bob\0database\0db\0\0", 22));
  StartupPacket packet;
  size_t consumed = 0;
  Status error;
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_EQ(NextStartupPacket(bytes.substr(0, cut), &packet, &consumed, &error),
              FrameResult::kIncomplete);
  }
  ASSERT_EQ(NextStartupPacket(bytes + "Q", &packet, &consumed, &error), FrameResult::kFrame);
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kStartup);
  ASSERT_EQ(packet.parameters.size(), 2u);
  EXPECT_EQ(packet.parameters[0], (std::pair<std::string, std::string>("user", "bob")));
  EXPECT_EQ(packet.parameters[1], (std::pair<std::string, std::string>("database", "db")));
}

TEST(ProtocolTest, SpecialRequests) {
  StartupPacket packet;
  size_t consumed = 0;
  Status error;
  ASSERT_EQ(NextStartupPacket(Startup(kSslRequestCode, ""), &packet, &consumed, &error),
            FrameResult::kFrame);
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kSslRequest);
  ASSERT_EQ(NextStartupPacket(Startup(kGssEncRequestCode, ""), &packet, &consumed, &error),
            FrameResult::kFrame);
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kGssEncRequest);
  std::string key;
  AppendInt32(&key, 4242);
  AppendInt32(&key, -7);
  ASSERT_EQ(NextStartupPacket(Startup(kCancelRequestCode, key), &packet, &consumed, &error),
            FrameResult::kFrame);
  EXPECT_EQ(packet.kind, StartupPacket::Kind::kCancelRequest);
  EXPECT_EQ(packet.process_id, 4242);
  EXPECT_EQ(packet.secret_key, -7);
  EXPECT_EQ(NextStartupPacket(Startup(kCancelRequestCode, "1234"), &packet, &consumed, &error),
            FrameResult::kError);
}

TEST(ProtocolTest, StartupLengthLimits) {
  StartupPacket packet;
  size_t consumed = 0;
  Status error;
  std::string name(kStartupPacketBytesMax - 9, 'a');
  name.push_back('\0');
  const std::string at_max = Startup(kProtocolVersion3, name);
  ASSERT_EQ(at_max.size(), kStartupPacketBytesMax);
  // The largest allowed length parses (as a bad layout: one name without a value).
  EXPECT_EQ(NextStartupPacket(at_max, &packet, &consumed, &error), FrameResult::kError);
  EXPECT_NE(error.message().find("invalid startup packet layout"), std::string::npos);
  std::string over;
  AppendInt32(&over, static_cast<int32_t>(kStartupPacketBytesMax + 1));
  EXPECT_EQ(NextStartupPacket(over, &packet, &consumed, &error), FrameResult::kError);
  EXPECT_EQ(error.message(), "invalid length of startup packet");
  EXPECT_EQ(error.sql_state(), "08P01");
  std::string zero(4, '\0');
  EXPECT_EQ(NextStartupPacket(zero, &packet, &consumed, &error), FrameResult::kError);
  EXPECT_EQ(NextStartupPacket(Startup(0x00020000, ""), &packet, &consumed, &error),
            FrameResult::kError);
  EXPECT_EQ(error.sql_state(), "0A000");
}

TEST(ProtocolTest, MessagesAndLengthLimits) {
  std::string bytes;
  MessageWriter(&bytes).Begin('Q').String("SELECT 1").End();
  Message message;
  size_t consumed = 0;
  Status error;
  EXPECT_EQ(NextMessage(bytes.substr(0, 4), &message, &consumed, &error), FrameResult::kIncomplete);
  ASSERT_EQ(NextMessage(bytes, &message, &consumed, &error), FrameResult::kFrame);
  EXPECT_EQ(message.type, 'Q');
  EXPECT_EQ(message.body, std::string_view("SELECT 1\0", 9));
  EXPECT_EQ(consumed, bytes.size());
  // Length 4 (empty body) is the smallest; 3 and the max + 1 are errors before any body.
  std::string empty = "S";
  AppendInt32(&empty, 4);
  ASSERT_EQ(NextMessage(empty, &message, &consumed, &error), FrameResult::kFrame);
  EXPECT_TRUE(message.body.empty());
  std::string short_length = "S";
  AppendInt32(&short_length, 3);
  EXPECT_EQ(NextMessage(short_length, &message, &consumed, &error), FrameResult::kError);
  std::string at_max = "d";
  AppendInt32(&at_max, static_cast<int32_t>(kMessageBytesMax + 4));
  EXPECT_EQ(NextMessage(at_max, &message, &consumed, &error), FrameResult::kIncomplete);
  std::string over = "d";
  AppendInt32(&over, static_cast<int32_t>(kMessageBytesMax + 5));
  EXPECT_EQ(NextMessage(over, &message, &consumed, &error), FrameResult::kError);
  EXPECT_EQ(error.message(), "invalid message length");
}

TEST(ProtocolTest, ReaderNeverReadsPastTheEnd) {
  std::string body;
  AppendInt16(&body, 3);
  body += std::string("ab\0", 3);
  MessageReader reader(body);
  int16_t count = 0;
  std::string_view text;
  int32_t number = 0;
  ASSERT_TRUE(reader.ReadInt16(&count));
  EXPECT_EQ(count, 3);
  ASSERT_TRUE(reader.ReadString(&text));
  EXPECT_EQ(text, "ab");
  EXPECT_TRUE(reader.done());
  EXPECT_FALSE(reader.ReadInt32(&number));
  EXPECT_FALSE(reader.ReadString(&text));
  MessageReader unterminated("abc");
  EXPECT_FALSE(unterminated.ReadString(&text));
  EXPECT_EQ(unterminated.remaining(), 3u);
}

}  // namespace
}  // namespace plexus::server::pgwire
