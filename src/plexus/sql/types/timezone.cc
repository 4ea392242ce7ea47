// TimeZone: lookup of local time types by UTC instant and of offsets by local
// wall time (with PostgreSQL's choice in DST gaps and overlaps), and the
// per-name cache over the tz database.
#include "plexus/sql/types/timezone.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include "plexus/base/assert.h"
#include "plexus/sql/sqlstate.h"

namespace plexus::sql {

namespace {

constexpr std::string_view kZoneInfoDirectory = "/usr/share/zoneinfo";
constexpr size_t kZoneNameBytesMax = 255;  // PostgreSQL's TZ_STRLEN_MAX
constexpr size_t kTzifFileBytesMax = 1 << 20;
constexpr size_t kZoneCacheEntriesMax = 1024;

// Gregorian year of a Unix instant, for picking which years of POSIX rules to
// expand.
int YearOfUnixSeconds(int64_t unix_seconds) {
  int64_t days = unix_seconds / kSecondsPerDay - (unix_seconds % kSecondsPerDay < 0 ? 1 : 0);
  int64_t julian = std::clamp<int64_t>(days + kUnixEpochJulian, 0, kDateEndJulian);
  int year = 0, month = 0, day = 0;
  JulianToDate(static_cast<int32_t>(julian), &year, &month, &day);
  return year;
}

std::string Upper(std::string_view text) {
  std::string result(text);
  for (char &c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

// Whether `name` could be a path under the tz directory: no empty, "." or ".."
// component and only the characters IANA names use.
bool IsZoneFileName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return false;
    }
  }
  return name.find("//") == std::string_view::npos;
}

// The entry of `directory` equal to `component` ignoring case, as spelled on
// disk.
std::optional<std::string> FindEntryIgnoringCase(const std::string &directory,
                                                 std::string_view component) {
  DIR *dir = opendir(directory.c_str());
  if (dir == nullptr) return std::nullopt;
  std::optional<std::string> found;
  std::string wanted = Upper(component);
  while (dirent *entry = readdir(dir)) {
    std::string_view entry_name = entry->d_name;
    if (entry_name == "." || entry_name == "..") continue;
    if (Upper(entry_name) == wanted) {
      found = std::string(entry_name);
      break;
    }
  }
  closedir(dir);
  return found;
}

// Reads the TZif file of `name` (case-insensitive path), setting *canonical to
// its spelling.
std::optional<std::string> ReadZoneFile(std::string_view name, std::string *canonical) {
  std::string path(kZoneInfoDirectory);
  canonical->clear();
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    std::optional<std::string> entry =
        FindEntryIgnoringCase(path, name.substr(start, slash - start));
    if (!entry) return std::nullopt;
    path += "/" + *entry;
    *canonical += (canonical->empty() ? "" : "/") + *entry;
    start = slash + 1;
  }
  FILE *file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return std::nullopt;
  std::string data;
  char buffer[8192];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file)) > 0 &&
         data.size() <= kTzifFileBytesMax) {
    data.append(buffer, read);
  }
  std::fclose(file);
  if (data.size() > kTzifFileBytesMax) return std::nullopt;
  return data;
}

Status NotRecognized(std::string_view name) {
  return SqlError(kInvalidParameterValue, "time zone \"" + std::string(name) + "\" not recognized");
}

std::shared_ptr<const TimeZone> FromPosix(std::string name, PosixZone zone) {
  std::vector<ZoneType> types{zone.standard};
  return std::make_shared<TimeZone>(std::move(name), std::vector<int64_t>{}, std::vector<uint8_t>{},
                                    std::move(types), std::move(zone));
}

// Uncached resolution of a name: a tz database file, else a POSIX TZ string.
Result<std::shared_ptr<const TimeZone>> LoadZone(std::string_view name) {
  if (name.size() > kZoneNameBytesMax) return NotRecognized(name);
  std::string upper = Upper(name);
  if (upper != "GMT" && IsZoneFileName(name)) {
    std::string canonical;
    if (std::optional<std::string> data = ReadZoneFile(name, &canonical)) {
      Result<std::shared_ptr<const TimeZone>> zone = ParseTzif(canonical, *data);
      if (zone.ok()) return zone;
      // A file that is not TZif (zone.tab, a directory) is no zone; try POSIX
      // below.
    }
  }
  if (!upper.empty() && upper.front() != ':') {
    if (std::optional<PosixZone> posix = ParsePosixZone(upper)) {
      return FromPosix(upper, std::move(*posix));
    }
  }
  return NotRecognized(name);
}

}  // namespace

TimeZone::TimeZone(std::string name, std::vector<int64_t> transitions,
                   std::vector<uint8_t> types_after, std::vector<ZoneType> types,
                   std::optional<PosixZone> footer)
    : name_(std::move(name)),
      transitions_(std::move(transitions)),
      types_after_(std::move(types_after)),
      types_(std::move(types)),
      footer_(std::move(footer)) {
  PLEXUS_ASSERT(!types_.empty());
  PLEXUS_ASSERT(transitions_.size() == types_after_.size());
  if (footer_ && !footer_->daylight) footer_.reset();  // a fixed footer adds no transitions
}

Result<std::shared_ptr<const TimeZone>> TimeZone::Find(std::string_view name) {
  static std::mutex mutex;
  static auto *cache = new std::unordered_map<std::string, std::shared_ptr<const TimeZone>>();
  std::string key = Upper(name);
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache->find(key);
    if (it != cache->end()) return it->second;
  }
  PLEXUS_ASSIGN_OR_RETURN(std::shared_ptr<const TimeZone> zone, LoadZone(name));
  std::lock_guard<std::mutex> lock(mutex);
  // Another thread may have loaded the same zone meanwhile: every caller gets the cached one.
  if (auto it = cache->find(key); it != cache->end()) return it->second;
  // Past the limit, zones are still served, just not kept.
  if (cache->size() < kZoneCacheEntriesMax) cache->emplace(key, zone);
  return zone;
}

Result<std::shared_ptr<const TimeZone>> TimeZone::FromSetting(std::string_view value) {
  std::string text(value);
  char *end = nullptr;
  double hours = std::strtod(text.c_str(), &end);
  bool numeric = !text.empty() && end == text.c_str() + text.size() && std::isfinite(hours) &&
                 !std::isspace(static_cast<unsigned char>(text[0]));
  if (numeric) {
    if (std::abs(hours) > 24 * 7 - 1) return NotRecognized(value);
    return FixedOffset(static_cast<int32_t>(hours * 3600));
  }
  return Find(value);
}

std::shared_ptr<const TimeZone> TimeZone::FixedOffset(int32_t utc_offset_seconds) {
  int32_t magnitude = utc_offset_seconds < 0 ? -utc_offset_seconds : utc_offset_seconds;
  char digits[16];
  std::snprintf(digits, sizeof(digits), "%02d", magnitude / 3600);
  std::string offset = digits;
  if (magnitude % 3600 != 0) {
    std::snprintf(digits, sizeof(digits), ":%02d", magnitude % 3600 / 60);
    offset += digits;
    if (magnitude % 60 != 0) {
      std::snprintf(digits, sizeof(digits), ":%02d", magnitude % 60);
      offset += digits;
    }
  }
  // PostgreSQL's pg_tzset_offset spelling: the abbreviation in ISO sign, the
  // offset in POSIX.
  std::string name =
      utc_offset_seconds >= 0 ? "<+" + offset + ">-" + offset : "<-" + offset + ">+" + offset;
  PosixZone zone;
  zone.standard.utc_offset_seconds = utc_offset_seconds;
  zone.standard.abbreviation = (utc_offset_seconds >= 0 ? "+" : "-") + offset;
  return FromPosix(std::move(name), std::move(zone));
}

std::shared_ptr<const TimeZone> TimeZone::Utc() {
  static const std::shared_ptr<const TimeZone> utc = [] {
    Result<std::shared_ptr<const TimeZone>> zone = Find("UTC");
    if (zone.ok()) return *zone;
    PosixZone posix;
    posix.standard.abbreviation = "UTC";
    return FromPosix("UTC", std::move(posix));
  }();
  return utc;
}

const ZoneType &TimeZone::LowestStandardType() const {
  for (const ZoneType &type : types_) {
    if (!type.is_dst) return type;
  }
  return types_[0];
}

TimeZone::Segment TimeZone::FindSegment(int64_t unix_seconds) const {
  if (transitions_.empty() && !footer_) return {&LowestStandardType()};
  if (!transitions_.empty() && unix_seconds < transitions_.front()) {
    return {&types_[0], &types_[types_after_.front()], transitions_.front()};
  }
  auto next = std::upper_bound(transitions_.begin(), transitions_.end(), unix_seconds);
  if (next != transitions_.end()) {
    size_t index = next - transitions_.begin();
    return {&types_[types_after_[index - 1]], &types_[types_after_[index]], *next};
  }
  const ZoneType *current =
      transitions_.empty() ? &footer_->standard : &types_[types_after_.back()];
  if (!footer_) return {current};
  // Past the table: expand the POSIX rules around the instant. Three years on
  // each side cover any rule time a week away from its date.
  int year = YearOfUnixSeconds(unix_seconds);
  std::vector<ZoneTransition> expanded;
  for (int y = year - 1; y <= year + 2; ++y) AppendPosixTransitions(*footer_, y, &expanded);
  std::sort(expanded.begin(), expanded.end(), [](const ZoneTransition &a, const ZoneTransition &b) {
    return a.unix_seconds < b.unix_seconds;
  });
  int64_t table_end = transitions_.empty() ? INT64_MIN : transitions_.back();
  Segment segment{current};
  for (const ZoneTransition &transition : expanded) {
    if (transition.unix_seconds <= table_end) continue;
    if (transition.unix_seconds <= unix_seconds) {
      segment.type = transition.type;
    } else {
      segment.next_type = transition.type;
      segment.next_transition = transition.unix_seconds;
      break;
    }
  }
  return segment;
}

const ZoneType &TimeZone::TypeAtUtc(int64_t unix_seconds) const {
  return *FindSegment(unix_seconds).type;
}

int32_t TimeZone::OffsetOfLocal(int64_t local_unix_seconds, bool *is_dst) const {
  // Zones change offset by less than a day and not twice within two days, so
  // the first boundary after (local - 1 day) is the only one that can matter.
  Segment segment = FindSegment(local_unix_seconds - kSecondsPerDay);
  const ZoneType *chosen = segment.type;
  if (segment.next_type != nullptr) {
    int64_t before_utc = local_unix_seconds - segment.type->utc_offset_seconds;
    int64_t after_utc = local_unix_seconds - segment.next_type->utc_offset_seconds;
    int64_t boundary = segment.next_transition;
    if (before_utc < boundary && after_utc < boundary) {
      chosen = segment.type;
    } else if (before_utc >= boundary && after_utc >= boundary) {
      chosen = segment.next_type;
    } else {
      // In a gap (spring forward) prefer the "before" reading, in an overlap
      // the "after" one.
      chosen = before_utc > after_utc ? segment.type : segment.next_type;
    }
  }
  if (is_dst != nullptr) *is_dst = chosen->is_dst;
  return chosen->utc_offset_seconds;
}

}  // namespace plexus::sql
