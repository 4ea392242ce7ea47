// The table of settings and PostgreSQL's value syntax: booleans (on/off/true/false/yes/no/1/0),
// integers with units (ms s min h d; kB MB GB TB) shown in the largest unit that divides them,
// enumerations, and the few with their own parsers (TimeZone, DateStyle, isolation levels).
#include "plexus/session/settings.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>

#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/timezone.h"

namespace plexus::session {

namespace {

uint64_t NextGeneration() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

using sql::SqlError;

enum class Kind : uint8_t {
  kString,
  kBool,
  kMilliseconds,  // integer, time units, base ms
  kKilobytes,     // integer, memory units, base kB
  kInteger,
  kEnum,          // one of `choices`
  kReadOnly,      // fixed by the server
  kSpecial,       // parsed in Settings::Apply
};

struct Definition {
  std::string_view name;  // canonical spelling
  std::string_view default_value;
  Kind kind;
  bool reported;  // sent to wire clients when it changes (GUC_REPORT)
  std::string_view description;
  std::string_view choices = {};  // kEnum: comma-separated; kInteger: "min,max"
};

// Sorted by lower-case name (SHOW ALL order).
constexpr Definition kDefinitions[] = {
    {"application_name", "", Kind::kString, true, "Sets the application name to be reported in statistics and logs."},
    {"bytea_output", "hex", Kind::kEnum, false, "Sets the output format for bytea.", "hex"},
    {"client_encoding", "UTF8", Kind::kSpecial, true, "Sets the client's character set encoding."},
    {"client_min_messages", "notice", Kind::kEnum, false, "Sets the message levels that are sent to the client.",
     "debug5,debug4,debug3,debug2,debug1,log,notice,warning,error"},
    {"DateStyle", "ISO, MDY", Kind::kSpecial, true, "Sets the display format for date and time values."},
    {"default_transaction_isolation", "", Kind::kSpecial, false, "Sets the transaction isolation level of each new transaction."},
    {"default_transaction_read_only", "off", Kind::kBool, true, "Sets the default read-only status of new transactions."},
    {"extra_float_digits", "1", Kind::kInteger, false, "Sets the number of digits displayed for floating-point values.", "-15,3"},
    {"idle_in_transaction_session_timeout", "0", Kind::kMilliseconds, false, "Sets the maximum allowed idle time between queries, when in a transaction."},
    {"in_hot_standby", "off", Kind::kReadOnly, true, "Shows whether hot standby is currently active."},
    {"integer_datetimes", "on", Kind::kReadOnly, true, "Shows whether datetimes are integer based."},
    {"IntervalStyle", "postgres", Kind::kEnum, true, "Sets the display format for interval values.", "postgres"},
    {"is_superuser", "on", Kind::kReadOnly, true, "Shows whether the current user is a superuser."},
    {"lock_timeout", "0", Kind::kMilliseconds, false, "Sets the maximum allowed duration of any wait for a lock."},
    {"max_identifier_length", "63", Kind::kReadOnly, false, "Shows the maximum identifier length."},
    // Passwords are only stored as SCRAM verifiers; psql's \password reads this to hash.
    {"password_encryption", "scram-sha-256", Kind::kEnum, false, "Chooses the algorithm for encrypting passwords.",
     "scram-sha-256"},
    {"search_path", "\"$user\", public", Kind::kString, false, "Sets the schema search order for names that are not schema-qualified."},
    {"server_encoding", "UTF8", Kind::kReadOnly, true, "Shows the server (database) character set encoding."},
    {"server_version", "15.0", Kind::kReadOnly, true, "Shows the server version."},
    {"server_version_num", "150000", Kind::kReadOnly, false, "Shows the server version as an integer."},
    {"session_authorization", "plexus", Kind::kReadOnly, true, "Sets the session user name."},
    {"standard_conforming_strings", "on", Kind::kEnum, true, "Causes '...' strings to treat backslashes literally.", "on"},
    {"statement_timeout", "0", Kind::kMilliseconds, false, "Sets the maximum allowed duration of any statement."},
    {"synchronous_commit", "on", Kind::kEnum, false, "Sets the current transaction's synchronization level.",
     "on,off,local,remote_write,remote_apply"},
    {"TimeZone", "UTC", Kind::kSpecial, true, "Sets the time zone for displaying and interpreting time stamps."},
    {"transaction_isolation", "", Kind::kSpecial, false, "Sets the current transaction's isolation level."},
    {"work_mem", "4MB", Kind::kKilobytes, false, "Sets the maximum memory to be used for query workspaces."},
};
constexpr size_t kDefinitionCount = std::size(kDefinitions);

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// Aliases PostgreSQL accepts for a setting's name.
std::string CanonicalLowerName(std::string_view name) {
  std::string lower = Lower(name);
  if (lower == "time zone") return "timezone";
  if (lower == "transaction isolation level") return "transaction_isolation";
  if (lower == "session authorization") return "session_authorization";
  return lower;
}

std::optional<size_t> FindDefinition(std::string_view name) {
  const std::string lower = CanonicalLowerName(name);
  for (size_t i = 0; i < kDefinitionCount; ++i) {
    if (Lower(kDefinitions[i].name) == lower) return i;
  }
  return std::nullopt;
}

Status InvalidValue(std::string_view name, std::string_view value) {
  return SqlError(sql::kInvalidParameterValue, "invalid value for parameter \"" +
                                                   std::string(name) + "\": \"" +
                                                   std::string(value) + "\"");
}

std::optional<bool> ParseBool(std::string_view text) {
  const std::string lower = Lower(text);
  if (lower == "on" || lower == "true" || lower == "yes" || lower == "1" || lower == "t" ||
      lower == "y") {
    return true;
  }
  if (lower == "off" || lower == "false" || lower == "no" || lower == "0" || lower == "f" ||
      lower == "n") {
    return false;
  }
  return std::nullopt;
}

struct Unit {
  std::string_view name;
  int64_t multiplier;  // in the base unit
};
constexpr Unit kTimeUnits[] = {{"d", 86'400'000}, {"h", 3'600'000}, {"min", 60'000}, {"s", 1000},
                               {"ms", 1}};
constexpr Unit kMemoryUnits[] = {{"TB", int64_t{1} << 30}, {"GB", 1 << 20}, {"MB", 1 << 10},
                                 {"kB", 1}};

// "5s", "1500", "4MB": the amount in the base unit.
std::optional<int64_t> ParseWithUnit(std::string_view text, const Unit* units, size_t count) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc()) return std::nullopt;
  std::string_view unit(end, text.data() + text.size() - end);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front()))) unit.remove_prefix(1);
  if (unit.empty()) return number;
  for (size_t i = 0; i < count; ++i) {
    if (unit == units[i].name) {
      if (number > INT64_MAX / units[i].multiplier || number < INT64_MIN / units[i].multiplier) {
        return std::nullopt;
      }
      return number * units[i].multiplier;
    }
  }
  return std::nullopt;
}

// The amount in the largest unit that divides it exactly, as SHOW prints it.
std::string FormatWithUnit(int64_t amount, const Unit* units, size_t count) {
  if (amount == 0) return "0";
  for (size_t i = 0; i < count; ++i) {
    if (amount % units[i].multiplier == 0) {
      return std::to_string(amount / units[i].multiplier) + std::string(units[i].name);
    }
  }
  return std::to_string(amount);
}

std::optional<IsolationLevel> ParseIsolation(std::string_view text, bool* serializable) {
  const std::string lower = Lower(text);
  *serializable = lower == "serializable";
  // Until SERIALIZABLE exists it runs as our strongest level; READ UNCOMMITTED is READ
  // COMMITTED, as in PostgreSQL.
  if (lower == "serializable" || lower == "repeatable read") return IsolationLevel::kRepeatableRead;
  if (lower == "read committed" || lower == "read uncommitted") return IsolationLevel::kReadCommitted;
  return std::nullopt;
}

// DateStyle: an output style and a field order, either of which may be given. Only ISO output
// is implemented.
Result<std::string> ParseDateStyle(std::string_view value, std::string_view current) {
  std::string style = "ISO";
  std::string order = std::string(current.substr(current.find(',') + 2));
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string token = Lower(value.substr(start, comma - start));
    token.erase(0, token.find_first_not_of(' '));
    token.erase(token.find_last_not_of(' ') + 1);
    if (token == "iso" || token == "default") {
      style = "ISO";
      if (token == "default") order = "MDY";
    } else if (token == "mdy" || token == "us" || token == "noneuro" || token == "noneuropean") {
      order = "MDY";
    } else if (token == "dmy" || token == "euro" || token == "european") {
      order = "DMY";
    } else if (token == "ymd") {
      order = "YMD";
    } else if (token == "sql" || token == "postgres" || token == "german") {
      return SqlError(sql::kFeatureNotSupported,
                      "DateStyle \"" + token + "\" is not supported; only ISO output is");
    } else {
      return SqlError(sql::kInvalidParameterValue,
                      "invalid value for parameter \"DateStyle\": \"" + std::string(value) + "\"");
    }
    start = comma + 1;
  }
  return style + ", " + order;
}

}  // namespace

Settings::Settings(IsolationLevel default_isolation)
    : time_zone_(sql::TimeZone::Utc()),
      default_isolation_(default_isolation),
      store_isolation_(default_isolation),
      generation_(NextGeneration()) {
  values_.reserve(kDefinitionCount);
  for (const Definition& definition : kDefinitions) values_.emplace_back(definition.default_value);
  const std::string isolation(IsolationLevelName(default_isolation));
  values_[*FindDefinition("default_transaction_isolation")] = isolation;
  values_[*FindDefinition("transaction_isolation")] = isolation;
}

Status Settings::Apply(size_t index, std::string_view value, std::string* display) {
  const Definition& definition = kDefinitions[index];
  const std::string_view name = definition.name;
  switch (definition.kind) {
    case Kind::kString:
      *display = std::string(value);
      return Status::Ok();
    case Kind::kBool: {
      std::optional<bool> parsed = ParseBool(value);
      if (!parsed) {
        return SqlError(sql::kInvalidParameterValue, "parameter \"" + std::string(name) +
                                                         "\" requires a Boolean value");
      }
      *display = *parsed ? "on" : "off";
      return Status::Ok();
    }
    case Kind::kMilliseconds:
    case Kind::kKilobytes: {
      const bool time = definition.kind == Kind::kMilliseconds;
      std::optional<int64_t> amount =
          time ? ParseWithUnit(value, kTimeUnits, std::size(kTimeUnits))
               : ParseWithUnit(value, kMemoryUnits, std::size(kMemoryUnits));
      const int64_t minimum = time ? 0 : 64;
      if (!amount || *amount < minimum || *amount > INT32_MAX) return InvalidValue(name, value);
      *display = time ? FormatWithUnit(*amount, kTimeUnits, std::size(kTimeUnits))
                      : FormatWithUnit(*amount, kMemoryUnits, std::size(kMemoryUnits));
      if (name == "statement_timeout") statement_timeout_ms_ = *amount;
      if (name == "work_mem") work_mem_kb_ = *amount;
      return Status::Ok();
    }
    case Kind::kInteger: {
      int64_t number = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
      const std::string_view range = definition.choices;
      const int64_t low = std::stoll(std::string(range.substr(0, range.find(','))));
      const int64_t high = std::stoll(std::string(range.substr(range.find(',') + 1)));
      if (error != std::errc() || end != value.data() + value.size()) return InvalidValue(name, value);
      if (number < low || number > high) {
        return SqlError(sql::kInvalidParameterValue,
                        std::to_string(number) + " is outside the valid range for parameter \"" +
                            std::string(name) + "\" (" + std::to_string(low) + " .. " +
                            std::to_string(high) + ")");
      }
      *display = std::to_string(number);
      return Status::Ok();
    }
    case Kind::kEnum: {
      const std::string lower = Lower(value);
      std::string_view choices = definition.choices;
      while (!choices.empty()) {
        const size_t comma = choices.find(',');
        if (choices.substr(0, comma) == lower) {
          *display = lower;
          return Status::Ok();
        }
        if (comma == std::string_view::npos) break;
        choices.remove_prefix(comma + 1);
      }
      // Recognised PostgreSQL values we do not implement say so, rather than "invalid".
      if ((name == "standard_conforming_strings" && ParseBool(value) == false) ||
          (name == "bytea_output" && lower == "escape") ||
          (name == "IntervalStyle" &&
           (lower == "postgres_verbose" || lower == "sql_standard" || lower == "iso_8601"))) {
        return SqlError(sql::kFeatureNotSupported,
                        "\"" + std::string(value) + "\" is not supported for parameter \"" +
                            std::string(name) + "\"");
      }
      if (name == "standard_conforming_strings" && ParseBool(value) == true) {
        *display = "on";
        return Status::Ok();
      }
      return InvalidValue(name, value);
    }
    case Kind::kReadOnly:
      return SqlError(sql::kCantChangeRuntimeParam,
                      "parameter \"" + std::string(name) + "\" cannot be changed");
    case Kind::kSpecial:
      break;
  }
  if (name == "TimeZone") {
    PLEXUS_ASSIGN_OR_RETURN(time_zone_, sql::TimeZone::FromSetting(value));
    *display = Lower(value) == "local" || Lower(value) == "default" ? "UTC" : time_zone_->name();
    return Status::Ok();
  }
  if (name == "DateStyle") {
    PLEXUS_ASSIGN_OR_RETURN(*display, ParseDateStyle(value, values_[index]));
    return Status::Ok();
  }
  if (name == "client_encoding") {
    const std::string lower = Lower(value);
    if (lower != "utf8" && lower != "utf-8" && lower != "unicode") {
      return SqlError(sql::kFeatureNotSupported,
                      "conversion to encoding \"" + std::string(value) +
                          "\" is not supported; the only client encoding is UTF8");
    }
    *display = "UTF8";
    return Status::Ok();
  }
  // default_transaction_isolation and transaction_isolation.
  bool serializable = false;
  std::optional<IsolationLevel> level = ParseIsolation(value, &serializable);
  if (!level) return InvalidValue(name, value);
  if (name == "default_transaction_isolation") default_isolation_ = *level;
  *display = serializable ? std::string("serializable") : std::string(IsolationLevelName(*level));
  return Status::Ok();
}

Status Settings::Set(std::string_view name, std::string_view value) {
  generation_ = NextGeneration();
  std::optional<size_t> index = FindDefinition(name);
  if (!index) {
    if (name.find('.') != std::string_view::npos) {
      custom_[Lower(name)] = std::string(value);
      return Status::Ok();
    }
    return SqlError(sql::kUndefinedObject,
                    "unrecognized configuration parameter \"" + std::string(name) + "\"");
  }
  std::string display;
  PLEXUS_RETURN_IF_ERROR(Apply(*index, value, &display));
  values_[*index] = std::move(display);
  return Status::Ok();
}

Status Settings::Reset(std::string_view name) {
  generation_ = NextGeneration();
  if (Lower(name) == "all") {
    const Settings defaults(store_isolation_);
    for (size_t i = 0; i < kDefinitionCount; ++i) {
      if (kDefinitions[i].kind == Kind::kReadOnly || kDefinitions[i].name == "transaction_isolation") {
        continue;
      }
      values_[i] = defaults.values_[i];
    }
    time_zone_ = defaults.time_zone_;
    statement_timeout_ms_ = defaults.statement_timeout_ms_;
    work_mem_kb_ = defaults.work_mem_kb_;
    custom_.clear();
    return Status::Ok();
  }
  std::optional<size_t> index = FindDefinition(name);
  if (!index) {
    if (custom_.erase(Lower(name)) > 0 || name.find('.') != std::string_view::npos) return Status::Ok();
    return SqlError(sql::kUndefinedObject,
                    "unrecognized configuration parameter \"" + std::string(name) + "\"");
  }
  const Definition& definition = kDefinitions[*index];
  if (definition.kind == Kind::kReadOnly) {
    return SqlError(sql::kCantChangeRuntimeParam,
                    "parameter \"" + std::string(definition.name) + "\" cannot be changed");
  }
  std::string value(definition.default_value);
  // The isolation settings default to the store's level.
  if (value.empty() && definition.kind == Kind::kSpecial) value = IsolationLevelName(store_isolation_);
  return Set(definition.name, value);
}

Result<Settings::Row> Settings::Show(std::string_view name) const {
  std::optional<size_t> index = FindDefinition(name);
  if (!index) {
    auto custom = custom_.find(Lower(name));
    if (custom != custom_.end()) return Row{custom->first, custom->second, ""};
    return SqlError(sql::kUndefinedObject,
                    "unrecognized configuration parameter \"" + std::string(name) + "\"");
  }
  return Row{std::string(kDefinitions[*index].name), values_[*index],
             std::string(kDefinitions[*index].description)};
}

std::vector<Settings::Row> Settings::ShowAll() const {
  std::vector<Row> rows;
  for (size_t i = 0; i < kDefinitionCount; ++i) {
    rows.push_back(Row{std::string(kDefinitions[i].name), values_[i],
                       std::string(kDefinitions[i].description)});
  }
  for (const auto& [name, value] : custom_) rows.push_back(Row{name, value, ""});
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return Lower(a.name) < Lower(b.name); });
  return rows;
}

bool Settings::IsReported(std::string_view name) {
  std::optional<size_t> index = FindDefinition(name);
  return index && kDefinitions[*index].reported;
}

std::vector<Settings::Row> Settings::Reported() const {
  std::vector<Row> rows;
  for (size_t i = 0; i < kDefinitionCount; ++i) {
    if (kDefinitions[i].reported) rows.push_back(Row{std::string(kDefinitions[i].name), values_[i], ""});
  }
  return rows;
}

std::vector<std::string> Settings::search_path() const {
  std::vector<std::string> schemas;
  const std::string& text = values_[*FindDefinition("search_path")];
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (!item.empty()) schemas.push_back(std::move(item));
    start = comma + 1;
  }
  return schemas;
}

}  // namespace plexus::session
