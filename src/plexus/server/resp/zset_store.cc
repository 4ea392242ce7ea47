// Sorted-set element encoding and range bounds.
#include "plexus/server/resp/zset_store.h"

#include <bit>
#include <cstdint>
#include <cmath>
#include <cstring>

#include "plexus/server/resp/command.h"

namespace plexus::server::resp {

std::string EncodeScore(double score) {
  if (score == 0) score = 0;  // -0.0 sorts with 0.0
  uint64_t bits = std::bit_cast<uint64_t>(score);
  bits = (bits & (uint64_t{1} << 63)) != 0 ? ~bits : bits | (uint64_t{1} << 63);
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[static_cast<size_t>(i)] = static_cast<char>(bits >> (56 - 8 * i));
  return bytes;
}

namespace {

double DecodeScore(std::string_view bytes) {
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i)
    bits = (bits << 8) | static_cast<uint8_t>(bytes[static_cast<size_t>(i)]);
  bits = (bits & (uint64_t{1} << 63)) != 0 ? bits & ~(uint64_t{1} << 63) : ~bits;
  return std::bit_cast<double>(bits);
}

std::string ScoreValue(double score) {
  std::string bytes(8, '\0');
  std::memcpy(bytes.data(), &score, 8);
  return bytes;
}

}  // namespace

bool ParseScoreBound(std::string_view text, ScoreBound* bound) {
  bound->exclusive = !text.empty() && text[0] == '(';
  if (bound->exclusive) text.remove_prefix(1);
  return ParseDouble(text, &bound->value);
}

bool ParseLexBound(std::string_view text, LexBound* bound) {
  if (text.empty()) return false;
  *bound = LexBound();
  if (text == "-") {
    bound->minimum = true;
    return true;
  }
  if (text == "+") {
    bound->maximum = true;
    return true;
  }
  if (text[0] != '(' && text[0] != '[') return false;
  bound->exclusive = text[0] == '(';
  bound->value.assign(text.substr(1));
  return true;
}

bool ScoreAboveMin(double score, const ScoreBound& min) {
  return min.exclusive ? score > min.value : score >= min.value;
}

bool ScoreBelowMax(double score, const ScoreBound& max) {
  return max.exclusive ? score < max.value : score <= max.value;
}

bool LexAboveMin(std::string_view member, const LexBound& min) {
  if (min.minimum) return true;
  if (min.maximum) return false;
  return min.exclusive ? member > min.value : member >= min.value;
}

bool LexBelowMax(std::string_view member, const LexBound& max) {
  if (max.maximum) return true;
  if (max.minimum) return false;
  return max.exclusive ? member < max.value : member <= max.value;
}

Result<std::optional<double>> ZSetView::Score(std::string_view member) {
  std::string sub_key = "m";
  sub_key.append(member);
  std::string value;
  const Status status = op_->GetElement(prefix_, sub_key, &value);
  if (status.IsNotFound()) return std::optional<double>();
  PLEXUS_RETURN_IF_ERROR(status);
  if (value.size() != 8) return Status::Corruption("bad sorted set score");
  double score;
  std::memcpy(&score, value.data(), 8);
  return std::optional<double>(score);
}

Status ZSetView::Put(std::string_view member, double score, std::optional<double> old_score) {
  if (old_score) PLEXUS_RETURN_IF_ERROR(Remove(member, *old_score));
  std::string member_key = "m";
  member_key.append(member);
  PLEXUS_RETURN_IF_ERROR(op_->PutElement(prefix_, member_key, ScoreValue(score)));
  std::string score_key = "s" + EncodeScore(score);
  score_key.append(member);
  return op_->PutElement(prefix_, score_key, "");
}

Status ZSetView::Remove(std::string_view member, double score) {
  std::string member_key = "m";
  member_key.append(member);
  PLEXUS_RETURN_IF_ERROR(op_->DeleteElement(prefix_, member_key));
  std::string score_key = "s" + EncodeScore(score);
  score_key.append(member);
  return op_->DeleteElement(prefix_, score_key);
}

Status ZSetView::Load(std::vector<ScoredMember>* members, const ScoreBound* min,
                      const ScoreBound* max) {
  return Scan(0, UINT64_MAX, members, min, max);
}

Status ZSetView::Scan(uint64_t skip, uint64_t limit, std::vector<ScoredMember>* members,
                      const ScoreBound* min, const ScoreBound* max) {
  if (limit == 0) return Status::Ok();
  const std::string lower = min ? "s" + EncodeScore(min->value) : "s";
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, op_->Elements(prefix_, lower, "t"));
  uint64_t taken = 0;
  for (; iterator->Valid(); iterator->Next()) {
    const std::string_view sub_key = iterator->key().substr(prefix_.size());
    if (sub_key.size() < 9) return Status::Corruption("bad sorted set entry");
    if (min == nullptr && max == nullptr && skip > 0) {
      --skip;  // no bound to check: no need to decode the score
      continue;
    }
    const double score = DecodeScore(sub_key.substr(1, 8));
    if (min && !ScoreAboveMin(score, *min)) continue;
    if (max && !ScoreBelowMax(score, *max)) break;
    if (skip > 0) {
      --skip;
      continue;
    }
    members->push_back({score, std::string(sub_key.substr(9))});
    if (++taken == limit) break;
  }
  return iterator->status();
}

namespace {

// A score entry's sub-key: 's' score:8 member.
Status DecodeScoreEntry(std::string_view sub_key, double* score, std::string_view* member) {
  if (sub_key.size() < 9) return Status::Corruption("bad sorted set entry");
  *score = DecodeScore(sub_key.substr(1, 8));
  *member = sub_key.substr(9);
  return Status::Ok();
}

}  // namespace

Status ZSetView::ScanReverse(uint64_t skip, uint64_t limit, std::vector<ScoredMember>* members,
                             const ScoreBound* min, const ScoreBound* max) {
  if (limit == 0) return Status::Ok();
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, op_->Elements(prefix_, "s", "t"));
  if (max == nullptr) {
    iterator->SeekToLast();
  } else {
    const std::string bound = prefix_ + "s" + EncodeScore(max->value);
    iterator->SeekBefore(max->exclusive ? bound : kv::PrefixEnd(bound));
  }
  uint64_t taken = 0;
  for (; iterator->Valid(); iterator->Prev()) {
    double score;
    std::string_view member;
    PLEXUS_RETURN_IF_ERROR(
        DecodeScoreEntry(iterator->key().substr(prefix_.size()), &score, &member));
    if (max && !ScoreBelowMax(score, *max)) continue;
    if (min && !ScoreAboveMin(score, *min)) break;
    if (skip > 0) {
      --skip;
      continue;
    }
    members->push_back({score, std::string(member)});
    if (++taken == limit) break;
  }
  return iterator->status();
}

Result<uint64_t> ZSetView::ScanLex(const LexBound& min, const LexBound& max, bool reverse,
                                   uint64_t skip, uint64_t limit,
                                   std::vector<ScoredMember>* members) {
  if (limit == 0 || min.maximum || max.minimum) return uint64_t{0};
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, op_->Elements(prefix_, "s", "t"));
  const LexBound& start = reverse ? max : min;
  if (reverse) iterator->SeekToLast();
  if (!start.minimum && !start.maximum && iterator->Valid()) {
    // The start bound among the members of the first score met.
    const std::string_view first = iterator->key().substr(prefix_.size());
    if (first.size() < 9) return Status::Corruption("bad sorted set entry");
    std::string bound = prefix_;
    bound.append(first.substr(0, 9));
    bound.append(start.value);
    // x + '\0' is the first key after x: forward "(x" starts after x, backward "[x" at x.
    if (start.exclusive != reverse) bound.push_back('\0');
    if (reverse) {
      iterator->SeekBefore(bound);
    } else {
      iterator->Seek(bound);
    }
  }
  uint64_t taken = 0;
  for (; iterator->Valid(); reverse ? iterator->Prev() : iterator->Next()) {
    double score;
    std::string_view member;
    PLEXUS_RETURN_IF_ERROR(
        DecodeScoreEntry(iterator->key().substr(prefix_.size()), &score, &member));
    // Past the start bound: only where scores differ (a range Redis leaves undefined).
    if (!(reverse ? LexBelowMax(member, max) : LexAboveMin(member, min))) continue;
    if (!(reverse ? LexAboveMin(member, min) : LexBelowMax(member, max))) break;
    if (skip > 0) {
      --skip;
      continue;
    }
    if (members != nullptr) members->push_back({score, std::string(member)});
    if (++taken == limit) break;
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return taken;
}

Result<std::optional<ScoredMember>> ZSetView::Last() {
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, op_->Elements(prefix_, "s", "t"));
  iterator->SeekToLast();
  if (!iterator->Valid()) {
    PLEXUS_RETURN_IF_ERROR(iterator->status());
    return std::optional<ScoredMember>();
  }
  const std::string_view sub_key = iterator->key().substr(prefix_.size());
  if (sub_key.size() < 9) return Status::Corruption("bad sorted set entry");
  return std::optional<ScoredMember>(
      ScoredMember{DecodeScore(sub_key.substr(1, 8)), std::string(sub_key.substr(9))});
}

Result<uint64_t> ZSetView::CountBefore(double score, std::string_view member) {
  std::string upper = "s" + EncodeScore(score);
  upper.append(member);
  PLEXUS_ASSIGN_OR_RETURN(auto iterator, op_->Elements(prefix_, "s", upper));
  uint64_t count = 0;
  for (; iterator->Valid(); iterator->Next()) ++count;
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return count;
}

Result<uint64_t> ZSetView::Count(const ScoreBound& min, const ScoreBound& max) {
  PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                          op_->Elements(prefix_, "s" + EncodeScore(min.value), "t"));
  uint64_t count = 0;
  for (; iterator->Valid(); iterator->Next()) {
    const std::string_view sub_key = iterator->key().substr(prefix_.size());
    if (sub_key.size() < 9) return Status::Corruption("bad sorted set entry");
    const double score = DecodeScore(sub_key.substr(1, 8));
    if (!ScoreAboveMin(score, min)) continue;
    if (!ScoreBelowMax(score, max)) break;
    ++count;
  }
  PLEXUS_RETURN_IF_ERROR(iterator->status());
  return count;
}

}  // namespace plexus::server::resp
