// Privileges on tables, sequences and schemas as PostgreSQL keeps them: an owner (a role OID)
// and an access control list of items (grantee, grantor, privileges, grant options), where a
// missing list means the owner's default rights. Bits follow PostgreSQL's AclMode, so the text
// form (aclitem: `grantee=arwdDxt/grantor`) is written in its order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"

namespace plexus::txn {
class Transaction;
}  // namespace plexus::txn

namespace plexus::catalog {

// PostgreSQL's BOOTSTRAP_SUPERUSERID: the owner of objects made before ownership was stored.
inline constexpr uint32_t kBootstrapOwnerOid = 10;
// pg_database_owner: the owner of schema public in PostgreSQL 15.
inline constexpr uint32_t kDatabaseOwnerRoleOid = 6171;
// The grantee OID that stands for PUBLIC (every role), as in PostgreSQL.
inline constexpr uint32_t kPublicGrantee = 0;

// AclMode bits; the letters are PostgreSQL's ACL_ALL_RIGHTS_STR in bit order.
enum Privilege : uint32_t {
  kPrivilegeInsert = 1u << 0,      // a
  kPrivilegeSelect = 1u << 1,      // r
  kPrivilegeUpdate = 1u << 2,      // w
  kPrivilegeDelete = 1u << 3,      // d
  kPrivilegeTruncate = 1u << 4,    // D
  kPrivilegeReferences = 1u << 5,  // x
  kPrivilegeTrigger = 1u << 6,     // t
  kPrivilegeExecute = 1u << 7,     // X
  kPrivilegeUsage = 1u << 8,       // U
  kPrivilegeCreate = 1u << 9,      // C
  kPrivilegeTemporary = 1u << 10,  // T
  kPrivilegeConnect = 1u << 11,    // c
};
inline constexpr std::string_view kPrivilegeLetters = "arwdDxtXUCTc";

// Everything each kind of object can grant (ACL_ALL_RIGHTS_RELATION, _SEQUENCE, _SCHEMA).
inline constexpr uint32_t kTablePrivilegesAll = 0x7f;  // arwdDxt
inline constexpr uint32_t kSequencePrivilegesAll =
    kPrivilegeUsage | kPrivilegeSelect | kPrivilegeUpdate;
inline constexpr uint32_t kSchemaPrivilegesAll = kPrivilegeUsage | kPrivilegeCreate;

struct AclItem {
  uint32_t grantee = kPublicGrantee;
  uint32_t grantor = kBootstrapOwnerOid;
  uint32_t privileges = 0;
  uint32_t grant_options = 0;  // a subset of privileges
  bool operator==(const AclItem&) const = default;
};

// Owner and ACL of one object; `acl` unset means PostgreSQL's NULL acl: the owner's defaults.
struct Privileges {
  uint32_t owner = kBootstrapOwnerOid;
  std::optional<std::vector<AclItem>> acl;
  bool operator==(const Privileges&) const = default;
};

// The ACL in force: `acl`, or the owner's default (all of `all`, with grant option).
std::vector<AclItem> EffectiveAcl(const Privileges& privileges, uint32_t all);

// GRANT: adds `rights` (and, with grant option, their grant options) for `grantee`.
void GrantPrivileges(Privileges* privileges, uint32_t all, uint32_t grantee, uint32_t grantor,
                     uint32_t rights, bool with_grant_option);
// REVOKE: removes `rights` from `grantee` (GRANT OPTION FOR: only their grant options).
void RevokePrivileges(Privileges* privileges, uint32_t all, uint32_t grantee, uint32_t rights,
                      bool grant_option_only);

// The privileges `roles` (a role and those it inherits from) hold through the ACL, PUBLIC
// included.
uint32_t HeldPrivileges(const Privileges& privileges, uint32_t all,
                        const std::vector<uint32_t>& roles);

// The letters of `privileges`, each followed by `*` when in `grant_options` ("arwdDxt", "r*w").
std::string PrivilegeLetters(uint32_t privileges, uint32_t grant_options);

// What a schema has besides its name — owner, ACL, comment — stored apart from its definition
// under ("schema_info", name) in the `catalog` family.
// The owner and ACL: stored ones, else the defaults (public: PostgreSQL 15's, owned by
// pg_database_owner with USAGE for PUBLIC; others: the bootstrap superuser's).
Result<Privileges> SchemaPrivileges(txn::Transaction& transaction, std::string_view schema);
Status SetSchemaPrivileges(txn::Transaction& transaction, std::string_view schema,
                           const Privileges& privileges);
// COMMENT ON SCHEMA ("" removes it); public has initdb's until one is set.
Result<std::optional<std::string>> SchemaComment(txn::Transaction& transaction,
                                                 std::string_view schema);
Status SetSchemaComment(txn::Transaction& transaction, std::string_view schema,
                        std::string_view comment);
// DROP SCHEMA.
Status DeleteSchemaInfo(txn::Transaction& transaction, std::string_view schema);

}  // namespace plexus::catalog
