// Hash commands: HSET HMSET HSETNX HGET HMGET HDEL HGETALL HKEYS HVALS HLEN HEXISTS HINCRBY
// HINCRBYFLOAT HSTRLEN HRANDFIELD HSCAN. One element per field: sub-key = field, value = value.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>

#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/glob.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

Lookup LookupHash(CommandContext& c, std::optional<kv::Meta>* meta) {
  return LookupKey(c, c.arg(1), kv::Type::kHash, meta);
}

// Sets fields from args[first...] (field value pairs); returns the number of new fields.
Result<int64_t> SetFields(CommandContext& c, std::optional<kv::Meta>& old, size_t first,
                          bool only_new) {
  kv::Meta meta = old ? *old : NewCollection(c, kv::Type::kHash);
  const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta.version);
  int64_t added = 0;
  for (size_t i = first; i + 1 < c.argc(); i += 2) {
    std::string existing;
    const Status found = c.op->GetElement(prefix, c.arg(i), &existing);
    if (!found.ok() && !found.IsNotFound()) return found;
    if (found.ok() && only_new) continue;
    if (found.IsNotFound()) {
      ++added;
      ++meta.size;
    }
    PLEXUS_RETURN_IF_ERROR(c.op->PutElement(prefix, c.arg(i), c.arg(i + 1)));
  }
  if (added > 0 || !old) PLEXUS_RETURN_IF_ERROR(StoreCollection(c, c.arg(1), meta, old));
  return added;
}

void HSetGeneric(CommandContext& c, bool reply_ok) {
  if (c.argc() % 2 != 0) {
    return c.Error("ERR wrong number of arguments for '" + std::string(c.spec.name) + "' command");
  }
  std::optional<kv::Meta> old;
  if (LookupHash(c, &old) == Lookup::kReplied) return;
  Result<int64_t> added = SetFields(c, old, 2, false);
  if (!added.ok()) return c.StorageError(added.status());
  c.Notify(kNotifyHash, "hset", c.arg(1));
  if (reply_ok) return c.reply.Ok();
  c.reply.Integer(*added);
}

void HSet(CommandContext& c) { HSetGeneric(c, false); }
void HMSet(CommandContext& c) { HSetGeneric(c, true); }

void HSetNx(CommandContext& c) {
  std::optional<kv::Meta> old;
  if (LookupHash(c, &old) == Lookup::kReplied) return;
  Result<int64_t> added = SetFields(c, old, 2, true);
  if (!added.ok()) return c.StorageError(added.status());
  if (*added > 0) c.Notify(kNotifyHash, "hset", c.arg(1));
  c.reply.Integer(*added);
}

// Reads one field: kFound with *value, kMissing, or kReplied after an error.
Lookup ReadField(CommandContext& c, const kv::Meta& meta, std::string_view field,
                 std::string* value) {
  const Status status =
      c.op->GetElement(kv::DataPrefix(c.db(), c.arg(1), meta.version), field, value);
  if (status.IsNotFound()) return Lookup::kMissing;
  if (!status.ok()) {
    c.StorageError(status);
    return Lookup::kReplied;
  }
  return Lookup::kFound;
}

void HGet(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Null();
  std::string value;
  const Lookup field = ReadField(c, *meta, c.arg(2), &value);
  if (field == Lookup::kReplied) return;
  if (field == Lookup::kMissing) return c.reply.Null();
  c.reply.Bulk(value);
}

void HMGet(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<std::optional<std::string>> values;
  for (size_t i = 2; i < c.argc(); ++i) {
    std::string value;
    const Lookup field = meta ? ReadField(c, *meta, c.arg(i), &value) : Lookup::kMissing;
    if (field == Lookup::kReplied) return;
    values.push_back(field == Lookup::kFound ? std::optional<std::string>(std::move(value))
                                             : std::nullopt);
  }
  c.reply.Array(values.size());
  for (const auto& value : values) {
    if (value) {
      c.reply.Bulk(*value);
    } else {
      c.reply.Null();
    }
  }
}

void HDel(CommandContext& c) {
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupHash(c, &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  kv::Meta meta = *old;
  const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta.version);
  int64_t deleted = 0;
  for (size_t i = 2; i < c.argc(); ++i) {
    std::string value;
    const Status found = c.op->GetElement(prefix, c.arg(i), &value);
    if (found.IsNotFound()) continue;
    if (!found.ok()) return c.StorageError(found);
    const Status status = c.op->DeleteElement(prefix, c.arg(i));
    if (!status.ok()) return c.StorageError(status);
    ++deleted;
    --meta.size;
  }
  if (deleted > 0) {
    const Status status = StoreCollection(c, c.arg(1), meta, old);
    if (!status.ok()) return c.StorageError(status);
    c.Notify(kNotifyHash, "hdel", c.arg(1));
    NotifyIfDeleted(c, meta, c.arg(1));
  }
  c.reply.Integer(deleted);
}

// Every field and value of the hash in field order.
Status ReadAll(CommandContext& c, const kv::Meta& meta,
               std::vector<std::pair<std::string, std::string>>* entries) {
  const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta.version);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, c.op->Elements(prefix));
  for (; iterator->Valid(); iterator->Next()) {
    entries->emplace_back(std::string(iterator->key().substr(prefix.size())),
                          std::string(iterator->value()));
  }
  return iterator->status();
}

enum class Part : uint8_t { kFields, kValues, kBoth };

void HGetAllGeneric(CommandContext& c, Part part) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<std::pair<std::string, std::string>> entries;
  if (meta) {
    const Status status = ReadAll(c, *meta, &entries);
    if (!status.ok()) return c.StorageError(status);
  }
  if (part == Part::kBoth) {
    c.reply.Map(entries.size());
  } else {
    c.reply.Array(entries.size());
  }
  for (const auto& [field, value] : entries) {
    if (part != Part::kValues) c.reply.Bulk(field);
    if (part != Part::kFields) c.reply.Bulk(value);
  }
}

void HGetAll(CommandContext& c) { HGetAllGeneric(c, Part::kBoth); }
void HKeys(CommandContext& c) { HGetAllGeneric(c, Part::kFields); }
void HVals(CommandContext& c) { HGetAllGeneric(c, Part::kValues); }

void HLen(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupHash(c, &meta) == Lookup::kReplied) return;
  c.reply.Integer(meta ? static_cast<int64_t>(meta->size) : 0);
}

void HExists(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  std::string value;
  const Lookup field = ReadField(c, *meta, c.arg(2), &value);
  if (field == Lookup::kReplied) return;
  c.reply.Integer(field == Lookup::kFound ? 1 : 0);
}

void HStrLen(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  std::string value;
  const Lookup field = ReadField(c, *meta, c.arg(2), &value);
  if (field == Lookup::kReplied) return;
  c.reply.Integer(static_cast<int64_t>(value.size()));
}

// Writes `value` to field args[2], creating the hash or field as needed.
Status WriteField(CommandContext& c, std::optional<kv::Meta>& old, bool field_existed,
                  std::string_view value) {
  kv::Meta meta = old ? *old : NewCollection(c, kv::Type::kHash);
  PLEXUS_RETURN_IF_ERROR(
      c.op->PutElement(kv::DataPrefix(c.db(), c.arg(1), meta.version), c.arg(2), value));
  if (!field_existed) {
    ++meta.size;
    return StoreCollection(c, c.arg(1), meta, old);
  }
  return Status::Ok();
}

void HIncrBy(CommandContext& c) {
  int64_t increment = 0;
  if (!ParseInt64(c.arg(3), &increment)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> old;
  if (LookupHash(c, &old) == Lookup::kReplied) return;
  std::string text;
  const Lookup field = old ? ReadField(c, *old, c.arg(2), &text) : Lookup::kMissing;
  if (field == Lookup::kReplied) return;
  int64_t value = 0;
  if (field == Lookup::kFound && !ParseInt64(text, &value)) {
    return c.Error(errors::kHashNotInteger);
  }
  if ((increment < 0 && value < 0 && increment < INT64_MIN - value) ||
      (increment > 0 && value > 0 && increment > INT64_MAX - value)) {
    return c.Error(errors::kOverflow);
  }
  value += increment;
  const Status status = WriteField(c, old, field == Lookup::kFound, std::to_string(value));
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyHash, "hincrby", c.arg(1));
  c.reply.Integer(value);
}

void HIncrByFloat(CommandContext& c) {
  long double increment = 0;
  if (!ParseLongDouble(c.arg(3), &increment)) return c.Error(errors::kNotFloat);
  std::optional<kv::Meta> old;
  if (LookupHash(c, &old) == Lookup::kReplied) return;
  std::string text;
  const Lookup field = old ? ReadField(c, *old, c.arg(2), &text) : Lookup::kMissing;
  if (field == Lookup::kReplied) return;
  long double value = 0;
  if (field == Lookup::kFound && !ParseLongDouble(text, &value)) {
    return c.Error(errors::kHashNotFloat);
  }
  value += increment;
  if (std::isnan(value) || std::isinf(value)) return c.Error(errors::kNanOrInfinity);
  const std::string result = FormatLongDoubleHuman(value);
  const Status status = WriteField(c, old, field == Lookup::kFound, result);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyHash, "hincrbyfloat", c.arg(1));
  c.reply.Bulk(result);
}

void HRandField(CommandContext& c) {
  int64_t count = 0;
  const bool has_count = c.argc() >= 3;
  const bool with_values = c.argc() == 4 && EqualsIgnoreCase(c.arg(3), "withvalues");
  if (c.argc() > 4 || (c.argc() == 4 && !with_values)) return c.Error(errors::kSyntax);
  if (has_count && !ParseInt64(c.arg(2), &count)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return has_count ? c.reply.Array(0) : c.reply.Null();
  std::vector<std::pair<std::string, std::string>> entries;
  const Status status = ReadAll(c, *meta, &entries);
  if (!status.ok()) return c.StorageError(status);
  if (entries.empty()) return has_count ? c.reply.Array(0) : c.reply.Null();
  thread_local std::mt19937_64 random(std::random_device{}());
  if (!has_count) return c.reply.Bulk(entries[random() % entries.size()].first);
  std::vector<size_t> chosen;
  if (count >= 0) {
    // Distinct fields, at most the hash's size.
    std::vector<size_t> order(entries.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    order.resize(std::min<size_t>(order.size(), static_cast<size_t>(count)));
    chosen = std::move(order);
  } else {
    if (count < -(int64_t{1} << 40)) return c.Error(errors::kNotInteger);
    for (int64_t i = 0; i < -count; ++i) chosen.push_back(random() % entries.size());
  }
  if (with_values && c.reply.protocol() == 3) {
    c.reply.Array(chosen.size());
    for (size_t index : chosen) {
      c.reply.Array(2);
      c.reply.Bulk(entries[index].first);
      c.reply.Bulk(entries[index].second);
    }
    return;
  }
  c.reply.Array(chosen.size() * (with_values ? 2 : 1));
  for (size_t index : chosen) {
    c.reply.Bulk(entries[index].first);
    if (with_values) c.reply.Bulk(entries[index].second);
  }
}

}  // namespace

// HSCAN/SSCAN/ZSCAN's shared arguments: cursor [MATCH pattern] [COUNT count]; the cursor is a
// saved position (the next sub-key) as for SCAN. False after an error reply.
bool ParseElementScan(CommandContext& c, std::string* start, std::string* pattern, int64_t* count,
                      bool* finished) {
  const std::string_view text = c.arg(2);
  uint64_t cursor = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), cursor);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    c.Error(errors::kInvalidCursor);
    return false;
  }
  *count = 10;
  pattern->clear();
  for (size_t i = 3; i < c.argc(); i += 2) {
    if (i + 1 >= c.argc()) {
      c.Error(errors::kSyntax);
      return false;
    }
    if (EqualsIgnoreCase(c.arg(i), "match")) {
      pattern->assign(c.arg(i + 1));
      if (*pattern == "*") pattern->clear();
    } else if (EqualsIgnoreCase(c.arg(i), "count")) {
      if (!ParseInt64(c.arg(i + 1), count)) {
        c.Error(errors::kNotInteger);
        return false;
      }
      if (*count < 1) {
        c.Error(errors::kSyntax);
        return false;
      }
    } else {
      c.Error(errors::kSyntax);
      return false;
    }
  }
  *count = std::min(*count, kScanCountMax);
  *finished = cursor != 0 && !c.service.LoadCursor(cursor, start);
  return true;
}

namespace {

void HScan(CommandContext& c) {
  std::string start, pattern;
  int64_t count = 0;
  bool finished = false;
  if (!ParseElementScan(c, &start, &pattern, &count, &finished)) return;
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupHash(c, &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<std::pair<std::string, std::string>> found;
  std::string next;
  if (meta && !finished) {
    const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta->version);
    auto iterator = c.op->Elements(prefix, start);
    if (!iterator.ok()) return c.StorageError(iterator.status());
    int64_t visited = 0;
    for (; (*iterator)->Valid(); (*iterator)->Next()) {
      const std::string_view field = (*iterator)->key().substr(prefix.size());
      if (visited == count) {
        next.assign(field);
        break;
      }
      ++visited;
      if (!pattern.empty() && !GlobMatch(pattern, field)) continue;
      found.emplace_back(std::string(field), std::string((*iterator)->value()));
    }
  }
  c.reply.Array(2);
  c.reply.Bulk(next.empty() ? "0" : std::to_string(c.service.SaveCursor(next)));
  c.reply.Array(found.size() * 2);
  for (const auto& [field, value] : found) {
    c.reply.Bulk(field);
    c.reply.Bulk(value);
  }
}

}  // namespace

void AddHashCommands(std::vector<CommandSpec>* table) {
  table->insert(table->end(), {
                                  {"hset", -4, kWrite | kFast, 1, 1, 1, HSet},
                                  {"hmset", -4, kWrite | kFast, 1, 1, 1, HMSet},
                                  {"hsetnx", 4, kWrite | kFast, 1, 1, 1, HSetNx},
                                  {"hget", 3, kReadOnly | kFast, 1, 1, 1, HGet},
                                  {"hmget", -3, kReadOnly | kFast, 1, 1, 1, HMGet},
                                  {"hdel", -3, kWrite | kFast, 1, 1, 1, HDel},
                                  {"hgetall", 2, kReadOnly, 1, 1, 1, HGetAll},
                                  {"hkeys", 2, kReadOnly, 1, 1, 1, HKeys},
                                  {"hvals", 2, kReadOnly, 1, 1, 1, HVals},
                                  {"hlen", 2, kReadOnly | kFast, 1, 1, 1, HLen},
                                  {"hexists", 3, kReadOnly | kFast, 1, 1, 1, HExists},
                                  {"hstrlen", 3, kReadOnly | kFast, 1, 1, 1, HStrLen},
                                  {"hincrby", 4, kWrite | kFast, 1, 1, 1, HIncrBy},
                                  {"hincrbyfloat", 4, kWrite | kFast, 1, 1, 1, HIncrByFloat},
                                  {"hrandfield", -2, kReadOnly, 1, 1, 1, HRandField},
                                  {"hscan", -3, kReadOnly, 1, 1, 1, HScan},
                              });
}

}  // namespace plexus::server::resp
