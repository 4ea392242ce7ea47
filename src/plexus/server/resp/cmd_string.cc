// String commands: GET SET SETNX SETEX PSETEX MGET MSET MSETNX GETSET GETDEL GETEX APPEND
// STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT.
#include <cmath>
#include <cstdio>
#include <limits>

#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/service.h"

namespace plexus::server::resp {
namespace {

// Writes string `value` for `key` with expiry `expire_at_ms` (0: none).
Status WriteString(CommandContext& c, std::string_view key, std::string_view value,
                   int64_t expire_at_ms, const std::optional<kv::Meta>& old) {
  kv::Meta meta;
  meta.type = kv::Type::kString;
  meta.expire_at_ms = expire_at_ms;
  meta.value.assign(value);
  return WriteMeta(c, key, meta, old);
}

// Reads a string key. kReplied after an error reply.
Lookup LookupString(CommandContext& c, std::string_view key, std::optional<kv::Meta>* meta) {
  return LookupKey(c, key, kv::Type::kString, meta);
}

void Get(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupString(c, c.arg(1), &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) {
    c.service.keyspace_misses.fetch_add(1, std::memory_order_relaxed);
    return c.reply.Null();
  }
  c.service.keyspace_hits.fetch_add(1, std::memory_order_relaxed);
  c.reply.Bulk(meta->value);
}

// Parses an expiry option's value into an absolute time in ms. `unit_ms` is 1000 for seconds;
// `absolute` for EXAT/PXAT. False for a value that is not a positive integer or overflows.
bool ExpiryFromArgument(std::string_view text, int64_t unit_ms, bool absolute, int64_t now_ms,
                        int64_t* expire_at_ms, bool* not_integer) {
  int64_t value = 0;
  *not_integer = false;
  if (!ParseInt64(text, &value)) {
    *not_integer = true;
    return false;
  }
  if (value <= 0) return false;
  if (value > std::numeric_limits<int64_t>::max() / unit_ms) return false;
  value *= unit_ms;
  if (!absolute) {
    if (value > std::numeric_limits<int64_t>::max() - now_ms) return false;
    value += now_ms;
  }
  *expire_at_ms = value;
  return true;
}

void Set(CommandContext& c) {
  bool nx = false, xx = false, get = false, keep_ttl = false;
  int expiry_options = 0;
  std::string_view expiry_text;
  int64_t unit_ms = 1;
  bool absolute = false;
  for (size_t i = 3; i < c.argc(); ++i) {
    const std::string option = ToLower(c.arg(i));
    const bool has_next = i + 1 < c.argc();
    if (option == "nx" && !xx) {
      nx = true;
    } else if (option == "xx" && !nx) {
      xx = true;
    } else if (option == "get") {
      get = true;
    } else if (option == "keepttl" && expiry_options == 0) {
      keep_ttl = true;
    } else if ((option == "ex" || option == "px" || option == "exat" || option == "pxat") &&
               !keep_ttl && expiry_options == 0 && has_next) {
      ++expiry_options;
      unit_ms = option == "ex" || option == "exat" ? 1000 : 1;
      absolute = option == "exat" || option == "pxat";
      expiry_text = c.arg(++i);
    } else {
      return c.Error(errors::kSyntax);
    }
  }
  int64_t expire_at_ms = 0;
  if (expiry_options > 0) {
    bool not_integer = false;
    if (!ExpiryFromArgument(expiry_text, unit_ms, absolute, c.op->now_ms(), &expire_at_ms,
                            &not_integer)) {
      return c.Error(not_integer ? errors::kNotInteger
                                 : "ERR invalid expire time in 'set' command");
    }
  }
  std::optional<kv::Meta> old;
  if (LookupAny(c, c.arg(1), &old) == Lookup::kReplied) return;
  if (get && old && old->type != kv::Type::kString) return c.Error(errors::kWrongType);
  if ((nx && old) || (xx && !old)) {
    if (get && old) return c.reply.Bulk(old->value);
    return c.reply.Null();
  }
  if (keep_ttl && old) expire_at_ms = old->expire_at_ms;
  Status status;
  if (expire_at_ms != 0 && expire_at_ms <= c.op->now_ms()) {
    // An absolute time in the past: the key is deleted rather than set, as in Redis.
    if (old) status = c.op->Delete(c.db(), c.arg(1), *old);
  } else {
    status = WriteString(c, c.arg(1), c.arg(2), expire_at_ms, old);
  }
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "set", c.arg(1));
  if (expire_at_ms != 0 && !keep_ttl) c.Notify(kNotifyGeneric, "expire", c.arg(1));
  if (expire_at_ms != 0 && expire_at_ms <= c.op->now_ms()) {
    // Redis sets the key, then its first lookup expires it.
    c.Notify(kNotifyExpired, "expired", c.arg(1));
  }
  if (get) {
    if (old) return c.reply.Bulk(old->value);
    return c.reply.Null();
  }
  c.reply.Ok();
}

void SetNx(CommandContext& c) {
  std::optional<kv::Meta> old;
  if (LookupAny(c, c.arg(1), &old) == Lookup::kReplied) return;
  if (old) return c.reply.Integer(0);
  const Status status = WriteString(c, c.arg(1), c.arg(2), 0, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "set", c.arg(1));
  c.reply.Integer(1);
}

void SetExGeneric(CommandContext& c, int64_t unit_ms, std::string_view name) {
  int64_t expire_at_ms = 0;
  bool not_integer = false;
  if (!ExpiryFromArgument(c.arg(2), unit_ms, false, c.op->now_ms(), &expire_at_ms, &not_integer)) {
    return c.Error(not_integer ? std::string(errors::kNotInteger)
                               : "ERR invalid expire time in '" + std::string(name) + "' command");
  }
  std::optional<kv::Meta> old;
  if (LookupAny(c, c.arg(1), &old) == Lookup::kReplied) return;
  const Status status = WriteString(c, c.arg(1), c.arg(3), expire_at_ms, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "set", c.arg(1));
  c.Notify(kNotifyGeneric, "expire", c.arg(1));
  c.reply.Ok();
}

void SetEx(CommandContext& c) { SetExGeneric(c, 1000, "setex"); }
void PSetEx(CommandContext& c) { SetExGeneric(c, 1, "psetex"); }

void MGet(CommandContext& c) {
  c.reply.Array(c.argc() - 1);
  for (size_t i = 1; i < c.argc(); ++i) {
    Result<std::optional<kv::Meta>> meta = c.op->Get(c.db(), c.arg(i));
    if (meta.ok() && meta->has_value() && (*meta)->type == kv::Type::kString) {
      c.reply.Bulk((*meta)->value);
    } else {
      c.reply.Null();
    }
  }
}

void MSetGeneric(CommandContext& c, bool only_new) {
  if (c.argc() % 2 != 1) {
    return c.Error("ERR wrong number of arguments for '" + std::string(c.spec.name) + "' command");
  }
  if (only_new) {
    for (size_t i = 1; i < c.argc(); i += 2) {
      std::optional<kv::Meta> old;
      if (LookupAny(c, c.arg(i), &old) == Lookup::kReplied) return;
      if (old) return c.reply.Integer(0);
    }
  }
  for (size_t i = 1; i < c.argc(); i += 2) {
    // A key given twice: the second write replaces the first, which now exists.
    std::optional<kv::Meta> old;
    if (LookupAny(c, c.arg(i), &old) == Lookup::kReplied) return;
    const Status status = WriteString(c, c.arg(i), c.arg(i + 1), 0, old);
    if (!status.ok()) return c.StorageError(status);
    c.Notify(kNotifyString, "set", c.arg(i));
  }
  if (only_new) return c.reply.Integer(1);
  c.reply.Ok();
}

void MSet(CommandContext& c) { MSetGeneric(c, false); }
void MSetNx(CommandContext& c) { MSetGeneric(c, true); }

void GetSet(CommandContext& c) {
  std::optional<kv::Meta> old;
  if (LookupString(c, c.arg(1), &old) == Lookup::kReplied) return;
  const Status status = WriteString(c, c.arg(1), c.arg(2), 0, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "set", c.arg(1));
  if (old) return c.reply.Bulk(old->value);
  c.reply.Null();
}

void GetDel(CommandContext& c) {
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupString(c, c.arg(1), &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Null();
  const Status status = c.op->Delete(c.db(), c.arg(1), *old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyGeneric, "del", c.arg(1));
  c.reply.Bulk(old->value);
}

void GetEx(CommandContext& c) {
  int64_t expire_at_ms = -1;  // -1: unchanged
  bool persist = false;
  for (size_t i = 2; i < c.argc(); ++i) {
    const std::string option = ToLower(c.arg(i));
    const bool has_next = i + 1 < c.argc();
    if (option == "persist" && expire_at_ms == -1 && !persist) {
      persist = true;
    } else if ((option == "ex" || option == "px" || option == "exat" || option == "pxat") &&
               has_next && expire_at_ms == -1 && !persist) {
      const int64_t unit = option == "ex" || option == "exat" ? 1000 : 1;
      const bool absolute = option == "exat" || option == "pxat";
      bool not_integer = false;
      if (!ExpiryFromArgument(c.arg(++i), unit, absolute, c.op->now_ms(), &expire_at_ms,
                              &not_integer)) {
        return c.Error(not_integer ? errors::kNotInteger
                                   : "ERR invalid expire time in 'getex' command");
      }
    } else {
      return c.Error(errors::kSyntax);
    }
  }
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupString(c, c.arg(1), &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Null();
  Status status;
  std::string_view event;
  if (expire_at_ms > 0 && expire_at_ms <= c.op->now_ms()) {
    status = c.op->Delete(c.db(), c.arg(1), *old);
    event = "del";
  } else if (expire_at_ms > 0 || (persist && old->expire_at_ms != 0)) {
    kv::Meta meta = *old;
    meta.expire_at_ms = persist ? 0 : expire_at_ms;
    status = WriteMeta(c, c.arg(1), meta, old);
    event = persist ? "persist" : "expire";
  }
  if (!status.ok()) return c.StorageError(status);
  if (!event.empty()) c.Notify(kNotifyGeneric, event, c.arg(1));
  c.reply.Bulk(old->value);
}

bool CheckStringLength(CommandContext& c, uint64_t length) {
  if (length > c.service.bulk_bytes_max()) {
    c.Error(errors::kStringTooLong);
    return false;
  }
  return true;
}

void Append(CommandContext& c) {
  std::optional<kv::Meta> old;
  if (LookupString(c, c.arg(1), &old) == Lookup::kReplied) return;
  std::string value = old ? old->value : std::string();
  if (!CheckStringLength(c, value.size() + c.arg(2).size())) return;
  value.append(c.arg(2));
  const Status status = WriteString(c, c.arg(1), value, old ? old->expire_at_ms : 0, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "append", c.arg(1));
  c.reply.Integer(static_cast<int64_t>(value.size()));
}

void StrLen(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupString(c, c.arg(1), &meta);
  if (lookup == Lookup::kReplied) return;
  c.reply.Integer(meta ? static_cast<int64_t>(meta->value.size()) : 0);
}

void GetRange(CommandContext& c) {
  int64_t start = 0, end = 0;
  if (!ParseInt64(c.arg(2), &start) || !ParseInt64(c.arg(3), &end)) {
    return c.Error(errors::kNotInteger);
  }
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupString(c, c.arg(1), &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Bulk("");
  const int64_t length = static_cast<int64_t>(meta->value.size());
  // Redis: both negative and start > end is empty, before normalising.
  if (start < 0 && end < 0 && start > end) return c.reply.Bulk("");
  if (!NormalizeRange(length, &start, &end)) return c.reply.Bulk("");
  c.reply.Bulk(std::string_view(meta->value)
                   .substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

void SetRange(CommandContext& c) {
  int64_t offset = 0;
  if (!ParseInt64(c.arg(2), &offset)) return c.Error(errors::kNotInteger);
  if (offset < 0) return c.Error("ERR offset is out of range");
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupString(c, c.arg(1), &old);
  if (lookup == Lookup::kReplied) return;
  const std::string_view piece = c.arg(3);
  std::string value = old ? old->value : std::string();
  if (piece.empty()) return c.reply.Integer(static_cast<int64_t>(value.size()));
  if (!CheckStringLength(c, static_cast<uint64_t>(offset) + piece.size())) return;
  const size_t needed = static_cast<size_t>(offset) + piece.size();
  if (value.size() < needed) value.resize(needed, '\0');
  value.replace(static_cast<size_t>(offset), piece.size(), piece);
  const Status status = WriteString(c, c.arg(1), value, old ? old->expire_at_ms : 0, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "setrange", c.arg(1));
  c.reply.Integer(static_cast<int64_t>(value.size()));
}

void IncrementBy(CommandContext& c, int64_t increment) {
  std::optional<kv::Meta> old;
  if (LookupString(c, c.arg(1), &old) == Lookup::kReplied) return;
  int64_t value = 0;
  if (old && !ParseInt64(old->value, &value)) return c.Error(errors::kNotInteger);
  if ((increment < 0 && value < 0 && increment < INT64_MIN - value) ||
      (increment > 0 && value > 0 && increment > INT64_MAX - value)) {
    return c.Error(errors::kOverflow);
  }
  value += increment;
  const Status status =
      WriteString(c, c.arg(1), std::to_string(value), old ? old->expire_at_ms : 0, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "incrby", c.arg(1));
  c.reply.Integer(value);
}

void Incr(CommandContext& c) { IncrementBy(c, 1); }
void Decr(CommandContext& c) { IncrementBy(c, -1); }

void IncrBy(CommandContext& c) {
  int64_t increment = 0;
  if (!ParseInt64(c.arg(2), &increment)) return c.Error(errors::kNotInteger);
  IncrementBy(c, increment);
}

void DecrBy(CommandContext& c) {
  int64_t decrement = 0;
  if (!ParseInt64(c.arg(2), &decrement)) return c.Error(errors::kNotInteger);
  if (decrement == INT64_MIN) return c.Error("ERR decrement would overflow");
  IncrementBy(c, -decrement);
}

}  // namespace

// Redis's ld2string(LD_STR_HUMAN): "%.17Lf" with trailing zeros (and a bare dot) removed.
std::string FormatLongDoubleHuman(long double value) {
  char buffer[5600];
  int length = std::snprintf(buffer, sizeof(buffer), "%.17Lf", value);
  if (length <= 0 || static_cast<size_t>(length) >= sizeof(buffer)) return "0";
  std::string text(buffer, static_cast<size_t>(length));
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

bool ParseLongDouble(std::string_view text, long double* value) {
  if (text.empty() || text.size() > 5000 || text[0] == ' ' || text[0] == '\t') return false;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const long double parsed = std::strtold(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || std::isnan(parsed) || errno == ERANGE) return false;
  *value = parsed;
  return true;
}

namespace {

void IncrByFloat(CommandContext& c) {
  long double increment = 0;
  if (!ParseLongDouble(c.arg(2), &increment)) return c.Error(errors::kNotFloat);
  std::optional<kv::Meta> old;
  if (LookupString(c, c.arg(1), &old) == Lookup::kReplied) return;
  long double value = 0;
  if (old && !ParseLongDouble(old->value, &value)) return c.Error(errors::kNotFloat);
  value += increment;
  if (std::isnan(value) || std::isinf(value)) return c.Error(errors::kNanOrInfinity);
  const std::string text = FormatLongDoubleHuman(value);
  const Status status = WriteString(c, c.arg(1), text, old ? old->expire_at_ms : 0, old);
  if (!status.ok()) return c.StorageError(status);
  c.Notify(kNotifyString, "incrbyfloat", c.arg(1));
  c.reply.Bulk(text);
}

}  // namespace

void AddStringCommands(std::vector<CommandSpec>* table) {
  const uint32_t read = kReadOnly | kFast;
  const uint32_t write = kWrite;
  table->insert(table->end(), {
                                  {"get", 2, read, 1, 1, 1, Get},
                                  {"set", -3, write, 1, 1, 1, Set},
                                  {"setnx", 3, write | kFast, 1, 1, 1, SetNx},
                                  {"setex", 4, write, 1, 1, 1, SetEx},
                                  {"psetex", 4, write, 1, 1, 1, PSetEx},
                                  {"mget", -2, read, 1, -1, 1, MGet},
                                  {"mset", -3, write, 1, -1, 2, MSet},
                                  {"msetnx", -3, write, 1, -1, 2, MSetNx},
                                  {"getset", 3, write | kFast, 1, 1, 1, GetSet},
                                  {"getdel", 2, write | kFast, 1, 1, 1, GetDel},
                                  {"getex", -2, write | kFast, 1, 1, 1, GetEx},
                                  {"append", 3, write | kFast, 1, 1, 1, Append},
                                  {"strlen", 2, read, 1, 1, 1, StrLen},
                                  {"getrange", 4, kReadOnly, 1, 1, 1, GetRange},
                                  {"substr", 4, kReadOnly, 1, 1, 1, GetRange},
                                  {"setrange", 4, write, 1, 1, 1, SetRange},
                                  {"incr", 2, write | kFast, 1, 1, 1, Incr},
                                  {"decr", 2, write | kFast, 1, 1, 1, Decr},
                                  {"incrby", 3, write | kFast, 1, 1, 1, IncrBy},
                                  {"decrby", 3, write | kFast, 1, 1, 1, DecrBy},
                                  {"incrbyfloat", 3, write | kFast, 1, 1, 1, IncrByFloat},
                              });
}

}  // namespace plexus::server::resp
