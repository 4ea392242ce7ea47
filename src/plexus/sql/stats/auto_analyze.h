// Statistics refreshed automatically, as PostgreSQL's autovacuum does for ANALYZE: rows written
// are counted per table once per statement, and when the changes since the last ANALYZE exceed
// 50 + 10% of the table's rows (autovacuum_analyze_threshold, _scale_factor) the table is
// analyzed in the background, in a thread and transaction of its own, never in the writer's
// statement. A session starts the thread when its transaction ends and stops or waits for it
// when it is destroyed (so the engine outlives it; the tables stay due for another session);
// one runs per catalog at a time.
#pragma once

#include <cstdint>

namespace plexus::txn {
class TransactionManager;
}  // namespace plexus::txn
namespace plexus::catalog {
class Catalog;
}  // namespace plexus::catalog

namespace plexus::sql {
struct PlanNode;
}  // namespace plexus::sql

namespace plexus::sql::stats {

inline constexpr double kAutoAnalyzeThreshold = 50;
inline constexpr double kAutoAnalyzeScaleFactor = 0.1;

// On by default; PLEXUS_AUTO_ANALYZE=off in the environment (or this call) turns it off.
void SetAutoAnalyze(bool enabled);
bool AutoAnalyzeEnabled();
// How long a due ANALYZE waits before it runs (autovacuum_naptime: 60 s by default), so that
// the writes of the next moments are covered by the same ANALYZE.
void SetAutoAnalyzeDelay(int64_t milliseconds);

// A DML statement of `plan` changed `rows` rows (called when it completes).
void NoteStatementChanges(uint64_t catalog_instance, const PlanNode& plan, uint64_t rows);

// A transaction of the session `owner` ended: starts the background ANALYZE of the catalog's
// tables that changed enough, unless one is running. Cheap when none did.
void MaybeStartAutoAnalyze(const void* owner, catalog::Catalog& catalog,
                           txn::TransactionManager& transactions);
// The session `owner` ends: waits for the analyses it started.
void JoinAutoAnalyze(const void* owner);

}  // namespace plexus::sql::stats
