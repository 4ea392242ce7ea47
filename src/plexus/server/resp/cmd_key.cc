// Key commands: DEL UNLINK EXISTS TYPE TOUCH EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL
// EXPIRETIME PEXPIRETIME PERSIST RENAME RENAMENX COPY KEYS SCAN RANDOMKEY OBJECT.
#include <charconv>
#include <random>

#include "plexus/kv/list_chunk.h"
#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/glob.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

void Del(CommandContext& c) {
  int64_t deleted = 0;
  for (size_t i = 1; i < c.argc(); ++i) {
    std::optional<kv::Meta> meta;
    if (LookupAny(c, c.arg(i), &meta) == Lookup::kReplied) return;
    if (!meta) continue;
    const Status status = c.op->Delete(c.db(), c.arg(i), *meta);
    if (!status.ok()) return c.StorageError(status);
    c.Notify(kNotifyGeneric, "del", c.arg(i));
    ++deleted;
  }
  c.reply.Integer(deleted);
}

void Exists(CommandContext& c) {
  int64_t count = 0;
  for (size_t i = 1; i < c.argc(); ++i) {
    std::optional<kv::Meta> meta;
    if (LookupAny(c, c.arg(i), &meta) == Lookup::kReplied) return;
    if (meta) ++count;
  }
  c.reply.Integer(count);
}

void Type(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupAny(c, c.arg(1), &meta) == Lookup::kReplied) return;
  c.reply.Simple(meta ? kv::TypeName(meta->type) : "none");
}

// EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT key time [NX|XX|GT|LT].
void ExpireGeneric(CommandContext& c, int64_t unit_ms, bool absolute) {
  bool nx = false, xx = false, gt = false, lt = false;
  for (size_t i = 3; i < c.argc(); ++i) {
    const std::string option = ToLower(c.arg(i));
    if (option == "nx") {
      nx = true;
    } else if (option == "xx") {
      xx = true;
    } else if (option == "gt") {
      gt = true;
    } else if (option == "lt") {
      lt = true;
    } else {
      return c.Error("ERR Unsupported option " + std::string(c.arg(i)));
    }
  }
  if (nx && (xx || gt || lt)) {
    return c.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (gt && lt) return c.Error("ERR GT and LT options at the same time are not compatible");
  int64_t when = 0;
  if (!ParseInt64(c.arg(2), &when)) return c.Error(errors::kNotInteger);
  const std::string invalid =
      "ERR invalid expire time in '" + std::string(c.spec.name) + "' command";
  if (when > INT64_MAX / unit_ms || when < INT64_MIN / unit_ms) return c.Error(invalid);
  when *= unit_ms;
  if (!absolute) {
    if ((when > 0 && c.op->now_ms() > INT64_MAX - when)) return c.Error(invalid);
    when += c.op->now_ms();
  }
  std::optional<kv::Meta> meta;
  if (LookupAny(c, c.arg(1), &meta) == Lookup::kReplied) return;
  if (!meta) return c.reply.Integer(0);
  const int64_t current = meta->expire_at_ms;  // 0: none, which GT/LT treat as infinite
  if ((nx && current != 0) || (xx && current == 0) || (gt && (current == 0 || when <= current)) ||
      (lt && current != 0 && when >= current)) {
    return c.reply.Integer(0);
  }
  Status status;
  const bool past = when <= c.op->now_ms();
  if (past) {
    status = c.op->Delete(c.db(), c.arg(1), *meta);
  } else {
    kv::Meta updated = *meta;
    updated.expire_at_ms = when;
    status = WriteMeta(c, c.arg(1), updated, meta);
  }
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyGeneric, past ? "del" : "expire", c.arg(1));
  c.reply.Integer(1);
}

void Expire(CommandContext& c) { ExpireGeneric(c, 1000, false); }
void PExpire(CommandContext& c) { ExpireGeneric(c, 1, false); }
void ExpireAt(CommandContext& c) { ExpireGeneric(c, 1000, true); }
void PExpireAt(CommandContext& c) { ExpireGeneric(c, 1, true); }

// TTL/PTTL (remaining) and EXPIRETIME/PEXPIRETIME (absolute): -2 missing, -1 no expiry.
void TtlGeneric(CommandContext& c, bool milliseconds, bool absolute) {
  std::optional<kv::Meta> meta;
  if (LookupAny(c, c.arg(1), &meta) == Lookup::kReplied) return;
  if (!meta) return c.reply.Integer(-2);
  if (meta->expire_at_ms == 0) return c.reply.Integer(-1);
  if (absolute) {
    return c.reply.Integer(milliseconds ? meta->expire_at_ms : meta->expire_at_ms / 1000);
  }
  int64_t remaining = meta->expire_at_ms - c.op->now_ms();
  if (remaining < 0) remaining = 0;
  c.reply.Integer(milliseconds ? remaining : (remaining + 500) / 1000);
}

void Ttl(CommandContext& c) { TtlGeneric(c, false, false); }
void PTtl(CommandContext& c) { TtlGeneric(c, true, false); }
void ExpireTime(CommandContext& c) { TtlGeneric(c, false, true); }
void PExpireTime(CommandContext& c) { TtlGeneric(c, true, true); }

void Persist(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupAny(c, c.arg(1), &meta) == Lookup::kReplied) return;
  if (!meta || meta->expire_at_ms == 0) return c.reply.Integer(0);
  kv::Meta updated = *meta;
  updated.expire_at_ms = 0;
  const Status status = WriteMeta(c, c.arg(1), updated, meta);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyGeneric, "persist", c.arg(1));
  c.reply.Integer(1);
}

// Writes `source`'s value under (db, destination), replacing `old_destination`. As in Redis, a
// replaced destination is deleted and the key added anew (a "new" keyspace event either way).
Status CopyKey(CommandContext& c, const kv::Meta& source, std::string_view source_key, int db,
               std::string_view destination, const std::optional<kv::Meta>& old_destination,
               bool keep_expiry) {
  kv::Meta copy = source;
  if (!keep_expiry) copy.expire_at_ms = 0;
  if (source.type != kv::Type::kString) {
    copy.version = c.op->NewVersion();
    // A list's store holds garbage outside its live range (see cmd_list.cc): copy the chunks
    // of that range only (as stored: the copy keeps the head).
    std::pair<std::string, std::string> range;
    if (source.type == kv::Type::kList) {
      range = kv::ListSubKeyRange(source.list_head, source.list_head + source.size);
    }
    PLEXUS_RETURN_IF_ERROR(CopyElements(c.op, kv::DataPrefix(c.db(), source_key, source.version),
                                        kv::DataPrefix(db, destination, copy.version),
                                        range.first, range.second));
  }
  if (old_destination) PLEXUS_RETURN_IF_ERROR(c.op->Delete(db, destination, *old_destination));
  return c.op->Put(db, destination, copy, /*existed=*/false, /*old_expire_at_ms=*/0);
}

void RenameGeneric(CommandContext& c, bool only_new) {
  std::optional<kv::Meta> source;
  const Lookup lookup = LookupAny(c, c.arg(1), &source);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.Error(errors::kNoSuchKey);
  if (c.arg(1) == c.arg(2)) return only_new ? c.reply.Integer(0) : c.reply.Ok();
  std::optional<kv::Meta> destination;
  if (LookupAny(c, c.arg(2), &destination) == Lookup::kReplied) return;
  if (only_new && destination) return c.reply.Integer(0);
  Status status = CopyKey(c, *source, c.arg(1), c.db(), c.arg(2), destination, true);
  if (status.ok()) status = c.op->Delete(c.db(), c.arg(1), *source);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyGeneric, "rename_from", c.arg(1));
  c.Notify(kNotifyGeneric, "rename_to", c.arg(2));
  if (only_new) return c.reply.Integer(1);
  c.reply.Ok();
}

void Rename(CommandContext& c) { RenameGeneric(c, false); }
void RenameNx(CommandContext& c) { RenameGeneric(c, true); }

void Copy(CommandContext& c) {
  int db = c.db();
  bool replace = false;
  for (size_t i = 3; i < c.argc(); ++i) {
    if (EqualsIgnoreCase(c.arg(i), "replace")) {
      replace = true;
    } else if (EqualsIgnoreCase(c.arg(i), "db") && i + 1 < c.argc()) {
      int64_t index = 0;
      if (!ParseInt64(c.arg(++i), &index)) return c.Error(errors::kNotInteger);
      if (index < 0 || index >= kv::kDatabaseCount) return c.Error(errors::kDbIndexOutOfRange);
      db = static_cast<int>(index);
    } else {
      return c.Error(errors::kSyntax);
    }
  }
  if (db == c.db() && c.arg(1) == c.arg(2)) {
    return c.Error("ERR source and destination objects are the same");
  }
  std::optional<kv::Meta> source;
  if (LookupAny(c, c.arg(1), &source) == Lookup::kReplied) return;
  if (!source) return c.reply.Integer(0);
  Result<std::optional<kv::Meta>> destination = c.op->Get(db, c.arg(2));
  if (!destination.ok()) return c.StorageError(destination.status());
  if (destination->has_value() && !replace) return c.reply.Integer(0);
  const Status status = CopyKey(c, *source, c.arg(1), db, c.arg(2), *destination, true);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyGeneric, "copy_to", db, c.arg(2));
  c.reply.Integer(1);
}

// COPY's destination database (DB n), whose destination key it locks as well.
void CopyOtherDbKeys(std::span<const std::string_view> args, std::vector<kv::KeyRef>* keys) {
  for (size_t i = 3; i + 1 < args.size(); ++i) {
    int64_t index = 0;
    if (EqualsIgnoreCase(args[i], "db") && ParseInt64(args[i + 1], &index) && index >= 0 &&
        index < kv::kDatabaseCount) {
      keys->push_back({static_cast<int>(index), args[2]});
    }
  }
}

// Calls `visit(key, meta)` for every live key of the client's database from `start_key`,
// until it returns false. Reads the latest commit without locks, as Redis's KEYS and SCAN
// see a moment of a changing keyspace.
template <typename Visit>
Status VisitKeys(CommandContext& c, std::string_view start_key, Visit visit) {
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, c.service.keyspace()->ScanKeys(c.db(), start_key));
  const int64_t now = kv::NowMs();
  for (; iterator->Valid(); iterator->Next()) {
    kv::Meta meta;
    PLEXUS_RETURN_IF_ERROR(kv::DecodeMeta(iterator->value(), &meta));
    if (meta.expire_at_ms != 0 && meta.expire_at_ms <= now) continue;
    if (!visit(iterator->key().substr(1), meta)) break;
  }
  return iterator->status();
}

void Keys(CommandContext& c) {
  const std::string_view pattern = c.arg(1);
  const bool all = pattern == "*";
  std::vector<std::string> keys;
  const Status status = VisitKeys(c, "", [&](std::string_view key, const kv::Meta&) {
    if (all || GlobMatch(pattern, key)) keys.emplace_back(key);
    return true;
  });
  if (!status.ok()) return c.StorageError(status);
  c.reply.Array(keys.size());
  for (const std::string& key : keys) c.reply.Bulk(key);
}

void Scan(CommandContext& c) {
  uint64_t cursor = 0;
  {
    const std::string_view text = c.arg(1);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), cursor);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
      return c.Error(errors::kInvalidCursor);
    }
  }
  std::string_view pattern;
  bool has_pattern = false;
  int64_t count = 10;
  std::optional<kv::Type> type;
  bool unknown_type = false;
  for (size_t i = 2; i < c.argc(); i += 2) {
    if (i + 1 >= c.argc()) return c.Error(errors::kSyntax);
    if (EqualsIgnoreCase(c.arg(i), "match")) {
      pattern = c.arg(i + 1);
      has_pattern = pattern != "*";
    } else if (EqualsIgnoreCase(c.arg(i), "count")) {
      if (!ParseInt64(c.arg(i + 1), &count)) return c.Error(errors::kNotInteger);
      if (count < 1) return c.Error(errors::kSyntax);
    } else if (EqualsIgnoreCase(c.arg(i), "type")) {
      const std::string name = ToLower(c.arg(i + 1));
      type.reset();
      unknown_type = true;
      for (kv::Type t :
           {kv::Type::kString, kv::Type::kList, kv::Type::kSet, kv::Type::kZSet, kv::Type::kHash}) {
        if (kv::TypeName(t) == name) {
          type = t;
          unknown_type = false;
        }
      }
    } else {
      return c.Error(errors::kSyntax);
    }
  }
  count = std::min(count, kScanCountMax);
  std::string start;
  if (cursor != 0 && !c.service.LoadCursor(cursor, &start)) {
    // An unknown (or expired) cursor: the iteration is over.
    c.reply.Array(2);
    c.reply.Bulk("0");
    return c.reply.Array(0);
  }
  std::vector<std::string> keys;
  int64_t visited = 0;
  std::string next;
  bool more = false;
  const Status status = VisitKeys(c, start, [&](std::string_view key, const kv::Meta& meta) {
    if (visited == count) {
      more = true;
      next.assign(key);
      return false;
    }
    ++visited;
    if (has_pattern && !GlobMatch(pattern, key)) return true;
    if (unknown_type || (type && meta.type != *type)) return true;
    keys.emplace_back(key);
    return true;
  });
  if (!status.ok()) return c.StorageError(status);
  const uint64_t next_cursor = more ? c.service.SaveCursor(std::move(next)) : 0;
  c.reply.Array(2);
  c.reply.Bulk(std::to_string(next_cursor));
  c.reply.Array(keys.size());
  for (const std::string& key : keys) c.reply.Bulk(key);
}

void RandomKey(CommandContext& c) {
  thread_local std::mt19937_64 random(std::random_device{}());
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::string start;
    if (attempt == 0) {
      const uint64_t bits = random();
      for (int i = 0; i < 4; ++i) start.push_back(static_cast<char>(bits >> (8 * i)));
    }
    std::string found;
    const Status status = VisitKeys(c, start, [&](std::string_view key, const kv::Meta&) {
      found.assign(key);
      return false;
    });
    if (!status.ok()) return c.StorageError(status);
    if (!found.empty() || attempt == 1) {
      if (found.empty() && c.service.keyspace()->KeyCount(c.db()) == 0) return c.reply.Null();
      if (!found.empty()) return c.reply.Bulk(found);
    }
  }
  c.reply.Null();
}

void Touch(CommandContext& c) { Exists(c); }

bool IsInteger(std::string_view text) {
  int64_t value = 0;
  return ParseInt64(text, &value);
}

// Redis 7.0: "intset" for up to 512 integer members, else "hashtable".
std::string_view SetEncoding(CommandContext& c, const kv::Meta& meta) {
  constexpr uint64_t kIntsetEntriesMax = 512;
  if (meta.size > kIntsetEntriesMax) return "hashtable";
  const std::string prefix = kv::DataPrefix(c.db(), c.arg(2), meta.version);
  auto iterator = c.op->Elements(prefix);
  if (!iterator.ok()) return "hashtable";
  for (; (*iterator)->Valid(); (*iterator)->Next()) {
    if (!IsInteger((*iterator)->key().substr(prefix.size()))) return "hashtable";
  }
  return "intset";
}

void Object(CommandContext& c) {
  const std::string sub = ToLower(c.arg(1));
  if (sub == "help") {
    c.reply.Array(1);
    return c.reply.Simple(
        "OBJECT <subcommand> [<arg> ...]. Subcommands are: ENCODING FREQ "
        "IDLETIME REFCOUNT");
  }
  const bool known = sub == "encoding" || sub == "refcount" || sub == "idletime" || sub == "freq";
  if (!known) {
    return c.Error("ERR unknown subcommand '" + std::string(c.arg(1).substr(0, 128)) +
                   "'. Try OBJECT HELP.");
  }
  if (c.argc() != 3) {
    return c.Error("ERR wrong number of arguments for 'object|" + sub + "' command");
  }
  std::optional<kv::Meta> meta;
  if (LookupAny(c, c.arg(2), &meta) == Lookup::kReplied) return;
  if (!meta) return c.reply.Null();
  if (sub == "refcount") return c.reply.Integer(1);
  if (sub == "idletime" || sub == "freq") return c.reply.Integer(0);
  std::string_view encoding;
  switch (meta->type) {
    case kv::Type::kString:
      encoding = IsInteger(meta->value) ? "int" : meta->value.size() <= 44 ? "embstr" : "raw";
      break;
    case kv::Type::kList:
      encoding = "quicklist";
      break;
    case kv::Type::kSet:
      encoding = SetEncoding(c, *meta);
      break;
    case kv::Type::kZSet:
      encoding = meta->size <= 128 ? "listpack" : "skiplist";
      break;
    case kv::Type::kHash:
      encoding = meta->size <= 128 ? "listpack" : "hashtable";
      break;
  }
  c.reply.Bulk(encoding);
}

void ObjectKeys(std::span<const std::string_view> args, std::vector<size_t>* keys) {
  if (args.size() >= 3) keys->push_back(2);
}

}  // namespace

void AddKeyCommands(std::vector<CommandSpec>* table) {
  table->insert(table->end(), {
                                  {"del", -2, kWrite, 1, -1, 1, Del},
                                  {"unlink", -2, kWrite | kFast, 1, -1, 1, Del},
                                  {"exists", -2, kReadOnly | kFast, 1, -1, 1, Exists},
                                  {"type", 2, kReadOnly | kFast, 1, 1, 1, Type},
                                  {"touch", -2, kReadOnly | kFast, 1, -1, 1, Touch},
                                  {"expire", -3, kWrite | kFast, 1, 1, 1, Expire},
                                  {"pexpire", -3, kWrite | kFast, 1, 1, 1, PExpire},
                                  {"expireat", -3, kWrite | kFast, 1, 1, 1, ExpireAt},
                                  {"pexpireat", -3, kWrite | kFast, 1, 1, 1, PExpireAt},
                                  {"ttl", 2, kReadOnly | kFast, 1, 1, 1, Ttl},
                                  {"pttl", 2, kReadOnly | kFast, 1, 1, 1, PTtl},
                                  {"expiretime", 2, kReadOnly | kFast, 1, 1, 1, ExpireTime},
                                  {"pexpiretime", 2, kReadOnly | kFast, 1, 1, 1, PExpireTime},
                                  {"persist", 2, kWrite | kFast, 1, 1, 1, Persist},
                                  {"rename", 3, kWrite, 1, 2, 1, Rename},
                                  {"renamenx", 3, kWrite | kFast, 1, 2, 1, RenameNx},
                                  {"copy", -3, kWrite, 1, 2, 1, Copy, nullptr, CopyOtherDbKeys},
                                  {"keys", 2, kReadOnly, 0, 0, 0, Keys},
                                  {"scan", -2, kReadOnly, 0, 0, 0, Scan},
                                  {"randomkey", 1, kReadOnly, 0, 0, 0, RandomKey},
                                  {"object", -2, kReadOnly, 0, 0, 0, Object, ObjectKeys},
                              });
}

}  // namespace plexus::server::resp
