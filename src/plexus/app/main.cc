// The plexus binary: parses the command line with CLI11 and runs a subcommand (serve, sql,
// version).
// CLI11 reports usage errors by throwing; they are caught here and become exit code 2.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "plexus/app/serve.h"
#include "plexus/app/sql_shell.h"
#include "plexus/app/version.h"
#include "plexus/base/config.h"

namespace plexus::app {
namespace {

// The value of an option that was given on the command line, else nullopt.
std::optional<std::string> GivenValue(const CLI::Option* option, const std::string& value) {
  if (option->count() == 0) return std::nullopt;
  return value;
}

void AddServeOptions(CLI::App* serve, ServeFlags* flags, std::string* data_dir,
                     std::string* log_level, std::string* durability) {
  serve
      ->add_option("--config", flags->config_file,
                   "TOML config file (default: $PLEXUS_CONFIG, else none)")
      ->type_name("FILE");
  serve->add_option("--data", *data_dir, "Data directory (config key data_dir)")->type_name("DIR");
  serve
      ->add_option("--log-level", *log_level,
                   "trace, debug, info, warn, error or off (config key log.level)")
      ->type_name("LEVEL");
  serve
      ->add_option("--durability", *durability,
                   "sync, periodic or off (config key storage.durability)")
      ->type_name("MODE");
  serve->add_option("--set", flags->assignments, "Set any config key below; repeatable")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  serve->add_flag("--print-config", flags->print_config,
                  "Print the effective config as TOML and exit");
  serve->footer(
      "Precedence: defaults < config file < PLEXUS_* environment variables < flags\n"
      "(--data, --log-level and --durability win over --set).\n\n"
      "Config keys: TOML key = default (environment variable)\n" +
      base::ConfigKeysHelp());
}

void AddSqlOptions(CLI::App* sql, SqlShellFlags* flags, std::string* data_dir) {
  sql->add_option("--config", flags->config_file,
                  "TOML config file (default: $PLEXUS_CONFIG, else none)")
      ->type_name("FILE");
  sql->add_option("--data", *data_dir, "Data directory (config key data_dir, default ./data)")
      ->type_name("DIR");
  sql->add_option("-c,--command", flags->commands,
                  "Run one SQL string or backslash command, then exit; repeatable")
      ->type_name("SQL")
      ->allow_extra_args(false);
  sql->add_option("-f,--file", flags->files, "Run the statements of FILE (- for stdin); repeatable")
      ->type_name("FILE")
      ->allow_extra_args(false);
  sql->footer(
      "Without -c or -f: interactive when stdin is a terminal, else stdin is read as a script.\n"
      "The -c commands run first, then the -f files; the first failing statement stops the\n"
      "run with exit code 1 (psql's ON_ERROR_STOP). Usage errors exit with 2.");
}

int Main(int argc, char** argv) {
  CLI::App app("Plexus: a database for SQL, Redis and HTTP clients on one storage engine.",
               "plexus");
  app.require_subcommand(1);
  CLI::App* version = app.add_subcommand("version", "Print the Plexus and RocksDB versions");
  CLI::App* serve = app.add_subcommand("serve", "Run the server until SIGINT or SIGTERM");
  ServeFlags flags;
  std::string data_dir;
  std::string log_level;
  std::string durability;
  AddServeOptions(serve, &flags, &data_dir, &log_level, &durability);
  CLI::App* sql = app.add_subcommand("sql", "Interactive SQL shell on the embedded engine");
  SqlShellFlags sql_flags;
  std::string sql_data_dir;
  AddSqlOptions(sql, &sql_flags, &sql_data_dir);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Prints the help (for --help) or the error with a hint; help is not a failure.
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (version->parsed()) {
    std::printf("%s\n", VersionText().c_str());
    return kExitOk;
  }
  if (sql->parsed()) {
    sql_flags.data_dir = GivenValue(sql->get_option("--data"), sql_data_dir);
    return RunSqlShell(sql_flags, environ);
  }
  flags.data_dir = GivenValue(serve->get_option("--data"), data_dir);
  flags.log_level = GivenValue(serve->get_option("--log-level"), log_level);
  flags.durability = GivenValue(serve->get_option("--durability"), durability);
  return RunServe(flags, environ);
}

}  // namespace
}  // namespace plexus::app

int main(int argc, char** argv) { return plexus::app::Main(argc, argv); }
