// ACLs as the catalogs show them: aclitem text (`grantee=arwdDxt/grantor`, PUBLIC as an empty
// grantee) in a text[] value, NULL for an object with its owner's default rights.
#pragma once

#include <cstdint>
#include <string>

#include "plexus/base/status.h"
#include "plexus/catalog/privileges.h"
#include "plexus/sql/types/value.h"
#include "plexus/sql/system/catalog_snapshot.h"

namespace plexus::sql::system {

// A role's name by OID as aclitem output writes it (quoted where needed); the OID's digits
// when no role has it.
Result<std::string> AclRoleName(CatalogSnapshot& snapshot, uint32_t oid);
Result<std::string> AclItemText(CatalogSnapshot& snapshot, const catalog::AclItem& item);
// relacl / nspacl.
Result<Value> AclValue(CatalogSnapshot& snapshot, const catalog::Privileges& privileges);

}  // namespace plexus::sql::system
