// numeric as a SQL type end to end through a session: literals, casts and typmods, operators,
// functions, aggregates, ordering, grouping and keys. Every expected value is PostgreSQL 15's
// output for the same statement.
#include <gtest/gtest.h>

#include "plexus/session/session.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class NumericSqlTest : public SessionTestBase {};

TEST_F(NumericSqlTest, Literals) {
  EXPECT_EQ(Query("SELECT 1.50::numeric(10,2), 10/4.0, 1.5 + 1, 1.50 * 2, 2.5 * 2, 7.0 / 3, "
                  "7.5 % 2, -1.5"),
            (Rows{"1.50|2.5000000000000000|2.5|3.00|5.0|2.3333333333333333|1.5|-1.5"}));
  EXPECT_EQ(Query("SELECT 1e3, 1.5e-3, 12345678901234567890, -12345678901234567890, .5, 0.000"),
            (Rows{"1000|0.0015|12345678901234567890|-12345678901234567890|0.5|0.000"}));
  EXPECT_EQ(Query("SELECT 1 / 3.0, 2.0 / 3, 1.0 / 7, 100.0 / 3, 1 / 1.0, 0.0001 / 3"),
            (Rows{"0.33333333333333333333|0.66666666666666666667|0.14285714285714285714|"
                  "33.3333333333333333|1.00000000000000000000|0.000033333333333333333333"}));
}

TEST_F(NumericSqlTest, Comparisons) {
  EXPECT_EQ(Query("SELECT 0.1 + 0.2 = 0.3, 1.0 = 1.00, 1.5 > 1, 2 < 2.5, 1.5 <> 1.50, 2 >= 2.0, "
                  "3 <= 2.9"),
            (Rows{"t|t|t|t|f|t|f"}));
  EXPECT_EQ(Query("SELECT 'NaN'::numeric + 1, 'Infinity'::numeric - 'Infinity'::numeric, "
                  "'NaN'::numeric = 'NaN'::numeric, 'NaN'::numeric > 'Infinity'::numeric"),
            (Rows{"NaN|NaN|t|t"}));
  EXPECT_EQ(Query("SELECT 1.5 IN (1.50, 2), 2 BETWEEN 1.5 AND 2.5, 1.5 IS NULL"), (Rows{"t|t|f"}));
  EXPECT_EQ(Query("SELECT CASE WHEN 1 > 0 THEN 1.5 ELSE 2 END, COALESCE(NULL, 2.50), "
                  "NULLIF(1.0, 1.00)"),
            (Rows{"1.5|2.50|NULL"}));
}

TEST_F(NumericSqlTest, Functions) {
  EXPECT_EQ(Query("SELECT round(2.5), round(-2.5), round(2.345, 2), round(1234.5, -2), "
                  "trunc(2.789, 1), trunc(-2.7), trunc(2.789)"),
            (Rows{"3|-3|2.35|1200|2.7|-2|2"}));
  EXPECT_EQ(Query("SELECT ceil(1.2), ceiling(-1.2), floor(-1.2), sign(-3.5), sign(0.0), "
                  "abs(-3.50), -(-2.50)"),
            (Rows{"2|-1|-2|-1|0|3.50|2.50"}));
  EXPECT_EQ(Query("SELECT sqrt(2.0), exp(1.0), ln(2.0), log(100.0), log(2.0, 8.0), "
                  "power(2.0, 10), power(2, 0.5), pow(1.5, 2)"),
            (Rows{"1.414213562373095|2.7182818284590452|0.6931471805599453|2.0000000000000000|"
                  "3.0000000000000000|1024.0000000000000000|1.4142135623730950|"
                  "2.2500000000000000"}));
  EXPECT_EQ(Query("SELECT div(7.5, 2), mod(7.5, 2), mod(-7.5, 2), 9 % 2.5, div(-7, 2.0)"),
            (Rows{"3|1.5|-1.5|1.5|-3"}));
  EXPECT_EQ(Query("SELECT abs(NULL::numeric), round(NULL::numeric, 2), NULL::numeric + 1"),
            (Rows{"NULL|NULL|NULL"}));
}

// An integer argument picks the double precision overload, as PostgreSQL's preferred type rule.
TEST_F(NumericSqlTest, DoublePrecisionFunctions) {
  EXPECT_EQ(Query("SELECT sqrt(2), round(2.5::float8), round(3.5::float8), trunc(-2.7::float8), "
                  "ceil(1.2::float8), floor(-1.2::float8), sign(-2::float8)"),
            (Rows{"1.4142135623730951|2|4|-2|2|-2|-1"}));
  EXPECT_EQ(Query("SELECT exp(1), ln(2), log(1000), power(2, 10), pow(2.0::float8, 3), round(5), "
                  "sqrt(16)"),
            (Rows{"2.718281828459045|0.6931471805599453|3|1024|8|5|4"}));
  EXPECT_EQ(Error("SELECT sqrt(-1::float8)"), "2201F cannot take square root of a negative number");
}

TEST_F(NumericSqlTest, Casts) {
  EXPECT_EQ(Query("SELECT '1.50'::numeric, ' -0.0010 '::numeric, 'NaN'::numeric, "
                  "'Infinity'::numeric, '-inf'::numeric"),
            (Rows{"1.50|-0.0010|NaN|Infinity|-Infinity"}));
  EXPECT_EQ(Query("SELECT 2.5::integer, 3.5::int, (-2.5)::int, 2.5::smallint, 2.5::bigint, "
                  "1.5::float8, 1.5::real"),
            (Rows{"3|4|-3|3|3|1.5|1.5"}));
  EXPECT_EQ(Query("SELECT 12::numeric(5,2), 1.005::numeric(5,2), 123.456::numeric(5,-1), "
                  "0.5::numeric(1,0), '99.995'::numeric(5,2)"),
            (Rows{"12.00|1.01|120|1|100.00"}));
  EXPECT_EQ(Query("SELECT CAST(1.5 AS text), 1.50::text || 'x', CAST(2.50 AS varchar), "
                  "0.1::float8::numeric, 3.14159::real::numeric"),
            (Rows{"1.5|1.50x|2.50|0.1|3.14159"}));
  EXPECT_EQ(Query("SELECT 1.5 + 1::float8, 1.5 = 1.5::float8, 1 + 2.0, 2::bigint * 1.5, "
                  "1::smallint - 0.5"),
            (Rows{"2.5|t|3.0|3.0|0.5"}));
}

TEST_F(NumericSqlTest, Errors) {
  EXPECT_EQ(Error("SELECT 'abc'::numeric"), "22P02 invalid input syntax for type numeric: \"abc\"");
  EXPECT_EQ(Error("SELECT 123.456::numeric(4,2)"), "22003 numeric field overflow");
  EXPECT_EQ(ErrorDetail("SELECT 123.456::numeric(4,2)"),
            "A field with precision 4, scale 2 must round to an absolute value less than 10^2.");
  EXPECT_EQ(ErrorDetail("SELECT 'Infinity'::numeric::numeric(5,2)"),
            "A field with precision 5, scale 2 cannot hold an infinite value.");
  EXPECT_EQ(Error("SELECT 1/0.0"), "22012 division by zero");
  EXPECT_EQ(Error("SELECT 5 % 0.0"), "22012 division by zero");
  EXPECT_EQ(Error("SELECT 'NaN'::numeric::int"), "0A000 cannot convert NaN to integer");
  EXPECT_EQ(Error("SELECT 1e10::int"), "22003 integer out of range");
  EXPECT_EQ(Error("SELECT sqrt(-1.0)"), "2201F cannot take square root of a negative number");
  EXPECT_EQ(Error("SELECT ln(0.0)"), "2201E cannot take logarithm of zero");
  // PostgreSQL's code is 42846 (cannot coerce); the message is the same.
  EXPECT_EQ(Error("SELECT 1.5::boolean").substr(6), "cannot cast type numeric to boolean");
}

TEST_F(NumericSqlTest, ColumnsWithTypmod) {
  Run("CREATE TABLE t (id int, x numeric(10,2), y numeric)");
  Run("INSERT INTO t VALUES (1, 1.5, 1.5), (2, 2.345, 10), (3, NULL, -0.5), (4, 1.50, 1.50), "
      "(5, -0.005, 100.125)");
  EXPECT_EQ(Query("SELECT id, x, y FROM t ORDER BY id"),
            (Rows{"1|1.50|1.5", "2|2.35|10", "3|NULL|-0.5", "4|1.50|1.50", "5|-0.01|100.125"}));
  EXPECT_EQ(Query("SELECT id FROM t ORDER BY y, id"), (Rows{"3", "1", "4", "2", "5"}));
  EXPECT_EQ(Query("SELECT id, x FROM t ORDER BY x DESC, id"),
            (Rows{"3|NULL", "2|2.35", "1|1.50", "4|1.50", "5|-0.01"}));
  EXPECT_EQ(Query("SELECT id FROM t WHERE y = 1.5 ORDER BY id"), (Rows{"1", "4"}));
  EXPECT_EQ(Query("SELECT id FROM t WHERE x > 1.5 ORDER BY id"), (Rows{"2"}));
  EXPECT_EQ(Query("SELECT x * y, x + y, y / 4 FROM t ORDER BY id"),
            (Rows{"2.250|3.00|0.37500000000000000000", "23.50|12.35|2.5000000000000000",
                  "NULL|NULL|-0.12500000000000000000", "2.2500|3.00|0.37500000000000000000",
                  "-1.00125|100.115|25.0312500000000000"}));
  EXPECT_EQ(Error("INSERT INTO t VALUES (6, 123456789.123, 0)"), "22003 numeric field overflow");
  EXPECT_EQ(ErrorDetail("INSERT INTO t VALUES (6, 123456789.123, 0)"),
            "A field with precision 10, scale 2 must round to an absolute value less than 10^8.");
  Run("UPDATE t SET x = x * 2 WHERE id = 1");
  EXPECT_EQ(Query("SELECT x FROM t WHERE id = 1"), (Rows{"3.00"}));
  Run("INSERT INTO t (id, x) VALUES (7, '3.14159')");
  EXPECT_EQ(Query("SELECT x FROM t WHERE id = 7"), (Rows{"3.14"}));
  Run("INSERT INTO t (id, x) VALUES (8, 7)");
  EXPECT_EQ(Query("SELECT x, round(x), round(x, 1), trunc(y, -1) FROM t WHERE id IN (2, 5, 8) "
                  "ORDER BY id"),
            (Rows{"2.35|2|2.4|10", "-0.01|0|0.0|100", "7.00|7|7.0|NULL"}));
}

TEST_F(NumericSqlTest, AggregatesOverNumeric) {
  Run("CREATE TABLE t (id int, x numeric(10,2), y numeric)");
  Run("INSERT INTO t VALUES (1, 1.5, 1.5), (2, 2.345, 10), (3, NULL, -0.5), (4, 1.50, 1.50), "
      "(5, -0.005, 100.125)");
  EXPECT_EQ(Query("SELECT sum(x), avg(x), min(x), max(x), count(x) FROM t"),
            (Rows{"5.34|1.3350000000000000|-0.01|2.35|4"}));
  EXPECT_EQ(Query("SELECT sum(y), avg(y), min(y), max(y) FROM t"),
            (Rows{"112.625|22.5250000000000000|-0.5|100.125"}));
  // 1.5 and 1.50 are one value for DISTINCT and GROUP BY.
  EXPECT_EQ(Query("SELECT count(DISTINCT y), count(DISTINCT x) FROM t"), (Rows{"4|3"}));
  EXPECT_EQ(Query("SELECT y, count(*) FROM t WHERE id <> 1 GROUP BY y ORDER BY y"),
            (Rows{"-0.5|1", "1.50|1", "10|1", "100.125|1"}));
  EXPECT_EQ(Query("SELECT count(*) FROM t GROUP BY y ORDER BY 1"), (Rows{"1", "1", "1", "2"}));
  EXPECT_EQ(Query("SELECT avg(x), sum(x) FROM (VALUES (1.5), (2.25), (NULL)) v(x)"),
            (Rows{"1.8750000000000000|3.75"}));
}

TEST_F(NumericSqlTest, AggregatesOverIntegersAndFloats) {
  Run("CREATE TABLE n (a int, b bigint, c smallint, d float8, e real)");
  Run("INSERT INTO n VALUES (1, 9223372036854775807, 1, 1.5, 1.5), "
      "(2, 9223372036854775807, 2, 2.5, 2.5), (2, 1, 4, NULL, NULL)");
  EXPECT_EQ(Query("SELECT sum(a), sum(b), sum(c), sum(d), sum(e) FROM n"),
            (Rows{"5|18446744073709551615|7|4|4"}));
  EXPECT_EQ(Query("SELECT avg(a), avg(b), avg(c), avg(d), avg(e) FROM n"),
            (Rows{"1.6666666666666667|6148914691236517205|2.3333333333333333|2|2"}));
  EXPECT_EQ(Query("SELECT a, avg(c), sum(c) FROM n GROUP BY a ORDER BY a"),
            (Rows{"1|1.00000000000000000000|1", "2|3.0000000000000000|6"}));
  EXPECT_EQ(Query("SELECT avg(a) FROM n WHERE a > 100"), (Rows{"NULL"}));
  EXPECT_EQ(Query("SELECT min(b), max(a) FROM n"), (Rows{"1|2"}));
  EXPECT_EQ(Query("SELECT avg(x) FROM (VALUES (1), (2)) v(x)"), (Rows{"1.5000000000000000"}));
}

TEST_F(NumericSqlTest, PrimaryKeyAndOrder) {
  Run("CREATE TABLE p (k numeric PRIMARY KEY, v int)");
  Run("INSERT INTO p VALUES (10, 1), (9.5, 2), (-1, 3), (100, 4), (0.001, 5)");
  EXPECT_EQ(Query("SELECT k FROM p ORDER BY k"), (Rows{"-1", "0.001", "9.5", "10", "100"}));
  EXPECT_EQ(Query("SELECT k FROM p ORDER BY k DESC LIMIT 2"), (Rows{"100", "10"}));
  Run("INSERT INTO p VALUES (1.0, 6)");
  // 1.00 equals 1.0, so it is the same key.
  EXPECT_EQ(Error("INSERT INTO p VALUES (1.00, 7)").substr(0, 5), "23505");
  EXPECT_EQ(Query("SELECT v FROM p WHERE k = 1"), (Rows{"6"}));
  EXPECT_EQ(Query("SELECT min(k), max(k), sum(k), avg(k) FROM p"),
            (Rows{"-1|100|119.501|19.9168333333333333"}));
}

}  // namespace
}  // namespace plexus::session
