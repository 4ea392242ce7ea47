// Comments on objects (COMMENT ON) as pg_description lists them: (objoid, classoid, objsubid,
// description), and the functions that read them (obj_description, col_description).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/sql/func/function.h"
#include "plexus/sql/system/catalog_snapshot.h"
#include "plexus/sql/system/system_relations.h"

namespace plexus::sql::system {

inline constexpr int64_t kPgNamespaceOid = 2615;

struct Description {
  int64_t object_oid = 0;
  int64_t class_oid = 0;   // pg_class (tables, columns, indexes) or pg_namespace (schemas)
  int32_t sub_id = 0;      // a column's attnum; 0 for the object itself
  std::string text;
};

// Every comment: the schemas' (public's from initdb until replaced), then tables', their
// columns' and indexes'.
Result<std::vector<Description>> Descriptions(CatalogSnapshot& snapshot);

Status PgDescriptionRows(CatalogSnapshot& snapshot, std::vector<SystemRow>* rows);
void RegisterDescriptionFunctions(FunctionRegistry& registry);

}  // namespace plexus::sql::system
