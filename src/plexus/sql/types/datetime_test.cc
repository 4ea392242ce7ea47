// The calendar (Julian day numbers), field conversions and the order-preserving
// keys of the date/time types.
#include "plexus/sql/types/datetime.h"

#include <gtest/gtest.h>

#include <vector>

namespace plexus::sql {
namespace {

TEST(DateCalendarTest, JulianRoundTripsOverTheWholeRange) {
  for (int32_t julian = 0; julian < kDateEndJulian - 1000000; julian += 99991) {
    int year = 0, month = 0, day = 0;
    JulianToDate(julian, &year, &month, &day);
    EXPECT_EQ(DateToJulian(year, month, day), julian);
  }
  EXPECT_EQ(DateToJulian(2000, 1, 1), kPostgresEpochJulian);
  EXPECT_EQ(DateToJulian(1970, 1, 1), kUnixEpochJulian);
  EXPECT_EQ(DateToJulian(-4713, 11, 24), 0);
  int year = 0, month = 0, day = 0;
  JulianToDate(-1, &year, &month, &day);  // local times just before day 0
  EXPECT_EQ(year, -4713);
  EXPECT_EQ(month, 11);
  EXPECT_EQ(day, 23);
}

TEST(DateCalendarTest, LeapYearsAndWeekdays) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_TRUE(IsLeapYear(0));  // 1 BC
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(JulianDayOfWeek(DateToJulian(2024, 1, 1)), 1);  // Monday
  EXPECT_EQ(JulianDayOfWeek(DateToJulian(2000, 1, 1)), 6);  // Saturday
}

TEST(DateCalendarTest, TimestampFieldsRoundTrip) {
  DateTimeFields fields{2024, 2, 29, 23, 59, 59, 999999};
  Timestamp value;
  ASSERT_TRUE(FieldsToTimestamp(fields, &value));
  DateTimeFields back;
  ASSERT_TRUE(TimestampToFields(value, &back));
  EXPECT_EQ(back.year, 2024);
  EXPECT_EQ(back.day, 29);
  EXPECT_EQ(back.micros, 999999);
  DateTimeFields too_late{294277, 1, 1};
  EXPECT_FALSE(FieldsToTimestamp(too_late, &value));
  DateTimeFields too_early{-4713, 11, 23};
  EXPECT_FALSE(FieldsToTimestamp(too_early, &value));
}

template <typename T>
void ExpectKeysSorted(const std::vector<T> &values) {
  for (size_t i = 1; i < values.size(); ++i) {
    std::string lower, upper;
    AppendKey(&lower, values[i - 1]);
    AppendKey(&upper, values[i]);
    EXPECT_LT(values[i - 1], values[i]);
    EXPECT_LT(lower, upper) << i;
  }
}

TEST(DateKeyTest, KeysSortLikeValues) {
  ExpectKeysSorted<Date>({Date{kDateNegativeInfinity}, Date{-2451545}, Date{-1}, Date{0}, Date{1},
                          Date{256}, Date{2147483493 - 2451545}, Date{kDatePositiveInfinity}});
  ExpectKeysSorted<Timestamp>({Timestamp{kTimestampNegativeInfinity},
                               Timestamp{kTimestampMinMicros}, Timestamp{-1}, Timestamp{0},
                               Timestamp{1}, Timestamp{1 << 20}, Timestamp{kTimestampEndMicros - 1},
                               Timestamp{kTimestampPositiveInfinity}});
  ExpectKeysSorted<Time>({Time{0}, Time{1}, Time{kMicrosPerDay}});
  ExpectKeysSorted<TimestampTz>({TimestampTz{-5}, TimestampTz{5}});
}

TEST(DateKeyTest, KeysDecode) {
  std::string key;
  AppendKey(&key, Date{-12345});
  AppendKey(&key, Timestamp{-987654321});
  EXPECT_EQ(key.size(), 12u);
  std::string_view input = key;
  Result<Date> date = DecodeDateKey(&input);
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(date->days, -12345);
  Result<int64_t> micros = DecodeInt64Key(&input);
  ASSERT_TRUE(micros.ok());
  EXPECT_EQ(*micros, -987654321);
  EXPECT_TRUE(input.empty());
  EXPECT_TRUE(DecodeInt64Key(&input).status().IsCorruption());
  std::string_view short_key = "\x80\x00";
  EXPECT_TRUE(DecodeDateKey(&short_key).status().IsCorruption());
}

}  // namespace
}  // namespace plexus::sql
