// The database under test as the sqllogictest runner sees it: run one SQL statement, get its rows
// back as text, and start each script from an empty database.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::slt {

struct QueryResult {
  // Values as the engine's text; nullopt is SQL NULL. The runner formats them per type letter.
  std::vector<std::vector<std::optional<std::string>>> rows;
  // Result columns, also known when there are no rows; -1 when the engine cannot tell (the width
  // of the rows is used then).
  int column_count = -1;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Matched (ignoring case) against skipif/onlyif, e.g. "postgresql".
  virtual std::string_view name() const = 0;
  // Runs one SQL statement; a failure is a non-OK Status (any code).
  virtual Result<QueryResult> Execute(std::string_view sql) = 0;
  // A fresh empty database; called before each script.
  virtual Status Reset() = 0;
};

}  // namespace plexus::slt
