// Sorted-set union, intersection and difference: ZUNIONSTORE ZINTERSTORE ZDIFFSTORE and the
// replying forms ZUNION ZINTER ZDIFF (WEIGHTS, AGGREGATE, WITHSCORES).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>

#include "plexus/server/resp/cmd_util.h"
#include "plexus/server/resp/cmd_zset.h"
#include "plexus/server/resp/service.h"
#include "plexus/server/resp/zset_store.h"

namespace plexus::server::resp {
namespace {

enum class Combination : uint8_t { kUnion, kInter, kDiff };
enum class Aggregate : uint8_t { kSum, kMin, kMax };

double AggregateScores(double a, double b, Aggregate aggregate) {
  switch (aggregate) {
    case Aggregate::kSum: {
      const double sum = a + b;
      return std::isnan(sum) ? 0 : sum;  // inf + -inf is 0 in Redis
    }
    case Aggregate::kMin:
      return std::min(a, b);
    case Aggregate::kMax:
      return std::max(a, b);
  }
  return a;
}

// Z(UNION|INTER|DIFF)[STORE]: numkeys at args[numkeys_index], then keys, WEIGHTS, AGGREGATE,
// WITHSCORES. Sources may be sets (score 1). False after an error reply.
bool Combine(CommandContext& c, size_t numkeys_index, Combination combination, bool store,
             std::vector<ScoredMember>* result, bool* with_scores) {
  int64_t count = 0;
  if (!ParseInt64(c.arg(numkeys_index), &count)) {
    c.Error(errors::kNotInteger);
    return false;
  }
  if (count <= 0) {
    c.Error("ERR at least 1 input key is needed for '" + std::string(c.spec.name) + "' command");
    return false;
  }
  const size_t first = numkeys_index + 1;
  if (static_cast<size_t>(count) > c.argc() - first) {
    c.Error(errors::kSyntax);
    return false;
  }
  const size_t keys = static_cast<size_t>(count);
  std::vector<double> weights(keys, 1.0);
  Aggregate aggregate = Aggregate::kSum;
  *with_scores = false;
  for (size_t i = first + keys; i < c.argc(); ++i) {
    const std::string option = ToLower(c.arg(i));
    if (option == "weights" && combination != Combination::kDiff && i + keys < c.argc()) {
      for (size_t k = 0; k < keys; ++k) {
        if (!ParseDouble(c.arg(i + 1 + k), &weights[k])) {
          c.Error("ERR weight value is not a float");
          return false;
        }
      }
      i += keys;
    } else if (option == "aggregate" && combination != Combination::kDiff && i + 1 < c.argc()) {
      const std::string value = ToLower(c.arg(++i));
      if (value == "sum")
        aggregate = Aggregate::kSum;
      else if (value == "min")
        aggregate = Aggregate::kMin;
      else if (value == "max")
        aggregate = Aggregate::kMax;
      else {
        c.Error(errors::kSyntax);
        return false;
      }
    } else if (option == "withscores" && !store) {
      *with_scores = true;
    } else {
      c.Error(errors::kSyntax);
      return false;
    }
  }
  std::map<std::string, double> combined;
  for (size_t k = 0; k < keys; ++k) {
    const std::string_view key = c.arg(first + k);
    Result<std::optional<kv::Meta>> meta = c.op->Get(c.db(), key);
    if (!meta.ok()) {
      c.StorageError(meta.status());
      return false;
    }
    std::map<std::string, double> members;
    if (meta->has_value()) {
      const kv::Meta& found = **meta;
      if (found.type == kv::Type::kZSet) {
        std::vector<ScoredMember> loaded;
        const Status status = ViewOf(c, key, found).Load(&loaded);
        if (!status.ok()) {
          c.StorageError(status);
          return false;
        }
        for (auto& entry : loaded) members[entry.member] = entry.score;
      } else if (found.type == kv::Type::kSet) {
        const std::string prefix = kv::DataPrefix(c.db(), key, found.version);
        auto iterator = c.op->Elements(prefix);
        if (!iterator.ok()) {
          c.StorageError(iterator.status());
          return false;
        }
        for (; (*iterator)->Valid(); (*iterator)->Next()) {
          members[std::string((*iterator)->key().substr(prefix.size()))] = 1.0;
        }
      } else {
        c.Error(errors::kWrongType);
        return false;
      }
    }
    for (auto& [member, score] : members) {
      double weighted = score * weights[k];
      if (std::isnan(weighted)) weighted = 0;
      if (k == 0) {
        combined[member] = combination == Combination::kDiff ? score : weighted;
        continue;
      }
      auto it = combined.find(member);
      if (combination == Combination::kUnion) {
        if (it == combined.end()) {
          combined[member] = weighted;
        } else {
          it->second = AggregateScores(it->second, weighted, aggregate);
        }
      } else if (combination == Combination::kInter) {
        if (it != combined.end()) it->second = AggregateScores(it->second, weighted, aggregate);
      } else if (it != combined.end()) {
        combined.erase(it);
      }
    }
    if (combination == Combination::kInter && k > 0) {
      for (auto it = combined.begin(); it != combined.end();) {
        it = members.count(it->first) ? std::next(it) : combined.erase(it);
      }
    }
    if (combination == Combination::kInter && k == 0 && members.empty()) break;
  }
  result->clear();
  for (auto& [member, score] : combined) result->push_back({score, member});
  std::stable_sort(result->begin(), result->end(), [](const auto& a, const auto& b) {
    return a.score < b.score || (a.score == b.score && a.member < b.member);
  });
  return true;
}

// Replaces the destination args[1] with the result (a new version: the old elements become
// garbage), or deletes it when the result is empty.
void CombineStore(CommandContext& c, Combination combination, std::string_view event) {
  std::vector<ScoredMember> result;
  bool with_scores = false;
  if (!Combine(c, 2, combination, true, &result, &with_scores)) return;
  StoreCollectionResult(
      c, kv::Type::kZSet, kNotifyZSet, event, result.size(), [&](const kv::Meta& meta) {
        ZSetView view = ViewOf(c, c.arg(1), meta);
        for (const ScoredMember& entry : result) {
          PLEXUS_RETURN_IF_ERROR(view.Put(entry.member, entry.score, std::nullopt));
        }
        return Status::Ok();
      });
}

void ZUnionStore(CommandContext& c) { CombineStore(c, Combination::kUnion, "zunionstore"); }
void ZInterStore(CommandContext& c) { CombineStore(c, Combination::kInter, "zinterstore"); }
void ZDiffStore(CommandContext& c) { CombineStore(c, Combination::kDiff, "zdiffstore"); }

void CombineReply(CommandContext& c, Combination combination) {
  std::vector<ScoredMember> result;
  bool with_scores = false;
  if (!Combine(c, 1, combination, false, &result, &with_scores)) return;
  ReplyScored(c, result, with_scores);
}

void ZUnion(CommandContext& c) { CombineReply(c, Combination::kUnion); }
void ZInter(CommandContext& c) { CombineReply(c, Combination::kInter); }
void ZDiff(CommandContext& c) { CombineReply(c, Combination::kDiff); }

// Keys of Z*STORE (destination, then numkeys keys) and ZUNION/ZINTER/ZDIFF (numkeys keys).
void StoreKeys(std::span<const std::string_view> args, std::vector<size_t>* keys) {
  int64_t count = 0;
  if (args.size() < 3) return;
  keys->push_back(1);
  if (!ParseInt64(args[2], &count) || count <= 0) return;
  for (size_t i = 3; i < args.size() && i < 3 + static_cast<size_t>(count); ++i) {
    keys->push_back(i);
  }
}

void ReadKeys(std::span<const std::string_view> args, std::vector<size_t>* keys) {
  int64_t count = 0;
  if (args.size() < 2 || !ParseInt64(args[1], &count) || count <= 0) return;
  for (size_t i = 2; i < args.size() && i < 2 + static_cast<size_t>(count); ++i) {
    keys->push_back(i);
  }
}

}  // namespace

void AddZSetCombineCommands(std::vector<CommandSpec>* table) {
  const uint32_t read = kReadOnly;
  table->insert(table->end(), {
                                  {"zunionstore", -4, kWrite, 0, 0, 0, ZUnionStore, StoreKeys},
                                  {"zinterstore", -4, kWrite, 0, 0, 0, ZInterStore, StoreKeys},
                                  {"zdiffstore", -4, kWrite, 0, 0, 0, ZDiffStore, StoreKeys},
                                  {"zunion", -3, read, 0, 0, 0, ZUnion, ReadKeys},
                                  {"zinter", -3, read, 0, 0, 0, ZInter, ReadKeys},
                                  {"zdiff", -3, read, 0, 0, 0, ZDiff, ReadKeys},
                              });
}

}  // namespace plexus::server::resp
