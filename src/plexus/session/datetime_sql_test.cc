// SQL end to end for date, time, timestamp, timestamptz and interval: columns, ordering, keys,
// arithmetic, functions and input errors. Expected values are PostgreSQL 15's output with
// SET TimeZone='UTC' (the session zone Plexus uses until it has settings).
#include <gtest/gtest.h>

#include "plexus/session/session.h"
#include "plexus/session/session_test_util.h"

namespace plexus::session {
namespace {

class DateTimeSqlTest : public SessionTestBase {
 protected:
  // The table every column test uses: one row per interesting value, and a row of NULLs.
  void CreateEvents() {
    Run("CREATE TABLE ev (id int PRIMARY KEY, d date, t time, ts timestamp, tz timestamptz, "
        "iv interval)");
    Run("INSERT INTO ev VALUES (1, '2024-01-02', '03:04:05.5', '2024-01-02 03:04:05', "
        "'2024-01-02 03:04:05+02', '1 day 02:00:00')");
    Run("INSERT INTO ev VALUES (2, '1999-12-31', '23:59:59', '1999-12-31 23:59:59.999999', "
        "'1999-12-31 23:59:59-05', '1 mon')");
    Run("INSERT INTO ev VALUES (3, 'infinity', '00:00', '-infinity', 'infinity', '-3 hours')");
    Run("INSERT INTO ev VALUES (4, '0044-03-15 BC', '24:00', 'Jan 5 2024 4:05pm', 'epoch', "
        "'30 days')");
    Run("INSERT INTO ev VALUES (5, NULL, NULL, NULL, NULL, NULL)");
  }
};

TEST_F(DateTimeSqlTest, ColumnsStoreAndPrintEachType) {
  CreateEvents();
  EXPECT_EQ(Query("SELECT id, d, t, ts, tz, iv FROM ev ORDER BY id"),
            (Rows{"1|2024-01-02|03:04:05.5|2024-01-02 03:04:05|2024-01-02 01:04:05+00|"
                  "1 day 02:00:00",
                  "2|1999-12-31|23:59:59|1999-12-31 23:59:59.999999|2000-01-01 04:59:59+00|1 mon",
                  "3|infinity|00:00:00|-infinity|infinity|-03:00:00",
                  "4|0044-03-15 BC|24:00:00|2024-01-05 16:05:00|1970-01-01 00:00:00+00|30 days",
                  "5|NULL|NULL|NULL|NULL|NULL"}));
  EXPECT_EQ(sink_.columns_.size(), 6u);
}

TEST_F(DateTimeSqlTest, OrderByWhereAndGroupBy) {
  CreateEvents();
  EXPECT_EQ(Query("SELECT id FROM ev ORDER BY d, id"), (Rows{"4", "2", "1", "3", "5"}));
  EXPECT_EQ(Query("SELECT id FROM ev ORDER BY ts DESC, id"), (Rows{"5", "4", "1", "2", "3"}));
  // Intervals order by normalized value: '1 mon' and '30 days' tie.
  EXPECT_EQ(Query("SELECT id FROM ev ORDER BY iv, id"), (Rows{"3", "1", "2", "4", "5"}));
  EXPECT_EQ(Query("SELECT id FROM ev WHERE d > '2000-01-01' ORDER BY id"), (Rows{"1", "3"}));
  EXPECT_EQ(Query("SELECT id FROM ev WHERE ts <= '2024-01-02 03:04:05' ORDER BY id"),
            (Rows{"1", "2", "3"}));
  EXPECT_EQ(Query("SELECT id FROM ev WHERE tz = '2024-01-02 01:04:05+00' ORDER BY id"),
            (Rows{"1"}));
  EXPECT_EQ(Query("SELECT id FROM ev WHERE iv = '1 mon' ORDER BY id"), (Rows{"2", "4"}));
  EXPECT_EQ(Query("SELECT id FROM ev WHERE t BETWEEN '03:00' AND '23:59:59' ORDER BY id"),
            (Rows{"1", "2"}));
  // Grouping keys: '1 mon' and '30 days' are one group, as in PostgreSQL.
  EXPECT_EQ(Query("SELECT count(*) FROM ev GROUP BY iv ORDER BY iv"), (Rows{"1", "1", "2", "1"}));
  EXPECT_EQ(Query("SELECT d, count(*) FROM ev GROUP BY d ORDER BY d"),
            (Rows{"0044-03-15 BC|1", "1999-12-31|1", "2024-01-02|1", "infinity|1", "NULL|1"}));
}

TEST_F(DateTimeSqlTest, TemporalKeys) {
  Run("CREATE TABLE k (d date PRIMARY KEY, v int)");
  Run("INSERT INTO k VALUES ('2024-01-02', 1), ('1999-12-31', 2), ('-infinity', 3)");
  EXPECT_EQ(Query("SELECT d, v FROM k"), (Rows{"-infinity|3", "1999-12-31|2", "2024-01-02|1"}));
  EXPECT_EQ(Error("INSERT INTO k VALUES ('Jan 2 2024', 4)").substr(0, 5), "23505");
  Run("CREATE TABLE ki (iv interval PRIMARY KEY)");
  Run("INSERT INTO ki VALUES ('1 day'), ('-1 hour'), ('1 year')");
  EXPECT_EQ(Query("SELECT iv FROM ki"), (Rows{"-01:00:00", "1 day", "1 year"}));
  // '24 hours' equals '1 day' (normalized), so the key is taken.
  EXPECT_EQ(Error("INSERT INTO ki VALUES ('24 hours')").substr(0, 5), "23505");
}

TEST_F(DateTimeSqlTest, DateArithmetic) {
  EXPECT_EQ(Query("SELECT date '2024-02-28' + 1, date '2024-03-01' - 1, "
                  "date '2024-03-01' - date '2023-03-01', 7 + date '2024-01-01'"),
            (Rows{"2024-02-29|2024-02-29|366|2024-01-08"}));
  EXPECT_EQ(Query("SELECT date '2024-01-31' + interval '1 month', "
                  "date '2024-01-01' - interval '1 hour', date '2024-01-01' + time '10:30'"),
            (Rows{"2024-02-29 00:00:00|2023-12-31 23:00:00|2024-01-01 10:30:00"}));
  EXPECT_EQ(Error("SELECT date '2024-01-01' + 2147483647"), "22008 date out of range");
  EXPECT_EQ(Error("SELECT 'infinity'::date - date '2024-01-01'"),
            "22008 cannot subtract infinite dates");
}

TEST_F(DateTimeSqlTest, TimestampAndIntervalArithmetic) {
  EXPECT_EQ(Query("SELECT timestamp '2024-01-31 10:00' + interval '1 mon 1 day 1 hour', "
                  "timestamp '2024-03-31' - interval '1 month'"),
            (Rows{"2024-03-01 11:00:00|2024-02-29 00:00:00"}));
  EXPECT_EQ(Query("SELECT timestamptz '2024-01-01 00:00+00' + interval '36 hours', "
                  "timestamptz '2024-01-01 00:00+00' - interval '1 day'"),
            (Rows{"2024-01-02 12:00:00+00|2023-12-31 00:00:00+00"}));
  EXPECT_EQ(Query("SELECT timestamp '2024-03-01 12:00' - timestamp '2024-01-01', "
                  "timestamptz '2024-01-02' - timestamptz '2024-01-01 06:00'"),
            (Rows{"60 days 12:00:00|18:00:00"}));
  EXPECT_EQ(Query("SELECT interval '1 day' + interval '2 hours', "
                  "interval '1 mon' - interval '1 day', - interval '1 day 2 hours'"),
            (Rows{"1 day 02:00:00|1 mon -1 days|-1 days -02:00:00"}));
  EXPECT_EQ(Query("SELECT interval '1 hour' * CAST('2.5' AS float8), interval '1 day' / 4, "
                  "3 * interval '1 mon'"),
            (Rows{"02:30:00|06:00:00|3 mons"}));
  EXPECT_EQ(Query("SELECT time '23:00' + interval '2 hours', time '01:00' - interval '2 hours', "
                  "time '12:00' - time '10:30:15'"),
            (Rows{"01:00:00|23:00:00|01:29:45"}));
}

TEST_F(DateTimeSqlTest, Comparisons) {
  EXPECT_EQ(
      Query("SELECT interval '1 mon' = interval '30 days', "
            "interval '1 day' < interval '25 hours', interval '1 year' > interval '360 days', "
            "interval '2 hours' <> interval '120 minutes'"),
      (Rows{"t|t|f|f"}));
  EXPECT_EQ(Query("SELECT date '2024-01-01' < date '2024-01-02', time '10:00' >= time '10:00', "
                  "timestamp '2024-01-01' = timestamp '2024-01-01 00:00:00'"),
            (Rows{"t|t|t"}));
}

TEST_F(DateTimeSqlTest, Casts) {
  EXPECT_EQ(Query("SELECT '2024-01-02 03:04:05'::timestamp::date, "
                  "'2024-01-02 03:04:05.678'::timestamp::time, date '2024-01-02'::timestamp, "
                  "date '2024-01-02'::timestamptz, timestamp '2024-01-02 03:04'::timestamptz, "
                  "timestamptz '2024-01-02 03:04+05'::timestamp"),
            (Rows{"2024-01-02|03:04:05.678|2024-01-02 00:00:00|2024-01-02 00:00:00+00|"
                  "2024-01-02 03:04:00+00|2024-01-01 22:04:00"}));
  EXPECT_EQ(Query("SELECT time '01:02:03'::interval, interval '1 day 03:04:05'::time, "
                  "interval '1 day 2 hours'::text, date '2024-01-02'::text"),
            (Rows{"01:02:03|03:04:05|1 day 02:00:00|2024-01-02"}));
  EXPECT_EQ(Query("SELECT '2024-01-01 12:34:56.789'::timestamp(1), '12:34:56.789'::time(2), "
                  "'2024-01-01 12:34:56.5'::timestamp(0)"),
            (Rows{"2024-01-01 12:34:56.8|12:34:56.79|2024-01-01 12:34:57"}));
  EXPECT_EQ(Query("SELECT 'infinity'::timestamp::time IS NULL, '-infinity'::date::timestamp"),
            (Rows{"t|-infinity"}));
}

TEST_F(DateTimeSqlTest, InputErrors) {
  EXPECT_EQ(Error("SELECT '2024-13-01'::date"),
            "22008 date/time field value out of range: \"2024-13-01\"");
  EXPECT_EQ(Error("SELECT 'abc'::timestamp"),
            "22007 invalid input syntax for type timestamp: \"abc\"");
  EXPECT_EQ(Error("SELECT '2024-02-30'::date"),
            "22008 date/time field value out of range: \"2024-02-30\"");
  EXPECT_EQ(Error("SELECT '25:00'::time"), "22008 date/time field value out of range: \"25:00\"");
  EXPECT_EQ(Error("SELECT 'xyz'::interval"),
            "22007 invalid input syntax for type interval: \"xyz\"");
  Run("CREATE TABLE e (d date)");
  EXPECT_EQ(Error("INSERT INTO e VALUES ('not a date')"),
            "22007 invalid input syntax for type date: \"not a date\"");
}

TEST_F(DateTimeSqlTest, TruncateAndParts) {
  EXPECT_EQ(Query("SELECT date_trunc('month', timestamp '2024-02-15 10:20:30'), "
                  "date_trunc('hour', timestamptz '2024-02-15 10:20:30+00'), "
                  "date_trunc('week', timestamp '2024-02-15'), "
                  "date_trunc('year', interval '1 year 5 mons 3 days'), "
                  "date_trunc('month', date '2024-02-15')"),
            (Rows{"2024-02-01 00:00:00|2024-02-15 10:00:00+00|2024-02-12 00:00:00|1 year|"
                  "2024-02-01 00:00:00+00"}));
  EXPECT_EQ(Query("SELECT date_part('year', timestamp '2024-02-15 10:20:30'), "
                  "date_part('epoch', timestamptz '2024-02-15 10:20:30+00'), "
                  "date_part('dow', date '2024-02-15'), "
                  "date_part('hour', interval '1 day 05:06:07'), "
                  "date_part('second', time '10:20:30.5')"),
            (Rows{"2024|1707992430|4|5|30.5"}));
  EXPECT_EQ(Error("SELECT date_trunc('fortnight', timestamp '2024-01-01')"),
            "22023 unit \"fortnight\" not recognized for type timestamp without time zone");
}

TEST_F(DateTimeSqlTest, ExtractReturnsNumeric) {
  EXPECT_EQ(Query("SELECT extract(year from timestamp '2024-02-15 10:20:30'), "
                  "extract(epoch from timestamp '2024-02-15 10:20:30.25'), "
                  "extract(doy from date '2024-02-15'), extract(minute from time '10:20:30'), "
                  "extract(day from interval '3 days 4 hours')"),
            (Rows{"2024|1707992430.250000|46|20|3"}));
  EXPECT_EQ(Query("SELECT extract(dow from timestamp 'infinity'), "
                  "extract(epoch from timestamp 'infinity')"),
            (Rows{"NULL|Infinity"}));
}

TEST_F(DateTimeSqlTest, AgeJustifyAndConstructors) {
  EXPECT_EQ(Query("SELECT age(timestamp '2024-03-01', timestamp '2023-01-15 10:00'), "
                  "age(timestamptz '2024-03-01 00:00+00', timestamptz '2024-02-01 12:00+00')"),
            (Rows{"1 year 1 mon 16 days 14:00:00|28 days 12:00:00"}));
  EXPECT_EQ(Query("SELECT justify_days(interval '65 days'), justify_hours(interval '50 hours'), "
                  "justify_interval(interval '1 mon -1 hour')"),
            (Rows{"2 mons 5 days|2 days 02:00:00|29 days 23:00:00"}));
  EXPECT_EQ(Query("SELECT make_date(2024, 2, 29), make_time(13, 14, 15), "
                  "make_timestamp(2024, 1, 2, 3, 4, 5), make_interval(1, 2, 3, 4, 5, 6, 7), "
                  "make_interval(0, 0, 0, 10), make_interval(1)"),
            (Rows{"2024-02-29|13:14:15|2024-01-02 03:04:05|1 year 2 mons 25 days 05:06:07|"
                  "10 days|1 year"}));
  EXPECT_EQ(Query("SELECT to_timestamp(0), to_timestamp(1700000000)"),
            (Rows{"1970-01-01 00:00:00+00|2023-11-14 22:13:20+00"}));
}

TEST_F(DateTimeSqlTest, CurrentTimeFunctions) {
  // The values change; their relations and types do not.
  EXPECT_EQ(Query("SELECT now() <= now() + interval '1 second', "
                  "CURRENT_DATE <= CURRENT_DATE + 1, "
                  "CURRENT_TIMESTAMP >= timestamptz '2024-01-01', "
                  "LOCALTIMESTAMP > timestamp '2024-01-01', "
                  "CURRENT_TIMESTAMP(0) >= timestamptz '2024-01-01'"),
            (Rows{"t|t|t|t|t"}));
  EXPECT_EQ(Query("SELECT date_part('microseconds', CURRENT_TIMESTAMP(0)) = "
                  "1000000 * date_part('second', CURRENT_TIMESTAMP(0))"),
            (Rows{"t"}));
  EXPECT_EQ(Query("SELECT 'today'::date = CURRENT_DATE, 'now'::timestamptz <= now()"),
            (Rows{"t|t"}));
}

}  // namespace
}  // namespace plexus::session
