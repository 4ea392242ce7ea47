// slt_runner: runs sqllogictest scripts (files, or directories searched for *.test) against an
// engine chosen by name, prints per-file and total counts, and optionally checks a baseline.
// Exit code: 0 ok; 1 records failed (no --baseline) or the baseline was missed; 2 usage or I/O.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "slt/baseline.h"
#include "slt/plexus_engine.h"
#include "slt/postgres_engine.h"
#include "slt/runner.h"

namespace plexus::slt {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailures = 1;
constexpr int kExitUsage = 2;

// What an engine factory may need from the command line.
struct EngineSettings {
  std::string postgres_conninfo;
  PostgresEngine::ResetMode postgres_reset = PostgresEngine::ResetMode::kDatabase;
  bool plan_cache_every_query = false;
};

using EngineFactory = std::function<Result<std::unique_ptr<Engine>>(const EngineSettings&)>;

// Engines by --engine name. Add one line per engine.
const std::map<std::string, EngineFactory>& EngineFactories() {
  static const std::map<std::string, EngineFactory> factories = {
      {"postgresql",
       [](const EngineSettings& settings) -> Result<std::unique_ptr<Engine>> {
         PLEXUS_ASSIGN_OR_RETURN(auto engine, PostgresEngine::Connect(settings.postgres_conninfo,
                                                                      settings.postgres_reset));
         return std::unique_ptr<Engine>(std::move(engine));
       }},
      {"plexus",
       [](const EngineSettings& settings) -> Result<std::unique_ptr<Engine>> {
         return std::unique_ptr<Engine>(
             std::make_unique<PlexusEngine>(settings.plan_cache_every_query));
       }},
  };
  return factories;
}

struct ScriptFile {
  std::string path;          // to open
  std::string display_path;  // to print: relative to the directory argument it was found under
};

Result<std::vector<ScriptFile>> CollectScripts(const std::vector<std::string>& arguments) {
  namespace fs = std::filesystem;
  std::vector<ScriptFile> scripts;
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (!fs::is_directory(argument, error)) {
      if (!fs::exists(argument, error)) return Status::NotFound("no such file: " + argument);
      scripts.push_back({argument, argument});
      continue;
    }
    std::vector<ScriptFile> found;
    for (auto it = fs::recursive_directory_iterator(argument, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (!it->is_regular_file() || it->path().extension() != ".test") continue;
      found.push_back({it->path().string(), it->path().lexically_relative(argument).string()});
    }
    if (error) return Status::IOError("cannot list " + argument + ": " + error.message());
    std::sort(found.begin(), found.end(),
              [](const auto& left, const auto& right) { return left.path < right.path; });
    scripts.insert(scripts.end(), found.begin(), found.end());
  }
  return scripts;
}

struct Flags {
  std::string engine = "postgresql";
  EngineSettings settings;
  std::vector<std::string> paths;
  int max_failures_shown = 5;
  std::string baseline_path;
  bool baseline_exact = false;
};

// Runs every script; returns the exit code.
int RunAll(const Flags& flags, Engine& engine, const std::vector<ScriptFile>& scripts,
           const Baseline* baseline) {
  RunOptions options;
  options.max_failures_shown = std::max(flags.max_failures_shown, 0);
  FileReport total;
  std::vector<std::string> baseline_misses;
  bool io_error = false;
  for (const ScriptFile& script : scripts) {
    Result<FileReport> report = RunFile(script.path, engine, options);
    if (!report.ok()) {
      std::printf("%s: error: %s\n", script.display_path.c_str(),
                  report.status().ToString().c_str());
      io_error = true;
      continue;
    }
    report->path = script.display_path;
    std::printf("%s: passed %d, failed %d, skipped %d\n", report->path.c_str(), report->passed,
                report->failed, report->skipped);
    for (const std::string& failure : report->failures) std::printf("  %s\n", failure.c_str());
    std::fflush(stdout);
    total.passed += report->passed;
    total.failed += report->failed;
    total.skipped += report->skipped;
    if (baseline == nullptr) continue;
    std::optional<BaselineEntry> entry = FindInBaseline(*baseline, script.path);
    if (!entry.has_value()) {
      baseline_misses.push_back(report->path + ": not in the baseline");
    } else if (auto miss = CompareWithBaseline(*report, *entry, flags.baseline_exact)) {
      baseline_misses.push_back(*miss);
    }
  }
  std::printf("%d passed, %d failed, %d skipped\n", total.passed, total.failed, total.skipped);
  for (const std::string& miss : baseline_misses)
    std::printf("BASELINE MISSED: %s\n", miss.c_str());
  if (io_error) return kExitUsage;
  if (baseline != nullptr) return baseline_misses.empty() ? kExitOk : kExitFailures;
  return total.failed == 0 ? kExitOk : kExitFailures;
}

int Main(int argc, char** argv) {
  CLI::App app("Runs sqllogictest scripts against a database engine.", "slt_runner");
  Flags flags;
  std::string engine_names;
  for (const auto& [name, factory] : EngineFactories()) engine_names += " " + name;
  app.add_option("--engine", flags.engine, "Engine to test:" + engine_names)->capture_default_str();
  app.add_option("--pg", flags.settings.postgres_conninfo,
                 "libpq connection string for --engine=postgresql")
      ->type_name("CONNINFO");
  const std::map<std::string, PostgresEngine::ResetMode> resets = {
      {"database", PostgresEngine::ResetMode::kDatabase},
      {"objects", PostgresEngine::ResetMode::kObjects}};
  app.add_option("--pg-reset", flags.settings.postgres_reset,
                 "postgresql: between files, recreate a scratch database (database) or drop "
                 "every table, view and sequence of the connection's database (objects: a server "
                 "with one database, such as plexus serve)")
      ->transform(CLI::CheckedTransformer(resets, CLI::ignore_case))
      ->capture_default_str();
  app.add_flag("--plan-cache-every-query", flags.settings.plan_cache_every_query,
               "plexus: run every cacheable query from the simple-query plan cache, its numbers "
               "as parameters (a differential test of the cache)");
  app.add_option("--max-failures-shown", flags.max_failures_shown, "Failures printed per file")
      ->capture_default_str();
  app.add_option("--baseline", flags.baseline_path,
                 "Fail when a file passes fewer records than this baseline's ok column")
      ->type_name("FILE");
  app.add_flag("--baseline-exact", flags.baseline_exact,
               "With --baseline: fail when any of ok/fail/skipped differs");
  app.add_option("paths", flags.paths, "Script files or directories (searched for *.test)")
      ->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  auto factory = EngineFactories().find(flags.engine);
  if (factory == EngineFactories().end()) {
    std::fprintf(stderr, "slt_runner: unknown engine '%s' (known:%s)\n", flags.engine.c_str(),
                 engine_names.c_str());
    return kExitUsage;
  }
  Result<std::vector<ScriptFile>> scripts = CollectScripts(flags.paths);
  std::optional<Result<Baseline>> baseline;
  if (!flags.baseline_path.empty()) baseline = ReadBaseline(flags.baseline_path);
  Result<std::unique_ptr<Engine>> engine = factory->second(flags.settings);
  for (const Status* status :
       {&scripts.status(), baseline ? &baseline->status() : nullptr, &engine.status()}) {
    if (status != nullptr && !status->ok()) {
      std::fprintf(stderr, "slt_runner: %s\n", status->ToString().c_str());
      return kExitUsage;
    }
  }
  return RunAll(flags, **engine, *scripts, baseline ? &**baseline : nullptr);
}

}  // namespace
}  // namespace plexus::slt

int main(int argc, char** argv) { return plexus::slt::Main(argc, argv); }
