// Test-only: evaluates a date/time operation named as in the
// PostgreSQL-generated case tables
// ("ts_pl_interval", "extract_ts", ...) on text arguments and renders the
// result as PostgreSQL prints it, so that tables of (operation, zone,
// arguments, expected) can be checked.
#pragma once

#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "plexus/sql/types/datetime_functions.h"
#include "plexus/sql/types/datetime_input.h"
#include "plexus/sql/types/datetime_output.h"
#include "plexus/sql/types/interval.h"
#include "plexus/sql/types/timezone.h"

// Evaluates `expr`; on failure the operation's text is the error.
#define PLEXUS_DATETIME_TRY(var, expr)                       \
  auto var##_result = (expr);                                \
  if (!var##_result.ok()) return Err(var##_result.status()); \
  auto var = *var##_result

namespace plexus::sql::testing_util {

// One row of a case table: operation, session TimeZone, '|'-separated
// arguments, and the text PostgreSQL 15 printed (or "ERROR <sqlstate>
// <message>", or "NULL").
struct OperationCase {
  const char *operation;
  const char *zone;
  const char *arguments;
  const char *expected;
};

// 2024-08-24 01:22:57.123456 UTC: 'now' in every case.
inline constexpr int64_t kNowMicros = 777777777123456;

inline std::string ErrorText(const Status &status) {
  return "ERROR " + std::string(status.sql_state()) + " " + std::string(status.message());
}

// float8 output of PostgreSQL 15 (shortest round-trip digits) for the values
// the tables hold.
inline std::string DoubleText(double value) {
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[64];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

inline std::string PartText(const Result<DateTimePart> &part, bool numeric) {
  if (!part.ok()) return ErrorText(part.status());
  if (part->kind == DateTimePart::Kind::kNull) return "NULL";
  return numeric ? part->DecimalText() : DoubleText(part->value);
}

class OperationEvaluator {
 public:
  using Args = std::vector<std::string>;

  // Evaluates one row; the result text is what PostgreSQL printed when the row
  // passes.
  std::string Evaluate(const OperationCase &c) {
    Result<std::shared_ptr<const TimeZone>> zone = TimeZone::FromSetting(c.zone);
    if (!zone.ok()) return ErrorText(zone.status());
    zone_ = zone->get();
    context_ = DateTimeContext{zone_, TimestampTz{kNowMicros}};
    Args args;
    std::stringstream stream(c.arguments);
    std::string part;
    while (std::getline(stream, part, '|')) args.push_back(part);
    auto it = Operations().find(c.operation);
    if (it == Operations().end()) return "unknown operation";
    return it->second(args);
  }

 private:
  using Operation = std::function<std::string(Args &)>;
  static inline DateTimeContext context_;
  static inline const TimeZone *zone_ = nullptr;

  static Result<Date> D(const std::string &s) { return ParseDate(s, context_); }
  static Result<Timestamp> TS(const std::string &s) { return ParseTimestamp(s, context_); }
  static Result<TimestampTz> TZ(const std::string &s) { return ParseTimestampTz(s, context_); }
  static Result<Time> T(const std::string &s) { return ParseTime(s, context_); }
  static Result<Interval> I(const std::string &s) { return ParseInterval(s); }
  static std::string FZ(TimestampTz v) { return FormatTimestampTz(v, *zone_); }
  static std::string Part(const Result<DateTimePart> &part, bool numeric) {
    return PartText(part, numeric);
  }
  static std::string Err(const Status &status) { return ErrorText(status); }

  static const std::map<std::string, Operation> &Operations() {
    static const std::map<std::string, Operation> *operations = [] {
      auto *ops = new std::map<std::string, Operation>();
      (*ops)["date_pl_int"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(r, AddDays(d, std::stoi(a[1])));
        return FormatDate(r);
      };
      (*ops)["date_mi_int"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(r, SubtractDays(d, std::stoi(a[1])));
        return FormatDate(r);
      };
      (*ops)["date_mi_date"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(e, D(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractDates(d, e));
        return std::to_string(r);
      };
      (*ops)["date_pl_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        PLEXUS_DATETIME_TRY(r, AddDateInterval(d, i));
        return FormatTimestamp(r);
      };
      (*ops)["date_mi_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractDateInterval(d, i));
        return FormatTimestamp(r);
      };
      (*ops)["date_pl_time"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(t, T(a[1]));
        PLEXUS_DATETIME_TRY(r, AddDateTime(d, t));
        return FormatTimestamp(r);
      };
      (*ops)["ts_pl_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        PLEXUS_DATETIME_TRY(r, AddTimestampInterval(d, i));
        return FormatTimestamp(r);
      };
      (*ops)["ts_mi_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractTimestampInterval(d, i));
        return FormatTimestamp(r);
      };
      (*ops)["tstz_pl_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        PLEXUS_DATETIME_TRY(r, AddTimestampTzInterval(d, i, *zone_));
        return FZ(r);
      };
      (*ops)["tstz_mi_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractTimestampTzInterval(d, i, *zone_));
        return FZ(r);
      };
      (*ops)["ts_mi_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[0]));
        PLEXUS_DATETIME_TRY(e, TS(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractTimestamps(d, e));
        return FormatInterval(r);
      };
      (*ops)["tstz_mi_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[0]));
        PLEXUS_DATETIME_TRY(e, TZ(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractTimestampTzs(d, e));
        return FormatInterval(r);
      };
      (*ops)["time_pl_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, T(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        return FormatTime(AddTimeInterval(d, i));
      };
      (*ops)["time_mi_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, T(a[0]));
        PLEXUS_DATETIME_TRY(i, I(a[1]));
        return FormatTime(SubtractTimeInterval(d, i));
      };
      (*ops)["time_mi_time"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, T(a[0]));
        PLEXUS_DATETIME_TRY(e, T(a[1]));
        return FormatInterval(SubtractTimes(d, e));
      };
      (*ops)["age_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[0]));
        PLEXUS_DATETIME_TRY(e, TS(a[1]));
        PLEXUS_DATETIME_TRY(r, Age(d, e));
        return FormatInterval(r);
      };
      (*ops)["age_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[0]));
        PLEXUS_DATETIME_TRY(e, TZ(a[1]));
        PLEXUS_DATETIME_TRY(r, AgeTz(d, e, *zone_));
        return FormatInterval(r);
      };
      (*ops)["extract_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[1]));
        return Part(ExtractTimestamp(a[0], d), true);
      };
      (*ops)["date_part_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[1]));
        return Part(ExtractTimestamp(a[0], d), false);
      };
      (*ops)["extract_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[1]));
        return Part(ExtractTimestampTz(a[0], d, *zone_), true);
      };
      (*ops)["date_part_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[1]));
        return Part(ExtractTimestampTz(a[0], d, *zone_), false);
      };
      (*ops)["extract_date"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[1]));
        return Part(ExtractDate(a[0], d), true);
      };
      (*ops)["extract_time"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, T(a[1]));
        return Part(ExtractTime(a[0], d), true);
      };
      (*ops)["date_part_time"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, T(a[1]));
        return Part(ExtractTime(a[0], d), false);
      };
      (*ops)["extract_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[1]));
        return Part(ExtractInterval(a[0], d), true);
      };
      (*ops)["date_part_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[1]));
        return Part(ExtractInterval(a[0], d), false);
      };
      (*ops)["trunc_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[1]));
        PLEXUS_DATETIME_TRY(r, TruncateTimestamp(a[0], d));
        return FormatTimestamp(r);
      };
      (*ops)["trunc_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[1]));
        PLEXUS_DATETIME_TRY(r, TruncateTimestampTz(a[0], d, *zone_));
        return FZ(r);
      };
      (*ops)["trunc_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[1]));
        PLEXUS_DATETIME_TRY(r, TruncateInterval(a[0], d));
        return FormatInterval(r);
      };
      (*ops)["iv_mul"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(r, MultiplyInterval(d, std::stod(a[1])));
        return FormatInterval(r);
      };
      (*ops)["iv_div"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(r, DivideInterval(d, std::stod(a[1])));
        return FormatInterval(r);
      };
      (*ops)["iv_pl"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(e, I(a[1]));
        PLEXUS_DATETIME_TRY(r, AddIntervals(d, e));
        return FormatInterval(r);
      };
      (*ops)["iv_mi"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(e, I(a[1]));
        PLEXUS_DATETIME_TRY(r, SubtractIntervals(d, e));
        return FormatInterval(r);
      };
      (*ops)["iv_um"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(r, NegateInterval(d));
        return FormatInterval(r);
      };
      (*ops)["iv_cmp"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(e, I(a[1]));
        auto c = CompareIntervals(d, e);
        return c < 0 ? "-1" : c > 0 ? "1" : "0";
      };
      (*ops)["justify_hours"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(r, JustifyHours(d));
        return FormatInterval(r);
      };
      (*ops)["justify_days"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(r, JustifyDays(d));
        return FormatInterval(r);
      };
      (*ops)["justify_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, I(a[0]));
        PLEXUS_DATETIME_TRY(r, JustifyInterval(d));
        return FormatInterval(r);
      };
      (*ops)["make_date"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(r, MakeDate(std::stoi(a[0]), std::stoi(a[1]), std::stoi(a[2])));
        return FormatDate(r);
      };
      (*ops)["make_time"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(r, MakeTime(std::stoi(a[0]), std::stoi(a[1]), std::stod(a[2])));
        return FormatTime(r);
      };
      (*ops)["make_timestamp"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(r, MakeTimestamp(std::stoi(a[0]), std::stoi(a[1]), std::stoi(a[2]),
                                             std::stoi(a[3]), std::stoi(a[4]), std::stod(a[5])));
        return FormatTimestamp(r);
      };
      (*ops)["make_interval"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(
            r, MakeInterval(std::stoi(a[0]), std::stoi(a[1]), std::stoi(a[2]), std::stoi(a[3]),
                            std::stoi(a[4]), std::stoi(a[5]), std::stod(a[6])));
        return FormatInterval(r);
      };
      (*ops)["to_timestamp"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(r, ToTimestampFromEpoch(std::stod(a[0])));
        return FZ(r);
      };
      (*ops)["cast_date_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(r, DateToTimestamp(d));
        return FormatTimestamp(r);
      };
      (*ops)["cast_date_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, D(a[0]));
        PLEXUS_DATETIME_TRY(r, DateToTimestampTz(d, *zone_));
        return FZ(r);
      };
      (*ops)["cast_ts_date"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[0]));
        PLEXUS_DATETIME_TRY(r, TimestampToDate(d));
        return FormatDate(r);
      };
      (*ops)["cast_tstz_date"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[0]));
        PLEXUS_DATETIME_TRY(r, TimestampTzToDate(d, *zone_));
        return FormatDate(r);
      };
      (*ops)["cast_tstz_ts"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TZ(a[0]));
        PLEXUS_DATETIME_TRY(r, TimestampTzToTimestamp(d, *zone_));
        return FormatTimestamp(r);
      };
      (*ops)["cast_ts_tstz"] = [](Args &a) -> std::string {
        PLEXUS_DATETIME_TRY(d, TS(a[0]));
        PLEXUS_DATETIME_TRY(r, TimestampToTimestampTz(d, *zone_));
        return FZ(r);
      };
      return ops;
    }();
    return *operations;
  }
};

}  // namespace plexus::sql::testing_util
