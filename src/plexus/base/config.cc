// The config key table and the sources that apply it: TOML file, environment, flags. Every key is
// written once, in kKeys; parsing, range checks, --help and ConfigToToml all read that table.
#include "plexus/base/config.h"

// Debian's toml++ is a shared library; its CMake target defines TOML_HEADER_ONLY=0, so this
// include declares and libtomlplusplus.so defines.
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "plexus/base/assert.h"
#include "plexus/base/status.h"

namespace plexus::base {
namespace {

constexpr int64_t kMebibyte = int64_t{1} << 20;
constexpr int64_t kPeriodicSyncMsMax = 60'000;
constexpr int64_t kBlockCacheBytesMax = int64_t{1} << 40;    // 1 TiB
constexpr int64_t kWriteBufferBytesMax = int64_t{16} << 30;  // 16 GiB
constexpr int64_t kBackgroundJobsMax = 64;
constexpr int64_t kLockTimeoutMsMax = 3'600'000;  // one hour
constexpr int64_t kNetThreadsMax = 256;             // server/net's kThreadsMax
constexpr int64_t kConnectionsMax = 1'000'000;      // server/net's kConnectionsMax
constexpr int64_t kPortMax = 65535;
constexpr int64_t kBulkBytesMin = int64_t{1} << 20;   // Redis's floor for proto-max-bulk-len
constexpr int64_t kBulkBytesMax = int64_t{1} << 36;
// server/http/limits.h's ranges (base cannot include server/).
constexpr int64_t kHttpBodyBytesMin = int64_t{1} << 10;
constexpr int64_t kHttpBodyBytesMax = int64_t{1} << 32;
constexpr int64_t kHttpHeaderBytesMin = int64_t{1} << 10;
constexpr int64_t kHttpHeaderBytesMax = int64_t{1} << 20;
constexpr int64_t kHttpTokenTtlSecondsMin = 1;
constexpr int64_t kHttpTokenTtlSecondsMax = 365 * 86'400;
constexpr int64_t kHttpIdleTimeoutMsMin = 100;
constexpr int64_t kHttpIdleTimeoutMsMax = 86'400'000;
// The setters narrow to Options' uint32_t fields.
static_assert(kPeriodicSyncMsMax <= UINT32_MAX);
static_assert(kBackgroundJobsMax <= UINT32_MAX);
static_assert(kLockTimeoutMsMax <= UINT32_MAX);

enum class ValueType : uint8_t { kString, kInteger };

// One config key. String keys have `set_text`; integer keys have `set_integer`, which is only
// called with a value in [min_value, max_value].
struct KeySpec {
  std::string_view name;
  std::string_view help;
  ValueType type;
  int64_t min_value;
  int64_t max_value;
  Status (*set_text)(std::string_view text, Config* config);
  void (*set_integer)(int64_t value, Config* config);
  std::string (*get)(const Config& config);  // unquoted text
};

std::string ToText(std::string_view text) { return std::string(text); }

constexpr KeySpec kKeys[] = {
    {"data_dir", "Directory that holds the database; created when missing.", ValueType::kString, 0,
     0,
     [](std::string_view text, Config* config) {
       if (text.empty()) return Status::InvalidArgument("must not be empty");
       config->data_dir = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.data_dir; }},
    {"log.level", "Lowest level logged: trace, debug, info, warn, error or off.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       PLEXUS_ASSIGN_OR_RETURN(config->log_level, ParseLogLevel(text));
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return ToText(LogLevelName(config.log_level)); }},
    {"log.file", "File that log lines are appended to, besides stderr; empty for none.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->log_file = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.log_file; }},
    {"storage.durability",
     "When a commit is on stable storage: sync (fsync before it returns), periodic (fsync "
     "every storage.periodic_sync_ms) or off (the OS decides).",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       PLEXUS_ASSIGN_OR_RETURN(config->storage.durability, ParseDurability(text));
       return Status::Ok();
     },
     nullptr,
     [](const Config& config) { return ToText(DurabilityName(config.storage.durability)); }},
    {"storage.periodic_sync_ms", "WAL fsync interval when durability is periodic.",
     ValueType::kInteger, 1, kPeriodicSyncMsMax, nullptr,
     [](int64_t value, Config* config) {
       config->storage.periodic_sync_ms = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.storage.periodic_sync_ms); }},
    {"storage.block_cache_bytes", "Size of the block cache shared by all column families.",
     ValueType::kInteger, kMebibyte, kBlockCacheBytesMax, nullptr,
     [](int64_t value, Config* config) {
       config->storage.block_cache_bytes = static_cast<uint64_t>(value);
     },
     [](const Config& config) { return std::to_string(config.storage.block_cache_bytes); }},
    {"storage.write_buffer_bytes", "Size a memtable reaches before it is flushed to disk.",
     ValueType::kInteger, kMebibyte, kWriteBufferBytesMax, nullptr,
     [](int64_t value, Config* config) {
       config->storage.write_buffer_bytes = static_cast<uint64_t>(value);
     },
     [](const Config& config) { return std::to_string(config.storage.write_buffer_bytes); }},
    {"storage.background_jobs", "Threads for flushes and compactions.", ValueType::kInteger, 1,
     kBackgroundJobsMax, nullptr,
     [](int64_t value, Config* config) {
       config->storage.background_jobs = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.storage.background_jobs); }},
    {"txn.isolation", "Default isolation level: read committed or repeatable read.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       PLEXUS_ASSIGN_OR_RETURN(config->storage.isolation, ParseIsolationLevel(text));
       return Status::Ok();
     },
     nullptr,
     [](const Config& config) { return ToText(IsolationLevelName(config.storage.isolation)); }},
    {"txn.lock_timeout_ms", "How long a transaction waits for a lock held by another.",
     ValueType::kInteger, 1, kLockTimeoutMsMax, nullptr,
     [](int64_t value, Config* config) {
       config->storage.lock_timeout_ms = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.storage.lock_timeout_ms); }},
    {"net.threads", "Network event loop threads shared by the front ends; 0: two per core.",
     ValueType::kInteger, 0, kNetThreadsMax, nullptr,
     [](int64_t value, Config* config) { config->net.threads = static_cast<uint32_t>(value); },
     [](const Config& config) { return std::to_string(config.net.threads); }},
    {"net.max_connections",
     "Client connections open at once over every front end; more are refused with an error.",
     ValueType::kInteger, 1, kConnectionsMax, nullptr,
     [](int64_t value, Config* config) {
       config->net.max_connections = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.net.max_connections); }},
    {"resp.address", "IP address the Redis protocol listens on.", ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       if (text.empty()) return Status::InvalidArgument("must not be empty");
       config->resp.address = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.resp.address; }},
    {"resp.port", "TCP port of the Redis protocol; 0 turns it off.", ValueType::kInteger, 0,
     kPortMax, nullptr,
     [](int64_t value, Config* config) { config->resp.port = static_cast<uint32_t>(value); },
     [](const Config& config) { return std::to_string(config.resp.port); }},
    {"resp.unixsocket",
     "Path of a Unix-domain socket the Redis protocol also listens on (Redis's unixsocket; "
     "redis-cli -s PATH); empty: none.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->resp.unixsocket = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.resp.unixsocket; }},
    {"resp.requirepass",
     "Password Redis clients must give with AUTH (the default user's); empty: none.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->resp.requirepass = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.resp.requirepass; }},
    {"resp.proto_max_bulk_len", "Largest string a Redis client may send, in bytes.",
     ValueType::kInteger, kBulkBytesMin, kBulkBytesMax, nullptr,
     [](int64_t value, Config* config) {
       config->resp.proto_max_bulk_len = static_cast<uint64_t>(value);
     },
     [](const Config& config) { return std::to_string(config.resp.proto_max_bulk_len); }},
    {"resp.threads",
     "Event loop threads (of net.threads) that serve Redis clients; 0: all. One, as Redis: "
     "clients of one hot key then take turns instead of waiting for each other's locks.",
     ValueType::kInteger, 0, kNetThreadsMax, nullptr,
     [](int64_t value, Config* config) { config->resp.threads = static_cast<uint32_t>(value); },
     [](const Config& config) { return std::to_string(config.resp.threads); }},
    {"pg.address", "IP address the PostgreSQL protocol listens on.", ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       if (text.empty()) return Status::InvalidArgument("must not be empty");
       config->pg.address = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.pg.address; }},
    {"pg.port", "TCP port of the PostgreSQL protocol; 0 turns it off.", ValueType::kInteger, 0,
     kPortMax, nullptr,
     [](int64_t value, Config* config) { config->pg.port = static_cast<uint32_t>(value); },
     [](const Config& config) { return std::to_string(config.pg.port); }},
    {"pg.unix_socket_directories",
     "Comma-separated directories where the PostgreSQL protocol also listens on a Unix-domain "
     "socket named .s.PGSQL.<pg.port> (psql -h DIR); a directory that does not exist is "
     "skipped. Empty: none.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->pg.unix_socket_directories = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.pg.unix_socket_directories; }},
    {"pg.hba",
     "Client authentication rules, pg_hba.conf style, separated by ';' or newlines: "
     "TYPE(host|hostssl|hostnossl) DATABASE USER ADDRESS(CIDR|all) "
     "METHOD(trust|reject|scram-sha-256|password), or local DATABASE USER METHOD for Unix-domain "
     "sockets. Empty: trust on Unix-domain sockets and 127.0.0.1/::1, scram-sha-256 elsewhere.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->pg.hba = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.pg.hba; }},
    {"pg.superuser", "Superuser role created (with LOGIN, no password) in a data directory "
     "that has no roles yet.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       if (text.empty()) return Status::InvalidArgument("must not be empty");
       config->pg.superuser = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.pg.superuser; }},
    {"http.address", "IP address the HTTP API, metrics and console listen on.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       if (text.empty()) return Status::InvalidArgument("must not be empty");
       config->http.address = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.http.address; }},
    {"http.port", "TCP port of the HTTP front end; 0 turns it off.", ValueType::kInteger, 0,
     kPortMax, nullptr,
     [](int64_t value, Config* config) { config->http.port = static_cast<uint32_t>(value); },
     [](const Config& config) { return std::to_string(config.http.port); }},
    {"http.max_body_bytes", "Largest HTTP request body, in bytes; larger ones get 413.",
     ValueType::kInteger, kHttpBodyBytesMin, kHttpBodyBytesMax, nullptr,
     [](int64_t value, Config* config) {
       config->http.max_body_bytes = static_cast<uint64_t>(value);
     },
     [](const Config& config) { return std::to_string(config.http.max_body_bytes); }},
    {"http.max_header_bytes",
     "Largest HTTP request line and headers, in bytes; larger ones get 431.",
     ValueType::kInteger, kHttpHeaderBytesMin, kHttpHeaderBytesMax, nullptr,
     [](int64_t value, Config* config) {
       config->http.max_header_bytes = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.http.max_header_bytes); }},
    {"http.idle_timeout_ms",
     "An HTTP connection without a request, or whose request does not arrive, is closed "
     "after this many milliseconds.",
     ValueType::kInteger, kHttpIdleTimeoutMsMin, kHttpIdleTimeoutMsMax, nullptr,
     [](int64_t value, Config* config) {
       config->http.idle_timeout_ms = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.http.idle_timeout_ms); }},
    {"http.auth",
     "HTTP authentication: off, or token (Authorization: Bearer, tokens from http.tokens or "
     "POST /api/v1/auth/token).",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       if (text != "off" && text != "token") {
         return Status::InvalidArgument("expected off or token");
       }
       config->http.auth = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.http.auth; }},
    {"http.tokens",
     "Static HTTP bearer tokens and their roles: \"token:role,token:role\"; empty: none.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->http.tokens = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.http.tokens; }},
    {"http.token_ttl_s",
     "Lifetime of bearer tokens issued by POST /api/v1/auth/token, in seconds (they are kept in "
     "the catalog and survive restarts).",
     ValueType::kInteger, kHttpTokenTtlSecondsMin, kHttpTokenTtlSecondsMax, nullptr,
     [](int64_t value, Config* config) {
       config->http.token_ttl_s = static_cast<uint32_t>(value);
     },
     [](const Config& config) { return std::to_string(config.http.token_ttl_s); }},
    {"tls.cert", "PEM certificate chain; with tls.key, PostgreSQL and HTTP clients may use TLS.",
     ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->tls.cert = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.tls.cert; }},
    {"tls.key", "PEM private key of tls.cert.", ValueType::kString, 0, 0,
     [](std::string_view text, Config* config) {
       config->tls.key = text;
       return Status::Ok();
     },
     nullptr, [](const Config& config) { return config.tls.key; }},
};

// "storage.durability" -> "PLEXUS_STORAGE_DURABILITY".
std::string EnvironmentVariableOf(std::string_view key_name) {
  std::string name(kConfigVariablePrefix);
  for (char c : key_name) {
    if (c == '.') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name;
}

const KeySpec* FindKey(std::string_view name) {
  for (const KeySpec& key : kKeys) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

const KeySpec* FindKeyByEnvironmentVariable(std::string_view variable) {
  for (const KeySpec& key : kKeys) {
    if (EnvironmentVariableOf(key.name) == variable) return &key;
  }
  return nullptr;
}

// Whether `name` is a table that holds keys ("storage", "log", "txn").
bool IsKnownTable(std::string_view name) {
  for (const KeySpec& key : kKeys) {
    if (key.name.size() > name.size() && key.name.starts_with(name) &&
        key.name[name.size()] == '.') {
      return true;
    }
  }
  return false;
}

// Levenshtein distance, to suggest the key that was probably meant. Names are short.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
    }
  }
  return row[b.size()];
}

// "; did you mean X?" when one candidate is close, else the list of every candidate.
std::string Suggestion(std::string_view wrong, const std::vector<std::string>& candidates) {
  const std::string* closest = nullptr;
  size_t closest_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    const size_t distance = EditDistance(wrong, candidate);
    if (distance < closest_distance) {
      closest = &candidate;
      closest_distance = distance;
    }
  }
  if (closest != nullptr && closest_distance <= std::max<size_t>(2, wrong.size() / 4)) {
    return "; did you mean " + *closest + "?";
  }
  std::string text = "; known: ";
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) text += ", ";
    text += candidates[i];
  }
  return text;
}

std::vector<std::string> KeyNames() {
  std::vector<std::string> names;
  for (const KeySpec& key : kKeys) names.emplace_back(key.name);
  return names;
}

std::vector<std::string> EnvironmentVariableNames() {
  std::vector<std::string> names{std::string(kConfigFileVariable)};
  for (const KeySpec& key : kKeys) names.push_back(EnvironmentVariableOf(key.name));
  return names;
}

Status UnknownKey(std::string_view where, std::string_view name) {
  return Status::InvalidArgument(std::string(where) + ": unknown config key \"" +
                                 std::string(name) + "\"" + Suggestion(name, KeyNames()));
}

std::string RangeText(const KeySpec& key) {
  return "[" + std::to_string(key.min_value) + ", " + std::to_string(key.max_value) + "]";
}

Status SetInteger(const KeySpec& key, int64_t value, Config* config) {
  PLEXUS_ASSERT(key.type == ValueType::kInteger && key.set_integer != nullptr);
  if (value < key.min_value || value > key.max_value) {
    return Status::InvalidArgument(std::to_string(value) + " is out of range " + RangeText(key));
  }
  key.set_integer(value, config);
  return Status::Ok();
}

// Text from a flag or an environment variable: integers in plain decimal.
Status SetFromText(const KeySpec& key, std::string_view text, Config* config) {
  if (key.type == ValueType::kString) return key.set_text(text, config);
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc::result_out_of_range) {
    return Status::InvalidArgument(std::string(text) + " is out of range " + RangeText(key));
  }
  if (text.empty() || error != std::errc() || stop != end) {
    return Status::InvalidArgument("expected an integer, got \"" + std::string(text) + "\"");
  }
  return SetInteger(key, value, config);
}

std::string_view TomlTypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "an unknown type";
}

Status SetFromToml(const KeySpec& key, const toml::node& node, Config* config) {
  if (key.type == ValueType::kInteger) {
    if (const auto* integer = node.as_integer()) return SetInteger(key, integer->get(), config);
    return Status::InvalidArgument("expected an integer, got " +
                                   std::string(TomlTypeName(node.type())));
  }
  if (const auto* string = node.as_string()) return key.set_text(string->get(), config);
  return Status::InvalidArgument("expected a string, got " +
                                 std::string(TomlTypeName(node.type())));
}

// "path:line:column", or just the path when toml++ doesn't know the position.
std::string Location(std::string_view path, const toml::source_region& source) {
  std::string text(path);
  if (source.begin.line != 0) {
    text += ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
  }
  return text;
}

// Applies every entry of `table`, whose dotted name is `prefix` ("" for the root).
Status ApplyTomlTable(const toml::table& table, const std::string& prefix, std::string_view path,
                      Config* config) {
  for (const auto& [toml_key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(toml_key.str()) : prefix + "." + std::string(toml_key.str());
    const std::string where = Location(path, toml_key.source());
    if (const toml::table* subtable = node.as_table()) {
      if (!IsKnownTable(name)) {
        return Status::InvalidArgument(where + ": unknown config table [" + name + "]" +
                                       Suggestion(name, KeyNames()));
      }
      PLEXUS_RETURN_IF_ERROR(ApplyTomlTable(*subtable, name, path, config));
      continue;
    }
    if (IsKnownTable(name)) {
      return Status::InvalidArgument(where + ": " + name + ": expected a table, got " +
                                     std::string(TomlTypeName(node.type())));
    }
    const KeySpec* key = FindKey(name);
    if (key == nullptr) return UnknownKey(where, name);
    PLEXUS_RETURN_IF_ERROR(SetFromToml(*key, node, config).WithContext(where + ": " + name));
  }
  return Status::Ok();
}

Result<std::string> ReadConfigFile(std::string_view path) {
  const std::string path_text(path);
  std::FILE* file = std::fopen(path_text.c_str(), "rb");
  if (file == nullptr) {
    return Status::IOError("cannot open config file " + path_text + ": " + std::strerror(errno));
  }
  std::string text(kConfigFileBytesMax + 1, '\0');
  const size_t length = std::fread(text.data(), 1, text.size(), file);
  const bool read_failed = std::ferror(file) != 0;
  std::fclose(file);  // Read-only: nothing to lose if closing fails.
  if (read_failed) return Status::IOError("cannot read config file " + path_text);
  if (length > kConfigFileBytesMax) {
    return Status::InvalidArgument("config file " + path_text + " is larger than " +
                                   std::to_string(kConfigFileBytesMax) + " bytes");
  }
  text.resize(length);
  return text;
}

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string QuoteToml(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\b': quoted += "\\b"; break;
      case '\t': quoted += "\\t"; break;
      case '\n': quoted += "\\n"; break;
      case '\f': quoted += "\\f"; break;
      case '\r': quoted += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04X", static_cast<unsigned>(c));
          quoted += escape;
        } else {
          quoted += c;
        }
    }
  }
  quoted += '"';
  return quoted;
}

// `text` in lines of at most kHelpColumns (words permitting), each starting with `indent`.
std::string WrapText(std::string_view text, std::string_view indent) {
  constexpr size_t kHelpColumns = 96;
  std::string wrapped;
  std::string line(indent);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (line.size() > indent.size() && line.size() + 1 + word.size() > kHelpColumns) {
      wrapped += line + "\n";
      line = indent;
    }
    if (line.size() > indent.size()) line += ' ';
    line += word;
    start = end + 1;
  }
  return wrapped + line + "\n";
}

// The key's help, with the accepted range for integers.
std::string HelpOf(const KeySpec& key) {
  std::string help(key.help);
  if (key.type == ValueType::kInteger) help += " Range " + RangeText(key) + ".";
  return help;
}

std::string ValueAsToml(const KeySpec& key, const Config& config) {
  const std::string text = key.get(config);
  return key.type == ValueType::kString ? QuoteToml(text) : text;
}

}  // namespace

std::vector<ConfigKeyDescription> DescribeConfigKeys() {
  const Config defaults;
  std::vector<ConfigKeyDescription> descriptions;
  for (const KeySpec& key : kKeys) {
    descriptions.push_back({std::string(key.name), EnvironmentVariableOf(key.name), HelpOf(key),
                            ValueAsToml(key, defaults)});
  }
  return descriptions;
}

std::string ConfigKeysHelp() {
  std::string text;
  for (const ConfigKeyDescription& key : DescribeConfigKeys()) {
    text += "  " + key.name + " = " + key.default_value + "  (" + key.environment_variable + ")\n";
    text += WrapText(key.help, "      ");
  }
  return text;
}

Status LoadConfigFile(std::string_view path, Config* config) {
  PLEXUS_ASSIGN_OR_RETURN(const std::string text, ReadConfigFile(path));
  return LoadConfigToml(text, path, config);
}

Status LoadConfigToml(std::string_view text, std::string_view source_path, Config* config) {
  toml::table root;
  // toml++ reports syntax errors by throwing; convert here so no exception leaves base/.
  try {
    root = toml::parse(text, source_path);
  } catch (const toml::parse_error& error) {
    return Status::InvalidArgument(Location(source_path, error.source()) +
                                   ": TOML syntax error: " + std::string(error.description()));
  }
  return ApplyTomlTable(root, "", source_path, config);
}

std::string_view FindEnvironmentVariable(const char* const* environment, std::string_view name) {
  for (const char* const* entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.size() > name.size() && text.starts_with(name) && text[name.size()] == '=') {
      return text.substr(name.size() + 1);
    }
  }
  return "";
}

Status ApplyEnvironment(const char* const* environment, Config* config) {
  for (const char* const* entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (!text.starts_with(kConfigVariablePrefix) || equals == std::string_view::npos) continue;
    const std::string name(text.substr(0, equals));
    if (name == kConfigFileVariable) continue;
    const std::string where = "environment variable " + name;
    const KeySpec* key = FindKeyByEnvironmentVariable(name);
    if (key == nullptr) {
      return Status::InvalidArgument(where + ": not a Plexus setting" +
                                     Suggestion(name, EnvironmentVariableNames()));
    }
    PLEXUS_RETURN_IF_ERROR(SetFromText(*key, text.substr(equals + 1), config)
                               .WithContext(where + ": " + std::string(key->name)));
  }
  return Status::Ok();
}

Status ApplyOverride(std::string_view key_name, std::string_view value, std::string_view source,
                     Config* config) {
  const KeySpec* key = FindKey(key_name);
  if (key == nullptr) return UnknownKey(source, key_name);
  return SetFromText(*key, value, config)
      .WithContext(std::string(source) + ": " + std::string(key_name));
}

Status ApplyAssignment(std::string_view assignment, std::string_view source, Config* config) {
  const size_t equals = assignment.find('=');
  if (equals == std::string_view::npos) {
    return Status::InvalidArgument(std::string(source) + ": expected KEY=VALUE, got \"" +
                                   std::string(assignment) + "\"");
  }
  return ApplyOverride(assignment.substr(0, equals), assignment.substr(equals + 1), source, config);
}

std::string ConfigToToml(const Config& config, ConfigComments comments) {
  std::string text;
  std::vector<std::string> tables_written;  // the last one is the table being written
  for (const KeySpec& key : kKeys) {
    const size_t dot = key.name.rfind('.');
    const std::string key_table(dot == std::string_view::npos ? "" : key.name.substr(0, dot));
    const std::string_view leaf =
        dot == std::string_view::npos ? key.name : key.name.substr(dot + 1);
    if (tables_written.empty() || key_table != tables_written.back()) {
      // kKeys lists top-level keys first and each table's keys together; TOML needs that order.
      PLEXUS_ASSERT(std::find(tables_written.begin(), tables_written.end(), key_table) ==
                    tables_written.end());
      PLEXUS_ASSERT(tables_written.empty() || !key_table.empty());
      if (!key_table.empty()) text += "\n[" + key_table + "]\n";
      tables_written.push_back(key_table);
    }
    if (comments == ConfigComments::kHelp) text += WrapText(HelpOf(key), "# ");
    text += std::string(leaf) + " = " + ValueAsToml(key, config) + "\n";
  }
  return text;
}

}  // namespace plexus::base
