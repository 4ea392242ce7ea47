// Fuzzes SQL parsing: any bytes give a parse tree or a SQL error with a SQLSTATE, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plexus/sql/parse/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto tree =
      plexus::sql::ParseTree::Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!tree.ok() && tree.status().sql_state().empty()) std::abort();
  if (tree.ok()) {
    for (size_t i = 0; i < tree->statement_count(); ++i) (void)tree->statement_text(i);
  }
  return 0;
}
