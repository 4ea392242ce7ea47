// Type modifiers that mark catalog-only variants of a type (the system catalogs' columns):
// PostgreSQL's "char" (OID 18, one byte: relkind, typtype, ...) is text with this typmod, so
// clients that decode "char" as bytes (asyncpg) see OID 18.
#pragma once

#include <cstdint>

namespace plexus::catalog {

inline constexpr int32_t kInternalCharTypmod = 0x7ffd;
inline constexpr uint32_t kInternalCharOid = 18;

}  // namespace plexus::catalog
