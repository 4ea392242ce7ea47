// Fuzzes date/time input as SQL literals and text casts reach it: every parser gives a value or
// a SQL error with a SQLSTATE, and what parses formats to text that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plexus/sql/types/datetime_input.h"
#include "plexus/sql/types/datetime_output.h"
#include "plexus/sql/types/interval.h"
#include "plexus/sql/types/timezone.h"

namespace {

template <typename T>
void CheckStatus(const plexus::Result<T>& result) {
  if (!result.ok() && result.status().sql_state().empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace plexus::sql;
  static const auto utc = TimeZone::Utc();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  DateTimeContext context{utc.get(), TimestampTz{0}};
  auto date = ParseDate(input, context);
  CheckStatus(date);
  if (date.ok()) {
    auto again = ParseDate(FormatDate(*date), context);
    if (!again.ok() || again->days != date->days) std::abort();
  }
  auto timestamp = ParseTimestamp(input, context);
  CheckStatus(timestamp);
  if (timestamp.ok()) {
    auto again = ParseTimestamp(FormatTimestamp(*timestamp), context);
    if (!again.ok() || again->micros != timestamp->micros) std::abort();
  }
  CheckStatus(ParseTimestampTz(input, context));
  CheckStatus(ParseTime(input, context));
  auto interval = ParseInterval(input);
  CheckStatus(interval);
  if (interval.ok()) (void)FormatInterval(*interval);
  return 0;
}
