// The keyspace's byte layout: metadata values (type, expiry, version, size, list head or string
// value) and the keys of the meta, expiry and data entries.
#include "plexus/kv/keyspace.h"

#include <chrono>
#include <cstring>

#include "plexus/base/assert.h"
#include "plexus/kv/keyspace_internal.h"

namespace plexus::kv {

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kString:
      return "string";
    case Type::kList:
      return "list";
    case Type::kSet:
      return "set";
    case Type::kZSet:
      return "zset";
    case Type::kHash:
      return "hash";
  }
  return "none";
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string EncodeMeta(const Meta& meta) {
  std::string bytes;
  bytes.reserve(kMetaFixedBytes + 8 + meta.value.size());
  bytes.push_back(static_cast<char>(meta.type));
  PutFixed64(&bytes, static_cast<uint64_t>(meta.expire_at_ms));
  PutFixed64(&bytes, meta.version);
  PutFixed64(&bytes, meta.size);
  if (meta.type == Type::kList) PutFixed64(&bytes, meta.list_head);
  if (meta.type == Type::kString) bytes.append(meta.value);
  return bytes;
}

Status DecodeMeta(std::string_view bytes, Meta* meta) {
  if (bytes.size() < kMetaFixedBytes || static_cast<uint8_t>(bytes[0]) > 4) {
    return Status::Corruption("bad kv metadata");
  }
  meta->type = static_cast<Type>(bytes[0]);
  meta->expire_at_ms = static_cast<int64_t>(GetFixed64(bytes.data() + 1));
  meta->version = GetFixed64(bytes.data() + 9);
  meta->size = GetFixed64(bytes.data() + 17);
  size_t offset = kMetaFixedBytes;
  if (meta->type == Type::kList) {
    if (bytes.size() < offset + 8) return Status::Corruption("bad kv list metadata");
    meta->list_head = GetFixed64(bytes.data() + offset);
    offset += 8;
  }
  if (meta->type == Type::kString) {
    meta->value.assign(bytes.substr(offset));
  } else {
    meta->value.clear();
  }
  return Status::Ok();
}

std::string MetaKey(int db, std::string_view key) {
  PLEXUS_DCHECK(db >= 0 && db < kDatabaseCount);
  std::string bytes;
  bytes.reserve(1 + key.size());
  bytes.push_back(static_cast<char>(db));
  bytes.append(key);
  return bytes;
}

std::string ExpiryKey(int64_t expire_at_ms, int db, std::string_view key) {
  std::string bytes(1, kExpiryPrefix);
  PutBigEndian64(&bytes, static_cast<uint64_t>(expire_at_ms));
  bytes.push_back(static_cast<char>(db));
  bytes.append(key);
  return bytes;
}

// Built in place (every collection command makes one; byte-wise appends cost ~250 instructions).
std::string DataPrefix(int db, std::string_view key, uint64_t version) {
  std::string bytes(1 + 4 + key.size() + 8, '\0');
  char* out = bytes.data();
  out[0] = static_cast<char>(db);
  const uint32_t length = static_cast<uint32_t>(key.size());
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>(length >> (24 - 8 * i));
  if (!key.empty()) std::memcpy(out + 5, key.data(), key.size());
  for (int i = 0; i < 8; ++i) out[5 + key.size() + i] = static_cast<char>(version >> (56 - 8 * i));
  return bytes;
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<uint8_t>(end.back()) != 0xFF) {
      end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace plexus::kv
