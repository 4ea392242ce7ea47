// Session settings (PostgreSQL's GUCs): what SET, RESET and SHOW change and show, with
// PostgreSQL's names, defaults, value syntax (units for times and sizes) and display. The
// settings the engine acts on have typed accessors; those the wire protocol reports to clients
// (ParameterStatus) are marked as reported.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plexus/base/status.h"
#include "plexus/options.h"

namespace plexus::sql {
class TimeZone;
}  // namespace plexus::sql

namespace plexus::session {

class Settings {
 public:
  struct Row {
    std::string name;  // canonical spelling: "TimeZone", "search_path"
    std::string value;
    std::string description;
  };

  // `default_isolation`: the store's, shown by default_transaction_isolation until SET.
  explicit Settings(IsolationLevel default_isolation = IsolationLevel::kRepeatableRead);

  // SET name = value. 42704 for an unknown name, 22023 for a bad value, 55P02 for a setting
  // that cannot be changed. Names are case-insensitive; names with a dot are custom settings.
  Status Set(std::string_view name, std::string_view value);
  // RESET name (back to the default); "all" resets every setting that can be changed.
  Status Reset(std::string_view name);
  // SHOW name: the value as PostgreSQL displays it (and the canonical name, for the column).
  Result<Row> Show(std::string_view name) const;
  // SHOW ALL, by name.
  std::vector<Row> ShowAll() const;

  // Whether changes of `name` are reported to wire clients (ParameterStatus), and every such
  // setting with its value.
  static bool IsReported(std::string_view name);
  std::vector<Row> Reported() const;

  // Typed values the engine uses.
  const sql::TimeZone& time_zone() const { return *time_zone_; }
  int64_t statement_timeout_ms() const { return statement_timeout_ms_; }
  int64_t work_mem_bytes() const { return work_mem_kb_ * 1024; }
  IsolationLevel default_isolation() const { return default_isolation_; }
  // search_path, as a list of schema names ("$user" included as written).
  std::vector<std::string> search_path() const;

  // Changes with every SET and RESET to a value no other change in the process had, and comes
  // back with the values when a saved copy is assigned back (ROLLBACK): what was derived from
  // the settings at one generation (a cached plan) holds while the generation is the same.
  uint64_t generation() const { return generation_; }

 private:
  // Applies a validated value to the typed fields.
  Status Apply(size_t index, std::string_view value, std::string* display);

  std::vector<std::string> values_;           // display text, by definition index
  std::map<std::string, std::string> custom_;  // names with a dot
  std::shared_ptr<const sql::TimeZone> time_zone_;
  int64_t statement_timeout_ms_ = 0;
  int64_t work_mem_kb_ = 4096;
  IsolationLevel default_isolation_;
  IsolationLevel store_isolation_;
  uint64_t generation_;
};

}  // namespace plexus::session
