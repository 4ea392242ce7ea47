// Fuzzes array text input and the stored-array decoder: any bytes give elements or a SQL
// error; elements written back with array_out's quoting parse to the same elements.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plexus/sql/types/array.h"
#include "plexus/sql/types/array_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace plexus::sql;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseArrayText(input);
  if (parsed.ok()) {
    std::string text = "{";
    for (size_t i = 0; i < parsed->size(); ++i) {
      if (i > 0) text += ',';
      if ((*parsed)[i].is_null) {
        text += "NULL";
      } else {
        AppendArrayElementText((*parsed)[i].text, &text);
      }
    }
    text += '}';
    auto again = ParseArrayText(text);
    if (!again.ok() || again->size() != parsed->size()) std::abort();
    for (size_t i = 0; i < parsed->size(); ++i) {
      if ((*again)[i].is_null != (*parsed)[i].is_null || (*again)[i].text != (*parsed)[i].text) {
        std::abort();
      }
    }
  } else if (parsed.status().sql_state().empty()) {
    std::abort();
  }
  // Arbitrary bytes as a stored array of text and of integers: indexed or kCorruption.
  for (TypeId element : {TypeId::kText, TypeId::kInt32}) {
    auto array = ArrayView::Open(input, Type::Of(element));
    if (!array.ok()) continue;
    Vector values(Type::Of(element));
    for (size_t i = 0; i < array->size() && i < kBatchRowsMax; ++i) array->CopyTo(i, &values, i);
  }
  return 0;
}
