// String functions and operators: ||, length, lower, upper (ASCII case mapping for now).
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

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  const Type text = Type::Of(TypeId::kText);
  registry.Add({"||", {text, text}, text, ConcatKernel});
  registry.Add({"length", {text}, Type::Of(TypeId::kInt32), LengthKernel});
  registry.Add({"char_length", {text}, Type::Of(TypeId::kInt32), LengthKernel});
  registry.Add({"upper", {text}, text, CaseKernel<true>});
  registry.Add({"lower", {text}, text, CaseKernel<false>});
}

}  // namespace plexus::sql
