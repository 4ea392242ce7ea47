// A baseline file: per script, the records a reference engine passes, fails and skips, one line
// "<path> <ok> <fail> <skipped>" each ('#' comments, a "TOTAL" line). The runner checks a run
// against it: fewer passes than the baseline is a regression.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "slt/runner.h"

namespace plexus::slt {

struct BaselineEntry {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

using Baseline = std::map<std::string, BaselineEntry, std::less<>>;

Result<Baseline> ParseBaseline(std::string_view text);
Result<Baseline> ReadBaseline(const std::string& path);

// The entry for `path`: the one with the same name, else the one whose path is a '/'-aligned
// suffix of `path` (a run over /x/sqllogictest finds "evidence/in1.test").
std::optional<BaselineEntry> FindInBaseline(const Baseline& baseline, std::string_view path);

// Why `report` falls short of `entry`, or nullopt. With `exact`, any difference in the three
// counts is reported, not only fewer passes.
std::optional<std::string> CompareWithBaseline(const FileReport& report, const BaselineEntry& entry,
                                               bool exact);

}  // namespace plexus::slt
