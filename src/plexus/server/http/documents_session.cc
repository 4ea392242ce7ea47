// Sessions and statements behind the documents API.
#include "plexus/server/http/documents_session.h"

#include <cinttypes>
#include <cstdio>
#include <utility>

#include "plexus/base/assert.h"
#include "plexus/server/http/documents.h"
#include "plexus/session/session_info_scope.h"
#include "plexus/sql/func/cast.h"
#include "plexus/sql/types/datetime.h"

namespace plexus::server::http {
namespace {

// "2026-11-26T17:53:16.817916Z": what JSON clients parse; PostgreSQL's text depends on TimeZone.
void AppendIsoTimestamp(int64_t micros, std::string* out) {
  sql::DateTimeFields fields;
  if (!sql::IsFinite(sql::TimestampTz{micros}) ||
      !sql::TimestampToFields(sql::Timestamp{micros}, &fields)) {
    *out += micros > 0 ? "infinity" : "-infinity";
    return;
  }
  char text[48];
  const int length = std::snprintf(
      text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId32 "Z", fields.year, fields.month,
      fields.day, fields.hour, fields.minute, fields.second, fields.micros);
  out->append(text, static_cast<size_t>(length));
}

class CellSink : public session::ResultSink {
 public:
  explicit CellSink(StatementResult* result) : result_(result) {}

  Status BeginRows(const std::vector<session::ResultColumn>& columns) override {
    (void)columns;
    result_->rows.clear();
    return Status::Ok();
  }
  Status Rows(const sql::Batch& batch) override {
    for (size_t row = 0; row < batch.rows(); ++row) {
      DocumentCells cells(batch.column_count());
      for (size_t column = 0; column < batch.column_count(); ++column) {
        const sql::Vector& vector = batch.column(column);
        if (vector.IsNull(row)) continue;
        switch (vector.type().id) {
          case catalog::TypeId::kText:
          case catalog::TypeId::kVarchar:
            cells[column] = vector.GetString(row);
            break;
          case catalog::TypeId::kTimestampTz:
            AppendIsoTimestamp(vector.values<int64_t>()[row], &cells[column]);
            break;
          default:
            PLEXUS_RETURN_IF_ERROR(sql::FormatText(vector, row, &cells[column]));
            break;
        }
      }
      result_->rows.push_back(std::move(cells));
    }
    return Status::Ok();
  }
  Status Complete(std::string_view command_tag) override {
    result_->command_tag = command_tag;
    return Status::Ok();
  }

 private:
  StatementResult* result_;
};

}  // namespace

DocumentSession::DocumentSession(session::Engine* engine, const std::string& role)
    : session_(engine) {
  if (!role.empty()) session_.set_user(role);
}

Result<StatementResult> DocumentSession::Run(std::string_view sql,
                                             std::vector<sql::Value> parameters) {
  const session::SessionInfoScope session_info(session_);
  auto found = statements_.find(std::string(sql));
  if (found == statements_.end()) {
    PLEXUS_ASSIGN_OR_RETURN(std::shared_ptr<session::PreparedStatement> prepared,
                            session_.Prepare(sql));
    PLEXUS_ASSERT(prepared->parameter_types().size() == parameters.size());
    if (statements_.size() >= kStatementsMax) statements_.clear();
    found = statements_.emplace(std::string(sql), std::move(prepared)).first;
  }
  PLEXUS_ASSIGN_OR_RETURN(std::unique_ptr<session::Portal> portal,
                          session_.Bind(found->second, std::move(parameters)));
  StatementResult result;
  CellSink sink(&result);
  PLEXUS_RETURN_IF_ERROR(session_.Execute(*portal, sink));
  return result;
}

Status DocumentSession::Execute(std::string_view sql) {
  const session::SessionInfoScope session_info(session_);
  StatementResult result;
  CellSink sink(&result);
  return session_.Execute(sql, sink);
}

Result<StatementResult> DocumentSession::Query(std::string_view sql) {
  const session::SessionInfoScope session_info(session_);
  StatementResult result;
  CellSink sink(&result);
  PLEXUS_RETURN_IF_ERROR(session_.Execute(sql, sink));
  return result;
}

DocumentSessionPool::Lease::~Lease() {
  if (session_ != nullptr) pool_->Release(role_, std::move(session_));
}

DocumentSessionPool::Lease DocumentSessionPool::Acquire(const std::string& role) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = idle_.find(role);
    if (found != idle_.end() && !found->second.empty()) {
      std::unique_ptr<DocumentSession> session = std::move(found->second.back());
      found->second.pop_back();
      return Lease(this, role, std::move(session));
    }
  }
  return Lease(this, role, std::make_unique<DocumentSession>(engine_, role));
}

void DocumentSessionPool::Release(const std::string& role,
                                  std::unique_ptr<DocumentSession> session) {
  // A session left inside a transaction (a route that failed half way) is not reused.
  if (!session->idle()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::unique_ptr<DocumentSession>>& idle = idle_[role];
  if (idle.size() < kDocumentSessionsIdleMax) idle.push_back(std::move(session));
}

}  // namespace plexus::server::http
