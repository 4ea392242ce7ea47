// String functions and operators: ||, length, lower, upper (ASCII case mapping for now), LIKE and
// ILIKE.
#include <cstring>
#include <string>

#include "plexus/sql/func/registry.h"

namespace plexus::sql {

namespace {

Status ConcatKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    std::string_view left = args[0]->GetString(row);
    std::string_view right = args[1]->GetString(row);
    char* bytes = out->arena().Allocate(left.size() + right.size());
    std::memcpy(bytes, left.data(), left.size());
    std::memcpy(bytes + left.size(), right.data(), right.size());
    out->values<std::string_view>()[row] = {bytes, left.size() + right.size()};
  }
  return Status::Ok();
}

// Characters, not bytes: UTF-8 continuation bytes do not count.
Status LengthKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    int32_t characters = 0;
    for (char c : args[0]->GetString(row)) characters += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
    out->values<int32_t>()[row] = characters;
  }
  return Status::Ok();
}

template <bool kUpper>
Status CaseKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    std::string_view text = args[0]->GetString(row);
    char* bytes = out->arena().Allocate(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!kUpper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      bytes[i] = c;
    }
    out->values<std::string_view>()[row] = {bytes, text.size()};
  }
  return Status::Ok();
}

// Length of the UTF-8 character starting with `lead` (1 for bytes that are not a valid start).
size_t CharLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

char Fold(char c, bool fold) {
  return fold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// SQL LIKE: '%' matches any run of characters, '_' one character, '\' escapes the next pattern
// character. Backtracks only to the last '%', so matching is linear in practice.
bool Like(std::string_view text, std::string_view pattern, bool fold) {
  size_t t = 0;
  size_t p = 0;
  size_t star_p = std::string_view::npos;
  size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size() && pattern[p] == '_') {
      t += CharLength(static_cast<unsigned char>(text[t]));
      ++p;
      continue;
    }
    if (p < pattern.size()) {
      size_t q = pattern[p] == '\\' && p + 1 < pattern.size() ? p + 1 : p;
      const size_t length = CharLength(static_cast<unsigned char>(pattern[q]));
      if (t + length <= text.size() && q + length <= pattern.size()) {
        bool same = true;
        for (size_t i = 0; i < length && same; ++i) {
          same = Fold(text[t + i], fold) == Fold(pattern[q + i], fold);
        }
        if (same) {
          t += length;
          p = q + length;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) return false;
    // Let the last '%' absorb one more character and retry from there.
    star_t += CharLength(static_cast<unsigned char>(text[star_t]));
    t = star_t;
    p = star_p;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

template <bool kFold, bool kNegate>
Status LikeKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const bool match = Like(args[0]->GetString(row), args[1]->GetString(row), kFold);
    out->values<uint8_t>()[row] = match != kNegate;
  }
  return Status::Ok();
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  registry.Add({"||", {text, text}, text, ConcatKernel});
  registry.Add({"length", {text}, Type::Of(TypeId::kInt32), LengthKernel});
  registry.Add({"char_length", {text}, Type::Of(TypeId::kInt32), LengthKernel});
  registry.Add({"upper", {text}, text, CaseKernel<true>});
  registry.Add({"lower", {text}, text, CaseKernel<false>});
  const Type boolean = Type::Of(TypeId::kBool);
  registry.Add({"~~", {text, text}, boolean, LikeKernel<false, false>});    // LIKE
  registry.Add({"!~~", {text, text}, boolean, LikeKernel<false, true>});    // NOT LIKE
  registry.Add({"~~*", {text, text}, boolean, LikeKernel<true, false>});    // ILIKE
  registry.Add({"!~~*", {text, text}, boolean, LikeKernel<true, true>});    // NOT ILIKE
}

}  // namespace plexus::sql
