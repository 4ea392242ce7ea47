#include "plexus/server/pgwire/binary_format.h"

#include <gtest/gtest.h>

#include <cstring>

#include "plexus/server/pgwire/protocol.h"
#include "plexus/sql/exec/vector_value.h"
#include "plexus/sql/func/cast.h"

namespace plexus::server::pgwire {
namespace {

using catalog::TypeId;
using sql::Type;

std::string Hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    out.push_back(digits[(static_cast<uint8_t>(c) >> 4) & 15]);
    out.push_back(digits[static_cast<uint8_t>(c) & 15]);
  }
  return out;
}

// The binary form of the value whose text form is `text`.
std::string Binary(const Type& type, std::string_view text) {
  Result<sql::Value> value = DecodeText(type, text);
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  sql::Vector vector(type);
  sql::SetValue(&vector, 0, *value);
  std::string out;
  const Status status = EncodeBinary(vector, 0, &out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

// Decodes `binary` and prints the value as text.
std::string TextOf(const Type& type, std::string_view binary) {
  Result<sql::Value> value = DecodeBinary(type, binary);
  if (!value.ok()) return "error " + std::string(value.status().sql_state());
  sql::Vector vector(type);
  sql::SetValue(&vector, 0, *value);
  std::string text;
  EXPECT_TRUE(sql::FormatText(vector, 0, &text).ok());
  return text;
}

// PostgreSQL 15's send functions give these bytes (SELECT int4send(7), numeric_send(...), ...).
TEST(BinaryFormatTest, MatchesPostgresSendOutput) {
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kBool), "true")), "01");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kInt16), "-2")), "fffe");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kInt32), "7")), "00000007");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kInt64), "-1")), "ffffffffffffffff");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kFloat64), "1.5")), "3ff8000000000000");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kFloat32), "1.5")), "3fc00000");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kDate), "2000-01-02")), "00000001");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kTimestamp), "2000-01-01 00:00:01")),
            "00000000000f4240");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kInterval), "1 mon 2 days 00:00:03")),
            "00000000002dc6c0" "00000002" "00000001");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kUuid), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
            "a0eebc999c0b4ef8bb6d6bb9bd380a11");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kText), "hi")), "6869");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kJsonb), "{\"a\":1}")), "017b2261223a20317d");
  // numeric_send('12345.678'): 3 digits, weight 1, positive, dscale 3: 1 2345 6780.
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kNumeric), "12345.678")),
            "0003" "0001" "0000" "0003" "0001" "0929" "1a7c");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kNumeric), "-0.0001")),
            "0001" "ffff" "4000" "0004" "0001");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kNumeric), "0.00")), "0000" "0000" "0000" "0002");
  EXPECT_EQ(Hex(Binary(Type::Of(TypeId::kNumeric), "NaN")), "0000" "0000" "c000" "0000");
  // int4[] {1,NULL}: 1 dimension, has nulls, element OID 23, size 2, lower bound 1.
  EXPECT_EQ(Hex(Binary(Type::ArrayOf(TypeId::kInt32), "{1,NULL}")),
            "00000001" "00000001" "00000017" "00000002" "00000001" "00000004" "00000001"
            "ffffffff");
  EXPECT_EQ(Hex(Binary(Type::ArrayOf(TypeId::kInt32), "{}")), "00000000" "00000000" "00000017");
}

TEST(BinaryFormatTest, RoundTripsEveryType) {
  const std::pair<Type, const char*> cases[] = {
      {Type::Of(TypeId::kBool), "f"},
      {Type::Of(TypeId::kInt16), "-32768"},
      {Type::Of(TypeId::kInt32), "2147483647"},
      {Type::Of(TypeId::kInt64), "-9223372036854775808"},
      {Type::Of(TypeId::kFloat32), "-0.25"},
      {Type::Of(TypeId::kFloat64), "1e+300"},
      {Type::Of(TypeId::kNumeric), "-123456789012345678901234567890.000000001"},
      {Type::Of(TypeId::kNumeric), "0.5"},
      {Type::Of(TypeId::kNumeric), "10000"},
      {Type::Of(TypeId::kNumeric), "Infinity"},
      {Type::Of(TypeId::kText), "héllo"},
      {Type::Of(TypeId::kBytea), "\\x00ff10"},
      {Type::Of(TypeId::kDate), "1999-12-31"},
      {Type::Of(TypeId::kTime), "23:59:59.999999"},
      {Type::Of(TypeId::kTimestamp), "1970-01-01 00:00:00"},
      {Type::Of(TypeId::kTimestampTz), "2024-02-29 12:00:00+00"},
      {Type::Of(TypeId::kInterval), "-1 years -2 days +03:04:05"},
      {Type::Of(TypeId::kUuid), "00000000-0000-0000-0000-000000000001"},
      {Type::Of(TypeId::kJsonb), "{\"a\": [1, 2.5, null]}"},
      {Type::ArrayOf(TypeId::kText), "{a,NULL,\"b c\"}"},
      {Type::ArrayOf(TypeId::kNumeric), "{1.5,-2}"},
  };
  for (const auto& [type, text] : cases) {
    EXPECT_EQ(TextOf(type, Binary(type, text)), text) << catalog::FormatType(type);
  }
}

TEST(BinaryFormatTest, MalformedInputIsAnError) {
  EXPECT_EQ(TextOf(Type::Of(TypeId::kInt32), std::string("\0\0\0", 3)), "error 22P03");
  EXPECT_EQ(TextOf(Type::Of(TypeId::kInt64), ""), "error 22P03");
  EXPECT_EQ(TextOf(Type::Of(TypeId::kBool), "\x02"), "error 22P03");
  EXPECT_EQ(TextOf(Type::Of(TypeId::kUuid), "short"), "error 22P03");
  // numeric: digit out of range, bad sign, length not matching ndigits.
  EXPECT_EQ(TextOf(Type::Of(TypeId::kNumeric), std::string("\0\1\0\0\0\0\0\0\x27\x10", 10)),
            "error 22P03");
  EXPECT_EQ(TextOf(Type::Of(TypeId::kNumeric), std::string("\0\0\0\0\x12\x34\0\0", 8)),
            "error 22P03");
  EXPECT_EQ(TextOf(Type::Of(TypeId::kNumeric), std::string("\0\2\0\0\0\0\0\0\0\1", 10)),
            "error 22P03");
  EXPECT_EQ(TextOf(Type::Of(TypeId::kJsonb), "\x02{}"), "error 22P03");
  // An array claiming more elements than it holds.
  std::string array;
  AppendInt32(&array, 1);
  AppendInt32(&array, 0);
  AppendInt32(&array, 23);
  AppendInt32(&array, 1000000);
  AppendInt32(&array, 1);
  EXPECT_EQ(TextOf(Type::ArrayOf(TypeId::kInt32), array), "error 22P03");
}

TEST(BinaryFormatTest, TextInputUsesTheEngineCasts) {
  EXPECT_EQ(DecodeText(Type::Of(TypeId::kInt32), "12x").status().sql_state(), "22P02");
  EXPECT_EQ(DecodeText(Type::Of(TypeId::kInt16), "40000").status().sql_state(), "22003");
  Result<sql::Value> date = DecodeText(Type::Of(TypeId::kDate), "2000-01-03");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(date->integer_value(), 2);
}

}  // namespace
}  // namespace plexus::server::pgwire
