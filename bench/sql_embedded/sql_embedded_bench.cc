// Embedded SQL benchmark: the same schema, data and statements on SQLite 3 (a file database,
// prepared statements) and on Plexus (session::Session on a store, prepared statements), one
// after the other in one run, then a table of operations per second and the Plexus/SQLite ratio.
// Workloads are issue 4's: PK point select, 100-row PK range scan, autocommit single-row insert,
// bulk insert in one transaction, GROUP BY over the bulk-loaded table, a 3-table join.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plexus/base/logging.h"
#include "plexus/base/temp_dir.h"
#include "plexus/options.h"
#include "plexus/session/session.h"
#include "plexus/sql/types/value.h"
#include "plexus/storage/store.h"
#include "plexus/txn/transaction.h"

namespace plexus::bench {
namespace {

// Bounds on the command line (a typo must not start an hour-long run or a zero-row one).
constexpr int64_t kRowsMin = 1'000;
constexpr int64_t kRowsMax = 10'000'000;
constexpr int64_t kRowsDefault = 1'000'000;
constexpr int64_t kCategories = 100;
constexpr int64_t kRegions = 10;
constexpr int64_t kRangeRows = 100;
// Both sides get the same page/block cache.
constexpr int64_t kCacheBytes = int64_t{256} << 20;

// Sizes derived from --rows: items = rows, orders = rows / 10, customers = rows / 100.
struct Scale {
  int64_t items = kRowsDefault;
  int64_t point_selects = 0;
  int64_t range_scans = 0;
  int64_t autocommit_inserts = 0;
  int64_t aggregate_runs = 0;
  int64_t join_runs = 0;
  int64_t orders() const { return items / 10; }
  int64_t customers() const { return std::max<int64_t>(items / 100, kRegions); }
};

Scale ScaleFor(int64_t rows) {
  Scale scale;
  scale.items = rows;
  scale.point_selects = std::max<int64_t>(rows / 10, 10'000);
  scale.range_scans = std::max<int64_t>(rows / 100, 2'000);
  // Each one waits for an fsync (~170 µs here): 2000 take about a second on either side.
  scale.autocommit_inserts = 2'000;
  scale.aggregate_runs = 5;
  scale.join_runs = 5;
  return scale;
}

// Deterministic data, the same on both sides.
int64_t ItemCategory(int64_t id) { return id % kCategories; }
int64_t ItemPrice(int64_t id) { return (id * 7919) % 1000; }
std::string ItemName(int64_t id) { return "item-" + std::to_string(id); }
int64_t CustomerRegion(int64_t id) { return id % kRegions; }
int64_t OrderCustomer(int64_t id, const Scale& scale) { return (id * 31) % scale.customers(); }
int64_t OrderItem(int64_t id, const Scale& scale) { return (id * 17) % scale.items; }
int64_t OrderQuantity(int64_t id) { return id % 5 + 1; }

// The keys the readers look up: a fixed pseudo-random sequence (xorshift), the same on both sides.
class KeySequence {
 public:
  explicit KeySequence(int64_t bound) : bound_(bound) {}
  int64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<int64_t>(state_ % static_cast<uint64_t>(bound_));
  }

 private:
  int64_t bound_;
  uint64_t state_ = 0x9E3779B97F4A7C15ull;
};

constexpr std::string_view kSchema[] = {
    "CREATE TABLE items (id bigint PRIMARY KEY, category integer NOT NULL, price integer NOT NULL,"
    " name text NOT NULL)",
    "CREATE TABLE customers (id bigint PRIMARY KEY, region integer NOT NULL, name text NOT NULL)",
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, item_id bigint NOT "
    "NULL, quantity integer NOT NULL)",
    "CREATE TABLE events (id bigint PRIMARY KEY, value integer NOT NULL)",
};
constexpr std::string_view kInsertItem = "INSERT INTO items VALUES ($1, $2, $3, $4)";
constexpr std::string_view kInsertCustomer = "INSERT INTO customers VALUES ($1, $2, $3)";
constexpr std::string_view kInsertOrder = "INSERT INTO orders VALUES ($1, $2, $3, $4)";
constexpr std::string_view kInsertEvent = "INSERT INTO events VALUES ($1, $2)";
constexpr std::string_view kPointSelect = "SELECT name, price FROM items WHERE id = $1";
constexpr std::string_view kRangeScan = "SELECT id, price FROM items WHERE id >= $1 AND id < $2";
constexpr std::string_view kAggregate =
    "SELECT category, count(*), sum(price) FROM items GROUP BY category";
constexpr std::string_view kJoin =
    "SELECT count(*), sum(i.price * o.quantity) FROM orders o JOIN customers c ON c.id = "
    "o.customer_id JOIN items i ON i.id = o.item_id WHERE c.region = $1";

// A statement's parameters: integers or text.
struct Parameter {
  int64_t integer = 0;
  std::string text;
  bool is_text = false;
};
using Parameters = std::vector<Parameter>;
Parameter Int(int64_t value) { return Parameter{value, "", false}; }
Parameter Text(std::string value) { return Parameter{0, std::move(value), true}; }

// What a statement returned: rows and the sum of every integer value (compared between sides).
struct Outcome {
  int64_t rows = 0;
  int64_t checksum = 0;
  Outcome& operator+=(const Outcome& other) {
    rows += other.rows;
    checksum += other.checksum;
    return *this;
  }
};

[[noreturn]] void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "sql_embedded_bench: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::exit(1);
}

// One engine under test. Statements are prepared once per workload and run with parameters.
class Side {
 public:
  virtual ~Side() = default;
  virtual const char* name() const = 0;
  virtual void Exec(std::string_view sql) = 0;  // no parameters, result ignored
  virtual int Prepare(std::string_view sql) = 0;  // a handle for Run
  virtual Outcome Run(int statement, const Parameters& parameters) = 0;

  // The autocommit insert's next event id: repeated runs (--repeat) insert new keys.
  int64_t next_event_id = 0;
};

// --- SQLite -------------------------------------------------------------------------------------

class SqliteSide : public Side {
 public:
  explicit SqliteSide(const std::string& dir) {
    const std::string path = dir + "/bench.sqlite";
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
      Fail("sqlite3_open", sqlite3_errmsg(db_));
    }
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
    Exec("PRAGMA cache_size=-" + std::to_string(kCacheBytes / 1024));
  }
  ~SqliteSide() override {
    for (sqlite3_stmt* statement : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  const char* name() const override { return "sqlite"; }

  void Exec(std::string_view sql) override {
    char* error = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      Fail(sql, error != nullptr ? error : "error");
    }
  }

  int Prepare(std::string_view sql) override {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
      Fail(sql, sqlite3_errmsg(db_));
    }
    statements_.push_back(statement);
    return static_cast<int>(statements_.size() - 1);
  }

  Outcome Run(int handle, const Parameters& parameters) override {
    sqlite3_stmt* statement = statements_[handle];
    for (size_t i = 0; i < parameters.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (parameters[i].is_text) {
        sqlite3_bind_text(statement, index, parameters[i].text.data(),
                          static_cast<int>(parameters[i].text.size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_int64(statement, index, parameters[i].integer);
      }
    }
    Outcome outcome;
    int code;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
      ++outcome.rows;
      for (int column = 0; column < sqlite3_column_count(statement); ++column) {
        if (sqlite3_column_type(statement, column) == SQLITE_INTEGER) {
          outcome.checksum += sqlite3_column_int64(statement, column);
        } else {
          (void)sqlite3_column_text(statement, column);  // as a client reads it
        }
      }
    }
    if (code != SQLITE_DONE) Fail(sqlite3_sql(statement), sqlite3_errmsg(db_));
    sqlite3_reset(statement);
    return outcome;
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

// --- Plexus -------------------------------------------------------------------------------------

int64_t IntegerAt(const sql::Vector& vector, size_t row) {
  switch (vector.physical()) {
    case sql::PhysicalType::kInt16:
      return vector.values<int16_t>()[row];
    case sql::PhysicalType::kInt32:
      return vector.values<int32_t>()[row];
    case sql::PhysicalType::kInt64:
      return vector.values<int64_t>()[row];
    default:
      return 0;
  }
}

class CountingSink : public session::ResultSink {
 public:
  Status BeginRows(const std::vector<session::ResultColumn>&) override { return Status::Ok(); }
  Status Rows(const sql::Batch& batch) override {
    outcome_.rows += static_cast<int64_t>(batch.rows());
    for (size_t column = 0; column < batch.column_count(); ++column) {
      const sql::Vector& vector = batch.column(column);
      for (size_t row = 0; row < batch.rows(); ++row) {
        if (!vector.IsNull(row)) outcome_.checksum += IntegerAt(vector, row);
      }
    }
    return Status::Ok();
  }
  Status Complete(std::string_view) override { return Status::Ok(); }
  Outcome Take() { return std::exchange(outcome_, Outcome()); }

 private:
  Outcome outcome_;
};

class PlexusSide : public Side {
 public:
  explicit PlexusSide(const std::string& dir) {
    Options options;
    options.durability = Durability::kSync;
    options.block_cache_bytes = kCacheBytes;
    Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(dir + "/plexus", options);
    if (!store.ok()) Fail("open", store.status().ToString());
    store_ = std::move(store).value();
    transactions_ = std::make_unique<txn::TransactionManager>(store_.get());
    engine_ = std::make_unique<session::Engine>(transactions_.get());
    session_ = std::make_unique<session::Session>(engine_.get());
  }
  ~PlexusSide() override {
    statements_.clear();
    session_.reset();
    engine_.reset();
    transactions_.reset();
    const Status closed = store_->Close();
    if (!closed.ok()) Fail("close", closed.ToString());
  }
  const char* name() const override { return "plexus"; }

  void Exec(std::string_view sql) override {
    const Status status = session_->Execute(sql, sink_);
    if (!status.ok()) Fail(sql, status.ToString());
    sink_.Take();
  }

  int Prepare(std::string_view sql) override {
    Result<std::shared_ptr<session::PreparedStatement>> statement = session_->Prepare(sql);
    if (!statement.ok()) Fail(sql, statement.status().ToString());
    statements_.push_back(std::move(statement).value());
    return static_cast<int>(statements_.size() - 1);
  }

  Outcome Run(int handle, const Parameters& parameters) override {
    const std::shared_ptr<session::PreparedStatement>& statement = statements_[handle];
    const std::vector<catalog::Type>& types = statement->parameter_types();
    std::vector<sql::Value> values;
    values.reserve(parameters.size());
    for (size_t i = 0; i < parameters.size(); ++i) {
      values.push_back(ValueOf(parameters[i], i < types.size() ? types[i] : catalog::Type()));
    }
    Result<std::unique_ptr<session::Portal>> portal = session_->Bind(statement, std::move(values));
    if (!portal.ok()) Fail(statement->sql(), portal.status().ToString());
    const Status status = session_->Execute(**portal, sink_);
    if (!status.ok()) Fail(statement->sql(), status.ToString());
    return sink_.Take();
  }

 private:
  // A parameter as a value of the type the statement inferred for it.
  static sql::Value ValueOf(const Parameter& parameter, const catalog::Type& type) {
    if (parameter.is_text) return sql::Value::Text(parameter.text).Relabel(type);
    switch (type.id) {
      case catalog::TypeId::kInt16:
        return sql::Value::Int16(static_cast<int16_t>(parameter.integer));
      case catalog::TypeId::kInt32:
        return sql::Value::Int32(static_cast<int32_t>(parameter.integer));
      default:
        return sql::Value::Int64(parameter.integer);
    }
  }

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<txn::TransactionManager> transactions_;
  std::unique_ptr<session::Engine> engine_;
  std::unique_ptr<session::Session> session_;
  std::vector<std::shared_ptr<session::PreparedStatement>> statements_;
  CountingSink sink_;
};

// --- Workloads ----------------------------------------------------------------------------------

struct Measurement {
  double operations_per_second = 0;
  // CPU time per operation: of the thread running the statements, and of the whole process
  // (RocksDB's flush and compaction threads included). On a shared machine these stay
  // comparable when the wall clock does not (time spent waiting for a core is left out).
  double thread_cpu_us = 0;
  double process_cpu_us = 0;
  Outcome outcome;
};

double CpuSeconds(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

template <typename Body>
Measurement Measure(int64_t operations, Body body) {
  const double thread_start = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
  const double process_start = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
  const auto start = std::chrono::steady_clock::now();
  Outcome outcome = body();
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  const double count = static_cast<double>(operations);
  return Measurement{count / seconds.count(),
                     (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - thread_start) * 1e6 / count,
                     (CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process_start) * 1e6 / count,
                     outcome};
}

// Inserts rows [0, count) with `row` giving each one's parameters, in one transaction.
void Load(Side& side, std::string_view insert, int64_t count,
          const std::function<Parameters(int64_t)>& row) {
  const int statement = side.Prepare(insert);
  side.Exec("BEGIN");
  for (int64_t id = 0; id < count; ++id) side.Run(statement, row(id));
  side.Exec("COMMIT");
}

struct Workload {
  std::string name;
  std::string unit;
  std::function<Measurement(Side&, const Scale&)> run;
};

std::vector<Workload> Workloads() {
  std::vector<Workload> workloads;
  workloads.push_back({"bulk insert, 1 transaction", "rows/s", [](Side& side, const Scale& scale) {
                         return Measure(scale.items, [&] {
                           Load(side, kInsertItem, scale.items, [](int64_t id) {
                             return Parameters{Int(id), Int(ItemCategory(id)), Int(ItemPrice(id)),
                                               Text(ItemName(id))};
                           });
                           return Outcome{scale.items, 0};
                         });
                       }});
  workloads.push_back({"point select by PK", "ops/s", [](Side& side, const Scale& scale) {
                         const int statement = side.Prepare(kPointSelect);
                         KeySequence keys(scale.items);
                         return Measure(scale.point_selects, [&] {
                           Outcome total;
                           for (int64_t i = 0; i < scale.point_selects; ++i) {
                             total += side.Run(statement, {Int(keys.Next())});
                           }
                           return total;
                         });
                       }});
  workloads.push_back({"range scan by PK, 100 rows", "ops/s", [](Side& side, const Scale& scale) {
                         const int statement = side.Prepare(kRangeScan);
                         KeySequence keys(scale.items - kRangeRows);
                         return Measure(scale.range_scans, [&] {
                           Outcome total;
                           for (int64_t i = 0; i < scale.range_scans; ++i) {
                             const int64_t start = keys.Next();
                             total += side.Run(statement, {Int(start), Int(start + kRangeRows)});
                           }
                           return total;
                         });
                       }});
  workloads.push_back({"GROUP BY aggregate", "ops/s", [](Side& side, const Scale& scale) {
                         const int statement = side.Prepare(kAggregate);
                         return Measure(scale.aggregate_runs, [&] {
                           Outcome total;
                           for (int64_t i = 0; i < scale.aggregate_runs; ++i) {
                             total += side.Run(statement, {});
                           }
                           return total;
                         });
                       }});
  workloads.push_back({"3-table join", "ops/s", [](Side& side, const Scale& scale) {
                         const int statement = side.Prepare(kJoin);
                         return Measure(scale.join_runs, [&] {
                           Outcome total;
                           for (int64_t i = 0; i < scale.join_runs; ++i) {
                             total += side.Run(statement, {Int(i % kRegions)});
                           }
                           return total;
                         });
                       }});
  workloads.push_back({"insert, autocommit", "ops/s", [](Side& side, const Scale& scale) {
                         const int statement = side.Prepare(kInsertEvent);
                         return Measure(scale.autocommit_inserts, [&] {
                           for (int64_t i = 0; i < scale.autocommit_inserts; ++i) {
                             const int64_t id = side.next_event_id++;
                             side.Run(statement, {Int(id), Int(id % 1000)});
                           }
                           return Outcome{scale.autocommit_inserts, 0};
                         });
                       }});
  return workloads;
}

// The join's tables (not timed): customers and orders, after the bulk insert loaded items.
void LoadJoinTables(Side& side, const Scale& scale) {
  Load(side, kInsertCustomer, scale.customers(), [](int64_t id) {
    return Parameters{Int(id), Int(CustomerRegion(id)), Text("customer-" + std::to_string(id))};
  });
  Load(side, kInsertOrder, scale.orders(), [&](int64_t id) {
    return Parameters{Int(id), Int(OrderCustomer(id, scale)), Int(OrderItem(id, scale)),
                      Int(OrderQuantity(id))};
  });
}

struct Flags {
  int64_t rows = kRowsDefault;
  std::string engine = "both";  // both, sqlite or plexus (one side alone, for perf record)
  std::string only;             // a workload name prefix: run only that one (after the load)
  int64_t repeat = 1;           // with --only: run it this many times (a longer perf profile)
};

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view name) -> std::optional<std::string> {
      if (arg.substr(0, name.size()) == name && arg.size() > name.size() && arg[name.size()] == '=') {
        return std::string(arg.substr(name.size() + 1));
      }
      return std::nullopt;
    };
    if (auto rows = value("--rows")) {
      flags.rows = std::strtoll(rows->c_str(), nullptr, 10);
      if (flags.rows < kRowsMin || flags.rows > kRowsMax) {
        Fail("--rows", "must be between " + std::to_string(kRowsMin) + " and " +
                           std::to_string(kRowsMax));
      }
    } else if (auto engine = value("--engine")) {
      flags.engine = *engine;
      if (flags.engine != "both" && flags.engine != "sqlite" && flags.engine != "plexus") {
        Fail("--engine", "must be both, sqlite or plexus");
      }
    } else if (auto only = value("--only")) {
      flags.only = *only;
    } else if (auto repeat = value("--repeat")) {
      flags.repeat = std::clamp<int64_t>(std::strtoll(repeat->c_str(), nullptr, 10), 1, 1000);
    } else {
      Fail(arg, "usage: sql_embedded_bench [--rows=N] [--engine=both|sqlite|plexus] "
                "[--only=WORKLOAD-PREFIX [--repeat=N]]");
    }
  }
  return flags;
}

// Runs every workload on one side in a fresh directory; results in workload order.
std::vector<std::optional<Measurement>> RunSide(Side& side, const Scale& scale,
                                                const std::vector<Workload>& workloads,
                                                const Flags& flags) {
  const std::string& only = flags.only;
  for (std::string_view statement : kSchema) side.Exec(statement);
  std::vector<std::optional<Measurement>> results(workloads.size());
  for (size_t i = 0; i < workloads.size(); ++i) {
    const bool selected = only.empty() || workloads[i].name.rfind(only, 0) == 0;
    if (i == 0 && !selected) {
      // The other workloads read what the bulk insert loads: load it untimed.
      workloads[0].run(side, scale);
    } else if (selected) {
      std::fprintf(stderr, "  %s: %s...\n", side.name(), workloads[i].name.c_str());
      // Repeats of the bulk insert would insert the same keys again (the autocommit insert
      // takes new ones each run).
      const int64_t runs = (only.empty() || i == 0) ? 1 : flags.repeat;
      for (int64_t run = 0; run < runs; ++run) results[i] = workloads[i].run(side, scale);
    }
    if (i == 0) LoadJoinTables(side, scale);
  }
  return results;
}

void PrintRatio(const Workload& workload, const std::optional<Measurement>& sqlite,
                const std::optional<Measurement>& plexus) {
  auto cell = [](const std::optional<Measurement>& measurement) {
    char text[32];
    if (!measurement) return std::string("-");
    const double value = measurement->operations_per_second;
    std::snprintf(text, sizeof(text), value < 100 ? "%.2f" : "%.0f", value);
    return std::string(text);
  };
  std::string ratio = "-";
  if (sqlite && plexus) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.2fx",
                  plexus->operations_per_second / sqlite->operations_per_second);
    ratio = text;
    if (sqlite->outcome.rows != plexus->outcome.rows ||
        sqlite->outcome.checksum != plexus->outcome.checksum) {
      Fail(workload.name, "results differ: sqlite " + std::to_string(sqlite->outcome.rows) +
                              " rows, checksum " + std::to_string(sqlite->outcome.checksum) +
                              "; plexus " + std::to_string(plexus->outcome.rows) +
                              " rows, checksum " + std::to_string(plexus->outcome.checksum));
    }
  }
  std::printf("%-28s %-7s %14s %14s %8s\n", workload.name.c_str(), workload.unit.c_str(),
              cell(sqlite).c_str(), cell(plexus).c_str(), ratio.c_str());
}

// CPU µs per operation, main thread / whole process, and SQLite's over Plexus's (above 1: Plexus
// uses less).
void PrintCpu(const Workload& workload, const std::optional<Measurement>& sqlite,
              const std::optional<Measurement>& plexus) {
  auto cell = [](const std::optional<Measurement>& measurement) {
    char text[48];
    if (!measurement) return std::string("-");
    std::snprintf(text, sizeof(text), "%.2f / %.2f", measurement->thread_cpu_us,
                  measurement->process_cpu_us);
    return std::string(text);
  };
  std::string ratio = "-";
  if (sqlite && plexus && plexus->thread_cpu_us > 0 && plexus->process_cpu_us > 0) {
    char text[48];
    std::snprintf(text, sizeof(text), "%.2fx / %.2fx",
                  sqlite->thread_cpu_us / plexus->thread_cpu_us,
                  sqlite->process_cpu_us / plexus->process_cpu_us);
    ratio = text;
  }
  std::printf("%-28s %20s %20s %16s\n", workload.name.c_str(), cell(sqlite).c_str(),
              cell(plexus).c_str(), ratio.c_str());
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  const Scale scale = ScaleFor(flags.rows);
  // RocksDB's informational lines would interleave with the table.
  if (!base::InitLogging(base::LogLevel::kWarn, "").ok()) Fail("logging", "cannot start");
  std::printf("sql_embedded: SQLite %s vs Plexus, embedded, one thread\n", sqlite3_libversion());
  std::printf("rows: items %" PRId64 ", orders %" PRId64 ", customers %" PRId64
              "; cache %" PRId64 " MiB each\n",
              scale.items, scale.orders(), scale.customers(), kCacheBytes >> 20);
  std::printf("durability: Plexus storage.durability=sync; SQLite journal_mode=WAL, "
              "synchronous=FULL (every commit fsyncs its log on both)\n");
  std::printf("statements: prepared once, executed with parameters (sqlite3_prepare_v3 / "
              "Session::Prepare, Bind, Execute)\n\n");
  std::fflush(stdout);
  const std::vector<Workload> workloads = Workloads();
  std::vector<std::optional<Measurement>> sqlite(workloads.size());
  std::vector<std::optional<Measurement>> plexus(workloads.size());
  if (flags.engine != "plexus") {
    base::TempDir dir("sql-bench-sqlite");
    SqliteSide side(dir.path());
    sqlite = RunSide(side, scale, workloads, flags);
  }
  if (flags.engine != "sqlite") {
    base::TempDir dir("sql-bench-plexus");
    PlexusSide side(dir.path());
    plexus = RunSide(side, scale, workloads, flags);
  }
  std::printf("%-28s %-7s %14s %14s %8s\n", "workload", "unit", "SQLite", "Plexus",
              "Plexus/SQLite");
  for (size_t i = 0; i < workloads.size(); ++i) {
    if (sqlite[i] || plexus[i]) PrintRatio(workloads[i], sqlite[i], plexus[i]);
  }
  std::printf("\nCPU us per operation, main thread / whole process (the ratio: SQLite's over "
              "Plexus's)\n");
  std::printf("%-28s %20s %20s %16s\n", "workload", "SQLite", "Plexus", "SQLite/Plexus");
  for (size_t i = 0; i < workloads.size(); ++i) {
    if (sqlite[i] || plexus[i]) PrintCpu(workloads[i], sqlite[i], plexus[i]);
  }
  return 0;
}

}  // namespace
}  // namespace plexus::bench

int main(int argc, char** argv) { return plexus::bench::Main(argc, argv); }
