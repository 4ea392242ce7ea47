// Binding of the system catalogs: pg_catalog / information_schema relations in FROM, and casts
// to the reg* types (regclass, regtype, regnamespace, regrole, regproc).
#pragma once

#include <optional>
#include <string_view>

#include "plexus/sql/bind/binder_internal.h"

namespace plexus::sql {

// The system relation a RangeVar names, bound: a VALUES list of its rows as of now (pg_catalog)
// or its view query (information_schema). Unqualified names look in pg_catalog first, then in
// information_schema when search_path has it. nullopt when the name is not a system relation.
Result<std::optional<FromItem>> BindSystemRelation(Binder::Impl& impl,
                                                   const PgQuery__RangeVar& range,
                                                   std::string_view alias);

// The schema of an existing relation a RangeVar names: the named one, or the first schema of
// search_path with a table, view or sequence of that name (the first schema when none has).
// With one schema on the path (the usual case) this reads nothing.
Result<std::string> LookupSchemaOf(Binder::Impl& impl, const PgQuery__RangeVar& range);

// Whether a cast is one of the catalog's: to a reg* type (regclass, regtype, regnamespace,
// regrole, regproc), or of an int2vector to a string type.
bool IsSystemCast(const Expr& arg, const PgQuery__TypeName& type_name);
// 'name'::regclass (a literal) resolves now to the OID (42P01 when there is no such relation);
// a text value resolves when run (NULL when missing, as to_regclass); an integer becomes the
// name as text (as regclass output). Likewise regtype, regnamespace, regrole; regproc passes
// OIDs through. OIDs are bigint. An int2vector becomes its text form "1 2".
Result<ExprPtr> BindSystemCast(Binder::Impl& impl, ExprPtr arg,
                               const PgQuery__TypeName& type_name, int location);

// ARRAY(subquery): the array of the subquery's one column, '{}' when it has no rows (an
// array_agg over the subquery's rows, in their order).
Result<ExprPtr> BindArraySubquery(PlanPtr plan, bool correlated, int location);

}  // namespace plexus::sql
