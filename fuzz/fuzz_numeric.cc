// Fuzzes numeric input (SQL literals and text casts) and the stored-form decoder: any bytes give
// a value or a SQL error, and what parses prints back to text that parses to an equal value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plexus/sql/types/numeric.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = plexus::sql::Numeric::Parse(input);
  if (parsed.ok()) {
    auto again = plexus::sql::Numeric::Parse(parsed->ToString());
    if (!again.ok() || again->Compare(*parsed) != 0) std::abort();
    std::string encoded;
    parsed->EncodeTo(&encoded);
    auto decoded = plexus::sql::Numeric::Decode(encoded);
    if (!decoded.ok() || decoded->ToString() != parsed->ToString()) std::abort();
  } else if (parsed.status().sql_state().empty()) {
    std::abort();
  }
  // Arbitrary bytes as a stored value: decoded or kCorruption, never a crash.
  auto decoded = plexus::sql::Numeric::Decode(input);
  if (decoded.ok()) (void)decoded->ToString();
  return 0;
}
