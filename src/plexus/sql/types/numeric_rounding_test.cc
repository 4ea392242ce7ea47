// Numeric rounding: round() and trunc() at positive and negative scales (half away from zero),
// ceil, floor, sign, abs, negation, scale()/min_scale()/trim_scale(), and numeric(p, s) typmods.
// Expected values come from PostgreSQL 15.18 (generated tables; each names its SQL).
#include <gtest/gtest.h>

#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/numeric_test_util.h"

namespace plexus::sql {
namespace {

using numeric_test::ExpectScaled;
using numeric_test::ExpectUnary;
using numeric_test::N;
using numeric_test::Render;
using numeric_test::ScaleCase;
using numeric_test::UnaryCase;

struct TypmodCase {
  const char* input;
  int precision;
  int scale;
  const char* expected;
};

// select round(a, scale)
constexpr ScaleCase kRoundCases[] = {
    {"0.5", 0, "1"},
    {"1.5", 0, "2"},
    {"-1.5", 0, "-2"},
    {"2.5", 0, "3"},
    {"-0.5", 0, "-1"},
    {"0.45", 1, "0.5"},
    {"0.55", 1, "0.6"},
    {"9999.5", 0, "10000"},
    {"99995", -1, "100000"},
    {"49999", -5, "0"},
    {"50000", -5, "100000"},
    {"-50000", -5, "-100000"},
    {"0.5", -1, "0"},
    {"1.23456", -2147483648, "0"},
    {"-0.5", 0, "-1"},
    {"55555", 8, "55555.00000000"},
    {"0.00049", -5, "0"},
    {"0.00049", 2, "0.00"},
    {"123.456789", -4, "0"},
    {"NaN", -8, "NaN"},
    {"123.456789", 5, "123.45679"},
    {"999.9995", 1, "1000.0"},
    {"999.9995", -1, "1000"},
    {"-0.5", 20, "-0.50000000000000000000"},
    {"-999.9995", 5, "-999.99950"},
    {"-999.9995", 4, "-999.9995"},
    {"Infinity", -8, "Infinity"},
    {"9999.9999", 1, "10000.0"},
    {"-Infinity", -8, "-Infinity"},
    {"0.0000000001234", 0, "0"},
    {"1234567.891", 8, "1234567.89100000"},
    {"1.5", 8, "1.50000000"},
    {"-999.9995", -2, "-1000"},
    {"999.9995", -4, "0"},
    {"0.12345678901234567890", 5, "0.12346"},
    {"1e20", 5, "100000000000000000000.00000"},
    {"0.00", 8, "0.00000000"},
    {"2.5", 3, "2.500"},
    {"0.00049", -8, "0"},
    {"0", -5, "0"},
    {"-5e-7", 4, "0.0000"},
    {"1e20", 3, "100000000000000000000.000"},
    {"5e-7", 5, "0.00000"},
    {"-Infinity", 3, "-Infinity"},
    {"NaN", 0, "NaN"},
    {"0.0005", 2, "0.00"},
    {"9999.9999", -1, "10000"},
    {"99999.5", 3, "99999.500"},
    {"0", -1, "0"},
    {"0.0005", 5, "0.00050"},
    {"123.456789", -3, "0"},
    {"123.456789", 4, "123.4568"},
    {"999.9995", 20, "999.99950000000000000000"},
    {"99999.5", 2, "99999.50"},
    {"-999.9995", -4, "0"},
    {"Infinity", 2, "Infinity"},
    {"-2.5", -5, "0"},
    {"-45", -4, "0"},
    {"99999.5", 0, "100000"},
    {"-2.5", 0, "-3"},
    {"55555", -5, "100000"},
    {"2.5", 0, "3"},
    {"-5e-7", -2, "0"},
    {"1234567.891", -1, "1234570"},
    {"5e-7", 4, "0.0000"},
    {"55555", 1, "55555.0"},
    {"-Infinity", -4, "-Infinity"},
    {"0.5", -8, "0"},
    {"0.00", 20, "0.00000000000000000000"},
    {"9999.9999", 5, "9999.99990"},
    {"-45", 1, "-45.0"},
    {"0.4999", 4, "0.4999"},
    {"-123.456789", -1, "-120"},
    {"1e20", -2, "100000000000000000000"},
    {"-123.456789", 4, "-123.4568"},
    {"0.4999", 20, "0.49990000000000000000"},
    {"NaN", 4, "NaN"},
    {"Infinity", 3, "Infinity"},
    {"99999.5", -5, "100000"},
    {"Infinity", 4, "Infinity"},
    {"NaN", -2, "NaN"},
    {"-Infinity", -5, "-Infinity"},
    {"-45", 5, "-45.00000"},
    {"1234567.891", 4, "1234567.8910"},
    {"0.0005", 1, "0.0"},
    {"1234567.891", -8, "0"},
    {"0.00", 5, "0.00000"},
    {"5e-7", -5, "0"},
    {"0", 20, "0.00000000000000000000"},
    {"-0.5", -8, "0"},
    {"0.5", -5, "0"},
    {"0.4999", 1, "0.5"},
    {"Infinity", -2, "Infinity"},
    {"-0.5", -2, "0"},
    {"-45", 3, "-45.000"},
    {"5e-7", -2, "0"},
    {"0.0000000001234", 20, "0.00000000012340000000"},
    {"Infinity", -4, "Infinity"},
    {"0.5", 8, "0.50000000"},
    {"55555", 5, "55555.00000"},
    {"0.5", 2, "0.50"},
    {"55555", 4, "55555.0000"},
    {"-999.9995", 1, "-1000.0"},
    {"0.4999", 8, "0.49990000"},
    {"-Infinity", 4, "-Infinity"},
    {"-123.456789", -4, "0"},
    {"0.12345678901234567890", -5, "0"},
    {"0.0000000001234", -1, "0"},
    {"999.9995", -2, "1000"},
    {"55555", 3, "55555.000"},
    {"9999.9999", -2, "10000"},
    {"99999.5", -2, "100000"},
    {"0.0000000001234", -5, "0"},
    {"0.12345678901234567890", -3, "0"},
    {"-999.9995", 2, "-1000.00"},
    {"999.9995", 2, "1000.00"},
    {"1234567.891", -3, "1235000"},
    {"0", -4, "0"},
    {"55555", -2, "55600"},
    {"5e-7", 8, "0.00000050"},
    {"-45", -5, "0"},
    {"-5e-7", 2, "0.00"},
    {"99999.5", 5, "99999.50000"},
    {"1e20", 2, "100000000000000000000.00"},
    {"999.9995", -5, "0"},
    {"-5e-7", -3, "0"},
    {"5e-7", 20, "0.00000050000000000000"},
    {"-2.5", -2, "0"},
    {"-999.9995", 0, "-1000"},
    {"0.0000000001234", 5, "0.00000"},
    {"123.456789", 8, "123.45678900"},
    {"-0.5", -3, "0"},
    {"0.00", -5, "0"},
    {"0.00049", 1, "0.0"},
    {"2.5", -2, "0"},
    {"-5e-7", 3, "0.000"},
    {"0.0005", 4, "0.0005"},
    {"-123.456789", -5, "0"},
    {"NaN", 2, "NaN"},
    {"-5e-7", -8, "0"},
    {"0.00", 4, "0.0000"},
    {"1.5", -3, "0"},
    {"-Infinity", 20, "-Infinity"},
    {"1.5", -1, "0"},
};

// select trunc(a, scale)
constexpr ScaleCase kTruncCases[] = {
    {"0.5", 0, "0"},
    {"1.5", 0, "1"},
    {"-1.5", 0, "-1"},
    {"2.5", 0, "2"},
    {"-0.5", 0, "0"},
    {"0.45", 1, "0.4"},
    {"0.55", 1, "0.5"},
    {"9999.5", 0, "9999"},
    {"99995", -1, "99990"},
    {"49999", -5, "0"},
    {"50000", -5, "0"},
    {"-50000", -5, "0"},
    {"0.5", -1, "0"},
    {"1.23456", -2147483648, "0"},
    {"55555", -2, "55500"},
    {"1e20", 0, "100000000000000000000"},
    {"0.12345678901234567890", 0, "0"},
    {"-123.456789", 2, "-123.45"},
    {"9999.9999", 4, "9999.9999"},
    {"0.5", -3, "0"},
    {"9999.9999", -4, "0"},
    {"0.00", -3, "0"},
    {"2.5", -3, "0"},
    {"55555", -1, "55550"},
    {"0.0000000001234", -3, "0"},
    {"123.456789", -1, "120"},
    {"NaN", 20, "NaN"},
    {"Infinity", 20, "Infinity"},
    {"-45", 0, "-45"},
    {"-123.456789", 20, "-123.45678900000000000000"},
    {"5e-7", 4, "0.0000"},
    {"-5e-7", -1, "0"},
    {"2.5", -1, "0"},
    {"-999.9995", 5, "-999.99950"},
    {"999.9995", -1, "990"},
    {"0.12345678901234567890", -3, "0"},
    {"-Infinity", 8, "-Infinity"},
    {"0.4999", -3, "0"},
    {"1234567.891", 1, "1234567.8"},
    {"0.0000000001234", 5, "0.00000"},
    {"0.0005", 2, "0.00"},
    {"0.5", 8, "0.50000000"},
    {"0", -3, "0"},
    {"0.0000000001234", 0, "0"},
    {"0.5", -8, "0"},
    {"0.00", 20, "0.00000000000000000000"},
    {"0", 3, "0.000"},
    {"2.5", -5, "0"},
    {"0", 5, "0.00000"},
    {"-5e-7", 3, "0.000"},
    {"999.9995", 1, "999.9"},
    {"0.12345678901234567890", -1, "0"},
    {"999.9995", 20, "999.99950000000000000000"},
    {"1.5", 5, "1.50000"},
    {"1.5", 2, "1.50"},
    {"123.456789", 20, "123.45678900000000000000"},
    {"0.5", 2, "0.50"},
    {"1234567.891", 0, "1234567"},
    {"0.4999", 20, "0.49990000000000000000"},
    {"0", -2, "0"},
    {"-5e-7", 0, "0"},
    {"-999.9995", 4, "-999.9995"},
    {"5e-7", -5, "0"},
    {"0", 2, "0.00"},
    {"-45", -2, "0"},
    {"9999.9999", 5, "9999.99990"},
    {"-Infinity", 1, "-Infinity"},
    {"-45", 20, "-45.00000000000000000000"},
    {"1234567.891", -2, "1234500"},
    {"5e-7", 3, "0.000"},
    {"0.12345678901234567890", 2, "0.12"},
    {"1234567.891", -3, "1234000"},
    {"-999.9995", 0, "-999"},
    {"-2.5", -4, "0"},
    {"Infinity", 4, "Infinity"},
    {"123.456789", -4, "0"},
    {"-45", 3, "-45.000"},
    {"9999.9999", 20, "9999.99990000000000000000"},
    {"2.5", 3, "2.500"},
    {"-5e-7", 2, "0.00"},
    {"5e-7", 1, "0.0"},
    {"-2.5", -2, "0"},
    {"123.456789", -3, "0"},
    {"99999.5", -3, "99000"},
    {"Infinity", 1, "Infinity"},
    {"0.12345678901234567890", -5, "0"},
    {"9999.9999", -2, "9900"},
    {"0.0000000001234", -4, "0"},
    {"0.00049", 0, "0"},
    {"0.0005", -5, "0"},
    {"-5e-7", -5, "0"},
    {"1234567.891", 8, "1234567.89100000"},
    {"2.5", 5, "2.50000"},
    {"0.0000000001234", -8, "0"},
    {"0.12345678901234567890", -2, "0"},
    {"-45", 5, "-45.00000"},
    {"9999.9999", 3, "9999.999"},
    {"0", 8, "0.00000000"},
    {"0.0000000001234", -1, "0"},
    {"2.5", 20, "2.50000000000000000000"},
    {"-2.5", -1, "0"},
    {"123.456789", 0, "123"},
    {"55555", 5, "55555.00000"},
    {"-2.5", 20, "-2.50000000000000000000"},
    {"-0.5", -3, "0"},
    {"9999.9999", 1, "9999.9"},
    {"9999.9999", 2, "9999.99"},
    {"2.5", 0, "2"},
    {"1.5", 8, "1.50000000"},
    {"NaN", 2, "NaN"},
    {"1e20", 20, "100000000000000000000.00000000000000000000"},
    {"-999.9995", -4, "0"},
    {"999.9995", 4, "999.9995"},
    {"1e20", 5, "100000000000000000000.00000"},
    {"55555", 2, "55555.00"},
    {"0.4999", 0, "0"},
    {"Infinity", 0, "Infinity"},
    {"NaN", 1, "NaN"},
    {"0.00049", 5, "0.00049"},
    {"1234567.891", -5, "1200000"},
    {"NaN", 4, "NaN"},
    {"123.456789", -8, "0"},
    {"0.0005", -3, "0"},
    {"55555", 20, "55555.00000000000000000000"},
};

// select ceil(a)
constexpr UnaryCase kCeilCases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"0.5", "1"},
    {"-0.5", "0"},
    {"1.5", "2"},
    {"2.5", "3"},
    {"-2.5", "-2"},
    {"0.4999", "1"},
    {"123.456789", "124"},
    {"-123.456789", "-123"},
    {"999.9995", "1000"},
    {"-999.9995", "-999"},
    {"99999.5", "100000"},
    {"0.00049", "1"},
    {"0.0005", "1"},
    {"1234567.891", "1234568"},
    {"9999.9999", "10000"},
    {"5e-7", "1"},
    {"-5e-7", "0"},
    {"1e20", "100000000000000000000"},
    {"0.12345678901234567890", "1"},
    {"55555", "55555"},
    {"-45", "-45"},
    {"0.0000000001234", "1"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
    {"0.9", "1"},
    {"-0.9", "0"},
    {"1.0", "1"},
    {"-1.0", "-1"},
    {"1e-30", "1"},
    {"-1e-30", "0"},
    {"99999999999999999999.5", "100000000000000000000"},
    {"-12.000", "-12"},
};

// select floor(a)
constexpr UnaryCase kFloorCases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"0.5", "0"},
    {"-0.5", "-1"},
    {"1.5", "1"},
    {"2.5", "2"},
    {"-2.5", "-3"},
    {"0.4999", "0"},
    {"123.456789", "123"},
    {"-123.456789", "-124"},
    {"999.9995", "999"},
    {"-999.9995", "-1000"},
    {"99999.5", "99999"},
    {"0.00049", "0"},
    {"0.0005", "0"},
    {"1234567.891", "1234567"},
    {"9999.9999", "9999"},
    {"5e-7", "0"},
    {"-5e-7", "-1"},
    {"1e20", "100000000000000000000"},
    {"0.12345678901234567890", "0"},
    {"55555", "55555"},
    {"-45", "-45"},
    {"0.0000000001234", "0"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
    {"0.9", "0"},
    {"-0.9", "-1"},
    {"1.0", "1"},
    {"-1.0", "-1"},
    {"1e-30", "0"},
    {"-1e-30", "-1"},
    {"99999999999999999999.5", "99999999999999999999"},
    {"-12.000", "-12"},
};

// select sign(a)
constexpr UnaryCase kSignCases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"0.5", "1"},
    {"-0.5", "-1"},
    {"1.5", "1"},
    {"2.5", "1"},
    {"-2.5", "-1"},
    {"0.4999", "1"},
    {"123.456789", "1"},
    {"-123.456789", "-1"},
    {"999.9995", "1"},
    {"-999.9995", "-1"},
    {"99999.5", "1"},
    {"0.00049", "1"},
    {"0.0005", "1"},
    {"1234567.891", "1"},
    {"9999.9999", "1"},
    {"5e-7", "1"},
    {"-5e-7", "-1"},
    {"1e20", "1"},
    {"0.12345678901234567890", "1"},
    {"55555", "1"},
    {"-45", "-1"},
    {"0.0000000001234", "1"},
    {"NaN", "NaN"},
    {"Infinity", "1"},
    {"-Infinity", "-1"},
    {"0.9", "1"},
    {"-0.9", "-1"},
    {"1.0", "1"},
    {"-1.0", "-1"},
    {"1e-30", "1"},
    {"-1e-30", "-1"},
    {"99999999999999999999.5", "1"},
    {"-12.000", "-1"},
};

// select abs(a)
constexpr UnaryCase kAbsCases[] = {
    {"0", "0"},
    {"0.00", "0.00"},
    {"0.5", "0.5"},
    {"-0.5", "0.5"},
    {"1.5", "1.5"},
    {"2.5", "2.5"},
    {"-2.5", "2.5"},
    {"0.4999", "0.4999"},
    {"123.456789", "123.456789"},
    {"-123.456789", "123.456789"},
    {"999.9995", "999.9995"},
    {"-999.9995", "999.9995"},
    {"99999.5", "99999.5"},
    {"0.00049", "0.00049"},
    {"0.0005", "0.0005"},
    {"1234567.891", "1234567.891"},
    {"9999.9999", "9999.9999"},
    {"5e-7", "0.0000005"},
    {"-5e-7", "0.0000005"},
    {"1e20", "100000000000000000000"},
    {"0.12345678901234567890", "0.12345678901234567890"},
    {"55555", "55555"},
    {"-45", "45"},
    {"0.0000000001234", "0.0000000001234"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "Infinity"},
    {"0.9", "0.9"},
    {"-0.9", "0.9"},
    {"1.0", "1.0"},
    {"-1.0", "1.0"},
    {"1e-30", "0.000000000000000000000000000001"},
    {"-1e-30", "0.000000000000000000000000000001"},
    {"99999999999999999999.5", "99999999999999999999.5"},
    {"-12.000", "12.000"},
};

// select -a
constexpr UnaryCase kNegateCases[] = {
    {"0", "0"},
    {"0.00", "0.00"},
    {"0.5", "-0.5"},
    {"-0.5", "0.5"},
    {"1.5", "-1.5"},
    {"2.5", "-2.5"},
    {"-2.5", "2.5"},
    {"0.4999", "-0.4999"},
    {"123.456789", "-123.456789"},
    {"-123.456789", "123.456789"},
    {"999.9995", "-999.9995"},
    {"-999.9995", "999.9995"},
    {"99999.5", "-99999.5"},
    {"0.00049", "-0.00049"},
    {"0.0005", "-0.0005"},
    {"1234567.891", "-1234567.891"},
    {"9999.9999", "-9999.9999"},
    {"5e-7", "-0.0000005"},
    {"-5e-7", "0.0000005"},
    {"1e20", "-100000000000000000000"},
    {"0.12345678901234567890", "-0.12345678901234567890"},
    {"55555", "-55555"},
    {"-45", "45"},
    {"0.0000000001234", "-0.0000000001234"},
    {"NaN", "NaN"},
    {"Infinity", "-Infinity"},
    {"-Infinity", "Infinity"},
    {"0.9", "-0.9"},
    {"-0.9", "0.9"},
    {"1.0", "-1.0"},
    {"-1.0", "1.0"},
    {"1e-30", "-0.000000000000000000000000000001"},
    {"-1e-30", "0.000000000000000000000000000001"},
    {"99999999999999999999.5", "-99999999999999999999.5"},
    {"-12.000", "12.000"},
};

// select scale(a) (empty for NULL)
constexpr UnaryCase kScaleCases[] = {
    {"0", "0"},      {"0.00", "2"},        {"1.500", "3"},     {"100.0", "1"},  {"1e5", "0"},
    {"1.5e-5", "6"}, {"123.4560000", "7"}, {"-0.000100", "6"}, {"1e-20", "20"}, {"12.3456", "4"},
    {"NaN", ""},     {"Infinity", ""},     {"-Infinity", ""},
};

// select min_scale(a) (empty for NULL)
constexpr UnaryCase kMinScaleCases[] = {
    {"0", "0"},      {"0.00", "0"},        {"1.500", "1"},     {"100.0", "0"},  {"1e5", "0"},
    {"1.5e-5", "6"}, {"123.4560000", "3"}, {"-0.000100", "4"}, {"1e-20", "20"}, {"12.3456", "4"},
    {"NaN", ""},     {"Infinity", ""},     {"-Infinity", ""},
};

// select trim_scale(a) (empty for NULL)
constexpr UnaryCase kTrimScaleCases[] = {
    {"0", "0"},
    {"0.00", "0"},
    {"1.500", "1.5"},
    {"100.0", "100"},
    {"1e5", "100000"},
    {"1.5e-5", "0.000015"},
    {"123.4560000", "123.456"},
    {"-0.000100", "-0.0001"},
    {"1e-20", "0.00000000000000000001"},
    {"12.3456", "12.3456"},
    {"NaN", "NaN"},
    {"Infinity", "Infinity"},
    {"-Infinity", "-Infinity"},
};

// select a::numeric(precision, scale), declaration errors included
constexpr TypmodCase kTypmodCases[] = {
    {"123.456", 5, 2, "123.46"},
    {"123.455", 5, 2, "123.46"},
    {"123.454", 5, 2, "123.45"},
    {"999.995", 5, 2,
     "ERROR 22003 numeric field overflow | A field with precision 5, scale 2 must round to an ab"
     "solute value less than 10^3."},
    {"-999.995", 5, 2,
     "ERROR 22003 numeric field overflow | A field with precision 5, scale 2 must round to an ab"
     "solute value less than 10^3."},
    {"999.994", 5, 2, "999.99"},
    {"99999", 5, 0, "99999"},
    {"99999.5", 5, 0,
     "ERROR 22003 numeric field overflow | A field with precision 5, scale 0 must round to an ab"
     "solute value less than 10^5."},
    {"-99999.4", 5, 0, "-99999"},
    {"0.001", 2, 5,
     "ERROR 22003 numeric field overflow | A field with precision 2, scale 5 must round to an ab"
     "solute value less than 10^-3."},
    {"0.1", 2, 5,
     "ERROR 22003 numeric field overflow | A field with precision 2, scale 5 must round to an ab"
     "solute value less than 10^-3."},
    {"0.00001", 2, 5, "0.00001"},
    {"0.00099", 2, 5, "0.00099"},
    {"0.000994", 2, 5, "0.00099"},
    {"0.000995", 2, 5,
     "ERROR 22003 numeric field overflow | A field with precision 2, scale 5 must round to an ab"
     "solute value less than 10^-3."},
    {"Infinity", 5, 2,
     "ERROR 22003 numeric field overflow | A field with precision 5, scale 2 cannot hold an infi"
     "nite value."},
    {"-Infinity", 10, 0,
     "ERROR 22003 numeric field overflow | A field with precision 10, scale 0 cannot hold an inf"
     "inite value."},
    {"NaN", 5, 2, "NaN"},
    {"12345", 3, -2, "12300"},
    {"123456", 3, -2,
     "ERROR 22003 numeric field overflow | A field with precision 3, scale -2 must round to an a"
     "bsolute value less than 10^5."},
    {"99949", 3, -2, "99900"},
    {"99950", 3, -2,
     "ERROR 22003 numeric field overflow | A field with precision 3, scale -2 must round to an a"
     "bsolute value less than 10^5."},
    {"0.5", 1, 1, "0.5"},
    {"0.95", 1, 1,
     "ERROR 22003 numeric field overflow | A field with precision 1, scale 1 must round to an ab"
     "solute value less than 1."},
    {"9.5", 1, 0,
     "ERROR 22003 numeric field overflow | A field with precision 1, scale 0 must round to an ab"
     "solute value less than 10^1."},
    {"9.4", 1, 0, "9"},
    {"1", 1001, 0, "ERROR 22023 NUMERIC precision 1001 must be between 1 and 1000"},
    {"1", 0, 0, "ERROR 22023 NUMERIC precision 0 must be between 1 and 1000"},
    {"1", -1, 0, "ERROR 22023 NUMERIC precision -1 must be between 1 and 1000"},
    {"1", 5, 1001, "ERROR 22023 NUMERIC scale 1001 must be between -1000 and 1000"},
    {"1", 5, -1001, "ERROR 22023 NUMERIC scale -1001 must be between -1000 and 1000"},
    {"1", 5, 6,
     "ERROR 22003 numeric field overflow | A field with precision 5, scale 6 must round to an ab"
     "solute value less than 10^-1."},
    {"0", 5, 6, "0.000000"},
    {"-0.0000001", 3, 3, "0.000"},
    {"12345.678", 1000, 0, "12346"},
    {"5", 1, -1, "10"},
    {"50", 1, -1, "50"},
    {"-50", 1, -1, "-50"},
    {"1234.5678", 8, 4, "1234.5678"},
    {"1234.5678", 7, 4,
     "ERROR 22003 numeric field overflow | A field with precision 7, scale 4 must round to an ab"
     "solute value less than 10^3."},
    {"1234.5678", 7, 3, "1234.568"},
    {"0.99999", 4, 4,
     "ERROR 22003 numeric field overflow | A field with precision 4, scale 4 must round to an ab"
     "solute value less than 1."},
    {"0.99994", 4, 4, "0.9999"},
    {"10000", 4, 0,
     "ERROR 22003 numeric field overflow | A field with precision 4, scale 0 must round to an ab"
     "solute value less than 10^4."},
    {"9999.9", 4, 0,
     "ERROR 22003 numeric field overflow | A field with precision 4, scale 0 must round to an ab"
     "solute value less than 10^4."},
    {"1.5", 3, 2, "1.50"},
    {"0", 1, 0, "0"},
    {"-0.4", 1, 0, "0"},
    {"1e20", 21, 0, "100000000000000000000"},
    {"1e20", 20, 0,
     "ERROR 22003 numeric field overflow | A field with precision 20, scale 0 must round to an a"
     "bsolute value less than 10^20."},
    {"1e-20", 1, 1000,
     "ERROR 22003 numeric field overflow | A field with precision 1, scale 1000 must round to an"
     " absolute value less than 10^-999."},
    {"123", 3, 0, "123"},
    {"123", 3, 1,
     "ERROR 22003 numeric field overflow | A field with precision 3, scale 1 must round to an ab"
     "solute value less than 10^2."},
    {"12.34", 1000, -3, "0"},
    {"12345678901234567890", 20, 0, "12345678901234567890"},
    {"12345678901234567890", 19, 0,
     "ERROR 22003 numeric field overflow | A field with precision 19, scale 0 must round to an a"
     "bsolute value less than 10^19."},
};

TEST(NumericRoundingTest, Round) {
  ExpectScaled(kRoundCases, [](const Numeric& value, int scale) { return value.Round(scale); });
}

TEST(NumericRoundingTest, Trunc) {
  ExpectScaled(kTruncCases, [](const Numeric& value, int scale) -> Result<Numeric> {
    return value.Trunc(scale);
  });
}

TEST(NumericRoundingTest, CeilAndFloor) {
  ExpectUnary(kCeilCases, [](const Numeric& value) { return value.Ceil(); });
  ExpectUnary(kFloorCases, [](const Numeric& value) { return value.Floor(); });
}

TEST(NumericRoundingTest, SignAbsNegate) {
  ExpectUnary(kSignCases, [](const Numeric& value) -> Result<Numeric> { return value.Sign(); });
  ExpectUnary(kAbsCases, [](const Numeric& value) -> Result<Numeric> { return value.Abs(); });
  ExpectUnary(kNegateCases, [](const Numeric& value) -> Result<Numeric> { return value.Negate(); });
}

TEST(NumericRoundingTest, ScaleFunctions) {
  for (const UnaryCase& row : kScaleCases) {
    Numeric value = N(row.input);
    EXPECT_EQ(value.IsFinite() ? std::to_string(value.scale()) : "", row.expected) << row.input;
  }
  for (const UnaryCase& row : kMinScaleCases) {
    Numeric value = N(row.input);
    EXPECT_EQ(value.IsFinite() ? std::to_string(value.MinScale()) : "", row.expected) << row.input;
  }
  ExpectUnary(kTrimScaleCases,
              [](const Numeric& value) -> Result<Numeric> { return value.TrimScale(); });
}

TEST(NumericRoundingTest, Typmod) {
  for (const TypmodCase& row : kTypmodCases) {
    Status valid = Numeric::ValidateTypmod(row.precision, row.scale);
    std::string result = valid.ok() ? Render(N(row.input).ApplyTypmod(row.precision, row.scale))
                                    : numeric_test::RenderStatus(valid);
    EXPECT_EQ(result, row.expected)
        << row.input << "::numeric(" << row.precision << ", " << row.scale << ")";
  }
}

// Scales far outside the format are clamped rather than failing or overflowing.
TEST(NumericRoundingTest, ExtremeScales) {
  Numeric value = N("1.23456");
  EXPECT_EQ(Render(value.Round(INT32_MIN)), "0");
  EXPECT_EQ(value.Trunc(INT32_MIN).ToString(), "0");
  Result<Numeric> rounded = value.Round(INT32_MAX);
  ASSERT_TRUE(rounded.ok());
  EXPECT_EQ(rounded->scale(), 16383);
  EXPECT_EQ(value.Trunc(INT32_MAX).scale(), 16383);
  // Rounding up past the largest weight overflows; rounding down does not.
  EXPECT_EQ(Render(N("5e131071").Round(-131072)), "ERROR 22003 value overflows numeric format");
  EXPECT_EQ(Render(N("4.9e131071").Round(-131072)), "0");
}

}  // namespace
}  // namespace plexus::sql
