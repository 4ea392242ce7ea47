// Plexus's embedded SQL engine as a sqllogictest Engine. It answers to "postgresql" in
// skipif/onlyif, since PostgreSQL's dialect and answers are what it implements. Each Reset()
// starts a fresh data directory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "plexus/base/status.h"
#include "plexus/base/temp_dir.h"
#include "slt/engine.h"

namespace plexus::storage {
class Store;
}  // namespace plexus::storage
namespace plexus::txn {
class TransactionManager;
}  // namespace plexus::txn
namespace plexus::session {
class Engine;
class Session;
}  // namespace plexus::session

namespace plexus::slt {

class PlexusEngine : public Engine {
 public:
  // `plan_cache_every_query`: see session::QueryCache::set_admit_first_sight.
  explicit PlexusEngine(bool plan_cache_every_query = false);
  ~PlexusEngine() override;

  std::string_view name() const override { return "postgresql"; }
  Result<QueryResult> Execute(std::string_view sql) override;
  Status Reset() override;

 private:
  void Close();

  base::TempDir root_{"plexus-slt"};
  const bool plan_cache_every_query_;
  int generation_ = 0;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<txn::TransactionManager> transactions_;
  std::unique_ptr<session::Engine> engine_;
  std::unique_ptr<session::Session> session_;
};

}  // namespace plexus::slt
