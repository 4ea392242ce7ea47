// Bearer tokens issued by POST /api/v1/auth/token, kept in the `catalog` family so that they
// survive restarts: ("http_token", hex SHA-256 of the token) -> {"role", "role_oid",
// "expires_us"} as JSON — the token itself is never stored. Each call is a transaction of its
// own (as roles.h stores role definitions, through txn::Transaction). The role's OID ties a
// token to the role it was issued for: a role dropped (and perhaps created again under the same
// name, with another OID) no longer accepts its tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

namespace plexus::txn {
class TransactionManager;
}

namespace plexus::server::http {

struct IssuedToken {
  std::string role;
  uint32_t role_oid = 0;
  int64_t expires_us = 0;  // Unix time in microseconds
};

class TokenStore {
 public:
  // REQUIRES: `transactions` outlives the store.
  explicit TokenStore(txn::TransactionManager* transactions) : transactions_(transactions) {}

  // What is stored of `token`: its SHA-256 in lower-case hex.
  static std::string Hash(std::string_view token);
  // Unix time now, in microseconds.
  static int64_t NowMicros();

  Status Put(std::string_view hash, const IssuedToken& token);
  // nullopt when no token has the hash.
  Result<std::optional<IssuedToken>> Find(std::string_view hash);
  // Deleting a missing token is no error.
  Status Delete(std::string_view hash);
  // Deletes the tokens expired at `now_us` and those whose role is gone (dropped, or created
  // again with another OID); returns how many.
  Result<size_t> Sweep(int64_t now_us);

 private:
  txn::TransactionManager* transactions_;
};

}  // namespace plexus::server::http
