// Issued bearer tokens in the catalog family.
#include "plexus/server/http/token_store.h"

#include <openssl/sha.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "plexus/catalog/roles.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::server::http {
namespace {

constexpr storage::Family kFamily = storage::Family::kCatalog;
constexpr std::string_view kKeyPrefix = "http_token";

std::string TokenPrefix() {
  std::string key;
  storage::AppendText(&key, kKeyPrefix, SortOrder::kAscending);
  return key;
}

std::string TokenKey(std::string_view hash) {
  std::string key = TokenPrefix();
  storage::AppendText(&key, hash, SortOrder::kAscending);
  return key;
}

std::string ToJson(const IssuedToken& token) {
  return nlohmann::json{
      {"role", token.role}, {"role_oid", token.role_oid}, {"expires_us", token.expires_us}}
      .dump();
}

Result<IssuedToken> FromJson(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("role") ||
      !json["role"].is_string() || !json.contains("role_oid") ||
      !json["role_oid"].is_number_unsigned() || !json.contains("expires_us") ||
      !json["expires_us"].is_number_integer()) {
    return Status::Corruption("catalog: an issued HTTP token's entry is not valid");
  }
  IssuedToken token;
  token.role = json["role"].get<std::string>();
  token.role_oid = json["role_oid"].get<uint32_t>();
  token.expires_us = json["expires_us"].get<int64_t>();
  return token;
}

// Commits a transaction that wrote; rolls back one that only read.
Status Finish(txn::Transaction& transaction, const Status& status, bool wrote) {
  if (!status.ok() || !wrote) {
    [[maybe_unused]] Status ignored = transaction.Rollback();
    return status;
  }
  return transaction.Commit();
}

}  // namespace

std::string TokenStore::Hash(std::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * sizeof(digest));
  for (const unsigned char byte : digest) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

int64_t TokenStore::NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status TokenStore::Put(std::string_view hash, const IssuedToken& token) {
  std::unique_ptr<txn::Transaction> transaction = transactions_->Begin();
  const Status status = transaction->Put(kFamily, TokenKey(hash), ToJson(token));
  return Finish(*transaction, status, /*wrote=*/true);
}

Result<std::optional<IssuedToken>> TokenStore::Find(std::string_view hash) {
  std::unique_ptr<txn::Transaction> transaction = transactions_->Begin();
  std::string value;
  const Status status = transaction->Get(kFamily, TokenKey(hash), &value);
  [[maybe_unused]] Status ignored = transaction->Rollback();  // read only
  if (status.IsNotFound()) return std::optional<IssuedToken>();
  PLEXUS_RETURN_IF_ERROR(status);
  PLEXUS_ASSIGN_OR_RETURN(IssuedToken token, FromJson(value));
  return std::optional<IssuedToken>(std::move(token));
}

Status TokenStore::Delete(std::string_view hash) {
  std::unique_ptr<txn::Transaction> transaction = transactions_->Begin();
  const Status status = transaction->Delete(kFamily, TokenKey(hash));
  return Finish(*transaction, status, /*wrote=*/true);
}

Result<size_t> TokenStore::Sweep(int64_t now_us) {
  std::unique_ptr<txn::Transaction> transaction = transactions_->Begin();
  const std::string prefix = TokenPrefix();
  std::vector<std::string> doomed;
  {
    PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                            transaction->Scan(kFamily, prefix, storage::PrefixSuccessor(prefix)));
    for (; iterator->Valid(); iterator->Next()) {
      Result<IssuedToken> token = FromJson(iterator->value());
      bool keep = token.ok() && token->expires_us > now_us;
      if (keep) {
        auto role = catalog::FindRole(*transaction, token->role);
        if (!role.ok() && !role.status().IsNotFound()) return role.status();
        keep = role.ok() && (*role)->oid == token->role_oid;
      }
      if (!keep) doomed.emplace_back(iterator->key());
    }
    PLEXUS_RETURN_IF_ERROR(iterator->status());
  }
  Status status;
  for (const std::string& key : doomed) {
    status = transaction->Delete(kFamily, key);
    if (!status.ok()) break;
  }
  PLEXUS_RETURN_IF_ERROR(Finish(*transaction, status, !doomed.empty()));
  return doomed.size();
}

}  // namespace plexus::server::http
