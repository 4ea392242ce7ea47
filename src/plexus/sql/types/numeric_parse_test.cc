// Numeric text input and output: PostgreSQL's numeric_in syntax (spaces, signs, '.', exponents,
// NaN and the infinities in any case), its errors, and numeric_out's display scale.
// Expected values come from PostgreSQL 15.18 (generated tables; each names its SQL).
#include <gtest/gtest.h>

#include <string>

#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/numeric_test_util.h"

namespace plexus::sql {
namespace {

using numeric_test::N;
using numeric_test::Render;
using numeric_test::UnaryCase;

// select a::numeric::text
constexpr UnaryCase kParseCases[] = {
    {"0", "0"},
    {"-0", "0"},
    {"+0", "0"},
    {"0.0", "0.0"},
    {"-0.00", "0.00"},
    {"00012.3400", "12.3400"},
    {"1", "1"},
    {"-1", "-1"},
    {"+1", "1"},
    {"1.", "1"},
    {".5", "0.5"},
    {"-.5", "-0.5"},
    {"+.5", "0.5"},
    {"0.5", "0.5"},
    {"1.50", "1.50"},
    {"123.456", "123.456"},
    {"-123.456", "-123.456"},
    {"3.14159265358979323846264338327950288", "3.14159265358979323846264338327950288"},
    {"1e0", "1"},
    {"1e5", "100000"},
    {"1E5", "100000"},
    {"1e+5", "100000"},
    {"1e05", "100000"},
    {"1e-5", "0.00001"},
    {"1.5e-3", "0.0015"},
    {"1.5E3", "1500"},
    {"-2.5e-2", "-0.025"},
    {".5e1", "5"},
    {"5e-1", "0.5"},
    {"0.5e1", "5"},
    {"1.e5", "100000"},
    {"+.5e3", "500"},
    {"12345.6789e-2", "123.456789"},
    {"12345.6789e2", "1234567.89"},
    {"1.234e-10", "0.0000000001234"},
    {"0e5", "0"},
    {"0e-5", "0.00000"},
    {"0.000e2", "0.0"},
    {"0.0000e5", "0"},
    {"-0e-3", "0.000"},
    {"1e 5", "100000"},
    {"0e999999", "0"},
    {"1e-200",
     "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000001"},
    {"123456789012345678901234567890", "123456789012345678901234567890"},
    {"-98765432109876543210.0123456789", "-98765432109876543210.0123456789"},
    {"0.000000000000000000000000000000000001", "0.000000000000000000000000000000000001"},
    {"  1.5  ", "1.5"},
    {"\t12\n", "12"},
    {" -1.5e2 ", "-150"},
    {"\r\n 7 \f\v", "7"},
    {"NaN", "NaN"},
    {"nan", "NaN"},
    {"NAN", "NaN"},
    {"Infinity", "Infinity"},
    {"infinity", "Infinity"},
    {"INFINITY", "Infinity"},
    {"+Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
    {"-infinity", "-Infinity"},
    {"inf", "Infinity"},
    {"Inf", "Infinity"},
    {"+inf", "Infinity"},
    {"-inf", "-Infinity"},
    {"-INF", "-Infinity"},
    {"  NaN  ", "NaN"},
    {" inf ", "Infinity"},
    {"999999999999999999999999999999999999999999999999999999999999",
     "999999999999999999999999999999999999999999999999999999999999"},
    {"0.000000000000000000000000000000000000000000000000001",
     "0.000000000000000000000000000000000000000000000000001"},
    {"10000000000000000000000000000000000000000.00000",
     "10000000000000000000000000000000000000000.00000"},
    {"100000000", "100000000"},
    {"99999999", "99999999"},
    {"10000.0001", "10000.0001"},
    {"0.00010000", "0.00010000"},
    {"1.0000000000000000000000000001", "1.0000000000000000000000000001"},
    {"-0.000000001", "-0.000000001"},
    {"5.", "5"},
    {"5.0", "5.0"},
    {".0", "0.0"},
    {"0.", "0"},
    {"000", "0"},
    {"-000.000", "0.000"},
};

// select a::numeric (errors)
constexpr UnaryCase kParseErrorCases[] = {
    {"", "ERROR 22P02 invalid input syntax for type numeric: \"\""},
    {"  ", "ERROR 22P02 invalid input syntax for type numeric: \"  \""},
    {"abc", "ERROR 22P02 invalid input syntax for type numeric: \"abc\""},
    {"1 2", "ERROR 22P02 invalid input syntax for type numeric: \"1 2\""},
    {"1.2.3", "ERROR 22P02 invalid input syntax for type numeric: \"1.2.3\""},
    {"+", "ERROR 22P02 invalid input syntax for type numeric: \"+\""},
    {"-", "ERROR 22P02 invalid input syntax for type numeric: \"-\""},
    {".", "ERROR 22P02 invalid input syntax for type numeric: \".\""},
    {"+.", "ERROR 22P02 invalid input syntax for type numeric: \"+.\""},
    {"-.", "ERROR 22P02 invalid input syntax for type numeric: \"-.\""},
    {"e5", "ERROR 22P02 invalid input syntax for type numeric: \"e5\""},
    {".e5", "ERROR 22P02 invalid input syntax for type numeric: \".e5\""},
    {"1e", "ERROR 22P02 invalid input syntax for type numeric: \"1e\""},
    {"1e+", "ERROR 22P02 invalid input syntax for type numeric: \"1e+\""},
    {"1e-", "ERROR 22P02 invalid input syntax for type numeric: \"1e-\""},
    {"1e+ 5", "ERROR 22P02 invalid input syntax for type numeric: \"1e+ 5\""},
    {"1e- 5", "ERROR 22P02 invalid input syntax for type numeric: \"1e- 5\""},
    {" 1e5.5", "ERROR 22P02 invalid input syntax for type numeric: \" 1e5.5\""},
    {"1e5e5", "ERROR 22P02 invalid input syntax for type numeric: \"1e5e5\""},
    {"1x", "ERROR 22P02 invalid input syntax for type numeric: \"1x\""},
    {"x1", "ERROR 22P02 invalid input syntax for type numeric: \"x1\""},
    {"NaNx", "ERROR 22P02 invalid input syntax for type numeric: \"NaNx\""},
    {"-nan", "ERROR 22P02 invalid input syntax for type numeric: \"-nan\""},
    {"+nan", "ERROR 22P02 invalid input syntax for type numeric: \"+nan\""},
    {"infinit", "ERROR 22P02 invalid input syntax for type numeric: \"infinit\""},
    {"Infinityx", "ERROR 22P02 invalid input syntax for type numeric: \"Infinityx\""},
    {"infinity1", "ERROR 22P02 invalid input syntax for type numeric: \"infinity1\""},
    {"--1", "ERROR 22P02 invalid input syntax for type numeric: \"--1\""},
    {"+-1", "ERROR 22P02 invalid input syntax for type numeric: \"+-1\""},
    {"201E694543a", "ERROR 22P02 invalid input syntax for type numeric: \"201E694543a\""},
    {"12E638231.", "ERROR 22P02 invalid input syntax for type numeric: \"12E638231.\""},
    {"1e99999999999x", "ERROR 22003 value overflows numeric format"},
    {"1_000", "ERROR 22P02 invalid input syntax for type numeric: \"1_000\""},
    {"0x10", "ERROR 22P02 invalid input syntax for type numeric: \"0x10\""},
    {"0b101", "ERROR 22P02 invalid input syntax for type numeric: \"0b101\""},
    {"1,5", "ERROR 22P02 invalid input syntax for type numeric: \"1,5\""},
    {"\331\241", "ERROR 22P02 invalid input syntax for type numeric: \"\331\241\""},
    {"1e1.5", "ERROR 22P02 invalid input syntax for type numeric: \"1e1.5\""},
    {"12 .5", "ERROR 22P02 invalid input syntax for type numeric: \"12 .5\""},
    {"1. 5", "ERROR 22P02 invalid input syntax for type numeric: \"1. 5\""},
    {"- 1", "ERROR 22P02 invalid input syntax for type numeric: \"- 1\""},
    {"inf inity", "ERROR 22P02 invalid input syntax for type numeric: \"inf inity\""},
    {"1e131072", "ERROR 22003 value overflows numeric format"},
    {"1e-16384", "ERROR 22003 value overflows numeric format"},
    {"0e-20000", "ERROR 22003 value overflows numeric format"},
    {"1e99999999999999999999", "ERROR 22003 value overflows numeric format"},
    {"1e-2147483647", "ERROR 22003 value overflows numeric format"},
    {"1e2147483646", "ERROR 22003 value overflows numeric format"},
    {"1e1073741823", "ERROR 22003 value overflows numeric format"},
    {"1e1073741822", "ERROR 22003 value overflows numeric format"},
    {"1e-1073741822", "ERROR 22003 value overflows numeric format"},
    {"1e-1073741823", "ERROR 22003 value overflows numeric format"},
    {"10e131071", "ERROR 22003 value overflows numeric format"},
    {"0.1e-16383", "ERROR 22003 value overflows numeric format"},
};

TEST(NumericParseTest, ParsesAndPrintsAsPostgreSQL) {
  for (const UnaryCase& row : kParseCases) {
    EXPECT_EQ(Render(Numeric::Parse(row.input)), row.expected) << "input [" << row.input << "]";
  }
}

TEST(NumericParseTest, RejectsAsPostgreSQL) {
  for (const UnaryCase& row : kParseErrorCases) {
    EXPECT_EQ(Render(Numeric::Parse(row.input)), row.expected) << "input [" << row.input << "]";
  }
}

// Values too long for a table: checked by length and ends (lengths from PostgreSQL).
TEST(NumericParseTest, HugeAndTinyValues) {
  std::string text = N("1e100000").ToString();
  EXPECT_EQ(text.size(), 100001u);
  EXPECT_EQ(text.substr(0, 3), "100");
  EXPECT_EQ(text.find_first_not_of('0', 1), std::string::npos);
  text = N("1e-16383").ToString();
  EXPECT_EQ(text.size(), 16385u);  // "0." and 16383 decimals
  EXPECT_EQ(text.back(), '1');
  EXPECT_EQ(N("1e-16383").scale(), 16383);
  EXPECT_EQ(N("9999e131068").ToString().size(), 131072u);
  std::string long_input(1000, '7');
  long_input += "." + std::string(1000, '3');
  EXPECT_EQ(N(long_input).ToString(), long_input);
}

TEST(NumericParseTest, SyntaxErrorQuotesTheWholeInput) {
  Result<Numeric> result = Numeric::Parse("  12abc ");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sql_state(), "22P02");
  EXPECT_EQ(result.status().message(), "invalid input syntax for type numeric: \"  12abc \"");
  EXPECT_TRUE(result.status().IsInvalidArgument());
}

}  // namespace
}  // namespace plexus::sql
