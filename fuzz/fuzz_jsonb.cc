// Fuzzes jsonb text input and the stored-form decoder: any bytes give a value or a SQL error;
// what parses encodes, decodes and prints back to text that parses to an equal value.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plexus/sql/types/jsonb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace plexus::sql;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseJsonb(input);
  if (parsed.ok()) {
    std::string encoded;
    EncodeJsonb(*parsed, &encoded);
    auto decoded = DecodeJsonb(encoded);
    if (!decoded.ok() || CompareJsonb(*decoded, *parsed) != 0) std::abort();
    std::string text;
    FormatJsonb(*decoded, &text);
    auto again = ParseJsonb(text);
    if (!again.ok() || CompareJsonb(*again, *parsed) != 0) std::abort();
    std::string text_again;
    FormatJsonb(*again, &text_again);
    if (text_again != text) std::abort();
    std::string pretty;
    FormatJsonb(*again, &pretty, /*pretty=*/true);
    (void)JsonbContains(*parsed, *again);
  } else if (parsed.status().sql_state().empty()) {
    std::abort();
  }
  // Arbitrary bytes as a stored value: decoded or kCorruption, never a crash.
  auto decoded = DecodeJsonb(input);
  if (decoded.ok()) {
    std::string text;
    FormatJsonb(*decoded, &text);
  }
  return 0;
}
