// A PostgreSQL server as a sqllogictest Engine (through libpq): the reference whose results the
// scripts' baseline was taken from. Each Reset() drops and recreates a scratch database.
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
  // `conninfo` is a libpq connection string ("host=/tmp/pgslt port=5497 user=postgres") for a
  // role that may create databases; its database (default: the user's) hosts the scratch one.
  static Result<std::unique_ptr<PostgresEngine>> Connect(const std::string& conninfo);

  PostgresEngine(const PostgresEngine&) = delete;
  PostgresEngine& operator=(const PostgresEngine&) = delete;
  ~PostgresEngine() override;

  std::string_view name() const override { return "postgresql"; }
  Result<QueryResult> Execute(std::string_view sql) override;
  Status Reset() override;

 private:
  PostgresEngine(std::string conninfo, pg_conn* admin);

  std::string conninfo_;
  std::string scratch_database_;
  pg_conn* admin_ = nullptr;    // to the conninfo's database; creates and drops the scratch one
  pg_conn* scratch_ = nullptr;  // to the scratch database; null until the first Reset()
};

}  // namespace plexus::slt
