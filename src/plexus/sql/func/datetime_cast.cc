// Casts to and from the date/time types (text input and output, date <-> timestamp <->
// timestamptz, timestamp(tz) -> date/time, time <-> interval), rounding to a declared precision
// (timestamp(p), time(p)) as PostgreSQL's AdjustTimestampForTypmod does.
#include <chrono>

#include "plexus/sql/func/cast_families.h"
#include "plexus/sql/func/datetime_support.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/datetime_functions.h"
#include "plexus/sql/types/datetime_output.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

// The session running on this thread (SessionTimeScope); null zone outside one.
thread_local const TimeZone* session_zone = nullptr;
thread_local TimestampTz session_transaction_start{0};

}  // namespace

const TimeZone& SessionTimeZone() {
  if (session_zone != nullptr) return *session_zone;
  static const std::shared_ptr<const TimeZone> utc = TimeZone::Utc();
  return *utc;
}

TimestampTz ClockTimestamp() {
  const auto since_unix = std::chrono::system_clock::now().time_since_epoch();
  const int64_t unix_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(since_unix).count();
  return TimestampTz{unix_micros - kPostgresEpochUnixSeconds * kMicrosPerSecond};
}

TimestampTz StatementTimestamp() {
  return session_zone != nullptr ? session_transaction_start : ClockTimestamp();
}

SessionTimeScope::SessionTimeScope(const TimeZone* zone, TimestampTz transaction_start)
    : saved_zone_(session_zone), saved_start_(session_transaction_start) {
  session_zone = zone;
  session_transaction_start = transaction_start;
}

SessionTimeScope::~SessionTimeScope() {
  session_zone = saved_zone_;
  session_transaction_start = saved_start_;
}

DateTimeContext SessionDateTimeContext() {
  DateTimeContext context;
  context.zone = &SessionTimeZone();
  context.now = StatementTimestamp();
  return context;
}

namespace {

constexpr int kTimePrecisionMax = 6;

// Rounds microseconds to `typmod` fractional digits (half away from zero); other typmods
// (none, or beyond 6, which PostgreSQL reduces to 6) leave the value alone.
int64_t RoundMicros(int64_t micros, int32_t typmod) {
  if (typmod < 0 || typmod >= kTimePrecisionMax) return micros;
  int64_t scale = 1;
  for (int digit = typmod; digit < kTimePrecisionMax; ++digit) scale *= 10;
  const int64_t offset = scale / 2;
  if (micros >= 0) return ((micros + offset) / scale) * scale;
  return -(((-micros) + offset) / scale) * scale;
}

// Applies out's declared precision to a time/timestamp/timestamptz value just stored in `row`.
Status AdjustForTypmod(Vector* out, size_t row) {
  const int32_t typmod = out->type().typmod;
  const TypeId id = out->type().id;
  if (typmod < 0 || (id != TypeId::kTime && id != TypeId::kTimestamp &&
                     id != TypeId::kTimestampTz)) {
    return Status::Ok();
  }
  int64_t& micros = out->values<int64_t>()[row];
  if (id == TypeId::kTime) {
    micros = RoundMicros(micros, typmod);
    return Status::Ok();
  }
  if (micros == kTimestampNegativeInfinity || micros == kTimestampPositiveInfinity) {
    return Status::Ok();
  }
  micros = RoundMicros(micros, typmod);
  if (!IsValidTimestampMicros(micros)) {
    return SqlError(kDatetimeFieldOverflow, "timestamp out of range");
  }
  return Status::Ok();
}

template <typename T>
Status StoreResult(Result<T> value, Vector* out, size_t row) {
  if (!value.ok()) return std::move(value).status();
  Slot<T>::Set(out, row, *value);
  return Status::Ok();
}

Status ParseRow(std::string_view text, const DateTimeContext& context, Vector* out, size_t row) {
  switch (out->type().id) {
    case TypeId::kDate: return StoreResult(ParseDate(text, context), out, row);
    case TypeId::kTime: return StoreResult(ParseTime(text, context), out, row);
    case TypeId::kTimestamp: return StoreResult(ParseTimestamp(text, context), out, row);
    case TypeId::kTimestampTz: return StoreResult(ParseTimestampTz(text, context), out, row);
    case TypeId::kInterval: return StoreResult(ParseInterval(text), out, row);
    default: return SqlError(kInternalError, "not a date/time type");
  }
}

// interval -> time: the time part modulo a day, as PostgreSQL's interval_time.
Time IntervalToTime(const Interval& span) {
  int64_t micros = span.micros % kMicrosPerDay;
  if (micros < 0) micros += kMicrosPerDay;
  return Time{micros};
}

constexpr int CastPair(TypeId from, TypeId to) {
  return static_cast<int>(from) * 256 + static_cast<int>(to);
}

// One value between two date/time types. Sets the row NULL where PostgreSQL returns NULL
// (an infinite timestamp cast to time).
Status ConvertRow(const Vector& in, size_t row, Vector* out) {
  const TimeZone& zone = SessionTimeZone();
  const TypeId from = in.type().id;
  const TypeId to = out->type().id;
  if (from == to) {
    out->CopyRow(in, row, row);
    return Status::Ok();
  }
  switch (CastPair(from, to)) {
    case CastPair(TypeId::kDate, TypeId::kTimestamp):
      return StoreResult(DateToTimestamp(Slot<Date>::Get(in, row)), out, row);
    case CastPair(TypeId::kDate, TypeId::kTimestampTz):
      return StoreResult(DateToTimestampTz(Slot<Date>::Get(in, row), zone), out, row);
    case CastPair(TypeId::kTimestamp, TypeId::kDate):
      return StoreResult(TimestampToDate(Slot<Timestamp>::Get(in, row)), out, row);
    case CastPair(TypeId::kTimestampTz, TypeId::kDate):
      return StoreResult(TimestampTzToDate(Slot<TimestampTz>::Get(in, row), zone), out, row);
    case CastPair(TypeId::kTimestamp, TypeId::kTimestampTz):
      return StoreResult(TimestampToTimestampTz(Slot<Timestamp>::Get(in, row), zone), out, row);
    case CastPair(TypeId::kTimestampTz, TypeId::kTimestamp):
      return StoreResult(TimestampTzToTimestamp(Slot<TimestampTz>::Get(in, row), zone), out, row);
    case CastPair(TypeId::kTimestamp, TypeId::kTime):
    case CastPair(TypeId::kTimestampTz, TypeId::kTime): {
      Timestamp local = Slot<Timestamp>::Get(in, row);
      if (from == TypeId::kTimestampTz) {
        PLEXUS_ASSIGN_OR_RETURN(local,
                                TimestampTzToTimestamp(Slot<TimestampTz>::Get(in, row), zone));
      }
      if (!IsFinite(local)) {
        out->SetNull(row, true);
        return Status::Ok();
      }
      Slot<Time>::Set(out, row, TimestampToTime(local));
      return Status::Ok();
    }
    case CastPair(TypeId::kTime, TypeId::kInterval):
      Slot<Interval>::Set(out, row, Interval{Slot<Time>::Get(in, row).micros, 0, 0});
      return Status::Ok();
    case CastPair(TypeId::kInterval, TypeId::kTime):
      Slot<Time>::Set(out, row, IntervalToTime(Slot<Interval>::Get(in, row)));
      return Status::Ok();
    default:
      return SqlError(kFeatureNotSupported, "cast from " + catalog::FormatType(in.type()) +
                                                " to " + catalog::FormatType(out->type()) +
                                                " is not supported");
  }
}

}  // namespace

bool DateTimeCastExists(const Type& from, const Type& to) {
  if (from.id == to.id) return true;
  if (IsTextLike(from.id) && IsDateTimeFamily(to)) return true;
  if (IsDateTimeFamily(from) && catalog::IsString(to.id)) return true;
  switch (CastPair(from.id, to.id)) {
    case CastPair(TypeId::kDate, TypeId::kTimestamp):
    case CastPair(TypeId::kDate, TypeId::kTimestampTz):
    case CastPair(TypeId::kTimestamp, TypeId::kDate):
    case CastPair(TypeId::kTimestamp, TypeId::kTime):
    case CastPair(TypeId::kTimestamp, TypeId::kTimestampTz):
    case CastPair(TypeId::kTimestampTz, TypeId::kDate):
    case CastPair(TypeId::kTimestampTz, TypeId::kTime):
    case CastPair(TypeId::kTimestampTz, TypeId::kTimestamp):
    case CastPair(TypeId::kTime, TypeId::kInterval):
    case CastPair(TypeId::kInterval, TypeId::kTime): return true;
    default: return false;
  }
}

Status CastDateTimeFamily(const Vector& in, size_t rows, const uint8_t* active, Vector* out) {
  const TypeId from = in.type().id;
  if (IsTextLike(from)) {
    const DateTimeContext context = SessionDateTimeContext();
    for (size_t row = 0; row < rows; ++row) {
      if (!active[row]) continue;
      PLEXUS_RETURN_IF_ERROR(ParseRow(in.GetString(row), context, out, row));
      PLEXUS_RETURN_IF_ERROR(AdjustForTypmod(out, row));
    }
    return Status::Ok();
  }
  if (catalog::IsString(out->type().id)) {
    std::string text;
    for (size_t row = 0; row < rows; ++row) {
      if (!active[row]) continue;
      text.clear();
      PLEXUS_RETURN_IF_ERROR(FormatDateTimeText(in, row, &text));
      out->values<std::string_view>()[row] = out->arena().Copy(text);
    }
    return Status::Ok();
  }
  if (!IsDateTimeFamily(in.type()) || !IsDateTimeFamily(out->type())) {
    return SqlError(kFeatureNotSupported, "cast from " + catalog::FormatType(in.type()) + " to " +
                                              catalog::FormatType(out->type()) +
                                              " is not supported");
  }
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_RETURN_IF_ERROR(ConvertRow(in, row, out));
    if (!out->IsNull(row)) PLEXUS_RETURN_IF_ERROR(AdjustForTypmod(out, row));
  }
  return Status::Ok();
}

Status FormatDateTimeText(const Vector& vector, size_t row, std::string* out) {
  switch (vector.type().id) {
    case TypeId::kDate: out->append(FormatDate(Slot<Date>::Get(vector, row))); break;
    case TypeId::kTime: out->append(FormatTime(Slot<Time>::Get(vector, row))); break;
    case TypeId::kTimestamp: out->append(FormatTimestamp(Slot<Timestamp>::Get(vector, row))); break;
    case TypeId::kTimestampTz:
      out->append(FormatTimestampTz(Slot<TimestampTz>::Get(vector, row), SessionTimeZone()));
      break;
    case TypeId::kInterval: out->append(FormatInterval(Slot<Interval>::Get(vector, row))); break;
    default: return SqlError(kInternalError, "not a date/time type");
  }
  return Status::Ok();
}

}  // namespace plexus::sql
