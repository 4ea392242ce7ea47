// How a definition's owner and ACL are stored in its JSON: {"owner": oid, "acl": [[grantee,
// grantor, privileges, grant_options], ...]}, each key only when not the default (so
// definitions written before ownership existed read as owned by the bootstrap superuser).
#pragma once

#include <nlohmann/json.hpp>

#include "plexus/catalog/privileges.h"

namespace plexus::catalog {

void PrivilegesToJson(const Privileges& privileges, nlohmann::json* json);
// Throws nlohmann::json::exception on a malformed entry (the callers catch it).
Privileges PrivilegesFromJson(const nlohmann::json& json);

}  // namespace plexus::catalog
