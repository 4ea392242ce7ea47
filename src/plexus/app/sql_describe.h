// The catalog as psql's describe commands show it: \d and \dt (List of relations) and \d NAME
// (columns, then indexes and constraints), read from the catalog API in a transaction of its own.
#pragma once

#include <string_view>

#include "plexus/app/table_printer.h"
#include "plexus/base/status.h"
#include "plexus/session/session.h"

namespace plexus::app {

// Tables of the search path (public), sorted by schema and name; with a `name`, only that
// table. Views are not listed: the catalog has no way to enumerate them yet.
Result<TextTable> ListRelations(session::Engine& engine, std::string_view name);

// `name` as psql reads it: optionally schema-qualified, lower-cased unless double-quoted.
// kNotFound carries psql's message when there is no such table or view.
Result<TextTable> DescribeRelation(session::Engine& engine, std::string_view name);

}  // namespace plexus::app
