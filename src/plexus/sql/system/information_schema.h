// information_schema: SQL-standard views, defined (as in PostgreSQL) as queries over pg_catalog.
#pragma once

#include <vector>

#include "plexus/sql/system/system_relations.h"

namespace plexus::sql::system {

std::vector<SystemRelation> InformationSchemaViews();

}  // namespace plexus::sql::system
