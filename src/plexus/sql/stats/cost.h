// The cost model the planner compares access paths and join orders with, in units of one row
// read in key order by a scan (PostgreSQL's seq_page_cost/random_page_cost idea, per row: a
// RocksDB point read costs about as much as reading eight rows in order).
#pragma once

#include <algorithm>

namespace plexus::sql {
struct PlanNode;
namespace stats {
class Estimator;
}  // namespace stats

// Chooses the key range a filter over a table scan reads (bind_access.cc): with statistics of
// the table (and an estimator), the cheapest path; else by rule.
void ChooseAccessPath(PlanNode& filter, const stats::Estimator* estimator);

namespace stats {

inline constexpr double kSeqRowCost = 1.0;        // a row read in key order
inline constexpr double kSeekCost = 10.0;         // positioning an iterator
inline constexpr double kIndexEntryCost = 0.5;    // an index entry read in order
inline constexpr double kRowFetchCost = 8.0;      // a row read by key (index scan, lookup join)
inline constexpr double kHashBuildRowCost = 1.5;  // a row put into a join's hash table
inline constexpr double kHashProbeRowCost = 1.0;  // a row looked up in it
inline constexpr double kOutputRowCost = 0.1;     // a row a join (or any node) emits
inline constexpr double kOperatorCost = 0.1;      // a condition evaluated, two rows compared
// The lookup join reads partners by key while the outer side has at most this many rows.
inline constexpr double kLookupJoinRowsMax = 16384;

inline double FullScanCost(double table_rows) { return table_rows * kSeqRowCost; }
inline double KeyRangeCost(double rows) { return kSeekCost + rows * kSeqRowCost; }
inline double IndexRangeCost(double rows) {
  return kSeekCost + rows * (kIndexEntryCost + kRowFetchCost);
}
// A hash join of `left` and `right` rows giving `out` (the smaller side is hashed).
inline double HashJoinCost(double left, double right, double out) {
  return std::min(left, right) * kHashBuildRowCost + std::max(left, right) * kHashProbeRowCost +
         out * kOutputRowCost;
}
// A lookup join: one read by key per outer row (the inner table is never scanned).
inline double LookupJoinCost(double left, double out) {
  return left * kRowFetchCost + out * kOutputRowCost;
}

}  // namespace stats
}  // namespace plexus::sql
