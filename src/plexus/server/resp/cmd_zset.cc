// Sorted-set commands: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANGE
// ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE ZRANK ZREVRANK ZPOPMIN
// ZPOPMAX ZREMRANGEBYSCORE ZREMRANGEBYRANK ZREMRANGEBYLEX ZRANDMEMBER ZSCAN (the union, intersection
// and difference family: cmd_zset_combine.cc). Elements: see zset_store.h.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>

#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/cmd_zset.h"
#include "plexus/server/resp/glob.h"
#include "plexus/server/resp/service.h"
#include "plexus/server/resp/zset_store.h"

namespace plexus::server::resp {

ZSetView ViewOf(CommandContext& c, std::string_view key, const kv::Meta& meta) {
  return ZSetView(c.op, c.db(), key, meta.version);
}

namespace {

void ZAddGeneric(CommandContext& c, bool incr_command) {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = incr_command;
  size_t i = 2;
  if (!incr_command) {
    for (; i < c.argc(); ++i) {
      const std::string option = ToLower(c.arg(i));
      if (option == "nx")
        nx = true;
      else if (option == "xx")
        xx = true;
      else if (option == "gt")
        gt = true;
      else if (option == "lt")
        lt = true;
      else if (option == "ch")
        ch = true;
      else if (option == "incr")
        incr = true;
      else
        break;
    }
  }
  const size_t elements = c.argc() - i;
  if (elements == 0 || elements % 2 != 0) return c.Error(errors::kSyntax);
  if (nx && xx) return c.Error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return c.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && elements > 2) {
    return c.Error("ERR INCR option supports a single increment-element pair");
  }
  std::vector<std::pair<double, std::string_view>> pairs;
  for (size_t j = i; j < c.argc(); j += 2) {
    double score = 0;
    if (!ParseDouble(c.arg(j), &score)) return c.Error(errors::kNotFloat);
    pairs.emplace_back(score, c.arg(j + 1));
  }
  std::optional<kv::Meta> old;
  if (LookupKey(c, c.arg(1), kv::Type::kZSet, &old) == Lookup::kReplied) return;
  if (!old && xx) return incr ? c.reply.Null() : c.reply.Integer(0);
  kv::Meta meta = old ? *old : NewCollection(c, kv::Type::kZSet);
  ZSetView view = ViewOf(c, c.arg(1), meta);
  int64_t added = 0, changed = 0;
  std::optional<double> incr_result;
  for (auto [score, member] : pairs) {
    Result<std::optional<double>> current = view.Score(member);
    if (!current.ok()) return c.StorageError(current.status());
    if (current->has_value()) {
      if (nx) continue;
      if (incr) {
        score += **current;
        if (std::isnan(score)) return c.Error("ERR resulting score is not a number (NaN)");
      }
      if ((gt && score <= **current) || (lt && score >= **current)) continue;
      if (incr) incr_result = score;
      if (score != **current) {
        const Status status = view.Put(member, score, *current);
        if (!status.ok()) return c.StorageError(status);
        ++changed;
      }
    } else {
      if (xx) continue;
      const Status status = view.Put(member, score, std::nullopt);
      if (!status.ok()) return c.StorageError(status);
      ++meta.size;
      ++added;
      if (incr) incr_result = score;
    }
  }
  if (added > 0) {
    const Status status = StoreCollection(c, c.arg(1), meta, old);
    if (!status.ok()) return c.StorageError(status);
  }
  if (added > 0 || changed > 0) c.Notify(kNotifyZSet, incr ? "zincr" : "zadd", c.arg(1));
  if (incr) return incr_result ? c.reply.Double(*incr_result) : c.reply.Null();
  c.reply.Integer(ch ? added + changed : added);
}

void ZAdd(CommandContext& c) { ZAddGeneric(c, false); }

void ZIncrBy(CommandContext& c) {
  // ZINCRBY key increment member is ZADD key INCR increment member.
  ZAddGeneric(c, true);
}

void ZRem(CommandContext& c) {
  std::optional<kv::Meta> old;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, &old);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  kv::Meta meta = *old;
  ZSetView view = ViewOf(c, c.arg(1), meta);
  int64_t removed = 0;
  for (size_t i = 2; i < c.argc(); ++i) {
    Result<std::optional<double>> score = view.Score(c.arg(i));
    if (!score.ok()) return c.StorageError(score.status());
    if (!score->has_value()) continue;
    const Status status = view.Remove(c.arg(i), **score);
    if (!status.ok()) return c.StorageError(status);
    --meta.size;
    ++removed;
  }
  if (removed > 0) {
    const Status status = StoreCollection(c, c.arg(1), meta, old);
    if (!status.ok()) return c.StorageError(status);
    c.Notify(kNotifyZSet, "zrem", c.arg(1));
    NotifyIfDeleted(c, meta, c.arg(1));
  }
  c.reply.Integer(removed);
}

void ZScore(CommandContext& c) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Null();
  Result<std::optional<double>> score = ViewOf(c, c.arg(1), *meta).Score(c.arg(2));
  if (!score.ok()) return c.StorageError(score.status());
  if (!score->has_value()) return c.reply.Null();
  c.reply.Double(**score);
}

void ZMScore(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupKey(c, c.arg(1), kv::Type::kZSet, &meta) == Lookup::kReplied) return;
  std::vector<std::optional<double>> scores;
  for (size_t i = 2; i < c.argc(); ++i) {
    if (!meta) {
      scores.emplace_back();
      continue;
    }
    Result<std::optional<double>> score = ViewOf(c, c.arg(1), *meta).Score(c.arg(i));
    if (!score.ok()) return c.StorageError(score.status());
    scores.push_back(*score);
  }
  c.reply.Array(scores.size());
  for (const auto& score : scores) {
    if (score) {
      c.reply.Double(*score);
    } else {
      c.reply.Null();
    }
  }
}

void ZCard(CommandContext& c) {
  std::optional<kv::Meta> meta;
  if (LookupKey(c, c.arg(1), kv::Type::kZSet, &meta) == Lookup::kReplied) return;
  c.reply.Integer(meta ? static_cast<int64_t>(meta->size) : 0);
}

// Loads every member of the sorted set args[1] (empty when missing). False after a reply.
bool LoadAll(CommandContext& c, std::optional<kv::Meta>* meta, std::vector<ScoredMember>* all) {
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, meta);
  if (lookup == Lookup::kReplied) return false;
  if (lookup == Lookup::kMissing) return true;
  const Status status = ViewOf(c, c.arg(1), **meta).Load(all);
  if (!status.ok()) {
    c.StorageError(status);
    return false;
  }
  return true;
}

void ZCount(CommandContext& c) {
  ScoreBound min, max;
  if (!ParseScoreBound(c.arg(2), &min) || !ParseScoreBound(c.arg(3), &max)) {
    return c.Error(errors::kMinMaxNotFloat);
  }
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  Result<uint64_t> count = ViewOf(c, c.arg(1), *meta).Count(min, max);
  if (!count.ok()) return c.StorageError(count.status());
  c.reply.Integer(static_cast<int64_t>(*count));
}

void ZLexCount(CommandContext& c) {
  LexBound min, max;
  if (!ParseLexBound(c.arg(2), &min) || !ParseLexBound(c.arg(3), &max)) {
    return c.Error(errors::kMinMaxNotString);
  }
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Integer(0);
  Result<uint64_t> count =
      ViewOf(c, c.arg(1), *meta).ScanLex(min, max, false, 0, UINT64_MAX, nullptr);
  if (!count.ok()) return c.StorageError(count.status());
  c.reply.Integer(static_cast<int64_t>(*count));
}

}  // namespace

void ReplyScored(CommandContext& c, const std::vector<ScoredMember>& members, bool with_scores) {
  if (with_scores && c.reply.protocol() == 3) {
    c.reply.Array(members.size());
    for (const ScoredMember& entry : members) {
      c.reply.Array(2);
      c.reply.Bulk(entry.member);
      c.reply.Double(entry.score);
    }
    return;
  }
  c.reply.Array(members.size() * (with_scores ? 2 : 1));
  for (const ScoredMember& entry : members) {
    c.reply.Bulk(entry.member);
    if (with_scores) c.reply.Double(entry.score);
  }
}

namespace {

enum class RangeBy : uint8_t { kRank, kScore, kLex };

struct RangeRequest {
  RangeBy by = RangeBy::kRank;
  bool reverse = false;
  bool with_scores = false;
  bool has_limit = false;
  int64_t offset = 0;
  int64_t count = -1;
  std::string_view start, stop;
};

// Parses [WITHSCORES] [LIMIT offset count] (and ZRANGE's BYSCORE BYLEX REV) from args[first...].
bool ParseRangeOptions(CommandContext& c, size_t first, bool zrange, RangeRequest* request) {
  for (size_t i = first; i < c.argc(); ++i) {
    const std::string option = ToLower(c.arg(i));
    if (option == "withscores") {
      request->with_scores = true;
    } else if (option == "limit" && i + 2 < c.argc()) {
      if (!ParseInt64(c.arg(i + 1), &request->offset) ||
          !ParseInt64(c.arg(i + 2), &request->count)) {
        c.Error(errors::kNotInteger);
        return false;
      }
      request->has_limit = true;
      i += 2;
    } else if (zrange && option == "byscore") {
      request->by = RangeBy::kScore;
    } else if (zrange && option == "bylex") {
      request->by = RangeBy::kLex;
    } else if (zrange && option == "rev") {
      request->reverse = true;
    } else {
      c.Error(errors::kSyntax);
      return false;
    }
  }
  if (request->has_limit && request->by == RangeBy::kRank) {
    c.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
        "BYLEX");
    return false;
  }
  if (request->with_scores && request->by == RangeBy::kLex) {
    c.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return false;
  }
  return true;
}

// Reads the members `request` selects (of the sorted set args[1]; *meta is its metadata) in
// reply order. Each kind reads only what it returns (plus what LIMIT's offset skips): by rank
// from the end it starts at, by score and by lex from one seek to the bound it starts at (see
// ZSetView::ScanLex). False after an error reply.
bool ReadRange(CommandContext& c, const RangeRequest& request, std::optional<kv::Meta>* meta,
               std::vector<ScoredMember>* selected) {
  int64_t start = 0, stop = 0;
  ScoreBound min_score, max_score;
  LexBound min_lex, max_lex;
  // REV: the first bound is the maximum.
  const std::string_view min_text = request.reverse ? request.stop : request.start;
  const std::string_view max_text = request.reverse ? request.start : request.stop;
  if (request.by == RangeBy::kRank) {
    if (!ParseInt64(request.start, &start) || !ParseInt64(request.stop, &stop)) {
      c.Error(errors::kNotInteger);
      return false;
    }
  } else if (request.by == RangeBy::kScore) {
    if (!ParseScoreBound(min_text, &min_score) || !ParseScoreBound(max_text, &max_score)) {
      c.Error(errors::kMinMaxNotFloat);
      return false;
    }
  } else if (!ParseLexBound(min_text, &min_lex) || !ParseLexBound(max_text, &max_lex)) {
    c.Error(errors::kMinMaxNotString);
    return false;
  }
  if (LookupKey(c, c.arg(1), kv::Type::kZSet, meta) == Lookup::kReplied) return false;
  // Redis: a negative LIMIT offset selects nothing.
  if (!*meta || (request.by != RangeBy::kRank && request.offset < 0)) return true;
  ZSetView view = ViewOf(c, c.arg(1), **meta);
  Status status;
  const uint64_t limit = request.count < 0 ? UINT64_MAX : static_cast<uint64_t>(request.count);
  const uint64_t skip = static_cast<uint64_t>(std::max<int64_t>(request.offset, 0));
  if (request.by == RangeBy::kRank) {
    if (NormalizeRange(static_cast<int64_t>((*meta)->size), &start, &stop)) {
      const uint64_t count = static_cast<uint64_t>(stop - start + 1);
      const uint64_t first = static_cast<uint64_t>(start);
      status = request.reverse ? view.ScanReverse(first, count, selected)
                               : view.Scan(first, count, selected);
    }
  } else if (request.by == RangeBy::kScore) {
    status = request.reverse ? view.ScanReverse(skip, limit, selected, &min_score, &max_score)
                             : view.Scan(skip, limit, selected, &min_score, &max_score);
  } else {
    status = view.ScanLex(min_lex, max_lex, request.reverse, skip, limit, selected).status();
  }
  if (!status.ok()) {
    c.StorageError(status);
    return false;
  }
  return true;
}

void RangeGeneric(CommandContext& c, RangeRequest request, size_t options_from, bool zrange) {
  request.start = c.arg(2);
  request.stop = c.arg(3);
  if (!ParseRangeOptions(c, options_from, zrange, &request)) return;
  std::optional<kv::Meta> meta;
  std::vector<ScoredMember> selected;
  if (!ReadRange(c, request, &meta, &selected)) return;
  ReplyScored(c, selected, request.with_scores);
}

void ZRange(CommandContext& c) { RangeGeneric(c, RangeRequest(), 4, true); }
void ZRevRange(CommandContext& c) {
  RangeRequest request;
  request.reverse = true;
  RangeGeneric(c, request, 4, false);
}
void ZRangeByScore(CommandContext& c) {
  RangeRequest request;
  request.by = RangeBy::kScore;
  RangeGeneric(c, request, 4, false);
}
void ZRevRangeByScore(CommandContext& c) {
  RangeRequest request;
  request.by = RangeBy::kScore;
  request.reverse = true;
  RangeGeneric(c, request, 4, false);
}
void ZRangeByLex(CommandContext& c) {
  RangeRequest request;
  request.by = RangeBy::kLex;
  RangeGeneric(c, request, 4, false);
}
void ZRevRangeByLex(CommandContext& c) {
  RangeRequest request;
  request.by = RangeBy::kLex;
  request.reverse = true;
  RangeGeneric(c, request, 4, false);
}

// The member's score (one read), then the entries before it in score order, counted.
void RankGeneric(CommandContext& c, bool reverse) {
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, &meta);
  if (lookup == Lookup::kReplied) return;
  if (lookup == Lookup::kMissing) return c.reply.Null();
  ZSetView view = ViewOf(c, c.arg(1), *meta);
  Result<std::optional<double>> score = view.Score(c.arg(2));
  if (!score.ok()) return c.StorageError(score.status());
  if (!score->has_value()) return c.reply.Null();
  Result<uint64_t> rank = view.CountBefore(**score, c.arg(2));
  if (!rank.ok()) return c.StorageError(rank.status());
  c.reply.Integer(static_cast<int64_t>(reverse ? meta->size - 1 - *rank : *rank));
}

void ZRank(CommandContext& c) { RankGeneric(c, false); }
void ZRevRank(CommandContext& c) { RankGeneric(c, true); }

// Removes `members` from the sorted set args[1] (metadata `old`); when it removed any, notifies
// `event` (and "del" when the set is now empty).
Status RemoveScored(CommandContext& c, const kv::Meta& old,
                    const std::vector<ScoredMember>& members, std::string_view event) {
  kv::Meta meta = old;
  ZSetView view = ViewOf(c, c.arg(1), meta);
  for (const ScoredMember& entry : members) {
    PLEXUS_RETURN_IF_ERROR(view.Remove(entry.member, entry.score));
    --meta.size;
  }
  if (members.empty()) return Status::Ok();
  PLEXUS_RETURN_IF_ERROR(StoreCollection(c, c.arg(1), meta, std::optional<kv::Meta>(old)));
  c.Notify(kNotifyZSet, event, c.arg(1));
  NotifyIfDeleted(c, meta, c.arg(1));
  return Status::Ok();
}

void ZPopGeneric(CommandContext& c, bool max) {
  if (c.argc() > 3) return c.Error(errors::kSyntax);
  const bool has_count = c.argc() == 3;
  int64_t count = 1;
  if (has_count) {
    if (!ParseInt64(c.arg(2), &count)) return c.Error(errors::kNotInteger);
    if (count < 0) return c.Error(errors::kMustBePositive);
  }
  std::optional<kv::Meta> meta;
  const Lookup lookup = LookupKey(c, c.arg(1), kv::Type::kZSet, &meta);
  if (lookup == Lookup::kReplied) return;
  std::vector<ScoredMember> all;
  if (meta && count > 0) {
    // The lowest `count` members, or the highest: one seek for ZPOPMAX's single member, else
    // a forward read past the rest.
    ZSetView view = ViewOf(c, c.arg(1), *meta);
    const uint64_t taken = std::min<uint64_t>(meta->size, static_cast<uint64_t>(count));
    Status status;
    if (max && taken == 1) {
      Result<std::optional<ScoredMember>> last = view.Last();
      status = last.status();
      if (status.ok() && last->has_value()) all.push_back(std::move(**last));
    } else {
      status = view.Scan(max ? meta->size - taken : 0, taken, &all);
      if (max) std::reverse(all.begin(), all.end());
    }
    if (!status.ok()) return c.StorageError(status);
  }
  if (meta) {
    const Status status = RemoveScored(c, *meta, all, max ? "zpopmax" : "zpopmin");
    if (!status.ok()) return c.StorageError(status);
  }
  if (!has_count || c.reply.protocol() == 2) {
    c.reply.Array(all.size() * 2);
    for (const ScoredMember& entry : all) {
      c.reply.Bulk(entry.member);
      c.reply.Double(entry.score);
    }
    return;
  }
  ReplyScored(c, all, true);
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout: [key, member, score] of the first non-empty key.
void BlockingZPop(CommandContext& c, bool max) {
  uint64_t timeout_ms = 0;
  if (!ParseTimeout(c, c.arg(c.argc() - 1), &timeout_ms)) return;
  std::vector<std::string_view> keys(c.args.begin() + 1, c.args.end() - 1);
  for (std::string_view key : keys) {
    std::optional<kv::Meta> meta;
    const Lookup lookup = LookupKey(c, key, kv::Type::kZSet, &meta);
    if (lookup == Lookup::kReplied) return;
    if (lookup == Lookup::kMissing) continue;
    ZSetView view = ViewOf(c, key, *meta);
    std::optional<ScoredMember> found;
    Status status;
    if (max) {
      Result<std::optional<ScoredMember>> last = view.Last();
      status = last.status();
      if (status.ok()) found = std::move(*last);
    } else {
      std::vector<ScoredMember> first;
      status = view.Scan(0, 1, &first);
      if (status.ok() && !first.empty()) found = std::move(first[0]);
    }
    if (!status.ok()) return c.StorageError(status);
    if (!found) continue;
    const ScoredMember entry = std::move(*found);
    kv::Meta updated = *meta;
    status = view.Remove(entry.member, entry.score);
    --updated.size;
    if (status.ok()) status = StoreCollection(c, key, updated, meta);
    if (!status.ok()) return c.StorageError(status);
    c.Notify(kNotifyZSet, max ? "zpopmax" : "zpopmin", key);
    NotifyIfDeleted(c, updated, key);
    c.reply.Array(3);
    c.reply.Bulk(key);
    c.reply.Bulk(entry.member);
    return c.reply.Double(entry.score);
  }
  if (c.client.in_exec) return c.reply.NullArray();
  if (c.client.block_retry) {
    c.client.still_blocked = true;
    return;
  }
  c.service.BlockClient(c.client, c.args, keys, timeout_ms);
}

void BZPopMin(CommandContext& c) { BlockingZPop(c, false); }
void BZPopMax(CommandContext& c) { BlockingZPop(c, true); }

void ZPopMin(CommandContext& c) { ZPopGeneric(c, false); }
void ZPopMax(CommandContext& c) { ZPopGeneric(c, true); }

void RemoveRangeGeneric(CommandContext& c, RangeBy by) {
  RangeRequest request;
  request.by = by;
  request.start = c.arg(2);
  request.stop = c.arg(3);
  std::optional<kv::Meta> meta;
  std::vector<ScoredMember> selected;
  if (!ReadRange(c, request, &meta, &selected)) return;
  if (meta) {
    const std::string_view event = by == RangeBy::kRank    ? "zremrangebyrank"
                                   : by == RangeBy::kScore ? "zremrangebyscore"
                                                           : "zremrangebylex";
    const Status status = RemoveScored(c, *meta, selected, event);
    if (!status.ok()) return c.StorageError(status);
  }
  c.reply.Integer(static_cast<int64_t>(selected.size()));
}

void ZRemRangeByRank(CommandContext& c) { RemoveRangeGeneric(c, RangeBy::kRank); }
void ZRemRangeByScore(CommandContext& c) { RemoveRangeGeneric(c, RangeBy::kScore); }
void ZRemRangeByLex(CommandContext& c) { RemoveRangeGeneric(c, RangeBy::kLex); }

void ZRandMember(CommandContext& c) {
  const bool has_count = c.argc() >= 3;
  const bool with_scores = c.argc() == 4 && EqualsIgnoreCase(c.arg(3), "withscores");
  if (c.argc() > 4 || (c.argc() == 4 && !with_scores)) return c.Error(errors::kSyntax);
  int64_t count = 0;
  if (has_count && !ParseInt64(c.arg(2), &count)) return c.Error(errors::kNotInteger);
  if (count < -(int64_t{1} << 40)) return c.Error(errors::kNotInteger);
  std::optional<kv::Meta> meta;
  std::vector<ScoredMember> all;
  if (!LoadAll(c, &meta, &all)) return;
  if (all.empty()) return has_count ? c.reply.Array(0) : c.reply.Null();
  thread_local std::mt19937_64 random(std::random_device{}());
  if (!has_count) return c.reply.Bulk(all[random() % all.size()].member);
  std::vector<ScoredMember> chosen;
  if (count >= 0) {
    std::shuffle(all.begin(), all.end(), random);
    all.resize(std::min<size_t>(all.size(), static_cast<size_t>(count)));
    chosen = std::move(all);
  } else {
    for (int64_t i = 0; i < -count; ++i) chosen.push_back(all[random() % all.size()]);
  }
  ReplyScored(c, chosen, with_scores);
}

void ZScan(CommandContext& c) {
  std::string start, pattern;
  int64_t count = 0;
  bool finished = false;
  if (!ParseElementScan(c, &start, &pattern, &count, &finished)) return;
  std::optional<kv::Meta> meta;
  if (LookupKey(c, c.arg(1), kv::Type::kZSet, &meta) == Lookup::kReplied) return;
  std::vector<ScoredMember> found;
  std::string next;
  if (meta && !finished) {
    const std::string prefix = kv::DataPrefix(c.db(), c.arg(1), meta->version);
    auto iterator = c.op->Elements(prefix, "m" + start, "n");
    if (!iterator.ok()) return c.StorageError(iterator.status());
    int64_t visited = 0;
    for (; (*iterator)->Valid(); (*iterator)->Next()) {
      const std::string_view member = (*iterator)->key().substr(prefix.size() + 1);
      if (visited == count) {
        next.assign(member);
        break;
      }
      ++visited;
      if (!pattern.empty() && !GlobMatch(pattern, member)) continue;
      double score = 0;
      const std::string_view value = (*iterator)->value();
      if (value.size() == 8) std::memcpy(&score, value.data(), 8);
      found.push_back({score, std::string(member)});
    }
  }
  c.reply.Array(2);
  c.reply.Bulk(next.empty() ? "0" : std::to_string(c.service.SaveCursor(next)));
  c.reply.Array(found.size() * 2);
  for (const ScoredMember& entry : found) {
    c.reply.Bulk(entry.member);
    c.reply.Bulk(FormatDouble(entry.score));
  }
}

}  // namespace

void AddZSetCommands(std::vector<CommandSpec>* table) {
  const uint32_t read = kReadOnly;
  table->insert(table->end(), {
                                  {"zadd", -4, kWrite | kFast, 1, 1, 1, ZAdd},
                                  {"zincrby", 4, kWrite | kFast, 1, 1, 1, ZIncrBy},
                                  {"zrem", -3, kWrite | kFast, 1, 1, 1, ZRem},
                                  {"zscore", 3, read | kFast, 1, 1, 1, ZScore},
                                  {"zmscore", -3, read | kFast, 1, 1, 1, ZMScore},
                                  {"zcard", 2, read | kFast, 1, 1, 1, ZCard},
                                  {"zcount", 4, read | kFast, 1, 1, 1, ZCount},
                                  {"zlexcount", 4, read | kFast, 1, 1, 1, ZLexCount},
                                  {"zrange", -4, read, 1, 1, 1, ZRange},
                                  {"zrevrange", -4, read, 1, 1, 1, ZRevRange},
                                  {"zrangebyscore", -4, read, 1, 1, 1, ZRangeByScore},
                                  {"zrevrangebyscore", -4, read, 1, 1, 1, ZRevRangeByScore},
                                  {"zrangebylex", -4, read, 1, 1, 1, ZRangeByLex},
                                  {"zrevrangebylex", -4, read, 1, 1, 1, ZRevRangeByLex},
                                  {"zrank", 3, read | kFast, 1, 1, 1, ZRank},
                                  {"zrevrank", 3, read | kFast, 1, 1, 1, ZRevRank},
                                  {"zpopmin", -2, kWrite | kFast, 1, 1, 1, ZPopMin},
                                  {"zpopmax", -2, kWrite | kFast, 1, 1, 1, ZPopMax},
                                  {"bzpopmin", -3, kWrite | kFast, 1, -2, 1, BZPopMin},
                                  {"bzpopmax", -3, kWrite | kFast, 1, -2, 1, BZPopMax},
                                  {"zremrangebyrank", 4, kWrite, 1, 1, 1, ZRemRangeByRank},
                                  {"zremrangebyscore", 4, kWrite, 1, 1, 1, ZRemRangeByScore},
                                  {"zremrangebylex", 4, kWrite, 1, 1, 1, ZRemRangeByLex},
                                  {"zrandmember", -2, read, 1, 1, 1, ZRandMember},
                                  {"zscan", -3, read, 1, 1, 1, ZScan},
                              });
}

}  // namespace plexus::server::resp
