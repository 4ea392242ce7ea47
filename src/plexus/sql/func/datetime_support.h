// What the date/time casts and functions share: the session's time zone and transaction start
// time (set per thread by the session running a statement), and
// typed access to date/time vector slots (date int32 days, time/timestamp(tz) int64 micros,
// interval the 16 bytes of struct Interval).
#pragma once

#include <cstddef>
#include <cstring>

#include "plexus/sql/exec/vector.h"
#include "plexus/sql/types/datetime.h"
#include "plexus/sql/types/datetime_input.h"
#include "plexus/sql/types/interval.h"

namespace plexus::sql {

class TimeZone;

// The TimeZone setting of the session running on this thread (UTC outside a session).
const TimeZone& SessionTimeZone();
// The timestamp 'now', now() and current_date stand for: the start of the session's transaction
// (the current time outside a session).
TimestampTz StatementTimestamp();
// The current time (clock_timestamp()).
TimestampTz ClockTimestamp();

// Makes a session's zone and transaction start what the functions above return on this thread,
// for the scope's lifetime. REQUIRES: `zone` outlives the scope.
class SessionTimeScope {
 public:
  SessionTimeScope(const TimeZone* zone, TimestampTz transaction_start);
  ~SessionTimeScope();
  SessionTimeScope(const SessionTimeScope&) = delete;
  SessionTimeScope& operator=(const SessionTimeScope&) = delete;

 private:
  const TimeZone* saved_zone_;
  TimestampTz saved_start_;
};
// Input context for ParseDate() and friends: the session zone and the statement timestamp.
DateTimeContext SessionDateTimeContext();

// An interval slot holds struct Interval's bytes as they are.
static_assert(sizeof(Interval) == 16 && sizeof(Interval) == sizeof(Bytes16));
static_assert(offsetof(Interval, micros) == 0 && offsetof(Interval, days) == 8 &&
              offsetof(Interval, months) == 12);

// Slot<T>::Get / Set read and write one non-NULL slot of a vector of T's SQL type (Set leaves
// the null flag alone). REQUIRES: the vector's physical type matches T.
template <typename T>
struct Slot;
template <>
struct Slot<Date> {
  static Date Get(const Vector& vector, size_t row) { return Date{vector.values<int32_t>()[row]}; }
  static void Set(Vector* vector, size_t row, Date value) {
    vector->values<int32_t>()[row] = value.days;
  }
};
template <typename T>
struct MicrosSlot {
  static T Get(const Vector& vector, size_t row) { return T{vector.values<int64_t>()[row]}; }
  static void Set(Vector* vector, size_t row, T value) {
    vector->values<int64_t>()[row] = value.micros;
  }
};
template <>
struct Slot<Time> : MicrosSlot<Time> {};
template <>
struct Slot<Timestamp> : MicrosSlot<Timestamp> {};
template <>
struct Slot<TimestampTz> : MicrosSlot<TimestampTz> {};
template <>
struct Slot<Interval> {
  static Interval Get(const Vector& vector, size_t row) {
    Interval value;
    std::memcpy(&value, vector.values<Bytes16>()[row].bytes, sizeof(value));
    return value;
  }
  static void Set(Vector* vector, size_t row, const Interval& value) {
    std::memcpy(vector->values<Bytes16>()[row].bytes, &value, sizeof(value));
  }
};
template <>
struct Slot<int32_t> {
  static int32_t Get(const Vector& vector, size_t row) { return vector.values<int32_t>()[row]; }
  static void Set(Vector* vector, size_t row, int32_t value) {
    vector->values<int32_t>()[row] = value;
  }
};
template <>
struct Slot<double> {
  static double Get(const Vector& vector, size_t row) { return vector.values<double>()[row]; }
  static void Set(Vector* vector, size_t row, double value) {
    vector->values<double>()[row] = value;
  }
};
template <>
struct Slot<std::string_view> {
  static std::string_view Get(const Vector& vector, size_t row) { return vector.GetString(row); }
};

}  // namespace plexus::sql
