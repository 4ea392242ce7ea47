// aclitem output (PostgreSQL's aclitemout and putid).
#include "plexus/sql/system/acl_text.h"

#include <cctype>

#include "plexus/sql/system/row_values.h"

namespace plexus::sql::system {

namespace {

// putid: a name with anything but letters, digits and '_' is double-quoted, quotes doubled.
std::string PutId(std::string_view name) {
  bool safe = !name.empty();
  for (char ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') safe = false;
  }
  if (safe) return std::string(name);
  std::string quoted = "\"";
  for (char ch : name) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

}  // namespace

Result<std::string> AclRoleName(CatalogSnapshot& snapshot, uint32_t oid) {
  if (oid == catalog::kDatabaseOwnerRoleOid) return std::string("pg_database_owner");
  PLEXUS_ASSIGN_OR_RETURN(auto roles, snapshot.Roles());
  for (const auto& role : *roles) {
    if (role->oid == oid) return PutId(role->name);
  }
  return std::to_string(oid);
}

Result<std::string> AclItemText(CatalogSnapshot& snapshot, const catalog::AclItem& item) {
  std::string text;
  if (item.grantee != catalog::kPublicGrantee) {
    PLEXUS_ASSIGN_OR_RETURN(text, AclRoleName(snapshot, item.grantee));
  }
  text += '=';
  text += catalog::PrivilegeLetters(item.privileges, item.grant_options);
  text += '/';
  PLEXUS_ASSIGN_OR_RETURN(std::string grantor, AclRoleName(snapshot, item.grantor));
  return text + grantor;
}

Result<Value> AclValue(CatalogSnapshot& snapshot, const catalog::Privileges& privileges) {
  if (!privileges.acl) return NullValue(TextArrayType());
  ArrayBuilder builder(TextType());
  for (const catalog::AclItem& item : *privileges.acl) {
    PLEXUS_ASSIGN_OR_RETURN(std::string text, AclItemText(snapshot, item));
    builder.AppendValue(TextValue(text));
  }
  return Value::String(TextArrayType(), builder.Finish());
}

}  // namespace plexus::sql::system
