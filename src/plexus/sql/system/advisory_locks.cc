#include "plexus/sql/system/advisory_locks.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/func/registry.h"
#include "plexus/sql/sqlstate.h"
#include "plexus/sql/system/session_info.h"

namespace plexus::sql::system {

namespace {

// A lock's identity: the engine (its catalog instance), the key space (1: one bigint, 2: two
// integers, as PostgreSQL's objsubid tells them apart) and the key.
struct Key {
  uint64_t instance = 0;
  int space = 0;
  int64_t value = 0;
  auto operator<=>(const Key&) const = default;
};

// How often an owner holds a lock in one mode, at session and at transaction level.
struct Counts {
  uint64_t session = 0;
  uint64_t transaction = 0;
  bool empty() const { return session == 0 && transaction == 0; }
};

struct Lock {
  std::unordered_map<const void*, Counts> exclusive;
  std::unordered_map<const void*, Counts> shared;
  bool empty() const { return exclusive.empty() && shared.empty(); }
};

struct Waiting {
  Key key;
  bool shared = false;
};

class Table {
 public:
  static Table& Get() {
    static Table table;
    return table;
  }

  // Takes the lock, waiting unless `try_only`; false when `try_only` and it is taken.
  Result<bool> Acquire(const Key& key, const void* owner, bool shared, bool transaction,
                       bool try_only, ExecContext& context) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      Lock& entry = locks_[key];
      if (Blockers(entry, owner, shared).empty()) {
        Counts& counts = (shared ? entry.shared : entry.exclusive)[owner];
        (transaction ? counts.transaction : counts.session) += 1;
        held_.fetch_add(1, std::memory_order_relaxed);
        waiting_.erase(owner);
        return true;
      }
      if (try_only) {
        if (entry.empty()) locks_.erase(key);
        return false;
      }
      waiting_[owner] = {key, shared};
      if (WaitsForItself(owner)) {
        waiting_.erase(owner);
        return SqlError(kDeadlockDetected, "deadlock detected");
      }
      released_.wait_for(lock, std::chrono::milliseconds(20));
      if (Status status = context.CheckInterrupts(); !status.ok()) {
        waiting_.erase(owner);
        auto found = locks_.find(key);
        if (found != locks_.end() && found->second.empty()) locks_.erase(found);
        return status;
      }
    }
  }

  // Releases one session-level hold; false when the owner holds none in that mode.
  bool Release(const Key& key, const void* owner, bool shared) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = locks_.find(key);
    if (found == locks_.end()) return false;
    auto& holders = shared ? found->second.shared : found->second.exclusive;
    auto holder = holders.find(owner);
    if (holder == holders.end() || holder->second.session == 0) return false;
    --holder->second.session;
    held_.fetch_sub(1, std::memory_order_relaxed);
    if (holder->second.empty()) holders.erase(holder);
    if (found->second.empty()) locks_.erase(found);
    released_.notify_all();
    return true;
  }

  void ReleaseAll(const void* owner, bool transaction_only) {
    if (held_.load(std::memory_order_relaxed) == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    bool released = false;
    for (auto entry = locks_.begin(); entry != locks_.end();) {
      for (auto* holders : {&entry->second.exclusive, &entry->second.shared}) {
        auto holder = holders->find(owner);
        if (holder == holders->end()) continue;
        const uint64_t dropped =
            holder->second.transaction + (transaction_only ? 0 : holder->second.session);
        if (dropped == 0) continue;
        held_.fetch_sub(dropped, std::memory_order_relaxed);
        holder->second.transaction = 0;
        if (!transaction_only) holder->second.session = 0;
        if (holder->second.empty()) holders->erase(holder);
        released = true;
      }
      entry = entry->second.empty() ? locks_.erase(entry) : std::next(entry);
    }
    if (released) released_.notify_all();
  }

 private:
  // The other owners whose holds conflict with `owner` taking `entry` in that mode.
  static std::vector<const void*> Blockers(const Lock& entry, const void* owner, bool shared) {
    std::vector<const void*> blockers;
    for (const auto& [holder, counts] : entry.exclusive) {
      if (holder != owner) blockers.push_back(holder);
    }
    if (!shared) {
      for (const auto& [holder, counts] : entry.shared) {
        if (holder != owner) blockers.push_back(holder);
      }
    }
    return blockers;
  }

  // Whether the owners `start` waits for wait, through other waits, for `start` itself.
  bool WaitsForItself(const void* start) {
    std::vector<const void*> pending{start};
    std::set<const void*> seen;
    while (!pending.empty()) {
      const void* waiter = pending.back();
      pending.pop_back();
      auto wait = waiting_.find(waiter);
      if (wait == waiting_.end()) continue;
      auto entry = locks_.find(wait->second.key);
      if (entry == locks_.end()) continue;
      for (const void* blocker : Blockers(entry->second, waiter, wait->second.shared)) {
        if (blocker == start) return true;
        if (seen.insert(blocker).second) pending.push_back(blocker);
      }
    }
    return false;
  }

  std::mutex mutex_;
  std::condition_variable released_;
  std::map<Key, Lock> locks_;                           // guarded by mutex_
  std::unordered_map<const void*, Waiting> waiting_;    // guarded by mutex_
  std::atomic<uint64_t> held_{0};                       // holds of every owner together
};

Result<const void*> Owner() {
  const SessionInfo* session = CurrentSessionInfo();
  if (session == nullptr) {
    return SqlError(kFeatureNotSupported, "advisory locks need a session");
  }
  return session->owner();
}

Key KeyAt(const Vector* const* args, size_t row, bool pair, ExecContext& context) {
  Key key;
  key.instance = context.catalog().instance();
  if (!pair) {
    key.space = 1;
    key.value = args[0]->values<int64_t>()[row];
  } else {
    key.space = 2;
    key.value = static_cast<int64_t>(
        (static_cast<uint64_t>(static_cast<uint32_t>(args[0]->values<int32_t>()[row])) << 32) |
        static_cast<uint32_t>(args[1]->values<int32_t>()[row]));
  }
  return key;
}

enum class Call { kLock, kTry, kUnlock };

// pg_[try_]advisory_[xact_]lock[_shared] and pg_advisory_unlock[_shared] of a bigint key or
// (kPair) of two integers: void (an empty text) for the waiting locks, boolean for the others.
template <Call kCall, bool kShared, bool kTransaction, bool kPair>
Status LockKernel(const Vector* const* args, size_t rows, const uint8_t* active, Vector* out,
                  ExecContext& context) {
  PLEXUS_ASSIGN_OR_RETURN(const void* owner, Owner());
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    const Key key = KeyAt(args, row, kPair, context);
    bool result = true;
    if (kCall == Call::kUnlock) {
      result = Table::Get().Release(key, owner, kShared);
    } else {
      PLEXUS_ASSIGN_OR_RETURN(result, Table::Get().Acquire(key, owner, kShared, kTransaction,
                                                            kCall == Call::kTry, context));
    }
    if (kCall == Call::kLock) {
      out->SetNull(row, false);
      out->SetString(row, "");  // void
    } else {
      out->SetNull(row, false);
      out->values<uint8_t>()[row] = result ? 1 : 0;
    }
  }
  return Status::Ok();
}

Status UnlockAllKernel(const Vector* const*, size_t rows, const uint8_t* active, Vector* out,
                       ExecContext&) {
  PLEXUS_ASSIGN_OR_RETURN(const void* owner, Owner());
  Table::Get().ReleaseAll(owner, /*transaction_only=*/false);
  for (size_t row = 0; row < rows; ++row) {
    if (!active[row]) continue;
    out->SetNull(row, false);
    out->SetString(row, "");  // void
  }
  return Status::Ok();
}

template <Call kCall, bool kShared, bool kTransaction>
void AddBoth(FunctionRegistry& registry, const std::string& name) {
  // PostgreSQL's void result, which prints as nothing: an empty text here.
  const Type result = kCall == Call::kLock ? Type::Of(catalog::TypeId::kText)
                                           : Type::Of(catalog::TypeId::kBool);
  const Type integer = Type::Of(catalog::TypeId::kInt32);
  ScalarFunction single{name, {Type::Of(catalog::TypeId::kInt64)}, result,
                        LockKernel<kCall, kShared, kTransaction, false>};
  single.volatile_ = true;
  registry.Add(single);
  ScalarFunction pair{name, {integer, integer}, result,
                      LockKernel<kCall, kShared, kTransaction, true>};
  pair.volatile_ = true;
  registry.Add(std::move(pair));
}

}  // namespace

void ReleaseAdvisoryLocks(const void* owner, bool transaction_only) {
  Table::Get().ReleaseAll(owner, transaction_only);
}

void RegisterAdvisoryLockFunctions(FunctionRegistry& registry) {
  AddBoth<Call::kLock, false, false>(registry, "pg_advisory_lock");
  AddBoth<Call::kLock, true, false>(registry, "pg_advisory_lock_shared");
  AddBoth<Call::kLock, false, true>(registry, "pg_advisory_xact_lock");
  AddBoth<Call::kLock, true, true>(registry, "pg_advisory_xact_lock_shared");
  AddBoth<Call::kTry, false, false>(registry, "pg_try_advisory_lock");
  AddBoth<Call::kTry, true, false>(registry, "pg_try_advisory_lock_shared");
  AddBoth<Call::kTry, false, true>(registry, "pg_try_advisory_xact_lock");
  AddBoth<Call::kTry, true, true>(registry, "pg_try_advisory_xact_lock_shared");
  AddBoth<Call::kUnlock, false, false>(registry, "pg_advisory_unlock");
  AddBoth<Call::kUnlock, true, false>(registry, "pg_advisory_unlock_shared");
  ScalarFunction unlock_all{"pg_advisory_unlock_all", {}, Type::Of(catalog::TypeId::kText),
                            UnlockAllKernel};
  unlock_all.volatile_ = true;
  registry.Add(std::move(unlock_all));
}

}  // namespace plexus::sql::system
