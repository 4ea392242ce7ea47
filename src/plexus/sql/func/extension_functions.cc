// The functions of the extensions Plexus provides (catalog/extensions.h), callable whether or not
// CREATE EXTENSION ran: pgcrypto's digest, hmac and gen_random_bytes (gen_random_uuid is in
// core since PostgreSQL 13; crypt and gen_salt are not provided), and uuid-ossp's
// uuid_generate_v1/v1mc/v3/v5 (v4 is gen_random_uuid's kernel, in bytea_uuid_functions.cc),
// uuid_nil and uuid_ns_dns/url/oid/x500.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <string>

#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/types/uuid.h"

namespace plexus::sql {

namespace {

// pgcrypto reports its failures as external_routine_invocation_exception.
constexpr SqlState kExternalRoutineInvocation{"39000", StatusCode::kInvalidArgument};

// pgcrypto's hash names (as OpenSSL spells them, case-insensitive).
Result<const EVP_MD*> HashAlgorithm(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [known, algorithm] :
       {std::pair<std::string_view, const EVP_MD* (*)()>{"md5", EVP_md5}, {"sha1", EVP_sha1},
        {"sha224", EVP_sha224}, {"sha256", EVP_sha256}, {"sha384", EVP_sha384},
        {"sha512", EVP_sha512}}) {
    if (lower == known) return algorithm();
  }
  return SqlError(kExternalRoutineInvocation,
                  "Cannot use \"" + std::string(name) + "\": No such hash algorithm");
}

// digest(data, type): data is text or bytea.
Status DigestKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                    ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const EVP_MD* algorithm, HashAlgorithm(args[1]->GetString(row)));
    const std::string_view data = args[0]->GetString(row);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &size, algorithm, nullptr) != 1) {
      return SqlError(kInternalError, "could not compute the digest");
    }
    out->SetString(row, std::string_view(reinterpret_cast<const char*>(digest), size));
  }
  return Status::Ok();
}

// hmac(data, key, type).
Status HmacKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    PLEXUS_ASSIGN_OR_RETURN(const EVP_MD* algorithm, HashAlgorithm(args[2]->GetString(row)));
    const std::string_view data = args[0]->GetString(row);
    const std::string_view key = args[1]->GetString(row);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (HMAC(algorithm, key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &size) == nullptr) {
      return SqlError(kInternalError, "could not compute the HMAC");
    }
    out->SetString(row, std::string_view(reinterpret_cast<const char*>(mac), size));
  }
  return Status::Ok();
}

Status RandomBytesKernel(const Vector* const* args, size_t rows, const uint8_t* active,
                         Vector* out, ExecContext&) {
  unsigned char bytes[1024];
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const int32_t count = args[0]->values<int32_t>()[row];
    if (count < 1 || count > 1024) return SqlError(kInvalidParameterValue, "Length not in range");
    if (RAND_bytes(bytes, count) != 1) {
      return SqlError(kExternalRoutineInvocation, "could not generate random bytes");
    }
    out->SetString(row, std::string_view(reinterpret_cast<const char*>(bytes),
                                         static_cast<size_t>(count)));
  }
  return Status::Ok();
}

void SetUuid(Vector* out, size_t row, const UuidBytes& uuid) {
  std::memcpy(out->values<Bytes16>()[row].bytes, uuid.data(), uuid.size());
}

// RFC 4122 version 1: 100 ns ticks since 1582-10-15, a clock sequence, and a node. The node is
// random with the multicast bit set (uuid_generate_v1mc's; Plexus does not read the host's MAC
// address for uuid_generate_v1 either, which RFC 4122 section 4.5 allows). Ticks never repeat
// within the process.
UuidBytes TimeUuid() {
  static std::mutex mutex;
  static uint64_t last_ticks = 0;
  constexpr uint64_t kGregorianToUnix100ns = 0x01B21DD213814000ULL;
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  uint64_t ticks =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count() / 100) +
      kGregorianToUnix100ns;
  {
    std::lock_guard lock(mutex);
    if (ticks <= last_ticks) ticks = last_ticks + 1;
    last_ticks = ticks;
  }
  UuidBytes uuid = RandomUuid();  // random clock sequence and node
  uuid[0] = static_cast<uint8_t>(ticks >> 24);
  uuid[1] = static_cast<uint8_t>(ticks >> 16);
  uuid[2] = static_cast<uint8_t>(ticks >> 8);
  uuid[3] = static_cast<uint8_t>(ticks);
  uuid[4] = static_cast<uint8_t>(ticks >> 40);
  uuid[5] = static_cast<uint8_t>(ticks >> 32);
  uuid[6] = static_cast<uint8_t>(0x10 | ((ticks >> 56) & 0x0F));
  uuid[7] = static_cast<uint8_t>(ticks >> 48);
  uuid[8] = static_cast<uint8_t>(0x80 | (uuid[8] & 0x3F));
  uuid[10] |= 0x01;  // multicast: not a real MAC address
  return uuid;
}

Status TimeUuidKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) SetUuid(out, row, TimeUuid());
  }
  return Status::Ok();
}

// Versions 3 (MD5) and 5 (SHA-1): the hash of the namespace's bytes and the name.
template <int kVersion>
Status NameUuidKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                      ExecContext&) {
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    std::string input(reinterpret_cast<const char*>(args[0]->values<Bytes16>()[row].bytes), 16);
    input += args[1]->GetString(row);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &size,
                   kVersion == 3 ? EVP_md5() : EVP_sha1(), nullptr) != 1) {
      return SqlError(kInternalError, "could not compute the digest");
    }
    UuidBytes uuid;
    std::memcpy(uuid.data(), digest, uuid.size());
    uuid[6] = static_cast<uint8_t>((kVersion << 4) | (uuid[6] & 0x0F));
    uuid[8] = static_cast<uint8_t>(0x80 | (uuid[8] & 0x3F));
    SetUuid(out, row, uuid);
  }
  return Status::Ok();
}

// uuid_nil() and the namespaces of RFC 4122 appendix C: their last byte differs.
template <uint8_t kFirstByte>
Status ConstantUuidKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                          ExecContext&) {
  UuidBytes uuid{};
  if (kFirstByte != 0) {
    // 6ba7b81X-9dad-11d1-80b4-00c04fd430c8
    uuid = {0x6b, 0xa7, 0xb8, kFirstByte, 0x9d, 0xad, 0x11, 0xd1,
            0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  }
  for (size_t row = 0; row < rows; ++row) {
    if (active[row]) SetUuid(out, row, uuid);
  }
  return Status::Ok();
}

}  // namespace

void RegisterExtensionFunctions(FunctionRegistry& registry) {
  const Type bytea = Type::Of(TypeId::kBytea);
  const Type text = Type::Of(TypeId::kText);
  const Type uuid = Type::Of(TypeId::kUuid);
  for (const Type& data : {text, bytea}) {
    registry.Add({"digest", {data, text}, bytea, DigestKernel});
    registry.Add({"hmac", {data, data, text}, bytea, HmacKernel});
  }
  ScalarFunction random_bytes{"gen_random_bytes", {Type::Of(TypeId::kInt32)}, bytea, RandomBytesKernel};
  random_bytes.volatile_ = true;
  registry.Add(random_bytes);
  for (const auto& [name, kernel] :
       {std::pair<const char*, ScalarKernel>{"uuid_generate_v1", TimeUuidKernel},
        {"uuid_generate_v1mc", TimeUuidKernel}}) {
    ScalarFunction generate{name, {}, uuid, kernel};
    generate.volatile_ = true;
    registry.Add(generate);
  }
  registry.Add({"uuid_generate_v3", {uuid, text}, uuid, NameUuidKernel<3>});
  registry.Add({"uuid_generate_v5", {uuid, text}, uuid, NameUuidKernel<5>});
  registry.Add({"uuid_nil", {}, uuid, ConstantUuidKernel<0x00>});
  registry.Add({"uuid_ns_dns", {}, uuid, ConstantUuidKernel<0x10>});
  registry.Add({"uuid_ns_url", {}, uuid, ConstantUuidKernel<0x11>});
  registry.Add({"uuid_ns_oid", {}, uuid, ConstantUuidKernel<0x12>});
  registry.Add({"uuid_ns_x500", {}, uuid, ConstantUuidKernel<0x14>});
}

}  // namespace plexus::sql
