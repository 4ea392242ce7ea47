// Tests of the config sources (TOML, environment, flags), their precedence, their errors and the
// ConfigToToml round trip.
#include "plexus/base/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace plexus::base {
namespace {

// Every field of Config; a new field must be added here for the round-trip test to cover it.
void ExpectSameConfig(const Config& expected, const Config& actual) {
  EXPECT_EQ(expected.data_dir, actual.data_dir);
  EXPECT_EQ(expected.log_level, actual.log_level);
  EXPECT_EQ(expected.log_file, actual.log_file);
  EXPECT_EQ(expected.storage.create_if_missing, actual.storage.create_if_missing);
  EXPECT_EQ(expected.storage.durability, actual.storage.durability);
  EXPECT_EQ(expected.storage.periodic_sync_ms, actual.storage.periodic_sync_ms);
  EXPECT_EQ(expected.storage.block_cache_bytes, actual.storage.block_cache_bytes);
  EXPECT_EQ(expected.storage.write_buffer_bytes, actual.storage.write_buffer_bytes);
  EXPECT_EQ(expected.storage.background_jobs, actual.storage.background_jobs);
  EXPECT_EQ(expected.storage.isolation, actual.storage.isolation);
  EXPECT_EQ(expected.storage.lock_timeout_ms, actual.storage.lock_timeout_ms);
}

// The message of a failed Status, or a marker that makes the comparison fail.
std::string ErrorOf(const Status& status) {
  return status.ok() ? "<ok>" : std::string(status.message());
}

std::string LoadError(std::string_view toml) {
  Config config;
  const Status status = LoadConfigToml(toml, "plexus.toml", &config);
  EXPECT_TRUE(status.ok() || status.IsInvalidArgument()) << status.ToString();
  return ErrorOf(status);
}

// A fake environment: owns the strings, hands out a null-terminated char* array.
class FakeEnvironment {
 public:
  explicit FakeEnvironment(std::vector<std::string> entries) : entries_(std::move(entries)) {
    for (const std::string& entry : entries_) pointers_.push_back(entry.c_str());
    pointers_.push_back(nullptr);
  }
  const char* const* get() const { return pointers_.data(); }

 private:
  std::vector<std::string> entries_;
  std::vector<const char*> pointers_;
};

TEST(ConfigTest, DefaultsMatchOptions) {
  const Config config;
  EXPECT_EQ(config.data_dir, "./data");
  EXPECT_EQ(config.log_level, LogLevel::kInfo);
  EXPECT_EQ(config.log_file, "");
  EXPECT_EQ(config.storage.durability, Options().durability);
}

TEST(ConfigTest, LoadsEveryKeyFromToml) {
  Config config;
  const Status status = LoadConfigToml(R"(
data_dir = "/var/lib/plexus"
[log]
level = "DEBUG"
file = "/var/log/plexus.log"
[storage]
durability = "periodic"
periodic_sync_ms = 25
block_cache_bytes = 1_073_741_824
write_buffer_bytes = 1048576
background_jobs = 4
[txn]
isolation = "read committed"
lock_timeout_ms = 3600000
)",
                                       "plexus.toml", &config);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(config.data_dir, "/var/lib/plexus");
  EXPECT_EQ(config.log_level, LogLevel::kDebug);
  EXPECT_EQ(config.log_file, "/var/log/plexus.log");
  EXPECT_EQ(config.storage.durability, Durability::kPeriodic);
  EXPECT_EQ(config.storage.periodic_sync_ms, 25u);
  EXPECT_EQ(config.storage.block_cache_bytes, uint64_t{1} << 30);
  EXPECT_EQ(config.storage.write_buffer_bytes, uint64_t{1} << 20);
  EXPECT_EQ(config.storage.background_jobs, 4u);
  EXPECT_EQ(config.storage.isolation, IsolationLevel::kReadCommitted);
  EXPECT_EQ(config.storage.lock_timeout_ms, 3'600'000u);
}

TEST(ConfigTest, DottedAndInlineTablesAreTheSameKeys) {
  Config config;
  ASSERT_TRUE(LoadConfigToml("storage.durability = \"off\"\ntxn = { lock_timeout_ms = 5 }\n",
                             "plexus.toml", &config)
                  .ok());
  EXPECT_EQ(config.storage.durability, Durability::kOff);
  EXPECT_EQ(config.storage.lock_timeout_ms, 5u);
}

TEST(ConfigTest, EmptyFileKeepsDefaults) {
  Config config;
  ASSERT_TRUE(LoadConfigToml("# nothing\n", "plexus.toml", &config).ok());
  ExpectSameConfig(Config(), config);
}

TEST(ConfigTest, TomlErrorsNameFileLineAndKey) {
  EXPECT_EQ(LoadError("\n[storage]\ndurabilty = \"off\"\n"),
            "plexus.toml:3:1: unknown config key \"storage.durabilty\"; "
            "did you mean storage.durability?");
  EXPECT_EQ(LoadError("[network]\nport = 1\n"),
            "plexus.toml:1:2: unknown config table [network]; known: data_dir, log.level, "
            "log.file, storage.durability, storage.periodic_sync_ms, storage.block_cache_bytes, "
            "storage.write_buffer_bytes, storage.background_jobs, txn.isolation, "
            "txn.lock_timeout_ms, net.threads, net.max_connections, resp.address, resp.port, "
            "resp.unixsocket, resp.requirepass, resp.proto_max_bulk_len, resp.threads, pg.address, "
            "pg.port, pg.unix_socket_directories, pg.hba, pg.superuser, http.address, http.port, "
            "http.max_body_bytes, http.max_header_bytes, http.idle_timeout_ms, http.auth, "
            "http.tokens, http.token_ttl_s, tls.cert, tls.key");
  EXPECT_EQ(LoadError("[storage]\nbackground_jobs = \"4\"\n"),
            "plexus.toml:2:1: storage.background_jobs: expected an integer, got a string");
  EXPECT_EQ(LoadError("[storage]\nbackground_jobs = 4.0\n"),
            "plexus.toml:2:1: storage.background_jobs: expected an integer, got a "
            "floating-point number");
  EXPECT_EQ(LoadError("data_dir = 7\n"),
            "plexus.toml:1:1: data_dir: expected a string, got an "
            "integer");
  EXPECT_EQ(LoadError("[storage]\nperiodic_sync_ms = 0\n"),
            "plexus.toml:2:1: storage.periodic_sync_ms: 0 is out of range [1, 60000]");
  EXPECT_EQ(LoadError("[storage]\ndurability = \"fast\"\n"),
            "plexus.toml:2:1: storage.durability: unknown durability \"fast\"; expected one of: "
            "sync, periodic, off");
  EXPECT_EQ(LoadError("[log]\nlevel = \"loud\"\n"),
            "plexus.toml:2:1: log.level: unknown log level \"loud\"; expected one of: trace, "
            "debug, info, warn, error, off");
  EXPECT_EQ(LoadError("data_dir = \"\"\n"), "plexus.toml:1:1: data_dir: must not be empty");
  EXPECT_EQ(LoadError("storage = 3\n"),
            "plexus.toml:1:1: storage: expected a table, got an integer");
  EXPECT_EQ(LoadError("[storage.durability]\n"),
            "plexus.toml:1:10: unknown config table [storage.durability]; did you mean "
            "storage.durability?");
  EXPECT_EQ(LoadError("[[txn]]\nisolation = \"x\"\n"),
            "plexus.toml:1:3: txn: expected a table, got an array");
}

TEST(ConfigTest, TomlSyntaxErrorNamesLineAndColumn) {
  const std::string error = LoadError("[storage]\ndurability = sync\n");
  EXPECT_EQ(error.rfind("plexus.toml:2:14: TOML syntax error: ", 0), 0u) << error;
  EXPECT_NE(LoadError("a = 1\na = 2\n").find("plexus.toml:2:"), std::string::npos);
}

TEST(ConfigTest, IntegerLimitsAreInclusive) {
  struct Case {
    std::string key;
    int64_t min;
    int64_t max;
  };
  const std::vector<Case> cases = {{"storage.periodic_sync_ms", 1, 60'000},
                                   {"storage.background_jobs", 1, 64},
                                   {"txn.lock_timeout_ms", 1, 3'600'000},
                                   {"storage.block_cache_bytes", 1 << 20, int64_t{1} << 40},
                                   {"storage.write_buffer_bytes", 1 << 20, int64_t{16} << 30}};
  for (const Case& c : cases) {
    Config config;
    EXPECT_TRUE(ApplyOverride(c.key, std::to_string(c.min), "--set", &config).ok()) << c.key;
    EXPECT_TRUE(ApplyOverride(c.key, std::to_string(c.max), "--set", &config).ok()) << c.key;
    EXPECT_EQ(ErrorOf(ApplyOverride(c.key, std::to_string(c.min - 1), "--set", &config)),
              "--set: " + c.key + ": " + std::to_string(c.min - 1) + " is out of range [" +
                  std::to_string(c.min) + ", " + std::to_string(c.max) + "]");
    EXPECT_EQ(ErrorOf(ApplyOverride(c.key, std::to_string(c.max + 1), "--set", &config)),
              "--set: " + c.key + ": " + std::to_string(c.max + 1) + " is out of range [" +
                  std::to_string(c.min) + ", " + std::to_string(c.max) + "]");
  }
}

TEST(ConfigTest, OverrideErrors) {
  Config config;
  EXPECT_EQ(ErrorOf(ApplyOverride("storage.background_jobs", "four", "--set", &config)),
            "--set: storage.background_jobs: expected an integer, got \"four\"");
  EXPECT_EQ(ErrorOf(ApplyOverride("storage.background_jobs", "", "--set", &config)),
            "--set: storage.background_jobs: expected an integer, got \"\"");
  EXPECT_EQ(ErrorOf(ApplyOverride("storage.background_jobs", "4x", "--set", &config)),
            "--set: storage.background_jobs: expected an integer, got \"4x\"");
  EXPECT_EQ(ErrorOf(ApplyOverride("txn.lock_timeout_ms", "99999999999999999999", "--set", &config)),
            "--set: txn.lock_timeout_ms: 99999999999999999999 is out of range [1, 3600000]");
  EXPECT_EQ(ErrorOf(ApplyOverride("storage.durablity", "off", "--set", &config)),
            "--set: unknown config key \"storage.durablity\"; did you mean storage.durability?");
  EXPECT_EQ(ErrorOf(ApplyOverride("storage.durability", "fast", "--durability", &config)),
            "--durability: storage.durability: unknown durability \"fast\"; expected one of: "
            "sync, periodic, off");
  EXPECT_EQ(ErrorOf(ApplyAssignment("storage.durability", "--set", &config)),
            "--set: expected KEY=VALUE, got \"storage.durability\"");
  ExpectSameConfig(Config(), config);
}

TEST(ConfigTest, AssignmentSplitsAtTheFirstEquals) {
  Config config;
  ASSERT_TRUE(ApplyAssignment("log.file=/tmp/a=b.log", "--set", &config).ok());
  EXPECT_EQ(config.log_file, "/tmp/a=b.log");
  ASSERT_TRUE(ApplyAssignment("txn.isolation=READ_COMMITTED", "--set", &config).ok());
  EXPECT_EQ(config.storage.isolation, IsolationLevel::kReadCommitted);
}

TEST(ConfigTest, EnvironmentSetsKeysAndSkipsOtherVariables) {
  const FakeEnvironment environment({"HOME=/root", "PLEXUS_CONFIG=/etc/plexus.toml",
                                     "PLEXUS_STORAGE_DURABILITY=off",
                                     "PLEXUS_LOG_FILE=", "PLEXUS_TXN_ISOLATION=read-committed",
                                     "PLEXUS_STORAGE_BACKGROUND_JOBS=8", "PLEXUSX=1"});
  Config config;
  config.log_file = "/tmp/plexus.log";
  ASSERT_TRUE(ApplyEnvironment(environment.get(), &config).ok());
  EXPECT_EQ(config.storage.durability, Durability::kOff);
  EXPECT_EQ(config.log_file, "");
  EXPECT_EQ(config.storage.isolation, IsolationLevel::kReadCommitted);
  EXPECT_EQ(config.storage.background_jobs, 8u);
  EXPECT_EQ(FindEnvironmentVariable(environment.get(), kConfigFileVariable), "/etc/plexus.toml");
  EXPECT_EQ(FindEnvironmentVariable(environment.get(), "PLEXUS"), "");
  EXPECT_EQ(FindEnvironmentVariable(nullptr, "HOME"), "");
  EXPECT_TRUE(ApplyEnvironment(nullptr, &config).ok());
}

TEST(ConfigTest, EnvironmentErrorsNameTheVariable) {
  Config config;
  EXPECT_EQ(
      ErrorOf(ApplyEnvironment(FakeEnvironment({"PLEXUS_STORAGE_DURABILTY=off"}).get(), &config)),
      "environment variable PLEXUS_STORAGE_DURABILTY: not a Plexus setting; did you mean "
      "PLEXUS_STORAGE_DURABILITY?");
  EXPECT_EQ(
      ErrorOf(ApplyEnvironment(FakeEnvironment({"PLEXUS_TXN_LOCK_TIMEOUT_MS=0"}).get(), &config)),
      "environment variable PLEXUS_TXN_LOCK_TIMEOUT_MS: txn.lock_timeout_ms: 0 is out of "
      "range [1, 3600000]");
  const std::string unknown =
      ErrorOf(ApplyEnvironment(FakeEnvironment({"PLEXUS_HOME=/x"}).get(), &config));
  EXPECT_EQ(unknown.rfind("environment variable PLEXUS_HOME: not a Plexus setting; known: "
                          "PLEXUS_CONFIG, PLEXUS_DATA_DIR, ",
                          0),
            0u)
      << unknown;
}

TEST(ConfigTest, LaterSourcesWin) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("plexus_config_test_" + std::to_string(getpid()));
  {
    std::ofstream file(path);
    file << "[storage]\ndurability = \"periodic\"\nbackground_jobs = 3\n"
            "[txn]\nlock_timeout_ms = 7\n";
  }
  Config config;
  ASSERT_TRUE(LoadConfigFile(path.string(), &config).ok());
  ASSERT_TRUE(ApplyEnvironment(FakeEnvironment({"PLEXUS_STORAGE_DURABILITY=off",
                                                "PLEXUS_STORAGE_BACKGROUND_JOBS=5"})
                                   .get(),
                               &config)
                  .ok());
  ASSERT_TRUE(ApplyAssignment("storage.background_jobs=6", "--set", &config).ok());
  std::filesystem::remove(path);
  EXPECT_EQ(config.storage.durability, Durability::kOff);  // environment over file
  EXPECT_EQ(config.storage.background_jobs, 6u);           // flag over environment
  EXPECT_EQ(config.storage.lock_timeout_ms, 7u);           // file over default
}

TEST(ConfigTest, MissingFileIsAnIOError) {
  Config config;
  const Status status = LoadConfigFile("/nonexistent/plexus.toml", &config);
  EXPECT_TRUE(status.IsIOError()) << status.ToString();
  EXPECT_EQ(status.message(),
            "cannot open config file /nonexistent/plexus.toml: No such file or directory");
}

TEST(ConfigTest, RoundTripsThroughToml) {
  Config config;
  config.data_dir = "/srv/pl\"exus\\data\tdir";
  config.log_level = LogLevel::kWarn;
  config.log_file = "";
  config.storage.durability = Durability::kPeriodic;
  config.storage.periodic_sync_ms = 60'000;
  config.storage.block_cache_bytes = uint64_t{3} << 30;
  config.storage.write_buffer_bytes = uint64_t{1} << 20;
  config.storage.background_jobs = 64;
  config.storage.isolation = IsolationLevel::kReadCommitted;
  config.storage.lock_timeout_ms = 1;
  const std::string toml = ConfigToToml(config);
  Config loaded;
  const Status status = LoadConfigToml(toml, "printed.toml", &loaded);
  ASSERT_TRUE(status.ok()) << status.ToString() << "\n" << toml;
  ExpectSameConfig(config, loaded);
  EXPECT_EQ(ConfigToToml(loaded), toml);

  Config without_comments;
  const std::string bare = ConfigToToml(config, ConfigComments::kNone);
  EXPECT_EQ(bare.find('#'), std::string::npos) << bare;
  ASSERT_TRUE(LoadConfigToml(bare, "bare.toml", &without_comments).ok());
  ExpectSameConfig(config, without_comments);

  Config defaults;
  ASSERT_TRUE(LoadConfigToml(ConfigToToml(Config()), "printed.toml", &defaults).ok());
  ExpectSameConfig(Config(), defaults);
}

TEST(ConfigTest, TomlIsGroupedInTables) {
  const std::string toml = ConfigToToml(Config());
  EXPECT_EQ(toml.rfind("# ", 0), 0u);
  EXPECT_NE(toml.find("\ndata_dir = \"./data\"\n"), std::string::npos);
  EXPECT_NE(toml.find("\n[log]\n"), std::string::npos);
  EXPECT_NE(toml.find("\n[storage]\n"), std::string::npos);
  EXPECT_NE(toml.find("\ndurability = \"sync\"\n"), std::string::npos);
  EXPECT_NE(toml.find("\n[txn]\n"), std::string::npos);
  EXPECT_NE(toml.find("\nisolation = \"repeatable read\"\n"), std::string::npos);
  EXPECT_LT(toml.find("[log]"), toml.find("[storage]"));
  EXPECT_LT(toml.find("[storage]"), toml.find("[txn]"));
  EXPECT_NE(toml.find("\n[net]\n"), std::string::npos);
  EXPECT_NE(toml.find("\n[resp]\n"), std::string::npos);
  EXPECT_NE(toml.find("\nport = 6380\n"), std::string::npos);
}

TEST(ConfigTest, NetworkAndRespKeys) {
  Config config;
  EXPECT_TRUE(ApplyOverride("resp.port", "0", "--set", &config).ok());
  EXPECT_EQ(config.resp.port, 0u);
  EXPECT_TRUE(ApplyOverride("resp.port", "65536", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("net.threads", "4", "--set", &config).ok());
  EXPECT_EQ(config.net.threads, 4u);
  EXPECT_TRUE(ApplyOverride("net.max_connections", "0", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("resp.proto_max_bulk_len", "1048575", "--set", &config)
                  .IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("resp.requirepass", "secret", "--set", &config).ok());
  EXPECT_EQ(config.resp.requirepass, "secret");
  EXPECT_TRUE(ApplyOverride("resp.address", "", "--set", &config).IsInvalidArgument());
}

TEST(ConfigTest, PgAndTlsKeys) {
  Config config;
  EXPECT_EQ(config.pg.port, 5433u);
  EXPECT_EQ(config.pg.address, "127.0.0.1");
  EXPECT_EQ(config.pg.superuser, "postgres");
  EXPECT_TRUE(config.pg.hba.empty());
  EXPECT_TRUE(ApplyOverride("pg.hba", "host all all all reject", "--set", &config).ok());
  EXPECT_EQ(config.pg.hba, "host all all all reject");
  EXPECT_FALSE(ApplyOverride("pg.superuser", "", "--set", &config).ok());
  EXPECT_TRUE(ApplyOverride("pg.port", "0", "--set", &config).ok());
  EXPECT_EQ(config.pg.port, 0u);
  EXPECT_TRUE(ApplyOverride("pg.port", "65536", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("pg.address", "", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("tls.cert", "/etc/plexus/cert.pem", "--set", &config).ok());
  EXPECT_TRUE(ApplyOverride("tls.key", "/etc/plexus/key.pem", "--set", &config).ok());
  EXPECT_EQ(config.tls.cert, "/etc/plexus/cert.pem");
  EXPECT_EQ(config.tls.key, "/etc/plexus/key.pem");
}

TEST(ConfigTest, HttpKeys) {
  Config config;
  EXPECT_EQ(config.http.port, 8088u);
  EXPECT_EQ(config.http.auth, "off");
  EXPECT_TRUE(ApplyOverride("http.port", "0", "--set", &config).ok());
  EXPECT_EQ(config.http.port, 0u);
  EXPECT_TRUE(ApplyOverride("http.auth", "token", "--set", &config).ok());
  EXPECT_EQ(config.http.auth, "token");
  EXPECT_TRUE(ApplyOverride("http.auth", "basic", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("http.max_body_bytes", "1024", "--set", &config).ok());
  EXPECT_TRUE(ApplyOverride("http.max_body_bytes", "1023", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("http.max_header_bytes", "1048577", "--set", &config)
                  .IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("http.idle_timeout_ms", "0", "--set", &config).IsInvalidArgument());
  EXPECT_TRUE(ApplyOverride("http.tokens", "abc:alice", "--set", &config).ok());
  EXPECT_EQ(config.http.tokens, "abc:alice");
  EXPECT_EQ(config.http.token_ttl_s, 3600u);
  EXPECT_TRUE(ApplyOverride("http.token_ttl_s", "60", "--set", &config).ok());
  EXPECT_EQ(config.http.token_ttl_s, 60u);
  EXPECT_TRUE(ApplyOverride("http.token_ttl_s", "0", "--set", &config).IsInvalidArgument());
}

TEST(ConfigTest, DescribesEveryKey) {
  const std::vector<ConfigKeyDescription> keys = DescribeConfigKeys();
  ASSERT_EQ(keys.size(), 33u);
  EXPECT_EQ(keys[3].name, "storage.durability");
  EXPECT_EQ(keys[3].environment_variable, "PLEXUS_STORAGE_DURABILITY");
  EXPECT_EQ(keys[3].default_value, "\"sync\"");
  EXPECT_EQ(keys[4].default_value, "10");
  EXPECT_NE(keys[4].help.find("Range [1, 60000]."), std::string::npos);
  EXPECT_NE(ConfigKeysHelp().find("  txn.lock_timeout_ms = 1000  (PLEXUS_TXN_LOCK_TIMEOUT_MS)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace plexus::base
