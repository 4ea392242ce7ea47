// Numeric conversions: to bigint/integer/smallint (rounding half away from zero, range
// errors), from double and real (15 and 6 significant digits), and to double and real.
// Expected values come from PostgreSQL 15.18 (generated tables; each names its SQL).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/numeric_test_util.h"

namespace plexus::sql {
namespace {

using numeric_test::ExpectUnary;
using numeric_test::N;
using numeric_test::RenderStatus;
using numeric_test::UnaryCase;

// select a::int8
constexpr UnaryCase kInt64Cases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"0.5", "1"},
    {"1.5", "2"},
    {"2.5", "3"},
    {"-0.5", "-1"},
    {"-1.5", "-2"},
    {"0.4999999999", "0"},
    {"123.456", "123"},
    {"-123.5", "-124"},
    {"9223372036854775807", "9223372036854775807"},
    {"9223372036854775807.4", "9223372036854775807"},
    {"9223372036854775807.5", "ERROR 22003 bigint out of range"},
    {"9223372036854775808", "ERROR 22003 bigint out of range"},
    {"-9223372036854775808", "-9223372036854775808"},
    {"-9223372036854775808.4", "-9223372036854775808"},
    {"-9223372036854775808.5", "ERROR 22003 bigint out of range"},
    {"-9223372036854775809", "ERROR 22003 bigint out of range"},
    {"2147483647.49", "2147483647"},
    {"2147483647.5", "2147483648"},
    {"-2147483648.49", "-2147483648"},
    {"-2147483648.5", "-2147483649"},
    {"32767.4", "32767"},
    {"32767.5", "32768"},
    {"-32768.4999", "-32768"},
    {"-32768.5", "-32769"},
    {"1e19", "ERROR 22003 bigint out of range"},
    {"-1e19", "ERROR 22003 bigint out of range"},
    {"1e-20", "0"},
    {"99999999999999999999999", "ERROR 22003 bigint out of range"},
    {"NaN", "ERROR 0A000 cannot convert NaN to bigint"},
    {"Infinity", "ERROR 0A000 cannot convert infinity to bigint"},
    {"-Infinity", "ERROR 0A000 cannot convert infinity to bigint"},
};

// select a::int4
constexpr UnaryCase kInt32Cases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"0.5", "1"},
    {"1.5", "2"},
    {"2.5", "3"},
    {"-0.5", "-1"},
    {"-1.5", "-2"},
    {"0.4999999999", "0"},
    {"123.456", "123"},
    {"-123.5", "-124"},
    {"9223372036854775807", "ERROR 22003 integer out of range"},
    {"9223372036854775807.4", "ERROR 22003 integer out of range"},
    {"9223372036854775807.5", "ERROR 22003 integer out of range"},
    {"9223372036854775808", "ERROR 22003 integer out of range"},
    {"-9223372036854775808", "ERROR 22003 integer out of range"},
    {"-9223372036854775808.4", "ERROR 22003 integer out of range"},
    {"-9223372036854775808.5", "ERROR 22003 integer out of range"},
    {"-9223372036854775809", "ERROR 22003 integer out of range"},
    {"2147483647.49", "2147483647"},
    {"2147483647.5", "ERROR 22003 integer out of range"},
    {"-2147483648.49", "-2147483648"},
    {"-2147483648.5", "ERROR 22003 integer out of range"},
    {"32767.4", "32767"},
    {"32767.5", "32768"},
    {"-32768.4999", "-32768"},
    {"-32768.5", "-32769"},
    {"1e19", "ERROR 22003 integer out of range"},
    {"-1e19", "ERROR 22003 integer out of range"},
    {"1e-20", "0"},
    {"99999999999999999999999", "ERROR 22003 integer out of range"},
    {"NaN", "ERROR 0A000 cannot convert NaN to integer"},
    {"Infinity", "ERROR 0A000 cannot convert infinity to integer"},
    {"-Infinity", "ERROR 0A000 cannot convert infinity to integer"},
};

// select a::int2
constexpr UnaryCase kInt16Cases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"0.5", "1"},
    {"1.5", "2"},
    {"2.5", "3"},
    {"-0.5", "-1"},
    {"-1.5", "-2"},
    {"0.4999999999", "0"},
    {"123.456", "123"},
    {"-123.5", "-124"},
    {"9223372036854775807", "ERROR 22003 smallint out of range"},
    {"9223372036854775807.4", "ERROR 22003 smallint out of range"},
    {"9223372036854775807.5", "ERROR 22003 smallint out of range"},
    {"9223372036854775808", "ERROR 22003 smallint out of range"},
    {"-9223372036854775808", "ERROR 22003 smallint out of range"},
    {"-9223372036854775808.4", "ERROR 22003 smallint out of range"},
    {"-9223372036854775808.5", "ERROR 22003 smallint out of range"},
    {"-9223372036854775809", "ERROR 22003 smallint out of range"},
    {"2147483647.49", "ERROR 22003 smallint out of range"},
    {"2147483647.5", "ERROR 22003 smallint out of range"},
    {"-2147483648.49", "ERROR 22003 smallint out of range"},
    {"-2147483648.5", "ERROR 22003 smallint out of range"},
    {"32767.4", "32767"},
    {"32767.5", "ERROR 22003 smallint out of range"},
    {"-32768.4999", "-32768"},
    {"-32768.5", "ERROR 22003 smallint out of range"},
    {"1e19", "ERROR 22003 smallint out of range"},
    {"-1e19", "ERROR 22003 smallint out of range"},
    {"1e-20", "0"},
    {"99999999999999999999999", "ERROR 22003 smallint out of range"},
    {"NaN", "ERROR 0A000 cannot convert NaN to smallint"},
    {"Infinity", "ERROR 0A000 cannot convert infinity to smallint"},
    {"-Infinity", "ERROR 0A000 cannot convert infinity to smallint"},
};

// select a::float8::numeric
constexpr UnaryCase kFromDoubleCases[] = {
    {"0", "0"},
    {"-0.0", "0"},
    {"0.1", "0.1"},
    {"0.3", "0.3"},
    {"2.5", "2.5"},
    {"1.5e-7", "0.00000015"},
    {"1e-5", "0.00001"},
    {"123456789012345678", "123456789012346000"},
    {"1e15", "1000000000000000"},
    {"1e16", "10000000000000000"},
    {"1e21", "1000000000000000000000"},
    {"1e22", "10000000000000000000000"},
    {"3.141592653589793", "3.14159265358979"},
    {"0.1234567890123456789", "0.123456789012346"},
    {"123456.7890125", "123456.7890125"},
    {"9007199254740993", "9007199254740990"},
    {"1.00000000000000001", "1"},
    {"-2.5e-10", "-0.00000000025"},
    {"0.000123456789012345678", "0.000123456789012346"},
    {"1234567.5", "1234567.5"},
    {"99999999999999.99", "100000000000000"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
};

// select a::float4::numeric
constexpr UnaryCase kFromFloatCases[] = {
    {"0", "0"},
    {"0.1", "0.1"},
    {"2.5", "2.5"},
    {"1.5e-7", "0.00000015"},
    {"1e30", "1000000000000000000000000000000"},
    {"-1e30", "-1000000000000000000000000000000"},
    {"3.4028234e38", "340282000000000000000000000000000000000"},
    {"1.17549435e-38", "0.0000000000000000000000000000000000000117549"},
    {"123456.789", "123457"},
    {"0.333333333", "0.333333"},
    {"16777217", "16777200"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
};

// select a::float8
constexpr UnaryCase kToDoubleCases[] = {
    {"0", "0"},
    {"0.1", "0.1"},
    {"-0.000", "0"},
    {"1.5e-7", "1.5e-07"},
    {"123456789012345678901234567890", "1.2345678901234568e+29"},
    {"0.1234567890123456789012345", "0.12345678901234568"},
    {"1e308", "1e+308"},
    {"1.7976931348623157e308", "1.7976931348623157e+308"},
    {"1e-307", "1e-307"},
    {"2e-308", "2e-308"},
    {"1e-310", "1e-310"},
    {"4.9e-324", "5e-324"},
    {"3e-324", "5e-324"},
    {"9007199254740993", "9.007199254740992e+15"},
    {"2.5000000000000000001", "2.5"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
};

// select a::float4
constexpr UnaryCase kToFloatCases[] = {
    {"0", "0"},
    {"0.1", "0.1"},
    {"1e38", "1e+38"},
    {"3.4028235e38", "3.4028235e+38"},
    {"3.5e38",
     "ERROR 22003 \"350000000000000000000000000000000000000\" is out of range for type real"},
    {"1e39",
     "ERROR 22003 \"1000000000000000000000000000000000000000\" is out of range for type real"},
    {"1e-38", "1e-38"},
    {"1e-45", "1e-45"},
    {"1e-46",
     "ERROR 22003 \"0.0000000000000000000000000000000000000000000001\" is out of range for type "
     "real"},
    {"16777217", "1.6777216e+07"},
    {"-2.5", "-2.5"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
};

// An integer result rendered like a table row.
template <typename Integer>
std::string RenderInteger(const Result<Integer>& result) {
  return result.ok() ? std::to_string(*result) : RenderStatus(result.status());
}

// A floating result checked against PostgreSQL's text for it (shortest round-trip digits).
template <typename Floating>
void ExpectFloating(const Result<Floating>& result, const std::string& expected,
                    const std::string& input) {
  if (expected.rfind("ERROR", 0) == 0) {
    EXPECT_EQ(result.ok() ? "ok" : RenderStatus(result.status()), expected) << input;
    return;
  }
  ASSERT_TRUE(result.ok()) << input << ": " << result.status().ToString();
  if (expected == "NaN") {
    EXPECT_TRUE(std::isnan(*result)) << input;
  } else {
    Floating want = static_cast<Floating>(std::strtod(expected.c_str(), nullptr));
    if (expected == "Infinity") want = static_cast<Floating>(HUGE_VAL);
    if (expected == "-Infinity") want = static_cast<Floating>(-HUGE_VAL);
    EXPECT_EQ(*result, want) << input;
  }
}

TEST(NumericConvertTest, ToIntegers) {
  for (const UnaryCase& row : kInt64Cases) {
    EXPECT_EQ(RenderInteger(N(row.input).ToInt64()), row.expected) << row.input;
  }
  for (const UnaryCase& row : kInt32Cases) {
    EXPECT_EQ(RenderInteger(N(row.input).ToInt32()), row.expected) << row.input;
  }
  for (const UnaryCase& row : kInt16Cases) {
    EXPECT_EQ(RenderInteger(N(row.input).ToInt16()), row.expected) << row.input;
  }
}

TEST(NumericConvertTest, FromIntegers) {
  EXPECT_EQ(Numeric::FromInt64(INT64_MIN).ToString(), "-9223372036854775808");
  EXPECT_EQ(Numeric::FromInt64(INT64_MAX).ToString(), "9223372036854775807");
  EXPECT_EQ(Numeric::FromInt64(0).ToString(), "0");
  EXPECT_EQ(Numeric::FromInt64(-10000).ToString(), "-10000");
  EXPECT_EQ(Numeric::FromUint64(UINT64_MAX).ToString(), "18446744073709551615");
  EXPECT_EQ(Numeric::FromInt64(INT64_MIN).ToInt64().value(), INT64_MIN);
  EXPECT_EQ(Numeric::FromInt64(12345).scale(), 0);
}

TEST(NumericConvertTest, FromFloating) {
  for (const UnaryCase& row : kFromDoubleCases) {
    EXPECT_EQ(Numeric::FromDouble(std::strtod(row.input, nullptr)).ToString(), row.expected)
        << row.input;
  }
  for (const UnaryCase& row : kFromFloatCases) {
    EXPECT_EQ(Numeric::FromFloat(std::strtof(row.input, nullptr)).ToString(), row.expected)
        << row.input;
  }
}

TEST(NumericConvertTest, ToFloating) {
  for (const UnaryCase& row : kToDoubleCases)
    ExpectFloating(N(row.input).ToDouble(), row.expected, row.input);
  for (const UnaryCase& row : kToFloatCases)
    ExpectFloating(N(row.input).ToFloat(), row.expected, row.input);
}

}  // namespace
}  // namespace plexus::sql
