// The command table (every family's specs, by name) and the argument parsers commands share.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "plexus/base/assert.h"
#include "plexus/server/resp/command.h"

namespace plexus::server::resp {
namespace {

struct Table {
  std::vector<CommandSpec> specs;
  std::unordered_map<std::string_view, const CommandSpec*> by_name;
};

const Table& GetTable() {
  static const Table* table = [] {
    auto* built = new Table;
    AddConnectionCommands(&built->specs);
    AddServerCommands(&built->specs);
    AddStringCommands(&built->specs);
    AddKeyCommands(&built->specs);
    AddHashCommands(&built->specs);
    AddSetCommands(&built->specs);
    AddZSetCommands(&built->specs);
    AddZSetCombineCommands(&built->specs);
    AddListCommands(&built->specs);
    AddTransactionCommands(&built->specs);
    AddPubSubCommands(&built->specs);
    AddAclCommands(&built->specs);
    for (const CommandSpec& spec : built->specs) {
      const bool inserted = built->by_name.emplace(spec.name, &spec).second;
      PLEXUS_ASSERT(inserted);  // one spec per name
    }
    return built;
  }();
  return *table;
}

}  // namespace

const CommandSpec* FindCommand(std::string_view name) {
  const Table& table = GetTable();
  auto it = table.by_name.find(name);
  return it == table.by_name.end() ? nullptr : it->second;
}

const std::vector<CommandSpec>& AllCommands() { return GetTable().specs; }

void KeyIndexes(const CommandSpec& spec, std::span<const std::string_view> args,
                std::vector<size_t>* keys) {
  if (spec.first_key > 0) {
    const int argc = static_cast<int>(args.size());
    int last = spec.last_key >= 0 ? spec.last_key : argc + spec.last_key;
    last = std::min(last, argc - 1);
    const int step = spec.key_step > 0 ? spec.key_step : 1;
    for (int i = spec.first_key; i <= last; i += step) keys->push_back(static_cast<size_t>(i));
  }
  if (spec.extra_keys != nullptr) spec.extra_keys(args, keys);
}

bool ParseInt64(std::string_view text, int64_t* value) {
  // Redis's string2ll: optional '-', digits, no leading zeros (except "0"), at most 20 chars.
  if (text.empty() || text.size() > 20) return false;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
    if (text.size() == 1) return false;
  }
  if (text[i] == '0') {
    if (text.size() == i + 1 && !negative) {
      *value = 0;
      return true;
    }
    return false;
  }
  uint64_t magnitude = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) {
    if (magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *value = magnitude == static_cast<uint64_t>(INT64_MAX) + 1 ? INT64_MIN
                                                               : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude > static_cast<uint64_t>(INT64_MAX)) return false;
    *value = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool ParseDouble(std::string_view text, double* value) {
  // Redis's string2d / strtold checks: no leading space, fully consumed, not NaN.
  if (text.empty() || text.size() > 5000) return false;
  if (text[0] == ' ' || text[0] == '\t' || text[0] == '\n' || text[0] == '\r') return false;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return false;
  if (std::isnan(parsed)) return false;
  if (errno == ERANGE && (parsed == HUGE_VAL || parsed == -HUGE_VAL || parsed == 0)) {
    return false;
  }
  *value = parsed;
  return true;
}

bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace plexus::server::resp
