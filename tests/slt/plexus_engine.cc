// PlexusEngine: a Store, an engine and one session per script; results come back as the text
// PostgreSQL would send.
#include "slt/plexus_engine.h"

#include <filesystem>
#include <system_error>

#include "plexus/session/query_cache.h"
#include "plexus/session/session.h"
#include "plexus/sql/func/cast.h"
#include "plexus/storage/store.h"
#include "plexus/txn/transaction.h"

namespace plexus::slt {

namespace {

class TextSink : public session::ResultSink {
 public:
  explicit TextSink(QueryResult* result) : result_(result) {}
  Status BeginRows(const std::vector<session::ResultColumn>& columns) override {
    result_->column_count = static_cast<int>(columns.size());
    result_->rows.clear();
    return Status::Ok();
  }
  Status Rows(const sql::Batch& batch) override {
    for (size_t row = 0; row < batch.rows(); ++row) {
      std::vector<std::optional<std::string>> values;
      for (size_t column = 0; column < batch.column_count(); ++column) {
        if (batch.column(column).IsNull(row)) {
          values.emplace_back(std::nullopt);
          continue;
        }
        std::string text;
        PLEXUS_RETURN_IF_ERROR(sql::FormatText(batch.column(column), row, &text));
        values.emplace_back(std::move(text));
      }
      result_->rows.push_back(std::move(values));
    }
    return Status::Ok();
  }
  Status Complete(std::string_view) override { return Status::Ok(); }

 private:
  QueryResult* result_;
};

}  // namespace

PlexusEngine::PlexusEngine(bool plan_cache_every_query)
    : plan_cache_every_query_(plan_cache_every_query) {}

PlexusEngine::~PlexusEngine() { Close(); }

void PlexusEngine::Close() {
  session_.reset();
  engine_.reset();
  transactions_.reset();
  store_.reset();
}

Status PlexusEngine::Reset() {
  Close();
  const std::string dir = root_.path() + "/" + std::to_string(generation_);
  std::error_code ignored;  // the previous script's directory; leftovers only cost disk space
  std::filesystem::remove_all(root_.path() + "/" + std::to_string(generation_ - 1), ignored);
  ++generation_;
  Options options;
  options.durability = Durability::kOff;  // scripts need answers, not crash safety
  PLEXUS_ASSIGN_OR_RETURN(store_, storage::Store::Open(dir, options));
  transactions_ = std::make_unique<txn::TransactionManager>(store_.get());
  engine_ = std::make_unique<session::Engine>(transactions_.get());
  session_ = std::make_unique<session::Session>(engine_.get());
  session_->query_cache().set_admit_first_sight(plan_cache_every_query_);
  return Status::Ok();
}

Result<QueryResult> PlexusEngine::Execute(std::string_view sql) {
  if (!session_) PLEXUS_RETURN_IF_ERROR(Reset());
  QueryResult result;
  TextSink sink(&result);
  PLEXUS_RETURN_IF_ERROR(session_->Execute(sql, sink));
  return result;
}

}  // namespace plexus::slt
