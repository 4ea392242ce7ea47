// Storage benchmark: put / get / scan / read-modify-write transactions through the embedded API
// (plexus::Database) beside raw RocksDB opened with the same options, for each durability mode
// and thread count, then a table of plexus/rocksdb throughput ratios.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/transaction.h>
#include <rocksdb/utilities/transaction_db.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "plexus/base/assert.h"
#include "plexus/base/logging.h"
#include "plexus/base/status.h"
#include "plexus/base/temp_dir.h"
#include "plexus/database.h"
#include "plexus/key.h"
#include "plexus/storage/family.h"
#include "plexus/storage/rocksdb_options.h"

namespace plexus::bench {
namespace {

// The preloaded data set. Puts and transactions overwrite its keys, so that the write databases
// keep its size; gets and scans read their own copies, which nothing writes.
constexpr int64_t kKeyCount = 100'000;
constexpr size_t kValueBytes = 100;
constexpr int64_t kScanRows = 100;
constexpr int64_t kLoadBatchKeys = 1'000;
// Values are windows into one random buffer, so that blocks do not compress to nothing.
constexpr size_t kValuePoolBytes = 64 * 1024;
static_assert(kScanRows < kKeyCount);
static_assert(kKeyCount % kLoadBatchKeys == 0);

// Applied before the command line, which can override them. Short runs, repeated in rounds
// (--rounds), keep the default run near a minute on two cores; at ~5K fsyncs/s a sync case
// still completes hundreds of writes per run.
constexpr std::array<const char*, 1> kDefaultFlags = {"--benchmark_min_time=0.1"};
constexpr int kRoundsDefault = 7;
constexpr int kRoundsMax = 100;

constexpr std::array<Durability, 3> kDurabilities = {Durability::kSync, Durability::kPeriodic,
                                                     Durability::kOff};
constexpr std::array<int, 2> kThreadCounts = {1, 4};

enum class Operation : uint8_t { kPut, kGet, kScan, kTransaction };
constexpr std::array<Operation, 4> kOperations = {Operation::kPut, Operation::kGet,
                                                  Operation::kScan, Operation::kTransaction};

std::string_view OperationName(Operation operation) {
  switch (operation) {
    case Operation::kPut: return "put";
    case Operation::kGet: return "get";
    case Operation::kScan: return "scan";
    case Operation::kTransaction: return "txn";
  }
  return "?";
}

// Keys are encoded once, before any measurement: both systems receive the same bytes, and the
// cost of plexus::Key encoding is measured on its own (key_encode).
class DataSet {
 public:
  DataSet() {
    keys_.reserve(kKeyCount);
    for (int64_t i = 0; i < kKeyCount; ++i) keys_.push_back(Key().AddInt(i));
    uint64_t state = 42;
    value_pool_.resize(kValuePoolBytes + kValueBytes);
    for (char& byte : value_pool_) byte = static_cast<char>(Next(state) % 64 + '0');
  }

  const Key& key(int64_t index) const { return keys_[static_cast<size_t>(index)]; }
  std::string_view value(int64_t index) const {
    size_t offset = static_cast<size_t>(index) * 61 % kValuePoolBytes;
    return std::string_view(value_pool_).substr(offset, kValueBytes);
  }

  // SplitMix64: cheap, and the same sequence for both systems given the same seed.
  static uint64_t Next(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

 private:
  std::vector<Key> keys_;
  std::string value_pool_;
};

Options OptionsFor(Durability durability) {
  Options options;
  options.durability = durability;
  return options;
}

// Setup failures end the program: a benchmark of a database that did not open means nothing.
void Require(bool ok, std::string_view what, const std::string& message) {
  if (ok) return;
  std::fprintf(stderr, "storage_bench: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               message.c_str());
  std::exit(1);
}
void Require(const Status& status, std::string_view what) {
  Require(status.ok(), what, status.ToString());
}
void Require(const rocksdb::Status& status, std::string_view what) {
  Require(status.ok(), what, status.ToString());
}

// In the measured loops: stop this benchmark (not the program) on the first failure.
bool Failed(benchmark::State& state, const Status& status) {
  if (status.ok()) return false;
  state.SkipWithError(status.ToString().c_str());
  return true;
}
bool Failed(benchmark::State& state, const rocksdb::Status& status) {
  if (status.ok()) return false;
  state.SkipWithError(status.ToString().c_str());
  return true;
}

// Our layer, through the public embedded API only.
class PlexusTarget {
 public:
  static constexpr std::string_view kName = "plexus";

  Status Open(const std::string& dir, Durability durability) {
    auto database = Database::Open(dir, OptionsFor(durability));
    if (!database.ok()) return database.status();
    database_ = std::move(database).value();
    return Status::Ok();
  }

  Status Close() {
    Status status = database_->Close();
    database_.reset();
    return status;
  }

  // Loads the data set in large transactions without fsync: loading is not measured.
  Status Load(const DataSet& data) {
    TransactionOptions load_options;
    load_options.durability = Durability::kOff;
    for (int64_t first = 0; first < kKeyCount; first += kLoadBatchKeys) {
      auto transaction = database_->Begin(load_options);
      if (!transaction.ok()) return transaction.status();
      for (int64_t i = first; i < first + kLoadBatchKeys; ++i) {
        PLEXUS_RETURN_IF_ERROR((*transaction)->Put(data.key(i), data.value(i)));
      }
      PLEXUS_RETURN_IF_ERROR((*transaction)->Commit());
    }
    return database_->Flush();
  }

  Status Put(const Key& key, std::string_view value) { return database_->Put(key, value); }

  Status Get(const Key& key, size_t* value_bytes) {
    auto value = database_->Get(key);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return Status::NotFound("preloaded key is missing");
    *value_bytes = (*value)->size();
    return Status::Ok();
  }

  Status Scan(const Key& lower, const Key& upper, int64_t* rows) {
    auto iterator = database_->Scan(lower, upper);
    if (!iterator.ok()) return iterator.status();
    for (; iterator->Valid(); iterator->Next()) {
      benchmark::DoNotOptimize(iterator->key().size() + iterator->value().size());
      ++*rows;
    }
    return iterator->status();
  }

  // Begin (a snapshot, under the default REPEATABLE READ), read, overwrite, commit.
  Status ReadModifyWrite(const Key& key, std::string_view value) {
    auto transaction = database_->Begin();
    if (!transaction.ok()) return transaction.status();
    auto old_value = (*transaction)->Get(key);
    if (!old_value.ok()) return old_value.status();
    benchmark::DoNotOptimize(old_value->has_value());
    PLEXUS_RETURN_IF_ERROR((*transaction)->Put(key, value));
    return (*transaction)->Commit();
  }

 private:
  std::unique_ptr<Database> database_;
};

// Raw RocksDB: MakeRocksDBOptions/WriteOptionsFor of Plexus, the same column families, the
// same encoded keys, and the calls a RocksDB user would make, with nothing around them. In the
// periodic mode it writes with sync=false and runs no background WAL syncer.
class RocksDBTarget {
 public:
  static constexpr std::string_view kName = "rocksdb";

  rocksdb::Status Open(const std::string& dir, Durability durability) {
    Options options = OptionsFor(durability);
    storage::RocksDBOptions rocks = storage::MakeRocksDBOptions(options);
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocks.family);
    for (std::string_view name : storage::kFamilyNames) {
      descriptors.emplace_back(std::string(name), rocks.family);
    }
    rocksdb::Status status = rocksdb::TransactionDB::Open(rocks.db, rocks.transaction_db, dir,
                                                          descriptors, &handles_, &database_);
    if (!status.ok()) return status;
    // Handle 0 is the default family; ours follow in kFamilyNames order.
    family_ = handles_[1 + static_cast<size_t>(storage::Family::kApp)];
    write_options_ = storage::WriteOptionsFor(durability);
    // What Plexus asks of every transaction under its default options.
    transaction_options_.set_snapshot = options.isolation == IsolationLevel::kRepeatableRead;
    transaction_options_.deadlock_detect = true;
    transaction_options_.lock_timeout = options.lock_timeout_ms;
    return status;
  }

  // As Database::Close: flush and sync, so that the next open starts from SST files too.
  rocksdb::Status Close() {
    rocksdb::FlushOptions flush;
    flush.wait = true;
    rocksdb::Status status = database_->Flush(flush, handles_);
    if (status.ok()) status = database_->SyncWAL();
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      database_->DestroyColumnFamilyHandle(handle);
    }
    handles_.clear();
    rocksdb::Status closed = database_->Close();
    if (status.ok()) status = closed;
    delete database_;
    database_ = nullptr;
    return status;
  }

  rocksdb::Status Load(const DataSet& data) {
    for (int64_t first = 0; first < kKeyCount; first += kLoadBatchKeys) {
      rocksdb::WriteBatch batch;
      for (int64_t i = first; i < first + kLoadBatchKeys; ++i) {
        rocksdb::Status status = batch.Put(family_, data.key(i).encoded(), Slice(data.value(i)));
        if (!status.ok()) return status;
      }
      rocksdb::Status status = database_->Write(rocksdb::WriteOptions(), &batch);
      if (!status.ok()) return status;
    }
    rocksdb::FlushOptions flush;
    flush.wait = true;
    return database_->Flush(flush, family_);
  }

  rocksdb::Status Put(const Key& key, std::string_view value) {
    return database_->Put(write_options_, family_, key.encoded(), Slice(value));
  }

  rocksdb::Status Get(const Key& key, size_t* value_bytes) {
    std::string value;
    rocksdb::Status status = database_->Get(rocksdb::ReadOptions(), family_, key.encoded(), &value);
    *value_bytes = value.size();
    return status;
  }

  rocksdb::Status Scan(const Key& lower, const Key& upper, int64_t* rows) {
    rocksdb::Slice lower_slice(lower.encoded());
    rocksdb::Slice upper_slice(upper.encoded());
    rocksdb::ReadOptions read;
    read.iterate_lower_bound = &lower_slice;
    read.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> iterator(database_->NewIterator(read, family_));
    for (iterator->Seek(lower_slice); iterator->Valid(); iterator->Next()) {
      benchmark::DoNotOptimize(iterator->key().size() + iterator->value().size());
      ++*rows;
    }
    return iterator->status();
  }

  rocksdb::Status ReadModifyWrite(const Key& key, std::string_view value) {
    std::unique_ptr<rocksdb::Transaction> transaction(
        database_->BeginTransaction(write_options_, transaction_options_));
    rocksdb::ReadOptions read;
    read.snapshot = transaction->GetSnapshot();
    std::string old_value;
    rocksdb::Status status = transaction->Get(read, family_, key.encoded(), &old_value);
    if (!status.ok() && !status.IsNotFound()) return status;
    status = transaction->Put(family_, key.encoded(), Slice(value));
    if (!status.ok()) return status;
    return transaction->Commit();
  }

 private:
  static rocksdb::Slice Slice(std::string_view text) { return {text.data(), text.size()}; }

  rocksdb::TransactionDB* database_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* family_ = nullptr;
  rocksdb::WriteOptions write_options_;
  rocksdb::TransactionOptions transaction_options_;
};

// What a benchmark does to its database: reads never write, so that every read case of both
// systems sees the same preloaded data however long the write cases ran before it.
enum class Role : uint8_t { kRead, kWrite };

// The databases of one system: one per (durability, role), each a copy of one directory that
// was loaded once. Durability is an open option, hence one open database per mode.
template <typename Target>
class System {
 public:
  explicit System(const DataSet* data) : data_(data) {}
  ~System() { CloseAll(); }
  System(const System&) = delete;
  System& operator=(const System&) = delete;

  // Called by every thread of a benchmark before its timed loop; the first one opens.
  Target& Acquire(Durability durability, Role role) {
    std::lock_guard<std::mutex> guard(mutex_);
    std::unique_ptr<Instance>& instance = instances_[{durability, role}];
    if (instance == nullptr) {
      if (seed_ == nullptr) seed_ = Load();
      instance = std::make_unique<Instance>();
      Copy(seed_->path(), instance->directory.path());
      std::string what = std::string(Target::kName) + " open in " + instance->directory.path();
      Require(instance->target.Open(instance->directory.path(), durability), what);
    }
    return instance->target;
  }

  // Databases close before their directories are removed.
  void CloseAll() {
    std::lock_guard<std::mutex> guard(mutex_);
    for (auto& [mode, instance] : instances_) {
      Require(instance->target.Close(), std::string(Target::kName) + " close");
    }
    instances_.clear();
    seed_.reset();
  }

 private:
  struct Instance {
    base::TempDir directory{"plexus-bench"};
    Target target;
  };

  // The data set, loaded into a directory that is then closed and only copied.
  std::unique_ptr<base::TempDir> Load() {
    auto directory = std::make_unique<base::TempDir>("plexus-bench-seed");
    Target target;
    std::string what = std::string(Target::kName) + " load in " + directory->path();
    Require(target.Open(directory->path(), Durability::kOff), what);
    Require(target.Load(*data_), what);
    Require(target.Close(), what);
    return directory;
  }

  static void Copy(const std::string& from, const std::string& to) {
    std::error_code error;
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive, error);
    Require(!error, "copy " + from + " to " + to, error.message());
  }

  const DataSet* data_;
  std::mutex mutex_;
  std::unique_ptr<base::TempDir> seed_;
  std::map<std::pair<Durability, Role>, std::unique_ptr<Instance>> instances_;
};

struct Environment {
  DataSet data;
  System<PlexusTarget> plexus{&data};
  System<RocksDBTarget> rocksdb{&data};
};

bool IsConflict(const Status& status) {
  return status.IsSerializationFailure() || status.IsBusy() || status.IsLockTimeout() ||
         status.IsDeadlock();
}
bool IsConflict(const rocksdb::Status& status) {
  return status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() || status.IsDeadlock();
}

// Two threads now and then pick keys that collide; like an application, retry the transaction.
constexpr int kTransactionAttemptsMax = 100;

template <typename Target>
auto ReadModifyWriteWithRetry(Target& target, const Key& key, std::string_view value,
                              int64_t* retries) {
  auto status = target.ReadModifyWrite(key, value);
  for (int attempt = 1; attempt < kTransactionAttemptsMax && IsConflict(status); ++attempt) {
    ++*retries;
    status = target.ReadModifyWrite(key, value);
  }
  return status;
}

// The timed loop, shared by both systems so that they differ only in the Target calls.
template <typename Target>
void RunOperation(benchmark::State& state, System<Target>* system, const DataSet* data,
                  Operation operation, Durability durability) {
  bool writes = operation == Operation::kPut || operation == Operation::kTransaction;
  Target& target = system->Acquire(durability, writes ? Role::kWrite : Role::kRead);
  // The same key sequence for both systems; a different one per thread.
  uint64_t random = static_cast<uint64_t>(state.thread_index()) * 7919 + 1;
  int64_t items = 0;
  int64_t retries = 0;
  for (auto _ : state) {
    int64_t index = static_cast<int64_t>(DataSet::Next(random) % kKeyCount);
    switch (operation) {
      case Operation::kPut:
        if (Failed(state, target.Put(data->key(index), data->value(index)))) return;
        ++items;
        break;
      case Operation::kGet: {
        size_t value_bytes = 0;
        if (Failed(state, target.Get(data->key(index), &value_bytes))) return;
        benchmark::DoNotOptimize(value_bytes);
        ++items;
        break;
      }
      case Operation::kScan: {
        int64_t first = index % (kKeyCount - kScanRows);
        int64_t rows = 0;
        if (Failed(state, target.Scan(data->key(first), data->key(first + kScanRows), &rows))) {
          return;
        }
        items += rows;
        break;
      }
      case Operation::kTransaction: {
        auto status =
            ReadModifyWriteWithRetry(target, data->key(index), data->value(index), &retries);
        if (Failed(state, status)) return;
        ++items;
        break;
      }
    }
  }
  state.SetItemsProcessed(items);
  if (operation == Operation::kTransaction) {
    state.counters["retries"] = static_cast<double>(retries);
  }
}

// The cost the comparison leaves out: building a key with plexus::Key.
void KeyEncode(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    Key key = Key().AddInt(i++);
    benchmark::DoNotOptimize(key.encoded().data());
  }
  state.SetItemsProcessed(state.iterations());
}

std::string CaseName(Operation operation, Durability durability, std::string_view system) {
  return std::string(OperationName(operation)) + "/" + std::string(DurabilityName(durability)) +
         "/" + std::string(system);
}

template <typename Target>
void Register(Environment* environment, System<Target>* system, Operation operation,
              Durability durability, int threads) {
  std::string name = CaseName(operation, durability, Target::kName);
  const DataSet* data = &environment->data;
  benchmark::RegisterBenchmark(name.c_str(),
                               [system, data, operation, durability](benchmark::State& state) {
                                 RunOperation(state, system, data, operation, durability);
                               })
      // Wall-clock time: writes wait on fsync and background threads, not on this thread's CPU.
      ->UseRealTime()
      ->Threads(threads);
}

// Each case runs once per round, Plexus and RocksDB back to back: on a shared machine the load
// changes from second to second, and pairing runs that close in time cancels most of it.
void RegisterAll(Environment* environment, int rounds) {
  benchmark::RegisterBenchmark("key_encode", KeyEncode);
  for (int round = 0; round < rounds; ++round) {
    for (Durability durability : kDurabilities) {
      for (Operation operation : kOperations) {
        for (int threads : kThreadCounts) {
          // Who goes first alternates, so that neither system always gets the warmer machine.
          if (round % 2 == 0) {
            Register(environment, &environment->plexus, operation, durability, threads);
            Register(environment, &environment->rocksdb, operation, durability, threads);
          } else {
            Register(environment, &environment->rocksdb, operation, durability, threads);
            Register(environment, &environment->plexus, operation, durability, threads);
          }
        }
      }
    }
  }
}

double Median(std::vector<double> values) {
  PLEXUS_ASSERT(!values.empty());
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// One run of one case, as the ratio table needs it.
struct Measurement {
  double operations_per_second;      // all threads together, on wall time
  double cpu_seconds_per_operation;  // of the benchmark threads only (not RocksDB's background)
};

// Shows the usual console table and keeps every run's measurement for the ratio table.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  explicit SummaryReporter(OutputOptions options) : benchmark::ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    benchmark::ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      // Aggregates (with --benchmark_repetitions) would count their runs twice.
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      if (run.real_accumulated_time <= 0 || run.iterations <= 0) continue;
      // iterations and CPU time add up every thread's; the wall time is one thread's (their
      // average), since the threads ran side by side.
      auto operations = static_cast<double>(run.iterations);
      measurements_[{run.run_name.function_name, run.threads}].push_back(
          {operations / run.real_accumulated_time, run.cpu_accumulated_time / operations});
    }
  }

  // Every run of a case, in the order they ran.
  const std::vector<Measurement>& Measurements(const std::string& name, int64_t threads) const {
    static const std::vector<Measurement> kNone;
    auto found = measurements_.find({name, threads});
    return found == measurements_.end() ? kNone : found->second;
  }

 private:
  std::map<std::pair<std::string, int64_t>, std::vector<Measurement>> measurements_;
};

std::string Format(const char* format, double value) {
  char text[32];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

constexpr double kRatioTarget = 0.9;

// "median (lowest-highest)" of per-round ratios.
std::string FormatRatios(std::vector<double> ratios) {
  if (ratios.empty()) return "-";
  auto [low, high] = std::minmax_element(ratios.begin(), ratios.end());
  return Format("%.2f", Median(ratios)) + " (" + Format("%.2f", *low) + "-" +
         Format("%.2f", *high) + ")";
}

// One line of the ratio table; returns whether the case falls below the target.
bool PrintCase(const SummaryReporter& reporter, Operation operation, int threads,
               Durability durability) {
  const std::vector<Measurement>& plexus =
      reporter.Measurements(CaseName(operation, durability, PlexusTarget::kName), threads);
  const std::vector<Measurement>& rocksdb =
      reporter.Measurements(CaseName(operation, durability, RocksDBTarget::kName), threads);
  if (plexus.empty() && rocksdb.empty()) return false;
  // Round k of one system against round k of the other: they ran seconds apart.
  std::vector<double> plexus_rates, rocksdb_rates, ratios, cpu_ratios;
  for (const Measurement& run : plexus) plexus_rates.push_back(run.operations_per_second);
  for (const Measurement& run : rocksdb) rocksdb_rates.push_back(run.operations_per_second);
  for (size_t i = 0; i < std::min(plexus.size(), rocksdb.size()); ++i) {
    ratios.push_back(plexus[i].operations_per_second / rocksdb[i].operations_per_second);
    cpu_ratios.push_back(rocksdb[i].cpu_seconds_per_operation /
                         plexus[i].cpu_seconds_per_operation);
  }
  bool below = !ratios.empty() && Median(ratios) < kRatioTarget;
  std::printf("%-5s %7d %-10s %13s %13s %19s%s %19s\n",
              std::string(OperationName(operation)).c_str(), threads,
              std::string(DurabilityName(durability)).c_str(),
              plexus.empty() ? "-" : Format("%.0f", Median(plexus_rates)).c_str(),
              rocksdb.empty() ? "-" : Format("%.0f", Median(rocksdb_rates)).c_str(),
              FormatRatios(ratios).c_str(), below ? "*" : " ", FormatRatios(cpu_ratios).c_str());
  return below;
}

// Prints the ratio table, after Google Benchmark's own.
void PrintSummary(const SummaryReporter& reporter, int rounds) {
  std::printf(
      "\nplexus vs raw RocksDB: same options, same column families, same encoded keys.\n"
      "ops/s: all threads, on wall time, median of %d rounds. ratio: plexus/rocksdb ops/s, median\n"
      "(lowest-highest) of the per-round ratios (each round runs both back to back). cpu ratio:\n"
      "the same on the benchmark threads' CPU time per operation, which a loaded machine\n"
      "disturbs less (but it leaves out waiting for fsync and background threads).\n\n",
      rounds);
  std::printf("%-5s %7s %-10s %13s %13s %19s  %19s\n", "op", "threads", "durability",
              "plexus ops/s", "rocksdb ops/s", "ratio", "cpu ratio");
  int below_target = 0;
  for (Operation operation : kOperations) {
    for (int threads : kThreadCounts) {
      for (Durability durability : kDurabilities) {
        if (PrintCase(reporter, operation, threads, durability)) ++below_target;
      }
    }
  }
  if (const auto& encode = reporter.Measurements("key_encode", 1); !encode.empty()) {
    std::printf("\nkey_encode: %.1f ns of CPU per Key().AddInt(i), outside the ratios above.\n",
                1e9 * encode.front().cpu_seconds_per_operation);
  }
  std::printf(
      "\nput/get = single-operation calls; scan = one range of %" PRId64
      " rows (ops/s counts ranges);\ntxn = begin (snapshot), get, put, commit, retried on a write "
      "conflict.\n"
      "periodic on raw RocksDB: writes with sync=false and nothing else (no background WAL "
      "sync);\nplexus also fsyncs the WAL every periodic_sync_ms from a background thread.\n"
      "* = below the %.1f target (%d case(s)).\n",
      kScanRows, kRatioTarget, below_target);
}

// Takes --rounds=N out of the arguments Google Benchmark did not recognise.
int TakeRounds(int* argc, char** argv) {
  constexpr std::string_view kFlag = "--rounds=";
  int rounds = kRoundsDefault;
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view argument = argv[i];
    if (argument.substr(0, kFlag.size()) == kFlag) {
      rounds = std::clamp(std::atoi(argv[i] + kFlag.size()), 1, kRoundsMax);
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  return rounds;
}

int Main(int argc, char** argv) {
  std::vector<char*> arguments = {argv[0]};
  for (const char* flag : kDefaultFlags) arguments.push_back(const_cast<char*>(flag));
  for (int i = 1; i < argc; ++i) arguments.push_back(argv[i]);
  int argument_count = static_cast<int>(arguments.size());
  benchmark::Initialize(&argument_count, arguments.data());
  int rounds = TakeRounds(&argument_count, arguments.data());
  if (benchmark::ReportUnrecognizedArguments(argument_count, arguments.data())) return 1;

  // Info lines (a data directory initialised) would land in the middle of the table.
  Require(base::InitLogging(base::LogLevel::kWarn, ""), "logging");
  auto environment = std::make_unique<Environment>();
  RegisterAll(environment.get(), rounds);
  benchmark::AddCustomContext("data_set", std::to_string(kKeyCount) + " keys, " +
                                              std::to_string(kValueBytes) + "-byte values");
  benchmark::AddCustomContext("rounds", std::to_string(rounds));

  SummaryReporter reporter(::isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                                                   : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::fflush(stdout);
  PrintSummary(reporter, rounds);
  // Databases close before their directories are removed, and before static destructors run.
  environment.reset();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace plexus::bench

int main(int argc, char** argv) { return plexus::bench::Main(argc, argv); }
