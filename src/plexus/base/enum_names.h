// Tables of enum value names, with lookup both ways. Parsing ignores case and accepts '_' or
// '-' in place of a space ("REPEATABLE_READ" names "repeatable read").
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "plexus/base/status.h"

namespace plexus::base {

template <typename Enum, size_t kCount>
using NameTable = std::array<std::pair<Enum, std::string_view>, kCount>;

// Lowercase, with '_' and '-' turned into ' ', so every accepted spelling maps to the name.
inline std::string NormalizeName(std::string_view text) {
  std::string normalized(text);
  for (char& c : normalized) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == '_' || c == '-') {
      c = ' ';
    }
  }
  return normalized;
}

template <typename Enum, size_t kCount>
std::string_view NameOf(const NameTable<Enum, kCount>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

// `what` names the kind of value in the error: "unknown <what> "x"; expected one of: a, b".
template <typename Enum, size_t kCount>
Result<Enum> ParseName(const NameTable<Enum, kCount>& names, std::string_view what,
                       std::string_view text) {
  const std::string normalized = NormalizeName(text);
  for (const auto& [value, name] : names) {
    if (normalized == name) return value;
  }
  std::string message =
      "unknown " + std::string(what) + " \"" + std::string(text) + "\"; expected one of: ";
  for (size_t i = 0; i < kCount; ++i) {
    if (i > 0) message += ", ";
    message += names[i].second;
  }
  return Status::InvalidArgument(message);
}

}  // namespace plexus::base
