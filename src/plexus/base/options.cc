// The names of Durability and IsolationLevel values, as written in config files, flags and SQL.
// Parsing ignores case and accepts '_' or '-' in place of a space ("REPEATABLE_READ").
#include "plexus/options.h"

#include "plexus/base/enum_names.h"

namespace plexus {
namespace {

using base::NameOf;
using base::NameTable;
using base::ParseName;

constexpr NameTable<Durability, 3> kDurabilityNames{{
    {Durability::kSync, "sync"},
    {Durability::kPeriodic, "periodic"},
    {Durability::kOff, "off"},
}};

constexpr NameTable<IsolationLevel, 2> kIsolationLevelNames{{
    {IsolationLevel::kReadCommitted, "read committed"},
    {IsolationLevel::kRepeatableRead, "repeatable read"},
}};

}  // namespace

std::string_view DurabilityName(Durability durability) {
  return NameOf(kDurabilityNames, durability);
}

Result<Durability> ParseDurability(std::string_view text) {
  return ParseName(kDurabilityNames, "durability", text);
}

std::string_view IsolationLevelName(IsolationLevel isolation) {
  return NameOf(kIsolationLevelNames, isolation);
}

Result<IsolationLevel> ParseIsolationLevel(std::string_view text) {
  return ParseName(kIsolationLevelNames, "isolation level", text);
}

}  // namespace plexus
