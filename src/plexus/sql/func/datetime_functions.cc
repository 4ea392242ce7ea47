// Operators and functions over the date/time types, as PostgreSQL 15 defines them: date, time,
// timestamp and interval arithmetic, interval comparisons (by normalized value), now() and the
// SQL value functions (current_date, ...), date_trunc, date_part / extract, age, justify_*,
// make_*, to_timestamp, to_date, to_char and date_bin. The computations live in sql/types/; kernels here apply them per row.
#include <cmath>
#include <compare>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_functions.h"
#include "plexus/sql/types/datetime_to_char.h"
#include "plexus/sql/types/numeric.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

// Storing a function's result in a slot; a Result's error is the kernel's error.
template <typename T>
Status Put(Vector* out, size_t row, const T& value) {
  Slot<T>::Set(out, row, value);
  return Status::Ok();
}
Status Put(Vector* out, size_t row, bool value) {
  out->values<uint8_t>()[row] = value ? 1 : 0;
  return Status::Ok();
}
// extract (numeric) and date_part (float8) results; some parts are NULL (extract(day from
// 'infinity')).
Status Put(Vector* out, size_t row, const DateTimePart& part) {
  if (part.kind == DateTimePart::Kind::kNull) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  if (out->type().id == TypeId::kFloat64) {
    double value = part.value;
    if (part.kind == DateTimePart::Kind::kInfinity) value = HUGE_VAL;
    if (part.kind == DateTimePart::Kind::kNegativeInfinity) value = -HUGE_VAL;
    out->values<double>()[row] = value;
    return Status::Ok();
  }
  PLEXUS_ASSIGN_OR_RETURN(Numeric value, Numeric::Parse(part.DecimalText()));
  std::string encoded;
  value.EncodeTo(&encoded);
  out->values<std::string_view>()[row] = out->arena().Copy(encoded);
  return Status::Ok();
}
Status Put(Vector* out, size_t row, const std::string& text) {
  out->SetString(row, text);
  return Status::Ok();
}
Status Put(Vector* out, size_t row, const std::optional<std::string>& text) {
  if (!text.has_value()) {
    out->SetNull(row, true);
    return Status::Ok();
  }
  return Put(out, row, *text);
}
template <typename T>
Status Put(Vector* out, size_t row, const Result<T>& value) {
  if (!value.ok()) return value.status();
  return Put(out, row, *value);
}

template <typename F>
struct Signature;
template <typename R, typename... Arguments>
struct Signature<R (*)(Arguments...)> {
  using Types = std::tuple<std::decay_t<Arguments>...>;
};

template <auto kFunction, size_t... kIndex>
Status ApplyRow(const Vector* const* args, size_t row, Vector* out,
                std::index_sequence<kIndex...>) {
  using Types = typename Signature<decltype(kFunction)>::Types;
  return Put(out, row, kFunction(Slot<std::tuple_element_t<kIndex, Types>>::Get(*args[kIndex],
                                                                                  row)...));
}

// The kernel of any function of slot values: out[i] = kFunction(args[0][i], ...) on active rows.
template <auto kFunction>
Status Kernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
              ExecContext&) {
  using Types = typename Signature<decltype(kFunction)>::Types;
  constexpr auto kIndexes = std::make_index_sequence<std::tuple_size_v<Types>>{};
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_RETURN_IF_ERROR(ApplyRow<kFunction>(args, row, out, kIndexes));
  }
  return Status::Ok();
}

// Wrappers for kernels: swapped operands, the session zone, interval comparisons.
Result<Date> AddDaysSwapped(int32_t days, Date date) { return AddDays(date, days); }
Result<Timestamp> AddDateIntervalSwapped(Interval span, Date date) {
  return AddDateInterval(date, span);
}
Result<Timestamp> AddDateTimeSwapped(Time time, Date date) { return AddDateTime(date, time); }
Result<Timestamp> AddTimestampIntervalSwapped(Interval span, Timestamp value) {
  return AddTimestampInterval(value, span);
}
Result<TimestampTz> AddTzInterval(TimestampTz value, Interval span) {
  return AddTimestampTzInterval(value, span, SessionTimeZone());
}
Result<TimestampTz> AddTzIntervalSwapped(Interval span, TimestampTz value) {
  return AddTimestampTzInterval(value, span, SessionTimeZone());
}
Result<TimestampTz> SubtractTzInterval(TimestampTz value, Interval span) {
  return SubtractTimestampTzInterval(value, span, SessionTimeZone());
}
Time AddTimeIntervalSwapped(Interval span, Time time) { return AddTimeInterval(time, span); }
Result<Interval> MultiplyIntervalSwapped(double factor, Interval span) {
  return MultiplyInterval(span, factor);
}

template <typename Test>
bool CompareIntervalsBy(Interval a, Interval b) {
  const std::strong_ordering order = CompareIntervals(a, b);
  return Test()(order < 0 ? -1 : (order > 0 ? 1 : 0), 0);
}

// Values of now(): the statement timestamp and what the SQL value functions derive from it.
Result<TimestampTz> Now() { return StatementTimestamp(); }
Result<TimestampTz> ClockNow() { return ClockTimestamp(); }
// When the process started (initialised before main), as pg_postmaster_start_time() says.
const TimestampTz kProcessStart = ClockTimestamp();
Result<TimestampTz> ProcessStart() { return kProcessStart; }
Result<Timestamp> LocalTimestampNow() {
  return TimestampTzToTimestamp(StatementTimestamp(), SessionTimeZone());
}
Result<Date> CurrentDate() { return TimestampTzToDate(StatementTimestamp(), SessionTimeZone()); }
Result<Time> LocalTimeNow() {
  PLEXUS_ASSIGN_OR_RETURN(Timestamp local, LocalTimestampNow());
  return TimestampToTime(local);
}

// date_trunc.
Result<TimestampTz> TruncateTz(std::string_view unit, TimestampTz value) {
  return TruncateTimestampTz(unit, value, SessionTimeZone());
}
Result<TimestampTz> TruncateTzInZone(std::string_view unit, TimestampTz value,
                                     std::string_view zone_name) {
  PLEXUS_ASSIGN_OR_RETURN(std::shared_ptr<const TimeZone> zone, TimeZone::Find(zone_name));
  return TruncateTimestampTz(unit, value, *zone);
}
// date_trunc(text, date) is PostgreSQL's implicit cast of the date to timestamptz.
Result<TimestampTz> TruncateDate(std::string_view unit, Date value) {
  PLEXUS_ASSIGN_OR_RETURN(TimestampTz start, DateToTimestampTz(value, SessionTimeZone()));
  return TruncateTz(unit, start);
}

// extract / date_part.
Result<DateTimePart> ExtractTz(std::string_view unit, TimestampTz value) {
  return ExtractTimestampTz(unit, value, SessionTimeZone());
}
// date_part(text, date) is date_part of the date as a timestamp, as PostgreSQL defines it.
Result<DateTimePart> DatePartOfDate(std::string_view unit, Date value) {
  PLEXUS_ASSIGN_OR_RETURN(Timestamp start, DateToTimestamp(value));
  return ExtractTimestamp(unit, start);
}

// age(x): age of x at today's midnight (in the session zone for timestamptz).
Result<Interval> AgeAtMidnight(Timestamp value) {
  PLEXUS_ASSIGN_OR_RETURN(Date today, CurrentDate());
  PLEXUS_ASSIGN_OR_RETURN(Timestamp midnight, DateToTimestamp(today));
  return Age(midnight, value);
}
Result<Interval> AgeTzPair(TimestampTz a, TimestampTz b) {
  return AgeTz(a, b, SessionTimeZone());
}
Result<Interval> AgeTzAtMidnight(TimestampTz value) {
  PLEXUS_ASSIGN_OR_RETURN(Date today, CurrentDate());
  PLEXUS_ASSIGN_OR_RETURN(TimestampTz midnight, DateToTimestampTz(today, SessionTimeZone()));
  return AgeTz(midnight, value, SessionTimeZone());
}

// to_char of a timestamp (its fields), a timestamptz (in the session zone) or a date (at
// midnight). Infinities give NULL, as in PostgreSQL.
Result<std::optional<std::string>> ToCharFields(Timestamp value, std::string_view format) {
  DateTimeFields fields;
  if (!IsFinite(value) || !TimestampToFields(value, &fields)) return std::optional<std::string>();
  PLEXUS_ASSIGN_OR_RETURN(std::string text, FormatDateTimeTemplate(fields, format));
  return std::optional<std::string>(std::move(text));
}
Result<std::optional<std::string>> ToCharTimestamp(Timestamp value, std::string_view format) {
  return ToCharFields(value, format);
}
Result<std::optional<std::string>> ToCharTz(TimestampTz value, std::string_view format) {
  if (!IsFinite(value)) return std::optional<std::string>();
  PLEXUS_ASSIGN_OR_RETURN(Timestamp local, TimestampTzToTimestamp(value, SessionTimeZone()));
  return ToCharFields(local, format);
}
Result<std::optional<std::string>> ToCharDate(Date value, std::string_view format) {
  if (!IsFinite(value)) return std::optional<std::string>();
  PLEXUS_ASSIGN_OR_RETURN(Timestamp start, DateToTimestamp(value));
  return ToCharFields(start, format);
}

// to_date and to_timestamp(text, format): the fields the template reads, as a date or as a
// local time in the session zone.
Result<Date> ToDate(std::string_view text, std::string_view format) {
  PLEXUS_ASSIGN_OR_RETURN(DateTimeFields fields, ParseDateTimeTemplate(text, format));
  fields.hour = fields.minute = fields.second = fields.micros = 0;
  Timestamp midnight;
  if (!FieldsToTimestamp(fields, &midnight)) {
    return SqlError(kDatetimeFieldOverflow, "date out of range: \"" + std::string(text) + "\"");
  }
  return TimestampToDate(midnight);
}
Result<TimestampTz> ToTimestampFromText(std::string_view text, std::string_view format) {
  PLEXUS_ASSIGN_OR_RETURN(DateTimeFields fields, ParseDateTimeTemplate(text, format));
  Timestamp local;
  if (!FieldsToTimestamp(fields, &local)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  return TimestampToTimestampTz(local, SessionTimeZone());
}

// date_bin(stride, source, origin): the start of the stride-wide bin, counted from origin, that
// holds source (PostgreSQL's timestamp_bin; strides of months cannot be, their length varies).
Result<int64_t> BinMicros(const Interval& stride, int64_t source, int64_t origin) {
  if (stride.months != 0) {
    return SqlError(kFeatureNotSupported,
                    "timestamps cannot be binned into intervals containing months or years");
  }
  int64_t stride_micros = 0;
  int64_t difference = 0;
  if (__builtin_mul_overflow(static_cast<int64_t>(stride.days), kMicrosPerDay, &stride_micros) ||
      __builtin_add_overflow(stride_micros, stride.micros, &stride_micros)) {
    return SqlError(kDatetimeFieldOverflow, "interval out of range");
  }
  if (stride_micros <= 0) {
    return SqlError(kDatetimeFieldOverflow, "stride must be greater than zero");
  }
  if (__builtin_sub_overflow(source, origin, &difference)) {
    return SqlError(kDatetimeFieldOverflow, "interval out of range");
  }
  int64_t delta = difference - difference % stride_micros;
  // The bin starts at or before source even when origin is later.
  if (difference < 0 && difference % stride_micros != 0) delta -= stride_micros;
  int64_t result = 0;
  if (__builtin_add_overflow(origin, delta, &result) || !IsValidTimestampMicros(result)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  return result;
}
Result<Timestamp> BinTimestamp(Interval stride, Timestamp source, Timestamp origin) {
  if (!IsFinite(source)) return source;
  if (!IsFinite(origin)) return SqlError(kDatetimeFieldOverflow, "origin out of range");
  PLEXUS_ASSIGN_OR_RETURN(int64_t micros, BinMicros(stride, source.micros, origin.micros));
  return Timestamp{micros};
}
Result<TimestampTz> BinTimestampTz(Interval stride, TimestampTz source, TimestampTz origin) {
  if (!IsFinite(source)) return source;
  if (!IsFinite(origin)) return SqlError(kDatetimeFieldOverflow, "origin out of range");
  PLEXUS_ASSIGN_OR_RETURN(int64_t micros, BinMicros(stride, source.micros, origin.micros));
  return TimestampTz{micros};
}

Interval ZeroInterval() { return Interval{}; }

// make_interval with its trailing arguments defaulted to 0, as PostgreSQL's defaults do.
Result<Interval> MakeInterval1(int32_t y) { return MakeInterval(y, 0, 0, 0, 0, 0, 0); }
Result<Interval> MakeInterval2(int32_t y, int32_t mo) {
  return MakeInterval(y, mo, 0, 0, 0, 0, 0);
}
Result<Interval> MakeInterval3(int32_t y, int32_t mo, int32_t w) {
  return MakeInterval(y, mo, w, 0, 0, 0, 0);
}
Result<Interval> MakeInterval4(int32_t y, int32_t mo, int32_t w, int32_t d) {
  return MakeInterval(y, mo, w, d, 0, 0, 0);
}
Result<Interval> MakeInterval5(int32_t y, int32_t mo, int32_t w, int32_t d, int32_t h) {
  return MakeInterval(y, mo, w, d, h, 0, 0);
}
Result<Interval> MakeInterval6(int32_t y, int32_t mo, int32_t w, int32_t d, int32_t h,
                               int32_t mi) {
  return MakeInterval(y, mo, w, d, h, mi, 0);
}
Result<Interval> MakeInterval7(int32_t y, int32_t mo, int32_t w, int32_t d, int32_t h,
                               int32_t mi, double s) {
  return MakeInterval(y, mo, w, d, h, mi, s);
}

constexpr TypeId kDateId = TypeId::kDate;
constexpr TypeId kTimeId = TypeId::kTime;
constexpr TypeId kTimestampId = TypeId::kTimestamp;
constexpr TypeId kTimestampTzId = TypeId::kTimestampTz;
constexpr TypeId kIntervalId = TypeId::kInterval;
constexpr TypeId kInt32Id = TypeId::kInt32;
constexpr TypeId kFloat64Id = TypeId::kFloat64;
constexpr TypeId kTextId = TypeId::kText;

void Add(FunctionRegistry& registry, std::string name, std::initializer_list<TypeId> arguments,
         TypeId result, ScalarKernel kernel, bool is_volatile = false) {
  ScalarFunction function;
  function.name = std::move(name);
  for (TypeId id : arguments) function.argument_types.push_back(Type::Of(id));
  function.result_type = Type::Of(result);
  function.kernel = kernel;
  function.volatile_ = is_volatile;
  registry.Add(std::move(function));
}

void AddDateOperators(FunctionRegistry& r) {
  Add(r, "+", {kDateId, kInt32Id}, kDateId, Kernel<AddDays>);
  Add(r, "+", {kInt32Id, kDateId}, kDateId, Kernel<AddDaysSwapped>);
  Add(r, "-", {kDateId, kInt32Id}, kDateId, Kernel<SubtractDays>);
  Add(r, "-", {kDateId, kDateId}, kInt32Id, Kernel<SubtractDates>);
  Add(r, "+", {kDateId, kIntervalId}, kTimestampId, Kernel<AddDateInterval>);
  Add(r, "+", {kIntervalId, kDateId}, kTimestampId, Kernel<AddDateIntervalSwapped>);
  Add(r, "-", {kDateId, kIntervalId}, kTimestampId, Kernel<SubtractDateInterval>);
  Add(r, "+", {kDateId, kTimeId}, kTimestampId, Kernel<AddDateTime>);
  Add(r, "+", {kTimeId, kDateId}, kTimestampId, Kernel<AddDateTimeSwapped>);
}

void AddTimestampOperators(FunctionRegistry& r) {
  Add(r, "+", {kTimestampId, kIntervalId}, kTimestampId, Kernel<AddTimestampInterval>);
  Add(r, "+", {kIntervalId, kTimestampId}, kTimestampId, Kernel<AddTimestampIntervalSwapped>);
  Add(r, "-", {kTimestampId, kIntervalId}, kTimestampId, Kernel<SubtractTimestampInterval>);
  Add(r, "-", {kTimestampId, kTimestampId}, kIntervalId, Kernel<SubtractTimestamps>);
  Add(r, "+", {kTimestampTzId, kIntervalId}, kTimestampTzId, Kernel<AddTzInterval>);
  Add(r, "+", {kIntervalId, kTimestampTzId}, kTimestampTzId, Kernel<AddTzIntervalSwapped>);
  Add(r, "-", {kTimestampTzId, kIntervalId}, kTimestampTzId, Kernel<SubtractTzInterval>);
  Add(r, "-", {kTimestampTzId, kTimestampTzId}, kIntervalId, Kernel<SubtractTimestampTzs>);
  Add(r, "+", {kTimeId, kIntervalId}, kTimeId, Kernel<AddTimeInterval>);
  Add(r, "+", {kIntervalId, kTimeId}, kTimeId, Kernel<AddTimeIntervalSwapped>);
  Add(r, "-", {kTimeId, kIntervalId}, kTimeId, Kernel<SubtractTimeInterval>);
  Add(r, "-", {kTimeId, kTimeId}, kIntervalId, Kernel<SubtractTimes>);
}

void AddIntervalOperators(FunctionRegistry& r) {
  Add(r, "+", {kIntervalId, kIntervalId}, kIntervalId, Kernel<AddIntervals>);
  Add(r, "-", {kIntervalId, kIntervalId}, kIntervalId, Kernel<SubtractIntervals>);
  Add(r, "-", {kIntervalId}, kIntervalId, Kernel<NegateInterval>);
  Add(r, "*", {kIntervalId, kFloat64Id}, kIntervalId, Kernel<MultiplyInterval>);
  Add(r, "*", {kFloat64Id, kIntervalId}, kIntervalId, Kernel<MultiplyIntervalSwapped>);
  Add(r, "/", {kIntervalId, kFloat64Id}, kIntervalId, Kernel<DivideInterval>);
  const TypeId boolean = TypeId::kBool;
  const std::initializer_list<TypeId> pair = {kIntervalId, kIntervalId};
  Add(r, "=", pair, boolean, Kernel<CompareIntervalsBy<std::equal_to<>>>);
  Add(r, "<>", pair, boolean, Kernel<CompareIntervalsBy<std::not_equal_to<>>>);
  Add(r, "<", pair, boolean, Kernel<CompareIntervalsBy<std::less<>>>);
  Add(r, "<=", pair, boolean, Kernel<CompareIntervalsBy<std::less_equal<>>>);
  Add(r, ">", pair, boolean, Kernel<CompareIntervalsBy<std::greater<>>>);
  Add(r, ">=", pair, boolean, Kernel<CompareIntervalsBy<std::greater_equal<>>>);
  Add(r, "justify_days", {kIntervalId}, kIntervalId, Kernel<JustifyDays>);
  Add(r, "justify_hours", {kIntervalId}, kIntervalId, Kernel<JustifyHours>);
  Add(r, "justify_interval", {kIntervalId}, kIntervalId, Kernel<JustifyInterval>);
}

// now() and its relatives are volatile: never folded at bind time.
void AddCurrentTimeFunctions(FunctionRegistry& r) {
  for (const char* name : {"now", "current_timestamp", "transaction_timestamp"}) {
    Add(r, name, {}, kTimestampTzId, Kernel<Now>, /*is_volatile=*/true);
  }
  // Statements have no start time of their own yet: statement_timestamp() is the clock too.
  for (const char* name : {"statement_timestamp", "clock_timestamp"}) {
    Add(r, name, {}, kTimestampTzId, Kernel<ClockNow>, /*is_volatile=*/true);
  }
  Add(r, "pg_postmaster_start_time", {}, kTimestampTzId, Kernel<ProcessStart>);
  Add(r, "localtimestamp", {}, kTimestampId, Kernel<LocalTimestampNow>, true);
  Add(r, "current_date", {}, kDateId, Kernel<CurrentDate>, true);
  // PostgreSQL's current_time is time with time zone, which Plexus lacks: local time instead.
  Add(r, "current_time", {}, kTimeId, Kernel<LocalTimeNow>, true);
  Add(r, "localtime", {}, kTimeId, Kernel<LocalTimeNow>, true);
}

void AddFieldFunctions(FunctionRegistry& r) {
  Add(r, "date_trunc", {kTextId, kTimestampId}, kTimestampId, Kernel<TruncateTimestamp>);
  Add(r, "date_trunc", {kTextId, kTimestampTzId}, kTimestampTzId, Kernel<TruncateTz>);
  Add(r, "date_trunc", {kTextId, kTimestampTzId, kTextId}, kTimestampTzId,
      Kernel<TruncateTzInZone>);
  Add(r, "date_trunc", {kTextId, kDateId}, kTimestampTzId, Kernel<TruncateDate>);
  Add(r, "date_trunc", {kTextId, kIntervalId}, kIntervalId, Kernel<TruncateInterval>);
  // extract returns numeric, date_part double precision; Put() tells them by the result type.
  for (const auto& [name, result] : {std::pair{"extract", TypeId::kNumeric},
                                     std::pair{"date_part", kFloat64Id}}) {
    const bool is_extract = result == TypeId::kNumeric;
    Add(r, name, {kTextId, kTimestampId}, result, Kernel<ExtractTimestamp>);
    Add(r, name, {kTextId, kTimestampTzId}, result, Kernel<ExtractTz>);
    Add(r, name, {kTextId, kTimeId}, result, Kernel<ExtractTime>);
    Add(r, name, {kTextId, kIntervalId}, result, Kernel<ExtractInterval>);
    Add(r, name, {kTextId, kDateId}, result,
        is_extract ? Kernel<ExtractDate> : Kernel<DatePartOfDate>);
  }
}

void AddConstructors(FunctionRegistry& r) {
  Add(r, "age", {kTimestampId, kTimestampId}, kIntervalId, Kernel<Age>);
  Add(r, "age", {kTimestampTzId, kTimestampTzId}, kIntervalId, Kernel<AgeTzPair>);
  Add(r, "age", {kTimestampId}, kIntervalId, Kernel<AgeAtMidnight>, true);
  Add(r, "age", {kTimestampTzId}, kIntervalId, Kernel<AgeTzAtMidnight>, true);
  Add(r, "make_date", {kInt32Id, kInt32Id, kInt32Id}, kDateId, Kernel<MakeDate>);
  Add(r, "make_time", {kInt32Id, kInt32Id, kFloat64Id}, kTimeId, Kernel<MakeTime>);
  Add(r, "make_timestamp", {kInt32Id, kInt32Id, kInt32Id, kInt32Id, kInt32Id, kFloat64Id},
      kTimestampId, Kernel<MakeTimestamp>);
  Add(r, "to_timestamp", {kFloat64Id}, kTimestampTzId, Kernel<ToTimestampFromEpoch>);
  Add(r, "to_char", {kTimestampId, kTextId}, kTextId, Kernel<ToCharTimestamp>);
  Add(r, "to_char", {kTimestampTzId, kTextId}, kTextId, Kernel<ToCharTz>);
  Add(r, "to_char", {kDateId, kTextId}, kTextId, Kernel<ToCharDate>);
  Add(r, "to_date", {kTextId, kTextId}, kDateId, Kernel<ToDate>);
  Add(r, "to_timestamp", {kTextId, kTextId}, kTimestampTzId, Kernel<ToTimestampFromText>);
  Add(r, "date_bin", {kIntervalId, kTimestampId, kTimestampId}, kTimestampId,
      Kernel<BinTimestamp>);
  Add(r, "date_bin", {kIntervalId, kTimestampTzId, kTimestampTzId}, kTimestampTzId,
      Kernel<BinTimestampTz>);
  const TypeId i = kInt32Id;
  Add(r, "make_interval", {}, kIntervalId, Kernel<ZeroInterval>);
  Add(r, "make_interval", {i}, kIntervalId, Kernel<MakeInterval1>);
  Add(r, "make_interval", {i, i}, kIntervalId, Kernel<MakeInterval2>);
  Add(r, "make_interval", {i, i, i}, kIntervalId, Kernel<MakeInterval3>);
  Add(r, "make_interval", {i, i, i, i}, kIntervalId, Kernel<MakeInterval4>);
  Add(r, "make_interval", {i, i, i, i, i}, kIntervalId, Kernel<MakeInterval5>);
  Add(r, "make_interval", {i, i, i, i, i, i}, kIntervalId, Kernel<MakeInterval6>);
  Add(r, "make_interval", {i, i, i, i, i, i, kFloat64Id}, kIntervalId, Kernel<MakeInterval7>);
}

}  // namespace

void RegisterDateTimeFunctions(FunctionRegistry& registry) {
  AddDateOperators(registry);
  AddTimestampOperators(registry);
  AddIntervalOperators(registry);
  AddCurrentTimeFunctions(registry);
  AddFieldFunctions(registry);
  AddConstructors(registry);
}

}  // namespace plexus::sql
