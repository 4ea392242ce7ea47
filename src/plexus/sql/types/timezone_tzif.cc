// TZif files (RFC 8536): a 44-byte header "TZif" + version + six big-endian
// counts, then the transition times, their type indexes, the 6-byte type
// records and the abbreviation bytes; version 2+ repeats all with 64-bit times
// and ends with a POSIX TZ footer between newlines. Also the conversions of
// local fields that need a zone.
#include "plexus/sql/types/timezone.h"

namespace plexus::sql {

namespace {

constexpr size_t kTzifHeaderBytes = 44;
constexpr uint32_t kTzifTypesMax = 256;  // type indexes are one byte
constexpr uint32_t kTzifTransitionsMax = 1 << 16;

struct TzifCounts {
  uint32_t is_ut = 0, is_std = 0, leap = 0, time = 0, type = 0, chars = 0;
};

uint64_t ReadBigEndian(std::string_view data, size_t offset, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(data[offset + i]);
  return value;
}

Status Malformed(std::string_view name) {
  return Status::Corruption("malformed time zone file for \"" + std::string(name) + "\"");
}

bool ReadHeader(std::string_view data, size_t offset, char *version, TzifCounts *counts) {
  if (data.size() < offset + kTzifHeaderBytes || data.substr(offset, 4) != "TZif") return false;
  *version = data[offset + 4];
  uint32_t *fields[] = {&counts->is_ut, &counts->is_std, &counts->leap,
                        &counts->time,  &counts->type,   &counts->chars};
  for (int i = 0; i < 6; ++i) {
    *fields[i] = static_cast<uint32_t>(ReadBigEndian(data, offset + 20 + 4 * i, 4));
  }
  return counts->type >= 1 && counts->type <= kTzifTypesMax &&
         counts->time <= kTzifTransitionsMax && counts->chars <= kTzifTransitionsMax &&
         counts->leap <= kTzifTransitionsMax && counts->is_ut <= counts->type &&
         counts->is_std <= counts->type;
}

size_t DataBytes(const TzifCounts &counts, int time_bytes) {
  return size_t{counts.time} * time_bytes + counts.time + size_t{counts.type} * 6 + counts.chars +
         size_t{counts.leap} * (time_bytes + 4) + counts.is_std + counts.is_ut;
}

}  // namespace

Result<std::shared_ptr<const TimeZone>> ParseTzif(std::string name, std::string_view data) {
  char version = 0;
  TzifCounts counts;
  if (!ReadHeader(data, 0, &version, &counts)) return Malformed(name);
  size_t offset = kTzifHeaderBytes;
  int time_bytes = 4;
  if (version >= '2') {
    // Skip the 32-bit block; the 64-bit one after the second header covers all
    // instants.
    offset += DataBytes(counts, 4);
    if (!ReadHeader(data, offset, &version, &counts)) return Malformed(name);
    offset += kTzifHeaderBytes;
    time_bytes = 8;
  }
  if (data.size() < offset + DataBytes(counts, time_bytes)) return Malformed(name);

  std::vector<int64_t> transitions(counts.time);
  for (uint32_t i = 0; i < counts.time; ++i) {
    uint64_t raw = ReadBigEndian(data, offset + size_t{i} * time_bytes, time_bytes);
    transitions[i] = time_bytes == 4 ? static_cast<int32_t>(raw) : static_cast<int64_t>(raw);
    if (i > 0 && transitions[i] <= transitions[i - 1]) return Malformed(name);
  }
  offset += size_t{counts.time} * time_bytes;
  std::vector<uint8_t> types_after(counts.time);
  for (uint32_t i = 0; i < counts.time; ++i) {
    types_after[i] = static_cast<uint8_t>(data[offset + i]);
    if (types_after[i] >= counts.type) return Malformed(name);
  }
  offset += counts.time;
  size_t chars_offset = offset + size_t{counts.type} * 6;
  std::string_view chars = data.substr(chars_offset, counts.chars);
  std::vector<ZoneType> types(counts.type);
  for (uint32_t i = 0; i < counts.type; ++i) {
    size_t record = offset + size_t{i} * 6;
    types[i].utc_offset_seconds = static_cast<int32_t>(ReadBigEndian(data, record, 4));
    types[i].is_dst = data[record + 4] != 0;
    size_t abbreviation_index = static_cast<uint8_t>(data[record + 5]);
    if (abbreviation_index >= chars.size()) return Malformed(name);
    std::string_view rest = chars.substr(abbreviation_index);
    types[i].abbreviation = std::string(rest.substr(0, rest.find('\0')));
  }
  offset += DataBytes(counts, time_bytes) - size_t{counts.time} * (time_bytes + 1);

  std::optional<PosixZone> footer;
  if (time_bytes == 8 && offset < data.size() && data[offset] == '\n') {
    size_t end = data.find('\n', offset + 1);
    if (end == std::string_view::npos) return Malformed(name);
    std::string_view spec = data.substr(offset + 1, end - offset - 1);
    if (!spec.empty()) {
      footer = ParsePosixZone(spec);
      if (!footer) return Malformed(name);
    }
  }
  return std::shared_ptr<const TimeZone>(
      std::make_shared<TimeZone>(std::move(name), std::move(transitions), std::move(types_after),
                                 std::move(types), std::move(footer)));
}

bool TimestampTzToFields(TimestampTz value, const TimeZone &zone, DateTimeFields *fields) {
  if (!TimestampToFields(Timestamp{value.micros}, fields)) return false;
  // Whole seconds of the instant (the fraction of a valid breakdown is never
  // negative).
  int64_t unix_seconds =
      (value.micros - fields->micros) / kMicrosPerSecond + kPostgresEpochUnixSeconds;
  const ZoneType &type = zone.TypeAtUtc(unix_seconds);
  int64_t local_micros = value.micros + int64_t{type.utc_offset_seconds} * kMicrosPerSecond;
  if (!TimestampToFields(Timestamp{local_micros}, fields)) return false;
  fields->utc_offset_seconds = type.utc_offset_seconds;
  fields->is_dst = type.is_dst;
  return true;
}

int32_t LocalOffsetOfFields(const DateTimeFields &fields, const TimeZone &zone, bool *is_dst) {
  if (!IsValidJulianDate(fields.year, fields.month, fields.day)) {
    if (is_dst != nullptr) *is_dst = false;
    return 0;  // as PostgreSQL: a date beyond the calendar's range is taken as
               // UTC
  }
  int64_t days = int64_t{DateToJulian(fields.year, fields.month, fields.day)} - kUnixEpochJulian;
  int64_t local_seconds =
      days * kSecondsPerDay + (int64_t{fields.hour} * 60 + fields.minute) * 60 + fields.second;
  return zone.OffsetOfLocal(local_seconds, is_dst);
}

bool FieldsToTimestampTz(const DateTimeFields &fields, const TimeZone &zone, TimestampTz *value) {
  int32_t offset = LocalOffsetOfFields(fields, zone);
  return FieldsToMicrosAtOffset(fields, offset, &value->micros);
}

}  // namespace plexus::sql
