// Fuzzes the key decoder with arbitrary bytes. Whatever decodes must re-encode to the same
// bytes (the decoder accepts only canonical encodings); everything else must be kCorruption.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plexus/storage/key_codec.h"

namespace {

void Append(std::string* out, const plexus::KeyPart& part) {
  using plexus::storage::AppendBool;
  struct Visitor {
    std::string* out;
    const plexus::KeyPart& part;
    void operator()(std::monostate) const { plexus::storage::AppendNull(out, part.nulls); }
    void operator()(bool value) const { AppendBool(out, value, part.order); }
    void operator()(int64_t value) const { plexus::storage::AppendInt(out, value, part.order); }
    void operator()(uint64_t value) const { plexus::storage::AppendUint(out, value, part.order); }
    void operator()(double value) const { plexus::storage::AppendDouble(out, value, part.order); }
    void operator()(const std::string& value) const {
      plexus::storage::AppendText(out, value, part.order);
    }
    void operator()(const plexus::KeyBytes& value) const {
      plexus::storage::AppendBytes(out, value.value, part.order);
    }
  };
  std::visit(Visitor{out, part}, part.value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parts = plexus::storage::DecodeKey(input);
  if (!parts.ok()) {
    if (!parts.status().IsCorruption()) std::abort();
    return 0;
  }
  std::string encoded;
  for (const plexus::KeyPart& part : *parts) Append(&encoded, part);
  if (encoded != input) std::abort();
  return 0;
}
