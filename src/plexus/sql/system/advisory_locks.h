// Advisory locks, PostgreSQL's pg_advisory_lock family: locks on keys the application chooses (a
// bigint, or a pair of integers: another key space), exclusive or shared, reentrant, held by a
// session until it unlocks them or ends (pg_advisory_lock) or by its transaction until that ends
// (pg_advisory_xact_lock). Migration tools (Prisma, golang-migrate, Rails) take one to run alone.
// A wait ends with the lock, a cancel, statement_timeout, or 40P01 when the waiters would wait
// for each other forever.
#pragma once

namespace plexus::sql {
class FunctionRegistry;
}  // namespace plexus::sql

namespace plexus::sql::system {

// Releases what `owner` (a session: SessionInfo::owner) holds at transaction level, or with
// `transaction_only` false everything it holds. Cheap when nobody holds an advisory lock.
void ReleaseAdvisoryLocks(const void* owner, bool transaction_only);

void RegisterAdvisoryLockFunctions(FunctionRegistry& registry);  // advisory_locks.cc

}  // namespace plexus::sql::system
