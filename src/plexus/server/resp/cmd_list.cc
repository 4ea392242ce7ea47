// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LRANGE LLEN LINDEX LSET LREM LTRIM LINSERT
// LPOS LMOVE RPOPLPUSH. Element i of a list is at position (head + i), stored in chunks of 64
// positions (kv/list_chunk.h), so pushes and pops at either end and LINDEX/LSET read or write
// one chunk, which an op reads once and writes once; LREM and LINSERT rewrite the list under a
// new version. Pops and trims only move head and size: what falls outside is garbage (a write
// of its chunk drops it, kv's compaction check drops whole chunks), never read.
#include <algorithm>

#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

// A list's elements through its metadata (head and size change as it is edited).
class ListView {
 public:
  ListView(CommandContext& c, std::string_view key, kv::Meta* meta)
      : c_(c), key_(key), prefix_(kv::DataPrefix(c.db(), key, meta->version)), meta_(meta) {}

  Status Get(uint64_t position, std::string* value) {
    return c_.op->ListGet(prefix_, meta_->list_head + position, value);
  }
  Status Set(uint64_t position, std::string_view value) {
    return c_.op->ListSet(prefix_, meta_->list_head + position, value, meta_->list_head,
                          meta_->list_head + meta_->size);
  }
  Status Push(bool left, std::string_view value) {
    if (left) --meta_->list_head;
    ++meta_->size;
    return Set(left ? 0 : meta_->size - 1, value);
  }
  // REQUIRES: size > 0.
  Status Pop(bool left, std::string* value) {
    PLEXUS_RETURN_IF_ERROR(Get(left ? 0 : meta_->size - 1, value));
    Drop(left);
    return Status::Ok();
  }
  // Removes the first or last element (it stays in the store, as garbage). REQUIRES: size > 0.
  void Drop(bool left) {
    if (left) ++meta_->list_head;
    --meta_->size;
  }
  // Elements [start, end] (positions).
  Status Load(uint64_t start, uint64_t end, std::vector<std::string>* values) {
    return c_.op->ListRange(prefix_, meta_->list_head + start, meta_->list_head + end + 1,
                            values);
  }
  // Replaces every element with `values`, under a new version (the old one's chunks are
  // garbage at once).
  Status Rewrite(const std::vector<std::string>& values) {
    meta_->version = c_.op->NewVersion();
    prefix_ = kv::DataPrefix(c_.db(), key_, meta_->version);
    meta_->list_head = kv::kListMiddle;
    meta_->size = 0;
    for (const std::string& value : values) PLEXUS_RETURN_IF_ERROR(Push(false, value));
    return Status::Ok();
  }

 private:
  CommandContext& c_;
  std::string_view key_;
  std::string prefix_;
  kv::Meta* meta_;
};

Lookup LookupList(CommandContext& c, std::string_view key, std::optional<kv::Meta>* meta) {
  return LookupKey(c, key, kv::Type::kList, meta);
}

void PushGeneric(CommandContext& c, bool left, bool only_existing) {
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupList(c, c.arg(1), &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing && only_existing) return c.reply.Integer(0);
  kv::Meta meta = old ? *old : NewCollection(c, kv::Type::kList);
  ListView list(c, c.arg(1), &meta);
  for (size_t i = 2; i < c.argc(); ++i) {
    const Status status = list.Push(left, c.arg(i));
    if (!status.ok()) return c.StorageError(status);
  }
  const Status status = StoreCollection(c, c.arg(1), meta, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyList, left ? "lpush" : "rpush", c.arg(1));
  c.reply.Integer(static_cast<int64_t>(meta.size));
}

void LPush(CommandContext& c) { PushGeneric(c, true, false); }
void RPush(CommandContext& c) { PushGeneric(c, false, false); }
void LPushX(CommandContext& c) { PushGeneric(c, true, true); }
void RPushX(CommandContext& c) { PushGeneric(c, false, true); }

void PopGeneric(CommandContext& c, bool left) {
  if (c.argc() > 3) return c.Error(errors::kSyntax);
  const bool has_count = c.argc() == 3;
  int64_t count = 1;
  if (has_count && (!ParseInt64(c.arg(2), &count) || count < 0)) {
    return c.Error(errors::kMustBePositive);
  }
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupList(c, c.arg(1), &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return has_count ? c.reply.NullArray() : c.reply.Null();
  kv::Meta meta = *old;
  ListView list(c, c.arg(1), &meta);
  std::vector<std::string> values;
  while (static_cast<int64_t>(values.size()) < count && meta.size > 0) {
    std::string value;
    const Status status = list.Pop(left, &value);
    if (!status.ok()) return c.StorageError(status);
    values.push_back(std::move(value));
  }
  const Status status = StoreCollection(c, c.arg(1), meta, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyList, left ? "lpop" : "rpop", c.arg(1));
  NotifyIfDeleted(c, meta, c.arg(1));
  if (!has_count) return c.reply.Bulk(values[0]);
  c.reply.Array(values.size());
  for (const std::string& value : values) c.reply.Bulk(value);
}

void LPop(CommandContext& c) { PopGeneric(c, true); }
void RPop(CommandContext& c) { PopGeneric(c, false); }

void LLen(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupList(c, c.arg(1), &meta) == Lookup::kReplied) return;
  c.reply.Integer(meta ? static_cast<int64_t>(meta->size) : 0);
}

void LRange(CommandContext& c) {
  int64_t start = 0, end = 0;
  if (!ParseInt64(c.arg(2), &start) || !ParseInt64(c.arg(3), &end)) {
    return c.Error(errors::kNotInteger);
  }
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupList(c, c.arg(1), &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<std::string> values;
  if (meta && NormalizeRange(static_cast<int64_t>(meta->size), &start, &end)) {
    ListView list(c, c.arg(1), &*meta);
    const Status status =
        list.Load(static_cast<uint64_t>(start), static_cast<uint64_t>(end), &values);
    if (!status.ok()) return c.StorageError(status);
  }
  c.reply.Array(values.size());
  for (const std::string& value : values) c.reply.Bulk(value);
}

// A Redis list index (negative from the end) as a position, or false when out of range.
bool Position(int64_t index, uint64_t size, uint64_t* position) {
  if (index < 0) index += static_cast<int64_t>(size);
  if (index < 0 || static_cast<uint64_t>(index) >= size) return false;
  *position = static_cast<uint64_t>(index);
  return true;
}

void LIndex(CommandContext& c) {
  int64_t index = 0;
  if (!ParseInt64(c.arg(2), &index)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupList(c, c.arg(1), &meta);
  if (lookup == Lookup::kReplied) return;
  uint64_t position = 0;
  if (!meta || !Position(index, meta->size, &position)) return c.reply.Null();
  std::string value;
  const Status status = ListView(c, c.arg(1), &*meta).Get(position, &value);
  if (!status.ok()) return c.StorageError(status);
  c.reply.Bulk(value);
}

void LSet(CommandContext& c) {
  int64_t index = 0;
  if (!ParseInt64(c.arg(2), &index)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupList(c, c.arg(1), &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.Error(errors::kNoSuchKey);
  uint64_t position = 0;
  if (!Position(index, meta->size, &position)) return c.Error(errors::kIndexOutOfRange);
  const Status status = ListView(c, c.arg(1), &*meta).Set(position, c.arg(3));
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyList, "lset", c.arg(1));
  c.reply.Ok();
}

// Loads the whole list args[1]. False after a reply.
bool LoadList(CommandContext& c, std::optional<kv::Meta>* meta, std::vector<std::string>* values,
              bool* missing) {
  const Lookup lookup = LookupList(c, c.arg(1), meta);
  if (lookup == Lookup::kReplied) return false;
  *missing = lookup == Lookup::kMissing;
  if (*missing) return true;
  const Status status = ListView(c, c.arg(1), &**meta).Load(0, (*meta)->size - 1, values);
  if (!status.ok()) {
    c.StorageError(status);
    return false;
  }
  return true;
}

Status StoreRewritten(CommandContext& c, const std::optional<kv::Meta>& old,
                      const std::vector<std::string>& values) {
  kv::Meta meta = *old;
  PLEXUS_RETURN_IF_ERROR(ListView(c, c.arg(1), &meta).Rewrite(values));
  return StoreCollection(c, c.arg(1), meta, old);
}

void LRem(CommandContext& c) {
  int64_t count = 0;
  if (!ParseInt64(c.arg(2), &count)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> meta;
  std::vector<std::string> values;
  bool missing = false;
  if (!LoadList(c, &meta, &values, &missing)) return;
  if (missing) return c.reply.Integer(0);
  const std::string_view element = c.arg(3);
  int64_t removed = 0;
  const int64_t limit = count == 0 ? INT64_MAX : (count < 0 ? -count : count);
  std::vector<bool> drop(values.size(), false);
  for (size_t k = 0; k < values.size() && removed < limit; ++k) {
    const size_t i = count < 0 ? values.size() - 1 - k : k;
    if (values[i] == element) {
      drop[i] = true;
      ++removed;
    }
  }
  if (removed == 0) return c.reply.Integer(0);
  std::vector<std::string> kept;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(values[i]));
  }
  const Status status = StoreRewritten(c, meta, kept);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyList, "lrem", c.arg(1));
  if (kept.empty()) c.Notify(kNotifyGeneric, "del", c.arg(1));
  c.reply.Integer(removed);
}

void LTrim(CommandContext& c) {
  int64_t start = 0, end = 0;
  if (!ParseInt64(c.arg(2), &start) || !ParseInt64(c.arg(3), &end)) {
    return c.Error(errors::kNotInteger);
  }
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupList(c, c.arg(1), &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Ok();
  kv::Meta meta = *old;
  ListView list(c, c.arg(1), &meta);
  const int64_t size = static_cast<int64_t>(meta.size);
  int64_t keep_from = 0, keep_to = -1;  // empty unless the range normalises
  if (NormalizeRange(size, &start, &end)) {
    keep_from = start;
    keep_to = end;
  }
  // Drop what lies outside [keep_from, keep_to]: from the right first, then from the left.
  const int64_t right = keep_to < 0 ? size : size - 1 - keep_to;
  const int64_t left = keep_to < 0 ? 0 : keep_from;
  for (int64_t i = 0; i < right; ++i) list.Drop(false);
  for (int64_t i = 0; i < left; ++i) list.Drop(true);
  const Status status = StoreCollection(c, c.arg(1), meta, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyList, "ltrim", c.arg(1));
  NotifyIfDeleted(c, meta, c.arg(1));
  c.reply.Ok();
}

void LInsert(CommandContext& c) {
  const bool before = EqualsIgnoreCase(c.arg(2), "before");
  if (!before && !EqualsIgnoreCase(c.arg(2), "after")) return c.Error(errors::kSyntax);
  std::optional<kv::Meta> meta;
  std::vector<std::string> values;
  bool missing = false;
  if (!LoadList(c, &meta, &values, &missing)) return;
  if (missing) return c.reply.Integer(0);
  auto pivot = std::find(values.begin(), values.end(), c.arg(3));
  if (pivot == values.end()) return c.reply.Integer(-1);
  values.insert(before ? pivot : pivot + 1, std::string(c.arg(4)));
  const Status status = StoreRewritten(c, meta, values);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyList, "linsert", c.arg(1));
  c.reply.Integer(static_cast<int64_t>(values.size()));
}

void LPos(CommandContext& c) {
  int64_t rank = 1, count = -1, max_length = 0;
  for (size_t i = 3; i < c.argc(); i += 2) {
    if (i + 1 >= c.argc()) return c.Error(errors::kSyntax);
    int64_t value = 0;
    if (!ParseInt64(c.arg(i + 1), &value)) return c.Error(errors::kNotInteger);
    if (EqualsIgnoreCase(c.arg(i), "rank")) {
      if (value == 0 || value == INT64_MIN) {
        return c.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
            "second ... or use negative to start from the end of the list");
      }
      rank = value;
    } else if (EqualsIgnoreCase(c.arg(i), "count")) {
      if (value < 0) return c.Error("ERR COUNT can't be negative");
      count = value;
    } else if (EqualsIgnoreCase(c.arg(i), "maxlen")) {
      if (value < 0) return c.Error("ERR MAXLEN can't be negative");
      max_length = value;
    } else {
      return c.Error(errors::kSyntax);
    }
  }
  std::optional<kv::Meta> meta;
  std::vector<std::string> values;
  bool missing = false;
  if (!LoadList(c, &meta, &values, &missing)) return;
  std::vector<int64_t> found;
  const int64_t size = static_cast<int64_t>(values.size());
  const int64_t wanted = count == 0 ? INT64_MAX : (count < 0 ? 1 : count);
  int64_t skip = (rank < 0 ? -rank : rank) - 1;
  for (int64_t k = 0; k < size && static_cast<int64_t>(found.size()) < wanted; ++k) {
    if (max_length > 0 && k >= max_length) break;
    const int64_t i = rank < 0 ? size - 1 - k : k;
    if (values[static_cast<size_t>(i)] != c.arg(2)) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    found.push_back(i);
  }
  if (count < 0) return found.empty() ? c.reply.Null() : c.reply.Integer(found[0]);
  c.reply.Array(found.size());
  for (int64_t index : found) c.reply.Integer(index);
}

// Moves one element from the `from_left` end of args[1] to the `to_left` end of args[2].
void MoveGeneric(CommandContext& c, bool from_left, bool to_left) {
  std::optional<kv::Meta> source, destination;
  const Lookup lookup = LookupList(c, c.arg(1), &source);
  if (lookup == Lookup::kReplied) return;
  if (LookupList(c, c.arg(2), &destination) == Lookup::kReplied) return;
  if (!source) return c.reply.Null();
  kv::Meta source_meta = *source;
  std::string value;
  Status status = ListView(c, c.arg(1), &source_meta).Pop(from_left, &value);
  if (status.ok()) status = StoreCollection(c, c.arg(1), source_meta, source);
  if (!status.ok()) return c.StorageError(status);
  if (c.arg(1) == c.arg(2)) {
    // Same list: push onto what is left of it.
    destination = source_meta.size > 0 ? std::optional<kv::Meta>(source_meta) : std::nullopt;
  }
  kv::Meta destination_meta = destination ? *destination : NewCollection(c, kv::Type::kList);
  status = ListView(c, c.arg(2), &destination_meta).Push(to_left, value);
  if (status.ok()) {
    const bool existed = destination.has_value();
    status = c.op->Put(c.db(), c.arg(2), destination_meta, existed,
                       existed ? destination->expire_at_ms : 0);
  }
  if (!status.ok()) return c.StorageError(status);
  // Redis's order: the push, then the pop (and the source's deletion).
  c.Notify(kNotifyList, to_left ? "lpush" : "rpush", c.arg(2));
  c.Notify(kNotifyList, from_left ? "lpop" : "rpop", c.arg(1));
  if (c.arg(1) != c.arg(2)) NotifyIfDeleted(c, source_meta, c.arg(1));
  c.reply.Bulk(value);
}

bool ParseSide(std::string_view text, bool* left) {
  if (EqualsIgnoreCase(text, "left")) {
    *left = true;
    return true;
  }
  if (EqualsIgnoreCase(text, "right")) {
    *left = false;
    return true;
  }
  return false;
}

void LMove(CommandContext& c) {
  bool from_left = false, to_left = false;
  if (!ParseSide(c.arg(3), &from_left) || !ParseSide(c.arg(4), &to_left)) {
    return c.Error(errors::kSyntax);
  }
  MoveGeneric(c, from_left, to_left);
}

void RPopLPush(CommandContext& c) { MoveGeneric(c, false, true); }

// Nothing to pop: block (or, inside EXEC, reply nil at once; or, when a woken command runs
// again and someone else was faster, keep waiting).
void WaitForKeys(CommandContext& c, const std::vector<std::string_view>& keys,
                 uint64_t timeout_ms) {
  if (c.client.in_exec) return c.reply.NullArray();
  if (c.client.block_retry) {
    c.client.still_blocked = true;
    return;
  }
  c.service.BlockClient(c.client, c.args, keys, timeout_ms);
}

// BLPOP/BRPOP key [key ...] timeout
void BlockingPop(CommandContext& c, bool left) {
  uint64_t timeout_ms = 0;
  if (!ParseTimeout(c, c.arg(c.argc() - 1), &timeout_ms)) return;
  std::vector<std::string_view> keys(c.args.begin() + 1, c.args.end() - 1);
  for (std::string_view key : keys) {
    std::optional<kv::Meta> old;
    const Lookup lookup = LookupList(c, key, &old);
    if (lookup == Lookup::kReplied) return;
    if (lookup == Lookup::kMissing) continue;
    kv::Meta meta = *old;
    std::string value;
    Status status = ListView(c, key, &meta).Pop(left, &value);
    if (status.ok()) status = StoreCollection(c, key, meta, old);
    if (!status.ok()) return c.StorageError(status);
    c.Notify(kNotifyList, left ? "lpop" : "rpop", key);
    NotifyIfDeleted(c, meta, key);
    c.reply.Array(2);
    c.reply.Bulk(key);
    return c.reply.Bulk(value);
  }
  WaitForKeys(c, keys, timeout_ms);
}

void BLPop(CommandContext& c) { BlockingPop(c, true); }
void BRPop(CommandContext& c) { BlockingPop(c, false); }

void BlockingMove(CommandContext& c, bool from_left, bool to_left, size_t timeout_index) {
  uint64_t timeout_ms = 0;
  if (!ParseTimeout(c, c.arg(timeout_index), &timeout_ms)) return;
  std::optional<kv::Meta> source;
  const Lookup lookup = LookupList(c, c.arg(1), &source);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kFound) return MoveGeneric(c, from_left, to_left);
  std::optional<kv::Meta> destination;  // a wrong destination type fails at once, as in Redis
  if (LookupList(c, c.arg(2), &destination) == Lookup::kReplied) return;
  WaitForKeys(c, {c.arg(1)}, timeout_ms);
}

void BLMove(CommandContext& c) {
  bool from_left = false, to_left = false;
  if (!ParseSide(c.arg(3), &from_left) || !ParseSide(c.arg(4), &to_left)) {
    return c.Error(errors::kSyntax);
  }
  BlockingMove(c, from_left, to_left, 5);
}

void BRPopLPush(CommandContext& c) { BlockingMove(c, false, true, 3); }

}  // namespace

void AddListCommands(std::vector<CommandSpec>* table) {
  table->insert(table->end(), {
                                  {"lpush", -3, kWrite | kFast, 1, 1, 1, LPush},
                                  {"rpush", -3, kWrite | kFast, 1, 1, 1, RPush},
                                  {"lpushx", -3, kWrite | kFast, 1, 1, 1, LPushX},
                                  {"rpushx", -3, kWrite | kFast, 1, 1, 1, RPushX},
                                  {"lpop", -2, kWrite | kFast, 1, 1, 1, LPop},
                                  {"rpop", -2, kWrite | kFast, 1, 1, 1, RPop},
                                  {"llen", 2, kReadOnly | kFast, 1, 1, 1, LLen},
                                  {"lrange", 4, kReadOnly, 1, 1, 1, LRange},
                                  {"lindex", 3, kReadOnly, 1, 1, 1, LIndex},
                                  {"lset", 4, kWrite, 1, 1, 1, LSet},
                                  {"lrem", 4, kWrite, 1, 1, 1, LRem},
                                  {"ltrim", 4, kWrite, 1, 1, 1, LTrim},
                                  {"linsert", 5, kWrite, 1, 1, 1, LInsert},
                                  {"lpos", -3, kReadOnly, 1, 1, 1, LPos},
                                  {"lmove", 5, kWrite, 1, 2, 1, LMove},
                                  {"rpoplpush", 3, kWrite, 1, 2, 1, RPopLPush},
                                  {"blpop", -3, kWrite, 1, -2, 1, BLPop},
                                  {"brpop", -3, kWrite, 1, -2, 1, BRPop},
                                  {"blmove", 6, kWrite, 1, 2, 1, BLMove},
                                  {"brpoplpush", 4, kWrite, 1, 2, 1, BRPopLPush},
                              });
}

}  // namespace plexus::server::resp
