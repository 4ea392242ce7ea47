// Reading a baseline file and comparing a file's counts with it.
#include "slt/baseline.h"

#include <fstream>
#include <sstream>

namespace plexus::slt {

Result<Baseline> ParseBaseline(std::string_view text) {
  Baseline baseline;
  std::istringstream lines{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string path;
    BaselineEntry entry;
    std::string rest;
    if (!(fields >> path >> entry.passed >> entry.failed >> entry.skipped) || (fields >> rest)) {
      return Status::InvalidArgument("baseline line " + std::to_string(number) +
                                     ": expected '<path> <ok> <fail> <skipped>'");
    }
    if (path == "TOTAL") continue;
    baseline[path] = entry;
  }
  return baseline;
}

Result<Baseline> ReadBaseline(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::IOError("cannot open baseline " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return ParseBaseline(contents.str());
}

std::optional<BaselineEntry> FindInBaseline(const Baseline& baseline, std::string_view path) {
  auto exact = baseline.find(path);
  if (exact != baseline.end()) return exact->second;
  for (const auto& [name, entry] : baseline) {
    if (path.size() > name.size() && path.ends_with(name) &&
        path[path.size() - name.size() - 1] == '/') {
      return entry;
    }
  }
  return std::nullopt;
}

std::optional<std::string> CompareWithBaseline(const FileReport& report, const BaselineEntry& entry,
                                               bool exact) {
  bool differs = exact ? report.passed != entry.passed || report.failed != entry.failed ||
                             report.skipped != entry.skipped
                       : report.passed < entry.passed;
  if (!differs) return std::nullopt;
  return report.path + ": passed " + std::to_string(report.passed) + ", failed " +
         std::to_string(report.failed) + ", skipped " + std::to_string(report.skipped) +
         "; baseline ok " + std::to_string(entry.passed) + ", fail " +
         std::to_string(entry.failed) + ", skipped " + std::to_string(entry.skipped);
}

}  // namespace plexus::slt
