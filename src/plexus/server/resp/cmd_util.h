// Helpers shared by the command families: typed key lookup with Redis's errors, writing a key,
// list-style index normalisation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/kv/keyspace.h"
#include "plexus/server/resp/command.h"
#include "plexus/server/resp/errors.h"
#include "plexus/server/resp/notify.h"

namespace plexus::server::resp {

// Outcome of looking a key up for a command that needs a given type.
enum class Lookup : uint8_t { kFound, kMissing, kReplied };

// Reads `key`'s live metadata into *meta. kReplied after replying WRONGTYPE (type differs from
// `type`) or a storage error; the command must then return.
inline Lookup LookupKey(CommandContext& c, std::string_view key, kv::Type type,
                        std::optional<kv::Meta>* meta) {
  Result<std::optional<kv::Meta>> result = c.op->Get(c.db(), key);
  if (!result.ok()) {
    c.StorageError(result.status());
    return Lookup::kReplied;
  }
  *meta = std::move(result).value();
  if (!meta->has_value()) return Lookup::kMissing;
  if ((*meta)->type != type) {
    c.Error(errors::kWrongType);
    return Lookup::kReplied;
  }
  return Lookup::kFound;
}

// Any type.
inline Lookup LookupAny(CommandContext& c, std::string_view key, std::optional<kv::Meta>* meta) {
  Result<std::optional<kv::Meta>> result = c.op->Get(c.db(), key);
  if (!result.ok()) {
    c.StorageError(result.status());
    return Lookup::kReplied;
  }
  *meta = std::move(result).value();
  return meta->has_value() ? Lookup::kFound : Lookup::kMissing;
}

// Writes `meta` for `key`, whose previous live metadata is `old` (nullopt when it had none).
inline Status WriteMeta(CommandContext& c, std::string_view key, const kv::Meta& meta,
                        const std::optional<kv::Meta>& old) {
  return c.op->Put(c.db(), key, meta, old.has_value(), old ? old->expire_at_ms : 0);
}

// Writes a collection's metadata after its elements changed: deletes the key when it has no
// elements left (Redis never keeps an empty collection).
inline Status StoreCollection(CommandContext& c, std::string_view key, const kv::Meta& meta,
                              const std::optional<kv::Meta>& old) {
  if (meta.size == 0) {
    if (old) return c.op->Delete(c.db(), key, *old);
    return Status::Ok();
  }
  return WriteMeta(c, key, meta, old);
}

// After a collection command's own event: "del" when the command emptied (and so deleted) it.
inline void NotifyIfDeleted(CommandContext& c, const kv::Meta& meta, std::string_view key) {
  if (meta.size == 0) c.Notify(kNotifyGeneric, "del", key);
}

// A fresh collection's metadata.
inline kv::Meta NewCollection(CommandContext& c, kv::Type type) {
  kv::Meta meta;
  meta.type = type;
  meta.version = c.op->NewVersion();
  meta.list_head = kv::kListMiddle;
  return meta;
}

// The tail of a *STORE command (SINTERSTORE, ZUNIONSTORE, ...): replaces the destination
// args[1] by a new collection of `type` with `count` elements, which `write_elements(meta)`
// writes under the new version (the old version's elements become garbage), or deletes the
// destination when `count` is 0; then notifies `event` (class `notify_type`) and replies count.
template <typename WriteElements>
void StoreCollectionResult(CommandContext& c, kv::Type type, uint32_t notify_type,
                           std::string_view event, size_t count, WriteElements write_elements) {
  std::optional<kv::Meta> old;
  if (LookupAny(c, c.arg(1), &old) == Lookup::kReplied) return;
  if (count == 0) {
    if (old) {
      const Status status = c.op->Delete(c.db(), c.arg(1), *old);
      if (!status.ok()) return c.StorageError(status);
      c.Notify(kNotifyGeneric, "del", c.arg(1));
    }
    return c.reply.Integer(0);
  }
  kv::Meta meta = NewCollection(c, type);
  Status status = write_elements(meta);
  if (!status.ok()) return c.StorageError(status);
  meta.size = count;
  status = WriteMeta(c, c.arg(1), meta, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(notify_type, event, c.arg(1));
  c.reply.Integer(static_cast<int64_t>(count));
}

// Redis's start/end normalisation for LRANGE/GETRANGE/ZRANGE: negative counts from the end;
// false when the range is empty.
inline bool NormalizeRange(int64_t length, int64_t* start, int64_t* end) {
  if (*start < 0) *start += length;
  if (*end < 0) *end += length;
  if (*start < 0) *start = 0;
  if (*start > *end || *start >= length) return false;
  if (*end >= length) *end = length - 1;
  return true;
}

// Redis's ld2string(LD_STR_HUMAN) and its long double parser (INCRBYFLOAT, HINCRBYFLOAT).
std::string FormatLongDoubleHuman(long double value);
bool ParseLongDouble(std::string_view text, long double* value);

// HSCAN/SSCAN/ZSCAN arguments (args[2] is the cursor): the sub-key to start from, MATCH (empty:
// all) and COUNT. *finished when the cursor is unknown. False after an error reply.
bool ParseElementScan(CommandContext& c, std::string* start, std::string* pattern, int64_t* count,
                      bool* finished);

// A blocking command's timeout in seconds (fractions allowed) as milliseconds; 0 waits forever.
// False after an error reply.
inline bool ParseTimeout(CommandContext& c, std::string_view text, uint64_t* timeout_ms) {
  double seconds = 0;
  if (!ParseDouble(text, &seconds) || seconds > 1e12) {
    c.Error(errors::kTimeoutNotFloat);
    return false;
  }
  if (seconds < 0) {
    c.Error(errors::kTimeoutNegative);
    return false;
  }
  *timeout_ms = static_cast<uint64_t>(seconds * 1000);
  if (seconds > 0 && *timeout_ms == 0) *timeout_ms = 1;
  return true;
}

// Copies the elements of `from_prefix` with sub-keys in [lower, upper) ("" upper: all) to
// `to_prefix` (RENAME, COPY of collections; a list's live range only).
inline Status CopyElements(kv::Op* op, std::string_view from_prefix, std::string_view to_prefix,
                           std::string_view lower = "", std::string_view upper = "") {
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, op->Elements(from_prefix, lower, upper));
  std::vector<std::pair<std::string, std::string>> elements;
  for (; iterator->Valid(); iterator->Next()) {
    elements.emplace_back(std::string(iterator->key().substr(from_prefix.size())),
                          std::string(iterator->value()));
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  iterator.reset();
  for (const auto& [sub_key, value] : elements) {
    PLEXUS_RETURN_IF_ERROR(op->PutElement(to_prefix, sub_key, value));
  }
  return Status::Ok();
}

}  // namespace plexus::server::resp
