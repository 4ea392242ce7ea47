// Set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER
// SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE SINTERCARD SSCAN. One element per member
// (sub-key = member, empty value), so members come back in byte order.
#include <algorithm>
#include <random>
#include <set>

#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/glob.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

Status ReadMembers(CommandContext& c, std::string_view key, const kv::Meta& meta,
                   std::vector<std::string>* members) {
  const std::string prefix = kv::DataPrefix(c.db(), key, meta.version);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, c.op->Elements(prefix));
  for (; iterator->Valid(); iterator->Next()) {
    members->emplace_back(iterator->key().substr(prefix.size()));
  }
  return iterator->status();
}

Result<bool> HasMember(CommandContext& c, std::string_view key, const kv::Meta& meta,
                       std::string_view member) {
  std::string value;
  const Status status = c.op->GetElement(kv::DataPrefix(c.db(), key, meta.version), member, &value);
  if (status.IsNotFound()) return false;
  PLEXUS_RETURN_IF_ERROR(status);
  return true;
}

// Adds `members` to set `key` (whose metadata is `old`); returns how many were new.
Result<int64_t> AddMembers(CommandContext& c, std::string_view key, std::optional<kv::Meta>& old,
                           std::span<const std::string_view> members) {
  kv::Meta meta = old ? *old : NewCollection(c, kv::Type::kSet);
  const std::string prefix = kv::DataPrefix(c.db(), key, meta.version);
  int64_t added = 0;
  for (std::string_view member : members) {
    std::string value;
    const Status found = c.op->GetElement(prefix, member, &value);
    if (found.ok()) continue;
    if (!found.IsNotFound()) return found;
    PLEXUS_RETURN_IF_ERROR(c.op->PutElement(prefix, member, ""));
    ++added;
    ++meta.size;
  }
  if (added > 0) PLEXUS_RETURN_IF_ERROR(StoreCollection(c, key, meta, old));
  return added;
}

Result<int64_t> RemoveMembers(CommandContext& c, std::string_view key, const kv::Meta& old,
                              std::span<const std::string_view> members) {
  kv::Meta meta = old;
  const std::string prefix = kv::DataPrefix(c.db(), key, meta.version);
  int64_t removed = 0;
  for (std::string_view member : members) {
    std::string value;
    const Status found = c.op->GetElement(prefix, member, &value);
    if (found.IsNotFound()) continue;
    if (!found.ok()) return found;
    PLEXUS_RETURN_IF_ERROR(c.op->DeleteElement(prefix, member));
    ++removed;
    --meta.size;
  }
  if (removed > 0) PLEXUS_RETURN_IF_ERROR(StoreCollection(c, key, meta, old));
  return removed;
}

void SAdd(CommandContext& c) {
  std::optional<kv::Meta> old;
  if (LookupKey(c, c.arg(1), kv::Type::kSet, &old) == Lookup::kReplied) return;
  Result<int64_t> added = AddMembers(c, c.arg(1), old, c.args.subspan(2));
  if (!added.ok()) return c.StorageError(added.status());
  if (*added > 0) c.Notify(kNotifySet, "sadd", c.arg(1));
  c.reply.Integer(*added);
}

void SRem(CommandContext& c) {
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  Result<int64_t> removed = RemoveMembers(c, c.arg(1), *old, c.args.subspan(2));
  if (!removed.ok()) return c.StorageError(removed.status());
  if (*removed > 0) {
    c.Notify(kNotifySet, "srem", c.arg(1));
    if (*removed == static_cast<int64_t>(old->size)) c.Notify(kNotifyGeneric, "del", c.arg(1));
  }
  c.reply.Integer(*removed);
}

void ReplyMembers(CommandContext& c, const std::vector<std::string>& members) {
  c.reply.Set(members.size());
  for (const std::string& member : members) c.reply.Bulk(member);
}

void SMembers(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<std::string> members;
  if (meta) {
    const Status status = ReadMembers(c, c.arg(1), *meta, &members);
    if (!status.ok()) return c.StorageError(status);
  }
  ReplyMembers(c, members);
}

void SIsMember(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  Result<bool> has = HasMember(c, c.arg(1), *meta, c.arg(2));
  if (!has.ok()) return c.StorageError(has.status());
  c.reply.Integer(*has ? 1 : 0);
}

void SMIsMember(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<int64_t> answers;
  for (size_t i = 2; i < c.argc(); ++i) {
    if (!meta) {
      answers.push_back(0);
      continue;
    }
    Result<bool> has = HasMember(c, c.arg(1), *meta, c.arg(i));
    if (!has.ok()) return c.StorageError(has.status());
    answers.push_back(*has ? 1 : 0);
  }
  c.reply.Array(answers.size());
  for (int64_t answer : answers) c.reply.Integer(answer);
}

void SCard(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupKey(c, c.arg(1), kv::Type::kSet, &meta) == Lookup::kReplied) return;
  c.reply.Integer(meta ? static_cast<int64_t>(meta->size) : 0);
}

std::mt19937_64& Random() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return random;
}

void SPop(CommandContext& c) {
  const bool has_count = c.argc() == 3;
  if (c.argc() > 3) return c.Error(errors::kSyntax);
  int64_t count = 1;
  if (has_count) {
    if (!ParseInt64(c.arg(2), &count) || count < 0) return c.Error(errors::kMustBePositive);
  }
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return has_count ? c.reply.Set(0) : c.reply.Null();
  std::vector<std::string> members;
  Status status = ReadMembers(c, c.arg(1), *old, &members);
  if (!status.ok()) return c.StorageError(status);
  std::shuffle(members.begin(), members.end(), Random());
  members.resize(std::min<size_t>(members.size(), static_cast<size_t>(count)));
  std::vector<std::string_view> views(members.begin(), members.end());
  Result<int64_t> removed = RemoveMembers(c, c.arg(1), *old, views);
  if (!removed.ok()) return c.StorageError(removed.status());
  if (*removed > 0) {
    c.Notify(kNotifySet, "spop", c.arg(1));
    if (*removed == static_cast<int64_t>(old->size)) c.Notify(kNotifyGeneric, "del", c.arg(1));
  }
  if (!has_count) return members.empty() ? c.reply.Null() : c.reply.Bulk(members[0]);
  ReplyMembers(c, members);
}

void SRandMember(CommandContext& c) {
  const bool has_count = c.argc() == 3;
  if (c.argc() > 3) return c.Error(errors::kSyntax);
  int64_t count = 0;
  if (has_count && !ParseInt64(c.arg(2), &count)) return c.Error(errors::kNotInteger);
  if (count < -(int64_t{1} << 40)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return has_count ? c.reply.Array(0) : c.reply.Null();
  std::vector<std::string> members;
  const Status status = ReadMembers(c, c.arg(1), *meta, &members);
  if (!status.ok()) return c.StorageError(status);
  if (members.empty()) return has_count ? c.reply.Array(0) : c.reply.Null();
  if (!has_count) return c.reply.Bulk(members[Random()() % members.size()]);
  if (count >= 0) {
    std::shuffle(members.begin(), members.end(), Random());
    members.resize(std::min<size_t>(members.size(), static_cast<size_t>(count)));
    c.reply.Array(members.size());
    for (const std::string& member : members) c.reply.Bulk(member);
    return;
  }
  c.reply.Array(static_cast<size_t>(-count));
  for (int64_t i = 0; i < -count; ++i) c.reply.Bulk(members[Random()() % members.size()]);
}

void SMove(CommandContext& c) {
  std::optional<kv::Meta> source, destination;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kSet, &source);
  if (lookup == Lookup::kReplied) return;
  if (LookupKey(c, c.arg(2), kv::Type::kSet, &destination) == Lookup::kReplied) return;
  if (!source) return c.reply.Integer(0);
  Result<bool> has = HasMember(c, c.arg(1), *source, c.arg(3));
  if (!has.ok()) return c.StorageError(has.status());
  if (!*has) return c.reply.Integer(0);
  if (c.arg(1) == c.arg(2)) return c.reply.Integer(1);
  const std::string_view member[] = {c.arg(3)};
  Result<int64_t> removed = RemoveMembers(c, c.arg(1), *source, member);
  if (!removed.ok()) return c.StorageError(removed.status());
  c.Notify(kNotifySet, "srem", c.arg(1));
  if (source->size == 1) c.Notify(kNotifyGeneric, "del", c.arg(1));
  Result<int64_t> added = AddMembers(c, c.arg(2), destination, member);
  if (!added.ok()) return c.StorageError(added.status());
  if (*added > 0) c.Notify(kNotifySet, "sadd", c.arg(2));
  c.reply.Integer(1);
}

enum class Algebra : uint8_t { kInter, kUnion, kDiff };

// Computes the set algebra of the keys args[first..last]. False after an error reply.
bool Combine(CommandContext& c, size_t first, size_t last, Algebra algebra,
             std::vector<std::string>* result) {
  std::vector<std::vector<std::string>> sets;
  bool missing = false;
  for (size_t i = first; i <= last; ++i) {
    std::optional<kv::Meta> meta;
    const Lookup lookup = LookupKey(c, c.arg(i), kv::Type::kSet, &meta);
    if (lookup == Lookup::kReplied) return false;
    sets.emplace_back();
    if (!meta) {
      missing = missing || i == first || algebra == Algebra::kInter;
      continue;
    }
    const Status status = ReadMembers(c, c.arg(i), *meta, &sets.back());
    if (!status.ok()) {
      c.StorageError(status);
      return false;
    }
  }
  result->clear();
  if (algebra == Algebra::kUnion) {
    std::set<std::string> all;
    for (auto& set : sets) all.insert(set.begin(), set.end());
    result->assign(all.begin(), all.end());
    return true;
  }
  if (missing && algebra == Algebra::kInter) return true;
  *result = sets[0];  // members come sorted from the store
  for (size_t i = 1; i < sets.size(); ++i) {
    std::vector<std::string> next;
    if (algebra == Algebra::kInter) {
      std::set_intersection(result->begin(), result->end(), sets[i].begin(), sets[i].end(),
                            std::back_inserter(next));
    } else {
      std::set_difference(result->begin(), result->end(), sets[i].begin(), sets[i].end(),
                          std::back_inserter(next));
    }
    *result = std::move(next);
  }
  return true;
}

void AlgebraReply(CommandContext& c, Algebra algebra) {
  std::vector<std::string> result;
  if (!Combine(c, 1, c.argc() - 1, algebra, &result)) return;
  ReplyMembers(c, result);
}

void SInter(CommandContext& c) { AlgebraReply(c, Algebra::kInter); }
void SUnion(CommandContext& c) { AlgebraReply(c, Algebra::kUnion); }
void SDiff(CommandContext& c) { AlgebraReply(c, Algebra::kDiff); }

// Replaces the destination args[1] with the result (a new version: the old elements become
// garbage), or deletes it when the result is empty.
void AlgebraStore(CommandContext& c, Algebra algebra, std::string_view event) {
  std::vector<std::string> result;
  if (!Combine(c, 2, c.argc() - 1, algebra, &result)) return;
  StoreCollectionResult(c, kv::Type::kSet, kNotifySet, event, result.size(),
                        [&](const kv::Meta& meta) {
                          const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta.version);
                          for (const std::string& member : result) {
                            PLEXUS_RETURN_IF_ERROR(c.op->PutElement(prefix, member, ""));
                          }
                          return Status::Ok();
                        });
}

void SInterStore(CommandContext& c) { AlgebraStore(c, Algebra::kInter, "sinterstore"); }
void SUnionStore(CommandContext& c) { AlgebraStore(c, Algebra::kUnion, "sunionstore"); }
void SDiffStore(CommandContext& c) { AlgebraStore(c, Algebra::kDiff, "sdiffstore"); }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
void SInterCard(CommandContext& c) {
  int64_t keys = 0;
  if (!ParseInt64(c.arg(1), &keys) || keys <= 0) {
    return c.Error("ERR numkeys should be greater than 0");
  }
  if (static_cast<size_t>(keys) > c.argc() - 2) {
    return c.Error("ERR Number of keys can't be greater than number of args");
  }
  int64_t limit = 0;
  const size_t after = 2 + static_cast<size_t>(keys);
  for (size_t i = after; i < c.argc(); i += 2) {
    if (EqualsIgnoreCase(c.arg(i), "limit") && i + 1 < c.argc()) {
      if (!ParseInt64(c.arg(i + 1), &limit) || limit < 0) {
        return c.Error("ERR LIMIT can't be negative");
      }
    } else {
      return c.Error(errors::kSyntax);
    }
  }
  std::vector<std::string> result;
  if (!Combine(c, 2, after - 1, Algebra::kInter, &result)) return;
  int64_t size = static_cast<int64_t>(result.size());
  if (limit > 0) size = std::min(size, limit);
  c.reply.Integer(size);
}

void NumKeys(std::span<const std::string_view> args, std::vector<size_t>* keys) {
  int64_t count = 0;
  if (args.size() < 2 || !ParseInt64(args[1], &count) || count <= 0) return;
  for (size_t i = 2; i < args.size() && i < 2 + static_cast<size_t>(count); ++i) {
    keys->push_back(i);
  }
}

void SScan(CommandContext& c) {
  std::string start, pattern;
  int64_t count = 0;
  bool finished = false;
  if (!ParseElementScan(c, &start, &pattern, &count, &finished)) return;
  std::optional<kv::Meta> meta;
  if (LookupKey(c, c.arg(1), kv::Type::kSet, &meta) == Lookup::kReplied) return;
  std::vector<std::string> found;
  std::string next;
  if (meta && !finished) {
    const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta->version);
    auto iterator = c.op->Elements(prefix, start);
    if (!iterator.ok()) return c.StorageError(iterator.status());
    int64_t visited = 0;
    for (; (*iterator)->Valid(); (*iterator)->Next()) {
      const std::string_view member = (*iterator)->key().substr(prefix.size());
      if (visited == count) {
        next.assign(member);
        break;
      }
      ++visited;
      if (pattern.empty() || GlobMatch(pattern, member)) found.emplace_back(member);
    }
  }
  c.reply.Array(2);
  c.reply.Bulk(next.empty() ? "0" : std::to_string(c.service.SaveCursor(next)));
  c.reply.Array(found.size());
  for (const std::string& member : found) c.reply.Bulk(member);
}

}  // namespace

void AddSetCommands(std::vector<CommandSpec>* table) {
  table->insert(table->end(), {
                                  {"sadd", -3, kWrite | kFast, 1, 1, 1, SAdd},
                                  {"srem", -3, kWrite | kFast, 1, 1, 1, SRem},
                                  {"smembers", 2, kReadOnly, 1, 1, 1, SMembers},
                                  {"sismember", 3, kReadOnly | kFast, 1, 1, 1, SIsMember},
                                  {"smismember", -3, kReadOnly | kFast, 1, 1, 1, SMIsMember},
                                  {"scard", 2, kReadOnly | kFast, 1, 1, 1, SCard},
                                  {"spop", -2, kWrite | kFast, 1, 1, 1, SPop},
                                  {"srandmember", -2, kReadOnly, 1, 1, 1, SRandMember},
                                  {"smove", 4, kWrite | kFast, 1, 2, 1, SMove},
                                  {"sinter", -2, kReadOnly, 1, -1, 1, SInter},
                                  {"sunion", -2, kReadOnly, 1, -1, 1, SUnion},
                                  {"sdiff", -2, kReadOnly, 1, -1, 1, SDiff},
                                  {"sinterstore", -3, kWrite, 1, -1, 1, SInterStore},
                                  {"sunionstore", -3, kWrite, 1, -1, 1, SUnionStore},
                                  {"sdiffstore", -3, kWrite, 1, -1, 1, SDiffStore},
                                  {"sintercard", -3, kReadOnly, 0, 0, 0, SInterCard, NumKeys},
                                  {"sscan", -3, kReadOnly, 1, 1, 1, SScan},
                              });
}

}  // namespace plexus::server::resp
