// uuid and bytea text forms: the inputs PostgreSQL 15 accepts and rejects (with its messages),
// and the outputs it prints.
#include <gtest/gtest.h>

#include <string>

#include "plexus/sql/types/bytea.h"
#include "plexus/sql/types/uuid.h"

namespace plexus::sql {
namespace {

std::string UuidText(std::string_view input) {
  Result<UuidBytes> parsed = ParseUuid(input);
  if (!parsed.ok()) return "error: " + std::string(parsed.status().message());
  std::string text;
  FormatUuid(parsed->data(), &text);
  return text;
}

TEST(UuidTest, AcceptsPostgresForms) {
  const std::string canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  EXPECT_EQ(UuidText(canonical), canonical);
  EXPECT_EQ(UuidText("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), canonical);
  EXPECT_EQ(UuidText("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"), canonical);
  EXPECT_EQ(UuidText("a0eebc999c0b4ef8bb6d6bb9bd380a11"), canonical);
  EXPECT_EQ(UuidText("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"), canonical);
  EXPECT_EQ(UuidText("{a0eebc999c0b4ef8bb6d6bb9bd380a11}"), canonical);
}

TEST(UuidTest, RejectsWithPostgresMessage) {
  for (std::string_view bad :
       {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "{a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0eebc999c0b4ef8bb6d6bb9bd380a11}", " a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11",
        "a0eebc999c0b4ef8bb6d6bb9bd380a11-", "g0eebc999c0b4ef8bb6d6bb9bd380a11"}) {
    Result<UuidBytes> parsed = ParseUuid(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().sql_state(), "22P02");
    EXPECT_EQ(parsed.status().message(),
              "invalid input syntax for type uuid: \"" + std::string(bad) + "\"");
  }
}

TEST(UuidTest, RandomIsVersion4) {
  const UuidBytes a = RandomUuid();
  const UuidBytes b = RandomUuid();
  EXPECT_NE(a, b);
  EXPECT_EQ(a[6] >> 4, 4);
  EXPECT_EQ(a[8] & 0xc0, 0x80);
}

std::string ByteaText(std::string_view input) {
  std::string bytes;
  Status status = ParseBytea(input, &bytes);
  if (!status.ok())
    return "error " + std::string(status.sql_state()) + ": " + std::string(status.message());
  std::string text;
  FormatBytea(bytes, &text);
  return text;
}

TEST(ByteaTest, HexAndEscapeInput) {
  EXPECT_EQ(ByteaText("\\xdeadBEEF"), "\\xdeadbeef");
  EXPECT_EQ(ByteaText("\\x de\tad\n"), "\\xdead");
  EXPECT_EQ(ByteaText("\\x"), "\\x");
  EXPECT_EQ(ByteaText(""), "\\x");
  EXPECT_EQ(ByteaText("abc"), "\\x616263");
  EXPECT_EQ(ByteaText("a\\\\b\\001\\377"), "\\x615c6201ff");
}

TEST(ByteaTest, Errors) {
  EXPECT_EQ(ByteaText("\\xabc"), "error 22023: invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(ByteaText("\\xzz"), "error 22023: invalid hexadecimal digit: \"z\"");
  EXPECT_EQ(ByteaText("a\\9"), "error 22P02: invalid input syntax for type bytea");
  EXPECT_EQ(ByteaText("a\\"), "error 22P02: invalid input syntax for type bytea");
  EXPECT_EQ(ByteaText("\\400"), "error 22P02: invalid input syntax for type bytea");
}

}  // namespace
}  // namespace plexus::sql
