// The background analyzer: change counts per table, the threshold, and one thread per catalog.
#include "plexus/sql/stats/auto_analyze.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "plexus/catalog/catalog.h"
#include "plexus/sql/exec/exec_context.h"
#include "plexus/sql/plan/plan.h"
#include "plexus/sql/stats/analyze.h"
#include "plexus/sql/stats/statistics.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql::stats {

namespace {

std::atomic<bool>& Enabled() {
  static std::atomic<bool> enabled = [] {
    const char* value = std::getenv("PLEXUS_AUTO_ANALYZE");
    return value == nullptr ||
           (std::strcmp(value, "off") != 0 && std::strcmp(value, "0") != 0 &&
            std::strcmp(value, "false") != 0);
  }();
  return enabled;
}

std::atomic<int64_t> delay_ms{60000};

std::chrono::milliseconds Delay() {
  return std::chrono::milliseconds(delay_ms.load(std::memory_order_relaxed));
}

class Analyzer {
 public:
  static Analyzer& Get() {
    static Analyzer* analyzer = new Analyzer();  // never destroyed: threads are joined first
    return *analyzer;
  }

  void Due(uint64_t instance, uint32_t table_id) {
    std::lock_guard lock(mutex_);
    due_[instance].insert(table_id);
    any_due_.store(true, std::memory_order_release);
  }

  void MaybeStart(const void* owner, catalog::Catalog& catalog,
                  txn::TransactionManager& transactions) {
    if (!any_due_.load(std::memory_order_acquire)) return;
    std::lock_guard lock(mutex_);
    const uint64_t instance = catalog.instance();
    auto found = due_.find(instance);
    if (found == due_.end() || found->second.empty() || running_.count(instance) > 0) return;
    std::set<uint32_t> tables = std::move(found->second);
    due_.erase(found);
    any_due_.store(!due_.empty(), std::memory_order_release);
    running_.insert(instance);
    // The owner's earlier threads have ended (none of its catalog is running).
    for (std::thread& thread : threads_[owner]) thread.join();
    threads_[owner].clear();
    stopping_.erase(owner);
    threads_[owner].emplace_back([this, owner, instance, tables, &catalog, &transactions] {
      // Like autovacuum's naptime: writes of the next moments are covered by the same ANALYZE.
      {
        // The delay is read again when it changes (SetAutoAnalyzeDelay wakes the waiters).
        const auto since = std::chrono::steady_clock::now();
        std::unique_lock wait(mutex_);
        while (stopping_.count(owner) == 0 && std::chrono::steady_clock::now() < since + Delay()) {
          stop_.wait_until(wait, since + Delay());
        }
        if (stopping_.count(owner) > 0) {
          // The session ended first: another session of the catalog starts them later.
          due_[instance].insert(tables.begin(), tables.end());
          any_due_.store(true, std::memory_order_release);
          running_.erase(instance);
          return;
        }
      }
      for (uint32_t table_id : tables) Analyze(catalog, transactions, table_id);
      std::lock_guard done(mutex_);
      running_.erase(instance);
    });
  }

  // The delay changed: waiting threads measure against the new one.
  void Wake() {
    { std::lock_guard lock(mutex_); }
    stop_.notify_all();
  }

  void Join(const void* owner) {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      auto found = threads_.find(owner);
      if (found == threads_.end()) return;
      threads = std::move(found->second);
      threads_.erase(found);
      stopping_.insert(owner);
    }
    stop_.notify_all();
    for (std::thread& thread : threads) thread.join();
    std::lock_guard lock(mutex_);
    stopping_.erase(owner);
  }

 private:
  // ANALYZE of one table in a transaction of its own. Prepared plans are bound again only when
  // the row count moved by more than 2x (or the table had no statistics): a steady writer does
  // not make every session re-plan.
  static void Analyze(catalog::Catalog& catalog, txn::TransactionManager& transactions,
                      uint32_t table_id) {
    std::unique_ptr<txn::Transaction> transaction = transactions.Begin();
    auto tables = catalog.ListTables(*transaction);
    if (!tables.ok()) return;
    catalog::TableDefPtr table;
    for (const catalog::TableDefPtr& candidate : *tables) {
      if (candidate->id == table_id) table = candidate;
    }
    if (!table) return;  // dropped meanwhile
    ExecContext context(transaction.get(), &catalog);
    Result<TableStatistics> statistics = AnalyzeTable(context, table, {});
    if (!statistics.ok()) return;
    statistics->automatic = true;
    if (!StoreStatistics(*transaction, *statistics).ok() || !transaction->Commit().ok()) return;
    TableStatisticsPtr before = FindStatistics(catalog.instance(), table_id);
    const double rows = statistics->rows;
    Publish(catalog.instance(), std::make_shared<const TableStatistics>(std::move(*statistics)));
    if (!before || rows > 2 * before->rows + 1 || 2 * rows + 1 < before->rows) catalog.BumpVersion();
  }

  std::mutex mutex_;
  std::condition_variable stop_;
  std::set<const void*> stopping_;  // sessions ending: their waiting threads give up
  std::atomic<bool> any_due_{false};
  std::unordered_map<uint64_t, std::set<uint32_t>> due_;
  std::set<uint64_t> running_;
  std::unordered_map<const void*, std::vector<std::thread>> threads_;
};

const PlanNode* ModifiedTableNode(const PlanNode& plan) {
  const PlanNode* node = &plan;
  for (int depth = 0; node != nullptr && depth < 4; ++depth) {
    if (node->kind == PlanKind::kInsert || node->kind == PlanKind::kUpdate ||
        node->kind == PlanKind::kDelete) {
      return node;
    }
    node = node->children.empty() ? nullptr : node->children[0].get();
  }
  return nullptr;
}

}  // namespace

void SetAutoAnalyze(bool enabled) { Enabled().store(enabled, std::memory_order_relaxed); }

void SetAutoAnalyzeDelay(int64_t milliseconds) {
  delay_ms.store(milliseconds, std::memory_order_relaxed);
  Analyzer::Get().Wake();
}

bool AutoAnalyzeEnabled() { return Enabled().load(std::memory_order_relaxed); }

void NoteStatementChanges(uint64_t catalog_instance, const PlanNode& plan, uint64_t rows) {
  if (rows == 0) return;
  const PlanNode* node = ModifiedTableNode(plan);
  if (node == nullptr || !node->table) return;
  const uint32_t table_id = node->table->id;
  const uint64_t changes = NoteChanges(catalog_instance, table_id, rows);
  if (!AutoAnalyzeEnabled()) return;
  TableStatisticsPtr statistics = FindStatistics(catalog_instance, table_id);
  const double threshold =
      kAutoAnalyzeThreshold + kAutoAnalyzeScaleFactor * (statistics ? statistics->rows : 0);
  // Once, when the count crosses the threshold (it restarts at 0 when the ANALYZE publishes).
  const double before = static_cast<double>(changes - rows);
  if (static_cast<double>(changes) > threshold && before <= threshold) {
    Analyzer::Get().Due(catalog_instance, table_id);
  }
}

void MaybeStartAutoAnalyze(const void* owner, catalog::Catalog& catalog,
                           txn::TransactionManager& transactions) {
  Analyzer::Get().MaybeStart(owner, catalog, transactions);
}

void JoinAutoAnalyze(const void* owner) { Analyzer::Get().Join(owner); }

}  // namespace plexus::sql::stats
