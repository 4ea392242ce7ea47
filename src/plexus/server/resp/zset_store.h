// Sorted-set elements: two entries per member under the key's version prefix,
//   'm' member                 -> score (8 bytes, the double's bits)
//   's' score (8, ordered) member -> ""
// so a member's score is one read and a score range is one forward scan.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/kv/keyspace.h"

namespace plexus::server::resp {

struct ScoredMember {
  double score;
  std::string member;
};

// A score bound: value plus whether it is exclusive ("(1.5").
struct ScoreBound {
  double value = 0;
  bool exclusive = false;
};
// A lex bound: "-" (minimum), "+" (maximum), "[x" inclusive, "(x" exclusive.
struct LexBound {
  std::string value;
  bool exclusive = false;
  bool minimum = false;
  bool maximum = false;
};

bool ParseScoreBound(std::string_view text, ScoreBound* bound);
bool ParseLexBound(std::string_view text, LexBound* bound);
bool ScoreAboveMin(double score, const ScoreBound& min);
bool ScoreBelowMax(double score, const ScoreBound& max);
bool LexAboveMin(std::string_view member, const LexBound& min);
bool LexBelowMax(std::string_view member, const LexBound& max);

std::string EncodeScore(double score);  // 8 bytes whose byte order is the numeric order

class ZSetView {
 public:
  ZSetView(kv::Op* op, int db, std::string_view key, uint64_t version)
      : op_(op), prefix_(kv::DataPrefix(db, key, version)) {}

  // The member's score, or nullopt.
  Result<std::optional<double>> Score(std::string_view member);
  Status Put(std::string_view member, double score, std::optional<double> old_score);
  Status Remove(std::string_view member, double score);
  // Every member in score order (then member order), optionally from a minimum score.
  Status Load(std::vector<ScoredMember>* members, const ScoreBound* min = nullptr,
              const ScoreBound* max = nullptr);
  // Members in score order within [min, max] (null: unbounded), skipping the first `skip` of
  // them and stopping after `limit`: reads skip + limit entries (from min's position), not
  // the whole set.
  Status Scan(uint64_t skip, uint64_t limit, std::vector<ScoredMember>* members,
              const ScoreBound* min = nullptr, const ScoreBound* max = nullptr);
  // The same from the highest score down, within [min, max]: reads from max's position.
  Status ScanReverse(uint64_t skip, uint64_t limit, std::vector<ScoredMember>* members,
                     const ScoreBound* min = nullptr, const ScoreBound* max = nullptr);
  // Members in the lex range [min, max], walked as Redis walks it (from min up, or with
  // `reverse` from max down, stopping at the first member past the other bound), skipping
  // `skip` and stopping after `limit`; null `members` only counts. A lex range is meaningful
  // when all scores are equal (Redis's rule): the walk then starts with one seek to its bound
  // among the members of the lowest (highest) score and reads only what it returns.
  Result<uint64_t> ScanLex(const LexBound& min, const LexBound& max, bool reverse, uint64_t skip,
                           uint64_t limit, std::vector<ScoredMember>* members);
  // The member with the highest score (nullopt when the set is empty): one seek.
  Result<std::optional<ScoredMember>> Last();
  // How many members order before (score, member): its rank. Reads only the entries before it
  // and copies none.
  Result<uint64_t> CountBefore(double score, std::string_view member);
  // How many members have scores within [min, max], copying none.
  Result<uint64_t> Count(const ScoreBound& min, const ScoreBound& max);

 private:
  kv::Op* op_;
  std::string prefix_;
};

}  // namespace plexus::server::resp
