// Server configuration. One table of keys (config.cc) drives every source, applied in this order,
// later wins: built-in defaults < TOML file < PLEXUS_* environment variables < command-line flags.
// Bad input (unknown key, wrong type, out of range) fails with kInvalidArgument naming key+source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/logging.h"
#include "plexus/options.h"
#include "plexus/status.h"

namespace plexus::base {

// The shared network layer (server/net): event loops and the connection limit.
struct NetConfig {
  uint32_t threads = 0;                // net.threads; 0: one per core
  uint32_t max_connections = 10'000;   // net.max_connections, over every front end
};

// The Redis protocol front end (server/resp).
struct RespConfig {
  std::string address = "127.0.0.1";             // resp.address
  uint32_t port = 6380;                          // resp.port; 0: don't listen
  std::string unixsocket;                        // resp.unixsocket: also this socket; empty: none
  std::string requirepass;                       // resp.requirepass; empty: no AUTH needed
  uint64_t proto_max_bulk_len = uint64_t{512} << 20;  // resp.proto_max_bulk_len
  uint32_t threads = 1;  // resp.threads: event loops (of net.threads) serving Redis clients; 0: all
};

// The PostgreSQL wire protocol front end (server/pgwire) and its TLS.
struct PgConfig {
  std::string address = "127.0.0.1";  // pg.address
  uint32_t port = 5433;               // pg.port; 0: don't listen
  std::string hba;                    // pg.hba: authentication rules; empty: the defaults
  // pg.unix_socket_directories: comma-separated directories that get a Unix-domain socket
  // .s.PGSQL.<port>, as PostgreSQL's (Debian's libpq looks in /var/run/postgresql); empty: none.
  std::string unix_socket_directories = "/var/run/postgresql";
  std::string superuser = "postgres";  // pg.superuser: created in a data directory without roles
};
// The HTTP front end (server/http). Limits' ranges are in server/http/limits.h.
struct HttpConfig {
  std::string address = "127.0.0.1";              // http.address
  uint32_t port = 8088;                            // http.port; 0: don't listen
  uint64_t max_body_bytes = uint64_t{64} << 20;    // http.max_body_bytes
  uint32_t max_header_bytes = 8 << 10;             // http.max_header_bytes
  uint32_t idle_timeout_ms = 30'000;               // http.idle_timeout_ms
  std::string auth = "off";                        // http.auth: off | token
  std::string tokens;                              // http.tokens: "token:role,token:role"
  uint32_t token_ttl_s = 3600;                     // http.token_ttl_s: issued tokens' lifetime
};
struct TlsConfig {
  std::string cert;  // tls.cert: PEM certificate chain; with tls.key, pgwire offers TLS
  std::string key;   // tls.key: PEM private key
};

struct Config {
  std::string data_dir = "./data";       // data_dir
  LogLevel log_level = LogLevel::kInfo;  // log.level
  std::string log_file;                  // log.file; empty: stderr only
  Options storage;                       // storage.* and txn.*
  NetConfig net;                         // net.*
  RespConfig resp;                       // resp.*
  PgConfig pg;                           // pg.*
  HttpConfig http;                       // http.*
  TlsConfig tls;                         // tls.*
};

// Names the config file when --config doesn't; not itself a config key.
inline constexpr std::string_view kConfigFileVariable = "PLEXUS_CONFIG";
// Prefix of every environment variable that sets a key.
inline constexpr std::string_view kConfigVariablePrefix = "PLEXUS_";
// Config files are small; anything bigger is not one.
inline constexpr size_t kConfigFileBytesMax = size_t{1} << 20;

// One key, for --help.
struct ConfigKeyDescription {
  std::string name;                  // "storage.durability"
  std::string environment_variable;  // "PLEXUS_STORAGE_DURABILITY"
  std::string help;                  // what it does, accepted values or range
  std::string default_value;         // in TOML syntax: "\"sync\"", "10"
};
std::vector<ConfigKeyDescription> DescribeConfigKeys();
// DescribeConfigKeys() as an indented text block.
std::string ConfigKeysHelp();

// Applies every key of the TOML file at `path`. On failure `config` may be partly updated.
Status LoadConfigFile(std::string_view path, Config* config);
// As LoadConfigFile, for TOML text already in memory; `source_path` names it in errors.
Status LoadConfigToml(std::string_view text, std::string_view source_path, Config* config);

// Applies every PLEXUS_* variable except PLEXUS_CONFIG. `environment` is a null-terminated array
// of "NAME=value" strings, as `environ`; nullptr is an empty environment.
Status ApplyEnvironment(const char* const* environment, Config* config);
// The value of `name` in `environment` ("" when absent).
std::string_view FindEnvironmentVariable(const char* const* environment, std::string_view name);

// Sets `key` (e.g. "storage.durability") from text; `source` names the flag in errors.
Status ApplyOverride(std::string_view key, std::string_view value, std::string_view source,
                     Config* config);
// As ApplyOverride, from "key=value".
Status ApplyAssignment(std::string_view assignment, std::string_view source, Config* config);

enum class ConfigComments : uint8_t { kHelp, kNone };
// Every key with its value, grouped in TOML tables; LoadConfigToml of the result gives `config`.
// With kHelp, each key is preceded by its help as a comment.
std::string ConfigToToml(const Config& config, ConfigComments comments = ConfigComments::kHelp);

}  // namespace plexus::base
