// Plans that read at most one row by a unique key: what a server may run without handing the
// statement to a thread that is allowed to wait.
#pragma once

#include "plexus/sql/plan/plan.h"

namespace plexus::sql {

// True when `plan` reads at most one row of one table, by equality on every column of its
// primary key or of a unique index, takes no row locks, runs no subquery and calls no volatile
// function (nextval, pg_notify, random: anything with an effect) — or reads no table at all
// (SELECT 1). Executing it costs a few key lookups and cannot wait for another transaction.
bool IsPointRead(const PlanNode& plan);

// True when a plan that IsPointRead reads the store at most once: by its table's whole primary
// key (a unique index's lookup reads the entry, then the row), or not at all. One read sees one
// consistent state by itself, so such a statement needs no snapshot of its own.
bool IsSingleKeyRead(const PlanNode& plan);

}  // namespace plexus::sql
