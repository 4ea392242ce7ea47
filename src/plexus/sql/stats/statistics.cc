// Statistics: JSON form, storage key, and the process-wide cache with its per-transaction
// pending entries and per-table change counters.
#include "plexus/sql/stats/statistics.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "plexus/catalog/catalog.h"
#include "plexus/storage/key_codec.h"
#include "plexus/txn/transaction.h"

namespace plexus::sql::stats {

namespace {

using Json = nlohmann::json;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
  }
  return out;
}

Json ValueToJson(const StatValue& value) {
  Json json{{"key", Hex(value.key)}, {"text", value.text}};
  if (value.number) json["number"] = *value.number;
  return json;
}

StatValue ValueFromJson(const Json& json) {
  StatValue value;
  value.key = Unhex(json.at("key").get<std::string>());
  value.text = json.at("text").get<std::string>();
  if (json.contains("number")) value.number = json.at("number").get<double>();
  return value;
}

Json ValuesToJson(const std::vector<StatValue>& values) {
  Json array = Json::array();
  for (const StatValue& value : values) array.push_back(ValueToJson(value));
  return array;
}

std::vector<StatValue> ValuesFromJson(const Json& json) {
  std::vector<StatValue> values;
  for (const Json& value : json) values.push_back(ValueFromJson(value));
  return values;
}

// ---- the cache ----

struct CacheKey {
  uint64_t instance;
  uint32_t table_id;
  bool operator==(const CacheKey&) const = default;
};

struct CacheKeyHash {
  size_t operator()(const CacheKey& key) const {
    return std::hash<uint64_t>{}(key.instance * 0x9E3779B97F4A7C15ull ^ key.table_id);
  }
};

struct Pending {
  uint64_t instance;
  TableStatisticsPtr statistics;
};

class Cache {
 public:
  static Cache& Get() {
    static Cache* cache = new Cache();  // never destroyed: used by threads until exit
    return *cache;
  }

  TableStatisticsPtr Find(uint64_t instance, uint32_t table_id) {
    if (entries_.load(std::memory_order_acquire) == 0) return nullptr;
    std::shared_lock lock(mutex_);
    auto found = tables_.find({instance, table_id});
    return found == tables_.end() ? nullptr : found->second;
  }

  void Put(uint64_t instance, TableStatisticsPtr statistics) {
    std::unique_lock lock(mutex_);
    const CacheKey key{instance, statistics->table_id};
    tables_[key] = std::move(statistics);
    changes_[key] = 0;
    entries_.store(tables_.size(), std::memory_order_release);
  }

  bool Loaded(uint64_t instance) {
    std::shared_lock lock(mutex_);
    return loaded_.count(instance) > 0;
  }

  void MarkLoaded(uint64_t instance, std::vector<TableStatisticsPtr> tables) {
    std::unique_lock lock(mutex_);
    if (!loaded_.insert(instance).second) return;
    for (TableStatisticsPtr& statistics : tables) {
      // An ANALYZE that committed while loading has the newer entry.
      tables_.try_emplace({instance, statistics->table_id}, std::move(statistics));
    }
    entries_.store(tables_.size(), std::memory_order_release);
  }

  void AddPending(const txn::Transaction* transaction, Pending pending) {
    std::lock_guard lock(pending_mutex_);
    pending_[transaction].push_back(std::move(pending));
    has_pending_.store(true, std::memory_order_release);
  }

  void End(const txn::Transaction* transaction, bool committed) {
    if (!has_pending_.load(std::memory_order_acquire)) return;
    std::vector<Pending> done;
    {
      std::lock_guard lock(pending_mutex_);
      auto found = pending_.find(transaction);
      if (found == pending_.end()) return;
      done = std::move(found->second);
      pending_.erase(found);
      has_pending_.store(!pending_.empty(), std::memory_order_release);
    }
    if (!committed) return;
    for (Pending& entry : done) Put(entry.instance, std::move(entry.statistics));
  }

  uint64_t NoteChanges(uint64_t instance, uint32_t table_id, uint64_t rows) {
    std::unique_lock lock(mutex_);
    return changes_[{instance, table_id}] += rows;
  }

  uint64_t Changes(uint64_t instance, uint32_t table_id) {
    std::shared_lock lock(mutex_);
    auto found = changes_.find({instance, table_id});
    return found == changes_.end() ? 0 : found->second;
  }

 private:
  std::atomic<size_t> entries_{0};
  std::shared_mutex mutex_;
  std::unordered_map<CacheKey, TableStatisticsPtr, CacheKeyHash> tables_;
  std::unordered_map<CacheKey, uint64_t, CacheKeyHash> changes_;
  std::unordered_set<uint64_t> loaded_;
  std::atomic<bool> has_pending_{false};
  std::mutex pending_mutex_;
  std::unordered_map<const txn::Transaction*, std::vector<Pending>> pending_;
};

}  // namespace

double ColumnStatistics::DistinctValues(double rows) const {
  const double values = distinct >= 0 ? distinct : -distinct * rows;
  return std::max(1.0, std::round(values));
}

const ColumnStatistics* TableStatistics::Column(size_t index, std::string_view name) const {
  if (index >= columns.size() || columns[index].name != name) return nullptr;
  return &columns[index];
}

std::string StatisticsToJson(const TableStatistics& statistics) {
  Json columns = Json::array();
  for (const ColumnStatistics& column : statistics.columns) {
    Json json{{"name", column.name},
              {"type", catalog::TypeName(column.type.id)},
              {"typmod", column.type.typmod},
              {"element", catalog::TypeName(column.type.element)},
              {"null_fraction", column.null_fraction},
              {"average_width", column.average_width},
              {"distinct", column.distinct},
              {"common_values", ValuesToJson(column.common_values)},
              {"common_frequencies", column.common_frequencies},
              {"histogram", ValuesToJson(column.histogram)}};
    if (column.min) json["min"] = ValueToJson(*column.min);
    if (column.max) json["max"] = ValueToJson(*column.max);
    columns.push_back(std::move(json));
  }
  Json json{{"table_id", statistics.table_id}, {"rows", statistics.rows},
            {"analyzed_at_us", statistics.analyzed_at_us}, {"automatic", statistics.automatic},
            {"columns", std::move(columns)}};
  return json.dump();
}

Result<TableStatistics> StatisticsFromJson(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Corruption("catalog: statistics are not JSON");
  try {
    TableStatistics statistics;
    statistics.table_id = json.at("table_id").get<uint32_t>();
    statistics.rows = json.at("rows").get<double>();
    statistics.analyzed_at_us = json.value("analyzed_at_us", int64_t{0});
    statistics.automatic = json.value("automatic", false);
    for (const Json& entry : json.at("columns")) {
      ColumnStatistics column;
      column.name = entry.at("name").get<std::string>();
      column.type = catalog::Type{catalog::TypeIdFromName(entry.at("type").get<std::string>()),
                                  entry.at("typmod").get<int32_t>(),
                                  catalog::TypeIdFromName(entry.at("element").get<std::string>())};
      column.null_fraction = entry.at("null_fraction").get<double>();
      column.average_width = entry.at("average_width").get<int32_t>();
      column.distinct = entry.at("distinct").get<double>();
      column.common_values = ValuesFromJson(entry.at("common_values"));
      column.common_frequencies = entry.at("common_frequencies").get<std::vector<double>>();
      column.histogram = ValuesFromJson(entry.at("histogram"));
      if (entry.contains("min")) column.min = ValueFromJson(entry.at("min"));
      if (entry.contains("max")) column.max = ValueFromJson(entry.at("max"));
      if (column.common_frequencies.size() != column.common_values.size()) {
        return Status::Corruption("catalog: statistics have unpaired common values");
      }
      statistics.columns.push_back(std::move(column));
    }
    return statistics;
  } catch (const Json::exception& error) {
    return Status::Corruption(std::string("catalog: bad statistics: ") + error.what());
  }
}

std::string StatisticsKey(uint32_t table_id) {
  std::string key;
  storage::AppendText(&key, "statistics", SortOrder::kAscending);
  storage::AppendUint(&key, table_id, SortOrder::kAscending);
  return key;
}

Status StoreStatistics(txn::Transaction& transaction, const TableStatistics& statistics) {
  return transaction.Put(storage::Family::kCatalog, StatisticsKey(statistics.table_id),
                         StatisticsToJson(statistics));
}

Status DeleteStatistics(txn::Transaction& transaction, uint32_t table_id) {
  return transaction.Delete(storage::Family::kCatalog, StatisticsKey(table_id));
}

Status EnsureLoaded(catalog::Catalog& catalog, txn::Transaction& transaction) {
  // Per thread: the catalog loaded last (the common case of one engine) needs no lock.
  thread_local uint64_t last_loaded = 0;
  const uint64_t instance = catalog.instance();
  if (instance == last_loaded) return Status::Ok();
  Cache& cache = Cache::Get();
  if (!cache.Loaded(instance)) {
    std::string prefix;
    storage::AppendText(&prefix, "statistics", SortOrder::kAscending);
    PLEXUS_ASSIGN_OR_RETURN(auto iterator,
                            transaction.Scan(storage::Family::kCatalog, prefix,
                                             storage::PrefixSuccessor(prefix)));
    std::vector<TableStatisticsPtr> tables;
    for (; iterator->Valid(); iterator->Next()) {
      PLEXUS_ASSIGN_OR_RETURN(TableStatistics statistics, StatisticsFromJson(iterator->value()));
      tables.push_back(std::make_shared<const TableStatistics>(std::move(statistics)));
    }
    PLEXUS_RETURN_IF_ERROR(iterator->status());
    cache.MarkLoaded(instance, std::move(tables));
  }
  last_loaded = instance;
  return Status::Ok();
}

TableStatisticsPtr FindStatistics(uint64_t catalog_instance, uint32_t table_id) {
  return Cache::Get().Find(catalog_instance, table_id);
}

void AddPending(const txn::Transaction* transaction, uint64_t catalog_instance,
                TableStatisticsPtr statistics) {
  Cache::Get().AddPending(transaction, Pending{catalog_instance, std::move(statistics)});
}

void EndTransaction(const txn::Transaction* transaction, bool committed) {
  Cache::Get().End(transaction, committed);
}

void Publish(uint64_t catalog_instance, TableStatisticsPtr statistics) {
  Cache::Get().Put(catalog_instance, std::move(statistics));
}

uint64_t NoteChanges(uint64_t catalog_instance, uint32_t table_id, uint64_t rows) {
  return Cache::Get().NoteChanges(catalog_instance, table_id, rows);
}

uint64_t ChangesSinceAnalyze(uint64_t catalog_instance, uint32_t table_id) {
  return Cache::Get().Changes(catalog_instance, table_id);
}

}  // namespace plexus::sql::stats
