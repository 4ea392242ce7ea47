// TimeZone: name resolution as PostgreSQL's SET TIME ZONE and pg_tzset, DST
// transitions read from the system tz database and from POSIX footers (far
// future), TZif parsing failures. Expected local times were printed by
// PostgreSQL 15.
#include "plexus/sql/types/timezone.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "plexus/sql/types/datetime_input.h"
#include "plexus/sql/types/datetime_output.h"

namespace plexus::sql {
namespace {

std::shared_ptr<const TimeZone> Zone(std::string_view setting) {
  Result<std::shared_ptr<const TimeZone>> zone = TimeZone::FromSetting(setting);
  EXPECT_TRUE(zone.ok()) << setting << ": " << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

// Renders a UTC instant given as text in the zone of `setting`.
std::string InZone(std::string_view setting, std::string_view utc_text) {
  std::shared_ptr<const TimeZone> zone = Zone(setting);
  DateTimeContext context{TimeZone::Utc().get(), TimestampTz{0}};
  Result<TimestampTz> value = ParseTimestampTz(utc_text, context);
  EXPECT_TRUE(value.ok()) << utc_text;
  return FormatTimestampTz(*value, *zone);
}

TEST(TimeZoneTest, EuropeBerlinTransitions) {
  EXPECT_EQ(InZone("Europe/Berlin", "2024-03-31 00:59:59+00"), "2024-03-31 01:59:59+01");
  EXPECT_EQ(InZone("Europe/Berlin", "2024-03-31 01:00:00+00"), "2024-03-31 03:00:00+02");
  EXPECT_EQ(InZone("Europe/Berlin", "2024-10-27 00:59:59+00"), "2024-10-27 02:59:59+02");
  EXPECT_EQ(InZone("Europe/Berlin", "2024-10-27 01:00:00+00"), "2024-10-27 02:00:00+01");
  EXPECT_EQ(InZone("Europe/Berlin", "1850-01-01 00:00:00+00"), "1850-01-01 00:53:28+00:53:28");
}

TEST(TimeZoneTest, AmericaNewYorkTransitions) {
  EXPECT_EQ(InZone("America/New_York", "2024-03-10 06:59:59+00"), "2024-03-10 01:59:59-05");
  EXPECT_EQ(InZone("America/New_York", "2024-03-10 07:00:00+00"), "2024-03-10 03:00:00-04");
  EXPECT_EQ(InZone("America/New_York", "2024-11-03 05:59:59+00"), "2024-11-03 01:59:59-04");
  EXPECT_EQ(InZone("America/New_York", "2024-11-03 06:00:00+00"), "2024-11-03 01:00:00-05");
  EXPECT_EQ(InZone("America/New_York", "1883-11-18 12:00+00"), "1883-11-18 07:03:58-04:56:02");
}

TEST(TimeZoneTest, FarFutureUsesPosixRules) {
  EXPECT_EQ(InZone("Europe/Berlin", "2100-07-01 00:00+00"), "2100-07-01 02:00:00+02");
  EXPECT_EQ(InZone("Europe/Berlin", "2300-01-01 00:00+00"), "2300-01-01 01:00:00+01");
  EXPECT_EQ(InZone("America/New_York", "2150-11-03 06:00:00+00"), "2150-11-03 01:00:00-05");
  EXPECT_EQ(InZone("America/New_York", "2500-07-01 00:00:00+00"), "2500-06-30 20:00:00-04");
}

TEST(TimeZoneTest, HalfHourDaylightSaving) {
  EXPECT_EQ(InZone("Australia/Lord_Howe", "2024-04-06 14:59:59+00"), "2024-04-07 01:59:59+11");
  EXPECT_EQ(InZone("Australia/Lord_Howe", "2024-04-06 15:00:00+00"), "2024-04-07 01:30:00+10:30");
  EXPECT_EQ(InZone("Asia/Kolkata", "1941-10-01 00:00+00"), "1941-10-01 06:30:00+06:30");
}

TEST(TimeZoneTest, SettingNamesFollowPostgres) {
  // A plain number is hours east (SQL sign); anything else is a zone name or
  // POSIX TZ string, where '+02:00' and 'UTC+3' count west (POSIX sign).
  EXPECT_EQ(Zone("2")->name(), "<+02>-02");
  EXPECT_EQ(Zone("-5")->name(), "<-05>+05");
  EXPECT_EQ(Zone("5.5")->name(), "<+05:30>-05:30");
  EXPECT_EQ(InZone("2", "2024-07-01 12:00+00"), "2024-07-01 14:00:00+02");
  EXPECT_EQ(InZone("+02:00", "2024-07-01 12:00+00"), "2024-07-01 10:00:00-02");
  EXPECT_EQ(InZone("UTC+3", "2024-07-01 12:00+00"), "2024-07-01 09:00:00-03");
  EXPECT_EQ(InZone("<+03>-3", "2024-07-01 12:00+00"), "2024-07-01 15:00:00+03");
  EXPECT_EQ(InZone("EST5EDT", "2024-07-01 12:00+00"), "2024-07-01 08:00:00-04");
  EXPECT_EQ(InZone("CET-1CEST,M3.5.0,M10.5.0/3", "2024-07-01 12:00+00"), "2024-07-01 14:00:00+02");
  EXPECT_EQ(InZone("CET-1CEST,M3.5.0,M10.5.0/3", "2024-01-01 12:00+00"), "2024-01-01 13:00:00+01");
  EXPECT_EQ(Zone("europe/berlin")->name(), "Europe/Berlin");
  EXPECT_EQ(Zone("utc+3")->name(), "UTC+3");
}

TEST(TimeZoneTest, UnknownNamesAreErrors) {
  for (const char *name : {"FOO", "Nowhere/City", "../../etc/passwd", "", "Europe/"}) {
    Result<std::shared_ptr<const TimeZone>> zone = TimeZone::FromSetting(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().sql_state(), "22023");
    EXPECT_EQ(zone.status().message(), "time zone \"" + std::string(name) + "\" not recognized");
  }
}

TEST(TimeZoneTest, OffsetOfLocalPrefersBeforeInGapAndAfterInOverlap) {
  std::shared_ptr<const TimeZone> berlin = Zone("Europe/Berlin");
  DateTimeFields gap{2024, 3, 31, 2, 30, 0};
  DateTimeFields overlap{2024, 10, 27, 2, 30, 0};
  EXPECT_EQ(LocalOffsetOfFields(gap, *berlin), 3600);
  EXPECT_EQ(LocalOffsetOfFields(overlap, *berlin), 3600);
  DateTimeFields summer{2024, 7, 1, 12, 0, 0};
  bool is_dst = false;
  EXPECT_EQ(LocalOffsetOfFields(summer, *berlin, &is_dst), 7200);
  EXPECT_TRUE(is_dst);
}

TEST(TimeZoneTest, AbbreviationsOfTypes) {
  std::shared_ptr<const TimeZone> berlin = Zone("Europe/Berlin");
  int64_t summer = 1719835200;  // 2024-07-01 12:00 UTC
  EXPECT_EQ(berlin->TypeAtUtc(summer).abbreviation, "CEST");
  EXPECT_EQ(berlin->TypeAtUtc(summer + 200 * 86400).abbreviation, "CET");
  EXPECT_EQ(Zone("2")->TypeAtUtc(summer).abbreviation, "+02");
}

TEST(TimeZoneTest, FindIsCachedAndThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<const TimeZone *> seen(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &seen] { seen[i] = TimeZone::Find("Asia/Tokyo")->get(); });
  }
  for (std::thread &thread : threads) thread.join();
  for (const TimeZone *zone : seen) EXPECT_EQ(zone, seen[0]);
  EXPECT_EQ(TimeZone::Find("ASIA/TOKYO")->get(), seen[0]);
}

TEST(TimeZoneTest, MalformedTzifIsCorruption) {
  EXPECT_TRUE(ParseTzif("x", "").status().IsCorruption());
  EXPECT_TRUE(ParseTzif("x", "TZif2").status().IsCorruption());
  std::string header = "TZif2" + std::string(15, '\0') + std::string(24, '\0');
  EXPECT_TRUE(ParseTzif("x", header).status().IsCorruption());  // no types
}

TEST(TimeZoneTest, PosixParser) {
  std::optional<PosixZone> zone = ParsePosixZone("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(zone->standard.utc_offset_seconds, 37800);
  EXPECT_EQ(zone->standard.abbreviation, "+1030");
  ASSERT_TRUE(zone->daylight.has_value());
  EXPECT_EQ(zone->daylight->utc_offset_seconds, 39600);
  EXPECT_FALSE(ParsePosixZone("FOO").has_value());
  EXPECT_FALSE(ParsePosixZone("EST5EDT,M13.1.0,M11.1.0").has_value());
  EXPECT_FALSE(ParsePosixZone("EST5EDT,M3.2.0").has_value());
  EXPECT_TRUE(ParsePosixZone("IST-2IDT,M3.4.4/26,M10.5.0").has_value());
  EXPECT_TRUE(ParsePosixZone("<-03>3").has_value());
  std::optional<PosixZone> defaults = ParsePosixZone("XYZ3ABC");
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->start.month, 3);
  EXPECT_EQ(defaults->end.month, 11);
}

}  // namespace
}  // namespace plexus::sql
