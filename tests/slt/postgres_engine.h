// A PostgreSQL server as a sqllogictest Engine (through libpq): the reference whose results the
// scripts' baseline was taken from, and `plexus serve` through its wire protocol. Each Reset()
// drops and recreates a scratch database, or (kObjects, for a server with one database)
// reconnects and drops every table, view and sequence outside the system schemas.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "slt/engine.h"

struct pg_conn;

namespace plexus::slt {

class PostgresEngine : public Engine {
 public:
  enum class ResetMode { kDatabase, kObjects };

  // `conninfo` is a libpq connection string ("host=/tmp/pgslt port=5497 user=postgres") for a
  // role that may create databases (kDatabase; its database, default the user's, hosts the
  // scratch one) or drop the objects of its database (kObjects).
  static Result<std::unique_ptr<PostgresEngine>> Connect(const std::string& conninfo,
                                                         ResetMode mode = ResetMode::kDatabase);

  PostgresEngine(const PostgresEngine&) = delete;
  PostgresEngine& operator=(const PostgresEngine&) = delete;
  ~PostgresEngine() override;

  std::string_view name() const override { return "postgresql"; }
  Result<QueryResult> Execute(std::string_view sql) override;
  Status Reset() override;

 private:
  PostgresEngine(std::string conninfo, ResetMode mode, pg_conn* admin);
  Status DropObjects();

  std::string conninfo_;
  ResetMode mode_;
  std::string scratch_database_;
  pg_conn* admin_ = nullptr;    // to the conninfo's database; creates and drops the scratch one
  pg_conn* scratch_ = nullptr;  // to the scratch database; null until the first Reset()
};

}  // namespace plexus::slt
